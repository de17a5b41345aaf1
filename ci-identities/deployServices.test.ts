/**
 * The CI roles against what the environment stacks really do: every AWS
 * resource type prod and staging (and every variant of them) register has
 * an IAM service in the deploy policy, every invoke the program makes is
 * allowed to the preview role, and the account stacks of ci-identities/
 * match the environment stack files (which stack lives in which account,
 * the registry, the cluster names, the preview roles as view-only principals).
 * Reads the harness's shared runs: no program run of its own.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseStackConfig } from "../config";
import { availableStacks, rawStackConfig, REPO_ROOT, runStack, runVariant, StackRun } from "../test/harness";
import { VariantName, VARIANTS } from "../test/variants";
import { ciIdentitiesConfig, ciIdentitiesStacks } from "../test/ciIdentitiesHarness";
import { foundationCalls } from "../network/mocks";
import { registryCalls } from "../registry/mocks";
import { clusterCalls } from "../cluster/mocks";
import { dataCalls } from "../data/mocks";
import { edgeCalls } from "../edge/mocks";
import { workloadsCalls } from "../workloads/mocks";
import { guardrailsCalls } from "../guardrails/mocks";
import { CiIdentitiesConfig } from "./ciIdentitiesSchema";
import { planRoles, roleArn } from "./ciIdentitiesPlan";
import { BROAD_DEPLOY_PREFIXES, EKS_COMPONENT_TYPES, iamPrefixOf, INVOKE_READS, PREVIEW_READS } from "./deployServices";

const covers = (pattern: string, action: string): boolean => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

let runs: StackRun[];
beforeAll(async () => {
    runs = [...(await Promise.all(availableStacks().map((s) => runStack(s)))), ...(await Promise.all(Object.keys(VARIANTS).map((v) => runVariant(v as VariantName))))];
});

const accounts: CiIdentitiesConfig[] = ciIdentitiesStacks().map((s) => ciIdentitiesConfig(s));
const roles = accounts.flatMap(planRoles);

describe("the deploy policy covers what the stacks create", () => {
    it("knows the IAM service of every AWS resource type the stacks and their variants register", () => {
        const types = new Set([...runs.flatMap((r) => r.resources.filter((x) => x.custom && x.type.startsWith("aws:")).map((x) => x.type)), ...EKS_COMPONENT_TYPES]);
        expect(types.size).toBeGreaterThan(40);
        expect([...types].filter((t) => iamPrefixOf(t) === undefined)).toEqual([]);
    });

    it("grants every such service to the deploy roles, and no service the stacks do not use", () => {
        const used = new Set(runs.flatMap((r) => r.resources.filter((x) => x.custom && x.type.startsWith("aws:")).map((x) => iamPrefixOf(x.type) as string)));
        for (const t of EKS_COMPONENT_TYPES) used.add(iamPrefixOf(t) as string);
        expect(Object.keys(PREVIEW_READS).sort()).toEqual([...used].sort());
        for (const deploy of roles.filter((r) => r.kind === "deploy")) {
            const allowed = deploy.policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
            expect([...used].filter((prefix) => !allowed.some((a) => a.startsWith(`${prefix}:`)))).toEqual([]);
            expect(allowed.filter((a) => a.endsWith(":*")).map((a) => a.split(":")[0])).toEqual([...BROAD_DEPLOY_PREFIXES, "iam", "eks"]);
        }
    });

    it("scopes IAM rightly: every role, policy and instance profile the stacks create is named iam-* (what StackRoles allows)", () => {
        const iamResources = runs.flatMap((r) => r.resources.filter((x) => /^aws:iam\/(role|policy|instanceProfile):/.test(x.type)));
        expect(iamResources.length).toBeGreaterThan(5);
        // Pulumi names a resource without an explicit name after its logical name (plus a random suffix).
        const names = iamResources.map((x) => String(x.inputs.name ?? x.inputs.namePrefix ?? x.name));
        expect(names.filter((name) => !name.startsWith("iam-"))).toEqual([]);
        for (const deploy of roles.filter((r) => r.kind === "deploy")) {
            const scoped = deploy.policy.Statement.find((s) => s.Sid === "StackRoles");
            expect(scoped?.Resource.filter((arn) => /:(role|policy|instance-profile)\//.test(arn)).every((arn) => arn.endsWith("/iam-*"))).toBe(true);
        }
    });

    it("allows the preview and deploy roles every invoke the program makes (what the harness's mocks answer)", () => {
        const invokes = Object.keys({ ...foundationCalls, ...registryCalls, ...clusterCalls, ...dataCalls, ...edgeCalls, ...workloadsCalls, ...guardrailsCalls }).sort();
        expect(Object.keys(INVOKE_READS).sort()).toEqual(invokes);
        for (const preview of roles.filter((r) => r.kind === "preview" || r.kind === "deploy")) {
            const allowed = preview.policy.Statement.flatMap((s) => s.Action);
            const needed = Object.values(INVOKE_READS).flat();
            expect(needed.filter((action) => !allowed.some((p) => covers(p, action)))).toEqual([]);
        }
    });
});

describe("the account stacks match the environment stack files", () => {
    const environments = availableStacks();

    it("give every environment stack its roles in exactly one account", () => {
        const listed = accounts.flatMap((a) => a.environments.map((e) => e.stack)).sort();
        expect(listed).toEqual(environments);
    });

    it.each(environments)("%s: its deploy role trusts the GitHub environment its deploy job runs in (deploy.yml)", (stack) => {
        const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "deploy.yml"), "utf8")) as {
            jobs: Record<string, { environment?: string | { name: string }; steps: { uses?: string; with?: Record<string, string> }[] }>;
        };
        const job = Object.values(workflow.jobs).find((j) => j.steps.some((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.["stack-name"] === stack));
        const environment = typeof job?.environment === "string" ? job.environment : job?.environment?.name;
        const entry = accounts.flatMap((a) => a.environments).find((e) => e.stack === stack);
        expect(entry?.githubEnvironment).toBe(environment);
    });

    it.each(environments)("%s: looks images up in the registry its stack file names, and scopes EKS to its cluster", (stack) => {
        const environment = parseStackConfig(rawStackConfig(stack));
        const account = accounts.find((a) => a.environments.some((e) => e.stack === stack)) as CiIdentitiesConfig;
        expect({ account: account.registry.account, region: account.registry.region }).toEqual(environment.registry);
        expect(environment.services.map((s) => s.image.repository).filter((r) => !account.registry.repositories.includes(r))).toEqual([]);
        const entry = account.environments.find((e) => e.stack === stack);
        expect(entry?.clusterName ?? `iam-${stack}`).toBe(environment.cluster.name);
        expect(account.region).toBe(environment.region);
    });

    it.each(environments)("%s: has its roles in the account its stack file declares (iam:accountId)", (stack) => {
        const environment = parseStackConfig(rawStackConfig(stack));
        const account = accounts.find((a) => a.environments.some((e) => e.stack === stack)) as CiIdentitiesConfig;
        expect(account.account).toBe(environment.accountId);
    });

    it.each(environments)("%s: gives its preview role read-only Kubernetes access (viewPrincipals), and no CI role cluster-admin", (stack) => {
        const environment = parseStackConfig(rawStackConfig(stack));
        const account = accounts.find((a) => a.environments.some((e) => e.stack === stack)) as CiIdentitiesConfig;
        const preview = roles.find((r) => r.key === `preview-${stack}` && r.roleName.endsWith(stack));
        expect(environment.cluster.viewPrincipals).toContain(roleArn(account, preview?.roleName ?? ""));
        expect(environment.cluster.adminPrincipals.filter((arn) => /:role\/ci-iam-/.test(arn))).toEqual([]);
    });

    it("names the registry as registry/Pulumi.shared.yaml does", () => {
        const shared = parse(fs.readFileSync(path.join(REPO_ROOT, "registry", "Pulumi.shared.yaml"), "utf8")) as { config: Record<string, unknown> };
        for (const account of accounts) {
            expect(account.registry).toEqual({
                account: shared.config["iam-registry:account"],
                region: shared.config["aws:region"],
                repositories: shared.config["iam-registry:repositories"],
            });
        }
        expect(roles.filter((r) => r.kind === "push")).toHaveLength(1);
    });
});

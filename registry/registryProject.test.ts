/**
 * The registry project (registry/Pulumi.yaml) for its real stack file, run
 * under mocks: the repositories every environment deploys from, their
 * policies, the provider that only works in the registry's account, and the
 * names that `pulumi state move` brings over from the environment stacks.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../lib/reader";
import { parseStackConfig } from "../config";
import { rawStackConfig, settledRegistrations, REPO_ROOT } from "../test/harness";
import { readRegistryStackFile, RegistryRun, registryStacks, runRegistryStack } from "../test/registryHarness";
import { RegistryProjectConfig } from "./registryProjectSchema";
import { parseRegistryConfig } from "./registryProjectConfig";
import { repositoryUrl } from "./imagePlan";

const REPO = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";

function configOf(stack: string): RegistryProjectConfig {
    const config = readRegistryStackFile(stack);
    const values = Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith("iam-registry:"))
            .map(([k, v]) => [k.slice("iam-registry:".length), parse(v)]),
    );
    return parseRegistryConfig({ stack, region: config["aws:region"], values });
}

function parse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

let run: RegistryRun;
let config: RegistryProjectConfig;
beforeAll(async () => {
    expect(registryStacks()).toEqual(["shared"]);
    run = await runRegistryStack("shared");
    config = configOf("shared");
});

const ofType = (type: string) => run.resources.filter((r) => r.type === type);

describe("the registry project", () => {
    it("has its own Pulumi project in registry/, whose entry point and packages resolve from there", () => {
        const project = fs.readFileSync(path.join(REPO_ROOT, "registry", "Pulumi.yaml"), "utf8");
        expect(project).toMatch(/^name: iam-registry$/m);
        expect(project).toMatch(/^main: main\.ts$/m);
        expect(fs.existsSync(path.join(REPO_ROOT, "registry", "main.ts"))).toBe(true);
        // Node resolves packages upwards from registry/: the root's node_modules serves both projects.
        expect(require.resolve("@pulumi/pulumi", { paths: [path.join(REPO_ROOT, "registry")] })).toContain(path.join(REPO_ROOT, "node_modules"));
    });

    it("creates one repository per configured name: immutable tags, scan on push, KMS, protected, never force-deleted", () => {
        const repos = ofType(REPO);
        expect(repos.map((r) => r.inputs.name).sort()).toEqual([...config.repositories].sort());
        for (const repo of repos) {
            expect(repo.inputs).toMatchObject({
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: false,
            });
            expect(repo.protect).toBe(true);
        }
    });

    it("expires untagged images by age and tagged ones beyond the configured count, in every repository", () => {
        const policies = ofType(LIFECYCLE);
        expect(policies.map((p) => p.inputs.repository).sort()).toEqual([...config.repositories].sort());
        for (const p of policies) {
            const policy = JSON.parse(String(p.inputs.policy)) as { rules: { selection: { tagStatus: string; countNumber: number } }[] };
            expect(policy.rules.map((r) => [r.selection.tagStatus, r.selection.countNumber])).toEqual([
                ["untagged", config.untaggedImageExpiryDays],
                ["tagged", config.keepTaggedImages],
            ]);
        }
    });

    it("lets the listed environment accounts pull and describe images, and nothing more", () => {
        const policies = ofType(POLICY);
        expect(policies.map((p) => p.inputs.repository).sort()).toEqual([...config.repositories].sort());
        for (const p of policies) {
            const doc = JSON.parse(String(p.inputs.policy)) as { Statement: { Principal: { AWS: string[] }; Action: string[] }[] };
            expect(doc.Statement).toHaveLength(1);
            expect(doc.Statement[0].Principal.AWS).toEqual(config.pullAccounts.map((a) => `arn:aws:iam::${a}:root`));
            expect(doc.Statement[0].Action.sort()).toEqual([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:DescribeImages",
                "ecr:DescribeRepositories",
                "ecr:GetDownloadUrlForLayer",
            ]);
        }
    });

    it("creates no repository policy when only its own account pulls", async () => {
        const sameAccount = await runRegistryStack("shared", {
            edit: (v) => {
                v.pullAccounts = [v.account];
            },
        });
        expect(sameAccount.resources.filter((r) => r.type === POLICY)).toEqual([]);
        expect(sameAccount.resources.filter((r) => r.type === REPO)).toHaveLength(config.repositories.length);
    });

    it("runs its AWS provider only in the registry's account, with the merged tags", () => {
        const [provider] = ofType("pulumi:providers:aws");
        expect(provider.name).toBe("aws");
        expect(provider.inputs.region).toBe(config.region);
        expect(JSON.parse(String(provider.inputs.allowedAccountIds))).toEqual([config.account]);
        expect((JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> }).tags).toEqual({
            ...config.tags,
            project: "iam",
            component: "registry",
            "pulumi-stack": "shared",
            "managed-by": "pulumi",
        });
        expect(run.resources.filter((r) => r.custom && r.type.startsWith("aws:")).every((r) => r.provider?.startsWith(provider.urn))).toBe(true);
    });

    it("exports the registry id, region and every repository URL", () => {
        expect(run.outputs.registryId.value).toBe(config.account);
        expect(run.outputs.region.value).toBe(config.region);
        expect(run.outputs.repositoryUrls.value).toEqual(Object.fromEntries(config.repositories.map((r) => [r, repositoryUrl(config, r)])));
    });

    it("previews as a new stack", async () => {
        const preview = await runRegistryStack("shared", { preview: true });
        expect(preview.resources.map((r) => r.urn)).toEqual(run.resources.map((r) => r.urn));
    });

    it("refuses an invalid stack file with every problem, before anything is registered", async () => {
        const failed = runRegistryStack("shared", {
            edit: (v) => {
                v.account = "12345";
                v.keepTaggedImages = 2;
                v.pullAcounts = [];
            },
        });
        await expect(failed).rejects.toThrow(ConfigValidationError);
        await expect(failed).rejects.toThrow(
            /iam-registry:account must be a 12-digit AWS account id[\s\S]*iam-registry:keepTaggedImages must be at least 5[\s\S]*iam-registry:pullAcounts is not a known key/,
        );
        expect(await settledRegistrations()).toBe(0);
    });
});

describe("the environment stacks and the registry", () => {
    const released = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "released-urns.json"), "utf8")) as Record<string, Record<string, unknown>>;

    it("declares every repository, lifecycle policy and the component under the names the environment stacks released (what `pulumi state move` brings over)", () => {
        const movedFromProd = Object.keys(released.prod)
            .filter((urn) => urn.includes("::iam:registry:Registry"))
            .map((urn) => urn.replace("urn:pulumi:prod::iam::", "urn:pulumi:shared::iam-registry::"));
        expect(movedFromProd.length).toBeGreaterThan(4);
        const urns = new Set(run.resources.map((r) => r.urn));
        expect(movedFromProd.filter((urn) => !urns.has(urn))).toEqual([]);
    });

    it.each(["prod", "staging"])("%s names this registry, and every repository it deploys from is in it", (stack) => {
        const environment = parseStackConfig(rawStackConfig(stack));
        expect(environment.registry).toEqual({ account: config.account, region: config.region });
        expect(environment.services.map((s) => s.image.repository).filter((r) => !config.repositories.includes(r))).toEqual([]);
    });
});

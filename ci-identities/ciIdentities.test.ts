/**
 * The CI identities project (ci-identities/Pulumi.yaml) for its real stack
 * files, run under mocks: the OIDC provider, one role per job kind with its
 * trust pinned to this repository and to the job (environment, pull request,
 * default branch or tag), the provider that only works in the stack's
 * account, and the outputs the workflows read.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../lib/reader";
import { REPO_ROOT, settledRegistrations } from "../test/harness";
import { ciIdentitiesConfig, ciIdentitiesStacks, CiIdentitiesRun, runCiIdentitiesStack } from "../test/ciIdentitiesHarness";
import { CiIdentitiesConfig } from "./ciIdentitiesSchema";
import { TrustDocument } from "./ciPolicies";
import { ciIdentitiesWarnings } from "./ciIdentitiesConfig";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const AUD = "token.actions.githubusercontent.com:aud";
const SUB = "token.actions.githubusercontent.com:sub";

const stacks = ciIdentitiesStacks();
const runs: Record<string, CiIdentitiesRun> = {};
const configs: Record<string, CiIdentitiesConfig> = {};
beforeAll(async () => {
    for (const stack of stacks) {
        runs[stack] = await runCiIdentitiesStack(stack);
        configs[stack] = ciIdentitiesConfig(stack);
    }
});

const ofType = (run: CiIdentitiesRun, type: string) => run.resources.filter((r) => r.type === type);
const roleNamed = (run: CiIdentitiesRun, roleName: string) => {
    const found = ofType(run, ROLE).filter((r) => r.inputs.name === roleName);
    expect([roleName, found.length]).toEqual([roleName, 1]);
    return found[0];
};
const trustOf = (run: CiIdentitiesRun, roleName: string): TrustDocument => JSON.parse(String(roleNamed(run, roleName).inputs.assumeRolePolicy)) as TrustDocument;

describe("the CI identities project", () => {
    it("has its own Pulumi project in ci-identities/, one stack per account", () => {
        const project = fs.readFileSync(path.join(REPO_ROOT, "ci-identities", "Pulumi.yaml"), "utf8");
        expect(project).toMatch(/^name: iam-ci-identities$/m);
        expect(project).toMatch(/^main: main\.ts$/m);
        expect(stacks).toEqual(["prod", "staging"]);
        const accounts = stacks.map((s) => configs[s].account);
        expect(new Set(accounts).size).toBe(accounts.length);
    });

    it.each(["prod", "staging"])("%s: creates the account's GitHub OIDC provider for audience sts.amazonaws.com", (stack) => {
        const [provider] = ofType(runs[stack], OIDC);
        expect(provider.inputs).toMatchObject({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
    });

    it.each(["prod", "staging"])("%s: every role trusts only that provider, audience sts.amazonaws.com, and subjects of this repository", (stack) => {
        const run = runs[stack];
        const { account, github } = configs[stack];
        const roles = ofType(run, ROLE);
        expect(roles.length).toBeGreaterThanOrEqual(2);
        for (const role of roles) {
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as TrustDocument;
            expect(trust.Statement).toHaveLength(1);
            const [statement] = trust.Statement;
            expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
            expect(statement.Principal).toEqual({ Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` });
            expect(statement.Condition.StringEquals[AUD]).toBe("sts.amazonaws.com");
            const subs = [statement.Condition.StringEquals[SUB] ?? [], statement.Condition.StringLike?.[SUB] ?? []].flat();
            expect(subs.length).toBeGreaterThan(0);
            // Pinned to the repository: no wildcard before the job part, no other condition operator.
            expect(subs.filter((s) => !s.startsWith(`repo:${github.repository}:`))).toEqual([]);
            expect(Object.keys(statement.Condition).sort()).toEqual(statement.Condition.StringLike ? ["StringEquals", "StringLike"] : ["StringEquals"]);
            expect(role.dependencies).toEqual(expect.arrayContaining([ofType(run, OIDC)[0].urn]));
        }
    });

    it.each(["prod", "staging"])("%s: the deploy role trusts only its stack's GitHub environment, the preview role only pull requests", (stack) => {
        const run = runs[stack];
        const { github, environments } = configs[stack];
        expect(environments.map((e) => e.stack)).toEqual([stack]);
        for (const env of environments) {
            const deploy = trustOf(run, `ci-iam-deploy-${env.stack}`).Statement[0].Condition;
            expect(deploy).toEqual({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: `repo:${github.repository}:environment:${env.githubEnvironment}` } });
            const preview = trustOf(run, `ci-iam-preview-${env.stack}`).Statement[0].Condition;
            expect(preview).toEqual({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: `repo:${github.repository}:pull_request` } });
        }
    });

    it.each(["prod", "staging"])("%s: the deploy role allows the longest session deploy.yml asks for (STS refuses more than the role's maximum)", (stack) => {
        const workflow = fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "deploy.yml"), "utf8");
        const asked = [...workflow.matchAll(/role-duration-seconds: (\d+)/g)].map((m) => Number(m[1]));
        expect(asked.length).toBeGreaterThan(0);
        const role = ofType(runs[stack], "aws:iam/role:Role").find((r) => r.inputs.name === `ci-iam-deploy-${stack}`);
        expect(Number(role?.inputs.maxSessionDuration)).toBeGreaterThanOrEqual(Math.max(...asked));
        expect(Number(role?.inputs.maxSessionDuration)).toBeLessThanOrEqual(43200);
    });

    it("the image push role (registry account only) trusts main and tags; the catalog role only main", () => {
        const prod = runs.prod;
        const repo = configs.prod.github.repository;
        expect(trustOf(prod, "ci-iam-image-push").Statement[0].Condition).toEqual({
            StringEquals: { [AUD]: "sts.amazonaws.com" },
            StringLike: { [SUB]: [`repo:${repo}:ref:refs/heads/main`, `repo:${repo}:ref:refs/tags/*`] },
        });
        expect(trustOf(prod, "ci-iam-catalog-read").Statement[0].Condition).toEqual({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: `repo:${repo}:ref:refs/heads/main` } });
        // Staging's account holds neither the registry nor the catalog check.
        expect(
            ofType(runs.staging, ROLE)
                .map((r) => r.inputs.name)
                .sort(),
        ).toEqual(["ci-iam-deploy-staging", "ci-iam-preview-staging"]);
    });

    it.each(["prod", "staging"])("%s: gives each role exactly one inline policy, named after its kind", (stack) => {
        const run = runs[stack];
        const roles = ofType(run, ROLE);
        const policies = ofType(run, ROLE_POLICY);
        expect(policies.map((p) => p.name).sort()).toEqual(roles.map((r) => r.name).sort());
        for (const policy of policies) {
            expect(["deploy", "preview", "push", "catalog"]).toContain(policy.inputs.name);
            expect(JSON.parse(String(policy.inputs.policy))).toMatchObject({ Version: "2012-10-17" });
        }
    });

    it.each(["prod", "staging"])("%s: runs its AWS provider only in the stack's account, with the merged tags", (stack) => {
        const run = runs[stack];
        const [provider] = ofType(run, "pulumi:providers:aws");
        expect(JSON.parse(String(provider.inputs.allowedAccountIds))).toEqual([configs[stack].account]);
        expect((JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> }).tags).toMatchObject({ component: "ci-identities", "pulumi-stack": stack });
        expect(run.resources.filter((r) => r.custom && r.type.startsWith("aws:")).every((r) => r.provider?.startsWith(provider.urn))).toBe(true);
    });

    it("exports the ARNs and the backend the workflows read, as repository variables", () => {
        expect(runs.prod.outputs.githubVariables.value).toEqual({
            AWS_CATALOG_READ_ROLE_ARN: `arn:aws:iam::${configs.prod.account}:role/ci-iam-catalog-read`,
            AWS_PROD_DEPLOY_ROLE_ARN: `arn:aws:iam::${configs.prod.account}:role/ci-iam-deploy-prod`,
            AWS_PROD_PREVIEW_ROLE_ARN: `arn:aws:iam::${configs.prod.account}:role/ci-iam-preview-prod`,
            AWS_REGION: "eu-west-1",
            AWS_REGISTRY_PUSH_ROLE_ARN: `arn:aws:iam::${configs.prod.account}:role/ci-iam-image-push`,
            PULUMI_PROD_BACKEND_URL: `s3://${configs.prod.stateBackend.bucket}?region=eu-west-1`,
        });
        expect(runs.staging.outputs.secretsProvider.value).toBe("awskms://alias/pulumi-iam?region=eu-west-1");
        expect(Object.keys(runs.staging.outputs.previewRoleArns.value as object)).toEqual(["staging"]);
    });

    it("reuses an existing OIDC provider by ARN instead of creating a second one", async () => {
        const arn = `arn:aws:iam::${configs.staging.account}:oidc-provider/token.actions.githubusercontent.com`;
        const run = await runCiIdentitiesStack("staging", {
            edit: (v) => {
                v.github = { ...(v.github as object), oidcProviderArn: arn };
            },
        });
        expect(ofType(run, OIDC)).toEqual([]);
        expect(trustOf(run, "ci-iam-deploy-staging").Statement[0].Principal.Federated).toBe(arn);
        expect(run.outputs.oidcProviderArn.value).toBe(arn);
    });

    it("previews as a new stack", async () => {
        const preview = await runCiIdentitiesStack("prod", { preview: true });
        expect(preview.resources.map((r) => r.urn)).toEqual(runs.prod.resources.map((r) => r.urn));
    });

    it("refuses an invalid stack file with every problem, before anything is registered", async () => {
        const failed = runCiIdentitiesStack("prod", {
            edit: (v) => {
                v.github = { repository: "iam-infra" };
                v.stateBackend = { bucket: "Bad_Bucket" };
                v.environments = [
                    { stack: "prod", githubEnvironment: "production" },
                    { stack: "prod", githubEnvironment: "production" },
                ];
            },
        });
        await expect(failed).rejects.toThrow(ConfigValidationError);
        await expect(failed).rejects.toThrow(
            /iam-ci-identities:github\.repository must be the GitHub repository as owner\/name[\s\S]*iam-ci-identities:stateBackend\.bucket must be an S3 bucket name[\s\S]*iam-ci-identities:environments must not list a stack twice/,
        );
        expect(await settledRegistrations()).toBe(0);
    });

    it("warns about the example repository, account and bucket, and not about real ones", () => {
        const example = ciIdentitiesConfig("prod", (v) => {
            v.account = "123456789012";
            v.github = { repository: "example-org/iam-infra" };
            v.stateBackend = { bucket: "example-org-pulumi-state-123456789012" };
        });
        expect(ciIdentitiesWarnings(example).map((w) => w.split(" ")[0])).toEqual([
            "iam-ci-identities:github.repository",
            "iam-ci-identities:account",
            "iam-ci-identities:stateBackend.bucket",
        ]);
        const real = ciIdentitiesConfig("prod", (v) => {
            v.account = "444455556666";
            v.github = { repository: "acme/iam-infra" };
            v.stateBackend = { bucket: "acme-pulumi-state-444455556666" };
        });
        expect(ciIdentitiesWarnings(real)).toEqual([]);
    });
});

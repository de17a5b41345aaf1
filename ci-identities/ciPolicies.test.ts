/**
 * The CI roles' permissions, checked on the documents planned for the real
 * stack files: the preview role cannot write (a list-based check of every
 * action), the push role reaches only the registry's repositories, the
 * catalog role makes exactly the calls scripts/checkCatalog.ts makes, the
 * deploy role stays inside IAM's size limit and cannot touch the CI roles or
 * the state backend's bucket and key. Pure: no Pulumi run.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../test/harness";
import { ciIdentitiesConfig, ciIdentitiesStacks } from "../test/ciIdentitiesHarness";
import { planRoles, PlannedRole } from "./ciIdentitiesPlan";
import { CATALOG_ACTIONS, PolicyStatement } from "./ciPolicies";

const roles: PlannedRole[] = ciIdentitiesStacks().flatMap((stack) => planRoles(ciIdentitiesConfig(stack)));
/** The registry's repository ARNs, as the account stack files name the registry (they all name the same one). */
const registryArns = (): string[] => {
    const registries = [...new Set(ciIdentitiesStacks().map((stack) => JSON.stringify(ciIdentitiesConfig(stack).registry)))];
    expect(registries).toHaveLength(1);
    const { account, region, repositories } = JSON.parse(registries[0]) as { account: string; region: string; repositories: string[] };
    return repositories.map((r) => `arn:aws:ecr:${region}:${account}:repository/${r}`);
};
const ofKind = (kind: PlannedRole["kind"]) => roles.filter((r) => r.kind === kind);
const actionsOf = (statements: readonly PolicyStatement[]) => statements.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);

/** An action that only reads: its verb is Describe, Get or List (a `*` only after the verb). */
const READ_VERB = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*\*?$/;
/** Reads named one by one: the secrets provider's Decrypt (its key only, checked below). */
const EXPLICIT_READS = ["kms:Decrypt"];
/**
 * Reads that return data rather than configuration: allowed to the preview
 * role only where the test below says (the state bucket, the state key).
 */
const DATA_READS = [
    "s3:GetObject",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "logs:GetLogEvents",
    "ec2:GetPasswordData",
    "wafv2:GetSampledRequests",
    "kms:Decrypt",
];
/** Does an IAM action pattern (with `*`) cover `action`? */
const covers = (pattern: string, action: string): boolean => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

describe("the preview roles", () => {
    const previews = ofKind("preview");

    it("exist, one per environment stack", () => {
        expect(previews.map((r) => r.roleName).sort()).toEqual(["ci-iam-preview-prod", "ci-iam-preview-staging"]);
    });

    it.each(previews.map((r) => [r.roleName, r] as const))("%s only reads: every action is Describe*/Get*/List* or an explicit read, except the state lock files", (_, role) => {
        const statements = role.policy.Statement;
        expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
        const writes = statements.filter((s) => s.Action.some((a) => !READ_VERB.test(a) && !EXPLICIT_READS.includes(a)));
        // The one write: the S3 backend's lock file of the stack being previewed.
        expect(writes.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
            ["StateLocks", ["s3:PutObject", "s3:DeleteObject"], [expect.stringMatching(/^arn:aws:s3:::[^/]+\/\.pulumi\/locks\/\*$/)]],
        ]);
        // No wildcard action, and no service-wide wildcard on a service whose Get* reads data.
        expect(actionsOf(statements).filter((a) => a === "*" || /:\*$/.test(a))).toEqual([]);
    });

    it.each(previews.map((r) => [r.roleName, r] as const))(
        "%s reads no data: no secret values, logs or objects outside the state bucket, Decrypt only on the state key",
        (_, role) => {
            for (const statement of role.policy.Statement) {
                const dataReads = DATA_READS.filter((read) => statement.Action.some((a) => covers(a, read)));
                if (statement.Sid === "StateRead") {
                    expect(dataReads).toEqual(["s3:GetObject"]);
                    expect(statement.Resource).toEqual([expect.stringMatching(/^arn:aws:s3:::[a-z0-9.-]+\/\*$/)]);
                } else if (statement.Sid === "SecretsProvider") {
                    expect(statement.Action).toEqual(["kms:Decrypt"]);
                    expect(statement.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/pulumi-iam" } });
                } else {
                    expect([statement.Sid, dataReads]).toEqual([statement.Sid, []]);
                }
            }
        },
    );

    it.each(previews.map((r) => [r.roleName, r] as const))(
        "%s looks images up in the registry: DescribeImages and DescribeRepositories (aws.ecr.getImage calls both)",
        (_, role) => {
            const lookup = role.policy.Statement.find((s) => s.Sid === "ImageLookup");
            expect(lookup?.Action).toEqual(["ecr:DescribeImages", "ecr:DescribeRepositories"]);
            expect(lookup?.Resource).toEqual(registryArns());
            expect(lookup?.Resource).toEqual(
                ["iam-apiserver", "iam-authz-server", "iam-pump", "iam-watcher"].map((r) => expect.stringMatching(new RegExp(`^arn:aws:ecr:eu-west-1:\\d{12}:repository/${r}$`))),
            );
        },
    );
});

describe("the image push role", () => {
    it("exists once, in the registry's account, and pushes only to the registry's repositories", () => {
        const [push, ...others] = ofKind("push");
        expect(others).toEqual([]);
        const [login, pushStatement] = push.policy.Statement;
        expect(login).toEqual({ Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
        expect(pushStatement.Resource).toEqual(registryArns());
        expect(push.policy.Statement).toHaveLength(2);
        // Push, never delete or reconfigure a repository.
        expect(pushStatement.Action.filter((a) => /Delete|Create(?!.*Upload)|Put(?!Image)|SetRepositoryPolicy|Lifecycle/.test(a))).toEqual([]);
        expect(pushStatement.Action).toEqual(
            expect.arrayContaining(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability"]),
        );
    });
});

describe("the catalog role", () => {
    it("may make exactly the AWS calls scripts/checkCatalog.ts makes", () => {
        const script = fs.readFileSync(path.join(REPO_ROOT, "scripts", "checkCatalog.ts"), "utf8");
        // `aws<T>(["eks", "describe-addon-versions", ...])`: the CLI's service and command, as IAM names the action.
        const calls = [...script.matchAll(/aws<[^>]*>\(\[\s*"([a-z0-9-]+)",\s*"([a-z0-9-]+)"/g)].map(
            ([, service, command]) => `${service}:${command.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase())}`,
        );
        expect(calls.length).toBeGreaterThan(0);
        expect([...new Set(calls)].sort()).toEqual([...CATALOG_ACTIONS]);
        const [catalog] = ofKind("catalog");
        expect(actionsOf(catalog.policy.Statement)).toEqual([...CATALOG_ACTIONS]);
    });
});

describe("the deploy roles", () => {
    const deploys = ofKind("deploy");

    it.each(deploys.map((r) => [r.roleName, r] as const))(
        "%s fits in one inline policy (IAM: at most 10,240 characters of inline policy per role, whitespace not counted)",
        (_, role) => {
            expect(JSON.stringify(role.policy).length).toBeLessThanOrEqual(10240);
        },
    );

    it.each(deploys.map((r) => [r.roleName, r] as const))("%s may not change any CI role, nor delete or re-key the state bucket and key", (_, role) => {
        const denies = role.policy.Statement.filter((s) => s.Effect === "Deny");
        expect(denies.map((s) => s.Sid)).toEqual(["NotTheCiRoles", "KeepTheStateBucket", "KeepTheStateKey"]);
        expect(denies[0]).toMatchObject({ Resource: [expect.stringMatching(/:role\/ci-iam-\*$/)] });
        // It refuses every change to a CI role, and none of the reads the program's own checks make of the caller.
        for (const write of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:PassRole"]) {
            expect([write, denies[0].Action.some((a) => covers(a, write))]).toEqual([write, true]);
        }
        for (const read of ["iam:GetRole", "iam:ListRoleTags", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"]) {
            expect([read, denies[0].Action.some((a) => covers(a, read))]).toEqual([read, false]);
        }
        // Every CI role is covered by that Deny, and no allowed IAM resource pattern names a CI role.
        for (const name of roles.map((r) => r.roleName)) {
            expect(covers(String(denies[0].Resource[0]).split(":role/")[1], name)).toBe(true);
        }
        const iamResources = role.policy.Statement.filter((s) => s.Effect === "Allow" && s.Action.some((a) => a.startsWith("iam:") && !READ_VERB.test(a))).flatMap(
            (s) => s.Resource,
        );
        expect(iamResources.filter((r) => r !== "*" && roles.some((other) => covers(r.split(":role/")[1] ?? "-", other.roleName)))).toEqual([]);
    });

    it.each(deploys.map((r) => [r.roleName, r] as const))("%s scopes EKS to its stack's cluster", (_, role) => {
        const stack = role.roleName.replace("ci-iam-deploy-", "");
        const eks = role.policy.Statement.find((s) => s.Sid === "StackCluster");
        expect(eks?.Resource.every((r) => r.includes(`:cluster/iam-${stack}`) || r.includes(`/iam-${stack}/*`))).toBe(true);
    });

    it.each(deploys.map((r) => [r.roleName, r] as const))("%s may use the secrets provider's key and write the state bucket", (_, role) => {
        const kms = role.policy.Statement.find((s) => s.Sid === "SecretsProvider");
        expect(kms?.Action).toEqual(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
        expect(kms?.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/pulumi-iam" } });
        expect(role.policy.Statement.find((s) => s.Sid === "StateWrite")?.Action).toEqual(["s3:PutObject", "s3:DeleteObject"]);
    });
});

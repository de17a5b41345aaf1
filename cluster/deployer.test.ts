/**
 * The account guard and the cluster-admin rule (cluster/deployerPlan.ts,
 * cluster/deployer.ts): the real stack files, run under mocks whose AWS
 * answers another account or a listed creator, refuse to run before any
 * resource; the provider of each stack refuses other accounts too.
 */
import { parseStackConfig } from "../config";
import { configProblems, onlyOfType, rawStackConfig, runStack, settledRegistrations } from "../test/harness";
import { exampleValueKind } from "../lib/configWarnings";
import { DeployerError } from "./deployer";
import { accessEntryCandidates, DeployerConfig, DeployerFacts, deployerVerdict } from "./deployerPlan";
import { deployerMock, resetDeployerMock } from "./mocks";

afterEach(resetDeployerMock);

const ROLE = "arn:aws:iam::123456789012:role/platform-admin";

describe("the stack's AWS account (iam:accountId)", () => {
    it.each(["prod", "staging"])("%s: the explicit AWS provider allows only the declared account", async (stack) => {
        const run = await runStack(stack);
        // Quoted in the file, it reaches the program as a number (Pulumi passes config as text): still read as the 12-digit text.
        const declared = rawStackConfig(stack).values.accountId;
        expect(typeof declared).toBe("number");
        const account = String(declared);
        expect(run.config.accountId).toBe(account);
        // Warned about iff it is an example account (the committed files' are).
        const kind = exampleValueKind(account);
        const warning = `accountId (${account}) is ${kind}: replace it with your own before deploying`;
        expect(run.config.warnings.includes(warning)).toBe(kind !== undefined);
        expect(onlyOfType(run, "pulumi:providers:aws").inputs.allowedAccountIds).toEqual(JSON.stringify([account]));
    });

    it("warns about an example account id even when it reaches the program as a number", () => {
        const config = (accountId: number): string[] =>
            parseStackConfig({ ...rawStackConfig("staging"), values: { ...rawStackConfig("staging").values, accountId } }).warnings.filter((w) => w.startsWith("accountId "));
        expect(config(123456789012)).toEqual(["accountId (123456789012) is AWS's documentation account id: replace it with your own before deploying"]);
        expect(config(210987654321)).toEqual(["accountId (210987654321) is this repository's placeholder account id: replace it with your own before deploying"]);
        expect(config(111111111111)).toEqual([]);
    });

    it("is required in prod, and must be 12 digits; staging may leave it out", () => {
        expect(configProblems("prod", (v) => delete v.accountId)).toEqual([expect.stringMatching(/^accountId is required in prod: the 12-digit AWS account/)]);
        expect(configProblems("prod", (v) => (v.accountId = "12345"))).toEqual([expect.stringMatching(/^accountId must be a 12-digit AWS account id/)]);
        expect(configProblems("staging", (v) => delete v.accountId)).toEqual([]);
    });

    it("warns that aws:allowedAccountIds in the stack file does not reach the program's explicit provider", () => {
        const config = parseStackConfig({ ...rawStackConfig("staging"), awsKeys: ["aws:region", "aws:allowedAccountIds"] });
        expect(config.warnings).toContain(
            "aws:allowedAccountIds is ignored: the program's explicit AWS provider does not read it; set iam:accountId instead (the program's provider gets allowedAccountIds from it)",
        );
    });

    it("refuses to run with credentials for another account, naming the key, and creates nothing", async () => {
        const prod = String(rawStackConfig("prod").values.accountId);
        const other = prod === "333333333333" ? "444444444444" : "333333333333";
        deployerMock.callerArn = `arn:aws:sts::${other}:assumed-role/iam-staging-deploy/gha-42`;
        const failed = runStack("prod", { edit: () => undefined });
        await expect(failed).rejects.toBeInstanceOf(DeployerError);
        const error = (await failed.catch((e: unknown) => e)) as DeployerError;
        expect(error.message).toBe(
            `accountId is "${prod}", but Pulumi runs with credentials for account ${other} (arn:aws:sts::${other}:assumed-role/iam-staging-deploy/gha-42): ` +
                `use credentials for account ${prod}, or correct iam:accountId if this stack belongs to ${other}. Nothing was created.`,
        );
        expect(await settledRegistrations()).toBe(0);
    });
});

describe("who is cluster admin: the creator is never listed, everyone else is", () => {
    it("refuses a pulumi up that would create the cluster as an identity listed in cluster.adminPrincipals (its role, through the session)", async () => {
        // The stack file's first admin, as its session.
        const admin = String((rawStackConfig("staging").values.cluster as { adminPrincipals: string[] }).adminPrincipals[0]);
        const [, account, roleName] = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(admin) ?? [];
        deployerMock.callerArn = `arn:aws:sts::${account}:assumed-role/${roleName}/alice`;
        const failed = runStack("staging", { edit: () => undefined });
        await expect(failed).rejects.toBeInstanceOf(DeployerError);
        const error = (await failed.catch((e: unknown) => e)) as DeployerError;
        const expected = `cluster.adminPrincipals[0] (${admin}) is the identity running Pulumi; if it creates cluster iam-staging`;
        expect(error.message.slice(0, expected.length)).toBe(expected);
        expect(error.message).toContain("ResourceInUseException");
        expect(await settledRegistrations()).toBe(0);
    });

    const config: DeployerConfig = { accountId: "123456789012", clusterName: "iam-prod", adminPrincipals: [ROLE] };
    const facts = (more: Partial<DeployerFacts>): DeployerFacts => ({
        callerAccount: "123456789012",
        callerArn: "arn:aws:sts::123456789012:assumed-role/iam-prod-deploy/gha-1",
        principalArn: "arn:aws:iam::123456789012:role/iam-prod-deploy",
        clusterExists: false,
        ...more,
    });

    it("lets the unlisted deploy identity create the cluster, and only warns when a listed identity previews a new stack", () => {
        expect(deployerVerdict(config, facts({}), false)).toEqual({ problems: [], warnings: [] });
        const listed = deployerVerdict(config, facts({ principalArn: ROLE }), true);
        expect(listed.problems).toEqual([]);
        expect(listed.warnings).toEqual([
            expect.stringMatching(/^cluster\.adminPrincipals\[0\] \(arn:aws:iam::123456789012:role\/platform-admin\) is the identity running Pulumi/),
        ]);
    });

    it("on an existing cluster: a listed identity and the creator (its entry exists) may run; any other is refused, naming cluster.adminPrincipals", () => {
        expect(deployerVerdict(config, facts({ clusterExists: true, principalArn: ROLE }), false).problems).toEqual([]);
        // The session context gives the role's path; the list may name it without.
        expect(deployerVerdict(config, facts({ clusterExists: true, principalArn: "arn:aws:iam::123456789012:role/team/platform-admin" }), false).problems).toEqual([]);
        expect(deployerVerdict(config, facts({ clusterExists: true, hasAccessEntry: true }), false).problems).toEqual([]);
        expect(deployerVerdict(config, facts({ clusterExists: true, hasAccessEntry: false }), true).problems).toEqual([
            expect.stringMatching(
                /^the identity running Pulumi \(arn:aws:iam::123456789012:role\/iam-prod-deploy\) has no access entry on cluster iam-prod and is not in cluster\.adminPrincipals/,
            ),
        ]);
    });

    it("asks AWS for the access entry of an unlisted identity on an existing cluster, and refuses it without one", async () => {
        deployerMock.clusters = ["iam-prod"];
        const prod = String(rawStackConfig("prod").values.accountId);
        deployerMock.callerArn = `arn:aws:sts::${prod}:assumed-role/iam-prod-deploy/gha-1`;
        const failed = runStack("prod", { preview: true, edit: () => undefined });
        const error = (await failed.catch((e: unknown) => e)) as Error;
        const expected = `the identity running Pulumi (arn:aws:iam::${prod}:role/iam-prod-deploy) has no access entry on cluster iam-prod`;
        expect(error.message.slice(0, expected.length)).toBe(expected);
        expect(await settledRegistrations()).toBe(0);
    });
});

describe("the access entry look-up of a role with a path", () => {
    it("tries the ARN as given, then without its path; a role without a path once", () => {
        expect(accessEntryCandidates("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123")).toEqual([
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123",
            "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123",
        ]);
        expect(accessEntryCandidates("arn:aws:iam::123456789012:role/ci-iam-deploy-prod")).toEqual(["arn:aws:iam::123456789012:role/ci-iam-deploy-prod"]);
        expect(accessEntryCandidates("arn:aws:iam::123456789012:user/ops/alice")).toEqual(["arn:aws:iam::123456789012:user/ops/alice", "arn:aws:iam::123456789012:user/alice"]);
    });
});

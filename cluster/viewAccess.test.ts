/**
 * `cluster.viewPrincipals`: read-only Kubernetes access for the CI preview
 * roles (a pull request's preview runs that pull request's code), through
 * EKS access entries with AmazonEKSViewPolicy, never cluster-admin.
 */
import { configProblems, ofType, runStack, StackRun } from "../test/harness";

type Values = Record<string, unknown>;
const cluster = (v: Values): Values => v.cluster as Values;

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

describe.each(["prod", "staging"])("the %s cluster's view principals", (stack) => {
    it("get an access entry each, with the view policy on the whole cluster, and no admin policy", () => {
        const run = runs[stack];
        const principals = run.config.cluster.viewPrincipals;
        expect(principals.length).toBeGreaterThan(0);
        const entries = ofType(run, "aws:eks/accessEntry:AccessEntry").filter((e) => principals.includes(String(e.inputs.principalArn)));
        expect(entries.map((e) => e.inputs)).toEqual(principals.map((principalArn) => ({ clusterName: run.config.cluster.name, principalArn, type: "STANDARD" })));
        const associations = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => principals.includes(String(a.inputs.principalArn)));
        expect(associations.map((a) => a.inputs)).toEqual(
            principals.map((principalArn) => ({
                clusterName: run.config.cluster.name,
                principalArn,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                accessScope: { type: "cluster" },
            })),
        );
    });
});

describe("cluster.viewPrincipals validation", () => {
    it("refuses a session ARN and a duplicate, by path", () => {
        const problems = configProblems("prod", (v) => {
            cluster(v).viewPrincipals = [
                "arn:aws:sts::123456789012:assumed-role/ci/pr-1",
                "arn:aws:iam::123456789012:role/ci-iam-preview-prod",
                "arn:aws:iam::123456789012:role/ci-iam-preview-prod",
            ];
        });
        expect(problems).toEqual([
            'cluster.viewPrincipals[0] must be an IAM role or user ARN, not a session ("arn:aws:sts::123456789012:assumed-role/ci/pr-1"): use arn:aws:iam::<account>:role/<name>',
            expect.stringMatching(/^cluster\.viewPrincipals\[2\] .*principal/),
            expect.stringMatching(/^cluster\.viewPrincipals\[2\] .*principal name/),
        ]);
    });

    it("refuses a principal that is also an admin: one access entry per principal", () => {
        let admin = "";
        const problems = configProblems("prod", (v) => {
            cluster(v).viewPrincipals = [...(cluster(v).adminPrincipals as string[])];
            admin = (cluster(v).adminPrincipals as string[])[0];
        });
        expect(admin).toMatch(/^arn:aws:iam::\d{12}:role\//);
        expect(problems).toEqual([
            `cluster.viewPrincipals[0] ("${admin}") is also in cluster.adminPrincipals: a principal gets one access entry, admin or view; remove it from one list`,
        ]);
    });

    it("is optional: no view principals, no view entries", () => {
        expect(
            configProblems("staging", (v) => {
                delete cluster(v).viewPrincipals;
            }),
        ).toEqual([]);
    });
});

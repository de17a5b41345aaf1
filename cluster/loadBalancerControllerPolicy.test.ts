import { loadBalancerControllerPolicy, targetRegistrationTag, TARGET_REGISTRATION_TAG_KEY } from "./loadBalancerControllerPolicy";

const PREFIX = "arn:aws:elasticloadbalancing:eu-west-1:123456789012";

describe("loadBalancerControllerPolicy", () => {
    const policy = loadBalancerControllerPolicy(PREFIX, "prod");
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

    it("grants only what TargetGroupBinding reconciliation calls: no load balancer, listener, rule, tag or security-group writes", () => {
        expect([...actions].sort()).toEqual([
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcs",
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:RegisterTargets",
        ]);
        expect(actions.some((a) => a.includes("*"))).toBe(false);
        expect(policy.Statement.every((s) => s.Effect === "Allow")).toBe(true);
    });

    it("registers and deregisters only in this stack's tagged target groups, in this region and account", () => {
        const writes = policy.Statement.filter((s) => (s.Action as string[]).some((a) => /Register/.test(a)));
        expect(writes).toEqual([
            expect.objectContaining({
                Resource: `${PREFIX}:targetgroup/*/*`,
                Condition: { StringEquals: { [`aws:ResourceTag/${TARGET_REGISTRATION_TAG_KEY}`]: "prod" } },
            }),
        ]);
        // Only reads are unscoped.
        for (const statement of policy.Statement.filter((s) => s.Resource === "*")) {
            expect((statement.Action as string[]).every((a) => /:Describe/.test(a))).toBe(true);
        }
    });

    it("tags a target group for exactly the stack whose controller may register into it", () => {
        expect(targetRegistrationTag("staging")).toEqual({ "iam/target-registration": "staging" });
        expect(JSON.stringify(loadBalancerControllerPolicy(PREFIX, "staging"))).not.toContain('"prod"');
    });
});

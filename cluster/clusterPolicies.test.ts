import { principalKey } from "./schema";
import { clusterAutoscalerPolicy, eksTaint, EXPENDABLE_PODS_PRIORITY_CUTOFF, HEADROOM_PRIORITY, PolicyStatement } from "./clusterPolicies";

describe("clusterAutoscalerPolicy", () => {
    const policy = clusterAutoscalerPolicy("iam-prod", "arn:aws:eks:eu-west-1:123456789012");
    const actions = (s: PolicyStatement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

    it("lets it resize and shrink only the auto-scaling groups tagged as this cluster's", () => {
        const writes = policy.Statement.filter((s) => actions(s).some((a) => /SetDesiredCapacity|Terminate/.test(a)));
        expect(writes).toHaveLength(1);
        expect(actions(writes[0]).sort()).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
        expect(writes[0].Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/iam-prod": "owned" } });
    });

    it("grants nothing but describe/get calls without that condition", () => {
        for (const statement of policy.Statement.filter((s) => s.Condition === undefined)) {
            for (const action of actions(statement)) {
                expect(action).toMatch(/^(autoscaling|ec2|eks):(Describe|Get)/);
            }
        }
    });

    it("reads node groups of this cluster only", () => {
        const describe = policy.Statement.find((s) => actions(s).includes("eks:DescribeNodegroup"));
        expect(describe?.Resource).toBe("arn:aws:eks:eu-west-1:123456789012:nodegroup/iam-prod/*");
    });
});

describe("principalKey", () => {
    it("names a principal by kind and name, path dropped", () => {
        expect(principalKey("arn:aws:iam::123456789012:role/platform-admin")).toBe("role-platform-admin");
        expect(principalKey("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1a2b")).toBe("role-awsreservedsso-admin-1a2b");
        expect(principalKey("arn:aws:iam::123456789012:user/alice")).toBe("user-alice");
    });
});

describe("eksTaint", () => {
    it("spells effects the way the EKS API does", () => {
        expect(eksTaint({ key: "dedicated", value: "batch", effect: "NoSchedule" })).toEqual({ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" });
        expect(eksTaint({ key: "spot", effect: "PreferNoSchedule" })).toEqual({ key: "spot", effect: "PREFER_NO_SCHEDULE" });
        expect(eksTaint({ key: "x", effect: "NoExecute" }).effect).toBe("NO_EXECUTE");
    });
});

describe("headroom priority", () => {
    it("is below every default pod (0) and above the autoscaler's expendable cutoff, so pending placeholders still add nodes", () => {
        expect(HEADROOM_PRIORITY).toBeLessThan(0);
        expect(HEADROOM_PRIORITY).toBeGreaterThanOrEqual(EXPENDABLE_PODS_PRIORITY_CUTOFF);
    });
});

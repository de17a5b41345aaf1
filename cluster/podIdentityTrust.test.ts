import { eksClusterArn, podIdentityTrustPolicy } from "./podIdentityTrust";

const CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/iam-prod";

describe("podIdentityTrustPolicy", () => {
    it("lets only EKS Pod Identity assume (and tag) the role, for this account and this cluster", () => {
        expect(podIdentityTrustPolicy({ account: "123456789012", clusterArn: CLUSTER })).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnEquals: { "aws:SourceArn": CLUSTER },
                    },
                },
            ],
        });
    });
});

describe("eksClusterArn", () => {
    it("spells the ARN EKS gives a cluster, in any partition", () => {
        expect(eksClusterArn("aws", "eu-west-1", "123456789012", "iam-prod")).toBe(CLUSTER);
        expect(eksClusterArn("aws-cn", "cn-north-1", "123456789012", "c")).toBe("arn:aws-cn:eks:cn-north-1:123456789012:cluster/c");
    });
});

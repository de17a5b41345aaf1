import { eksClusterArn, podIdentityTrustPolicy } from "./podIdentityTrust";

const CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/iam-prod";

describe("podIdentityTrustPolicy", () => {
    const source = { account: "123456789012", clusterArn: CLUSTER, namespace: "kube-system", serviceAccount: "karpenter" };

    it("lets only EKS Pod Identity assume (and tag) the role, for this account, this cluster and one service account, by the session tags EKS sets", () => {
        expect(podIdentityTrustPolicy(source)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: {
                        StringEquals: {
                            "aws:SourceAccount": "123456789012",
                            "aws:RequestTag/eks-cluster-arn": CLUSTER,
                            "aws:RequestTag/kubernetes-namespace": "kube-system",
                            "aws:RequestTag/kubernetes-service-account": "karpenter",
                        },
                    },
                },
            ],
        });
    });

    it("conditions only on keys EKS Pod Identity documents (no aws:SourceArn, which it does not set)", () => {
        // The tag keys of AWS's "List of session tags added by EKS Pod Identity" (pod-id-abac), checked 2026-12-07.
        const documented = ["eks-cluster-arn", "eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account", "kubernetes-pod-name", "kubernetes-pod-uid"];
        const keys = Object.values(podIdentityTrustPolicy(source).Statement[0].Condition ?? {}).flatMap((operator) => Object.keys(operator));
        expect(keys.filter((k) => k !== "aws:SourceAccount").map((k) => k.replace(/^aws:RequestTag\//, ""))).toEqual(
            expect.arrayContaining(["eks-cluster-arn", "kubernetes-namespace", "kubernetes-service-account"]),
        );
        expect(keys.filter((k) => k !== "aws:SourceAccount" && !documented.includes(k.replace(/^aws:RequestTag\//, "")))).toEqual([]);
    });
});

describe("eksClusterArn", () => {
    it("spells the ARN EKS gives a cluster, in any partition", () => {
        expect(eksClusterArn("aws", "eu-west-1", "123456789012", "iam-prod")).toBe(CLUSTER);
        expect(eksClusterArn("aws-cn", "cn-north-1", "123456789012", "c")).toBe("arn:aws-cn:eks:cn-north-1:123456789012:cluster/c");
    });
});

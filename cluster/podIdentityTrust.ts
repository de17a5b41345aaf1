/**
 * EKS Pod Identity's IAM side, pure: the trust policy of a role that pods
 * get through a Pod Identity association, and the cluster ARN that trust
 * names. Unit-tested without Pulumi (cluster/podIdentity.ts registers the
 * roles and associations).
 */
import type { PolicyDocument } from "./clusterPolicies";

/** The service principal the EKS Auth API assumes roles as, on behalf of a pod. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * The session tags EKS Pod Identity adds to its `AssumeRole` request, by
 * key: usable as `aws:RequestTag/<key>` in the role's trust. Source: the
 * Amazon EKS User Guide, "Create IAM role with trust policy required by EKS
 * Pod Identity" (pod-id-role: the trust needs `sts:TagSession` and may
 * restrict the role with these tags) and "List of session tags added by EKS
 * Pod Identity" (pod-id-abac: eks-cluster-arn, eks-cluster-name,
 * kubernetes-namespace, kubernetes-service-account, kubernetes-pod-name,
 * kubernetes-pod-uid), checked 2026-12-07. The guide documents no
 * `aws:SourceArn` for this principal: a condition on it would never match
 * and no pod could assume the role. An association with
 * `disableSessionTags: true` sends no tags, so these roles need it false
 * (the default, which podIdentity.ts keeps).
 */
export const POD_IDENTITY_SESSION_TAGS = {
    clusterArn: "eks-cluster-arn",
    namespace: "kubernetes-namespace",
    serviceAccount: "kubernetes-service-account",
} as const;

/** What a Pod Identity role is for: the account, the one cluster and the one service account whose pods may use it. */
export interface PodIdentitySource {
    /** The 12-digit account of the cluster (this stack's account): `aws:SourceAccount`. */
    account: string;
    /** The EKS cluster's ARN (`eksClusterArn`): associations of any other cluster cannot use the role. */
    clusterArn: string;
    /** The namespace of the one service account that gets the role. */
    namespace: string;
    /** The one service account that gets the role: another association (even in this cluster) cannot use it. */
    serviceAccount: string;
}

/**
 * Who may assume a Pod Identity role: the EKS Auth service
 * (`pods.eks.amazonaws.com`), with `sts:AssumeRole` and `sts:TagSession`
 * (it tags each session with the cluster, namespace, service account and
 * pod; without `sts:TagSession` the assume fails), only from this account
 * (`aws:SourceAccount`) and only when the session tags name this cluster
 * (`aws:RequestTag/eks-cluster-arn`) and the role's one service account
 * (`aws:RequestTag/kubernetes-namespace`, `.../kubernetes-service-account`):
 * an association of another cluster, or of another service account that
 * names this role by mistake, gets AccessDenied.
 */
export function podIdentityTrustPolicy(source: PodIdentitySource): PolicyDocument {
    const tag = (key: string) => `aws:RequestTag/${key}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: POD_IDENTITY_PRINCIPAL },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: {
                        "aws:SourceAccount": source.account,
                        [tag(POD_IDENTITY_SESSION_TAGS.clusterArn)]: source.clusterArn,
                        [tag(POD_IDENTITY_SESSION_TAGS.namespace)]: source.namespace,
                        [tag(POD_IDENTITY_SESSION_TAGS.serviceAccount)]: source.serviceAccount,
                    },
                },
            },
        ],
    };
}

/** `arn:<partition>:eks:<region>:<account>:cluster/<name>`: an EKS cluster's ARN, known before the cluster exists. */
export function eksClusterArn(partition: string, region: string, account: string, clusterName: string): string {
    return `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}`;
}

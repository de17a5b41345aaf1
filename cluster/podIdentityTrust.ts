/**
 * EKS Pod Identity's IAM side, pure: the trust policy of a role that pods
 * get through a Pod Identity association, and the cluster ARN that trust
 * names. Unit-tested without Pulumi (cluster/podIdentity.ts registers the
 * roles and associations).
 */
import type { PolicyDocument } from "./clusterPolicies";

/** The service principal the EKS Auth API assumes roles as, on behalf of a pod. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/** What a Pod Identity role is for: the account and the one cluster whose pods may use it. */
export interface PodIdentitySource {
    /** The 12-digit account of the cluster (this stack's account). */
    account: string;
    /** The EKS cluster's ARN (`eksClusterArn`): associations of any other cluster cannot use the role. */
    clusterArn: string;
}

/**
 * Who may assume a Pod Identity role: the EKS Auth service
 * (`pods.eks.amazonaws.com`), with `sts:AssumeRole` and `sts:TagSession`
 * (it tags each session with the cluster, namespace, service account and
 * pod), only for this account (`aws:SourceAccount`) and this cluster
 * (`aws:SourceArn`), so no other account's or cluster's association can use
 * it (the confused deputy). Which service account gets the role is the
 * association's part, not the trust's.
 */
export function podIdentityTrustPolicy(source: PodIdentitySource): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: POD_IDENTITY_PRINCIPAL },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: { "aws:SourceAccount": source.account },
                    ArnEquals: { "aws:SourceArn": source.clusterArn },
                },
            },
        ],
    };
}

/** `arn:<partition>:eks:<region>:<account>:cluster/<name>`: an EKS cluster's ARN, known before the cluster exists. */
export function eksClusterArn(partition: string, region: string, account: string, clusterName: string): string {
    return `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}`;
}

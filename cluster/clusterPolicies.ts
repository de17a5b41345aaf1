/**
 * The cluster's IAM documents and naming rules, pure: who may assume the
 * node role (the add-on roles' trust is in podIdentityTrust.ts), what the cluster-autoscaler may do, and the stable
 * names derived from config. Unit-tested without Pulumi.
 */
import { NodeTaint, TaintEffect } from "./schema";

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** The AWS managed policies every node needs (joining, pod networking, image pulls, SSM instead of SSH). */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"] as const;

/** The EKS access policy the admin principals get, on the whole cluster. */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/**
 * The EKS access policy the view principals (the CI preview roles) get, on
 * the whole cluster: read most objects, not Secrets (EKS user guide,
 * "Review access policy permissions": AmazonEKSViewPolicy). A preview whose
 * server-side dry-run is refused falls back to a client-side diff
 * (pulumi-kubernetes #2419); see docs/operations/runners.md.
 */
export const CLUSTER_VIEW_ACCESS_POLICY = "AmazonEKSViewPolicy";

/** Lets EC2 instances (the nodes) assume the node role. */
export function nodeTrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
}

export interface ServiceAccountRef {
    namespace: string;
    name: string;
}

/** The ASG tag EKS puts on a managed node group's auto-scaling group for cluster-autoscaler discovery. */
export function autoscalerOwnershipTag(clusterName: string): { key: string; value: string } {
    return { key: `k8s.io/cluster-autoscaler/${clusterName}`, value: "owned" };
}

/**
 * What the cluster-autoscaler may do: read any auto-scaling group and
 * instance type (describe calls cannot be scoped), read this cluster's node
 * groups (for labels and taints when scaling from zero), and resize or
 * shrink only the auto-scaling groups tagged as owned by this cluster.
 * `nodegroupArnPrefix` is `arn:<partition>:eks:<region>:<account>`.
 */
export function clusterAutoscalerPolicy(clusterName: string, nodegroupArnPrefix: string): PolicyDocument {
    const owned = autoscalerOwnershipTag(clusterName);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DescribeScalingState",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "DescribeThisClustersNodeGroups",
                Effect: "Allow",
                Action: "eks:DescribeNodegroup",
                Resource: `${nodegroupArnPrefix}:nodegroup/${clusterName}/*`,
            },
            {
                Sid: "ResizeThisClustersGroupsOnly",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/${owned.key}`]: owned.value } },
            },
        ],
    };
}

const TAINT_EFFECTS: Record<TaintEffect, string> = {
    NoSchedule: "NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
};

/** A taint as the EKS node group API spells it. */
export function eksTaint(taint: NodeTaint): { key: string; value?: string; effect: string } {
    return taint.value === undefined ? { key: taint.key, effect: TAINT_EFFECTS[taint.effect] } : { key: taint.key, value: taint.value, effect: TAINT_EFFECTS[taint.effect] };
}

/** An issuer or URL without its `https://`. */
export function stripScheme(url: string): string {
    return url.replace(/^https:\/\//, "");
}

/**
 * Priorities of the headroom pods. The cluster-autoscaler ignores pods
 * below its cutoff when deciding to add nodes, so the placeholders must sit
 * above the cutoff (pending placeholders then trigger new nodes) and below
 * every real pod (priority 0 by default), which preempts them at once.
 */
export const EXPENDABLE_PODS_PRIORITY_CUTOFF = -10;
export const HEADROOM_PRIORITY = -1;

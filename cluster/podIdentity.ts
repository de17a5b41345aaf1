import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrustPolicy } from "./podIdentityTrust";

export { eksClusterArn, podIdentityTrustPolicy, POD_IDENTITY_PRINCIPAL } from "./podIdentityTrust";

/** What a Pod Identity role needs of the cluster (`Cluster.podIdentity`). */
export interface PodIdentityCluster {
    /** The cluster's name, an output of the cluster: associations wait for it. */
    clusterName: pulumi.Input<string>;
    /** The cluster's ARN: the roles' `aws:RequestTag/eks-cluster-arn`. */
    clusterArn: pulumi.Input<string>;
    /** The cluster's account: the roles' `aws:SourceAccount`. */
    accountId: pulumi.Input<string>;
    /** The `eks-pod-identity-agent` add-on: the DaemonSet on every node that hands pods their credentials. */
    agent: pulumi.Resource;
}

export interface PodIdentityRoleArgs {
    cluster: PodIdentityCluster;
    /** The one Kubernetes service account whose pods get the role: the association's, and the trust's `kubernetes-namespace` / `kubernetes-service-account` session tags. */
    serviceAccount: { namespace: pulumi.Input<string>; name: pulumi.Input<string> };
    /** The role's description (what the pods do with it). */
    description: string;
    /** Tags of the role (the provider's default tags are added by AWS provider config). */
    tags?: Record<string, string>;
    /**
     * True when the pods call AWS as they start and the deploy waits for
     * them (a controller whose Helm release waits for readiness): the
     * association then waits for the agent add-on too. False (say, an agent
     * that retries) puts nothing in front of it but the role.
     */
    waitForAgent: boolean;
    /** Earlier names of the role (a renamed IRSA role): the role is kept and updated, not replaced. */
    aliases?: pulumi.Input<pulumi.Alias | string>[];
}

/** A role and the association that gives it to one service account. */
export interface PodIdentityRole {
    role: aws.iam.Role;
    /**
     * Whatever starts the pods must wait for this: EKS injects the
     * credentials only into pods created after the association exists (an
     * older pod needs a restart).
     */
    association: aws.eks.PodIdentityAssociation;
}

/**
 * One IAM role for one service account through EKS Pod Identity: the role
 * trusts `pods.eks.amazonaws.com` for this account, cluster and service
 * account only (`podIdentityTrustPolicy`: session-tag conditions), and an `aws.eks.PodIdentityAssociation` gives
 * it to `serviceAccount`. No service-account annotation, no OIDC provider.
 *
 * Both are registered as children of `parent` under `name` (the role) and
 * `${name}-pod-identity` (the association), so a caller that had an IRSA
 * role named `name` keeps its URN: switching updates the trust policy in
 * place instead of replacing the role and its policies.
 */
export function podIdentityRole(name: string, args: PodIdentityRoleArgs, parent: pulumi.Resource): PodIdentityRole {
    const role = new aws.iam.Role(
        name,
        {
            description: args.description,
            assumeRolePolicy: pulumi
                .all([args.cluster.accountId, args.cluster.clusterArn, args.serviceAccount.namespace, args.serviceAccount.name])
                .apply(([account, clusterArn, namespace, serviceAccount]) => JSON.stringify(podIdentityTrustPolicy({ account, clusterArn, namespace, serviceAccount }))),
            tags: args.tags,
        },
        { parent, aliases: args.aliases },
    );
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity`,
        {
            clusterName: args.cluster.clusterName,
            namespace: args.serviceAccount.namespace,
            serviceAccount: args.serviceAccount.name,
            roleArn: role.arn,
        },
        { parent, dependsOn: args.waitForAgent ? [args.cluster.agent] : [] },
    );
    return { role, association };
}

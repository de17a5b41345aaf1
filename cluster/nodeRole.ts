import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NODE_MANAGED_POLICIES, nodeTrustPolicy } from "./clusterPolicies";

/** A node role and its AWS-managed policies (`<name>-node-role`, `<name>-node-<policy>`). */
export interface NodeRole {
    role: aws.iam.Role;
    /** One attachment per NODE_MANAGED_POLICIES entry: what a node needs before it joins. */
    policies: aws.iam.RolePolicyAttachment[];
}

/**
 * The EC2 role of a cluster's nodes: trusted by EC2 only, with the managed
 * policies a node needs (worker, CNI, ECR pull, SSM). Created under `parent`,
 * so the managed node groups' role (the Cluster) and the nodes Karpenter
 * launches (the Karpenter component) keep their own resource names. Changing
 * `description` updates the role in place.
 */
export function createNodeRole(name: string, description: string, partition: pulumi.Input<string>, parent: pulumi.Resource): NodeRole {
    const role = new aws.iam.Role(`${name}-node-role`, { description, assumeRolePolicy: JSON.stringify(nodeTrustPolicy()) }, { parent });
    const policies = NODE_MANAGED_POLICIES.map(
        (policy) =>
            new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, { parent }),
    );
    return { role, policies };
}

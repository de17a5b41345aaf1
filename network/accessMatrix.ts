import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessMatrixSpec, isSecurityGroupRole, matrixRules, SECURITY_GROUP_ROLES, SecurityGroupRole, SecurityRule, touchesExternalGroup } from "./accessMatrixPlan";

export interface AccessMatrixArgs {
    vpcId: pulumi.Input<string>;
    matrix: AccessMatrixSpec;
    /**
     * The container ports the load balancer's IP targets listen on (each public
     * service's public port, from the catalog): `servicePorts` in the flows.
     * Changing one replaces its two rules (named after the port).
     */
    servicePorts: readonly number[];
    /** Extra tags on the app nodes' group (Karpenter's discovery tag); changing them updates the group in place. Default none. */
    appNodeTags?: Record<string, string>;
}

// Changing a description replaces the group (EC2 cannot edit it): these stay as released.
const ROLE_DESCRIPTIONS: Record<SecurityGroupRole, string> = {
    // These two still say NodePorts (the load balancer now reaches the pods' ports): kept as released,
    // because a security group's description cannot change without replacing the group and all that uses it.
    loadBalancer: "Application Load Balancer: 80/443 from the internet, NodePorts to the app nodes",
    appNodes: "EKS app nodes: NodePorts from the load balancer, node-to-node traffic",
    mariadb: "RDS MariaDB: 3306 from the app nodes only",
    redis: "ElastiCache Redis: 6379 from the app nodes only",
    mongodb: "DocumentDB: 27017 from the app nodes only",
    endpoints: "VPC interface endpoints: 443 from the app nodes only",
};

/**
 * One security group per role of the access matrix and one rule resource per
 * allowed flow. It depends on the VPC only, so the cluster, the load balancer
 * and the data stores can all be created in parallel once it exists.
 */
export class AccessMatrix extends pulumi.ComponentResource {
    readonly securityGroupIds: Record<SecurityGroupRole, pulumi.Output<string>>;
    /** The rules as planned (pure data), for reports and tests. */
    readonly rules: SecurityRule[];
    /**
     * The planned rules on or naming EKS's control-plane group: not created
     * here (the group does not exist yet); the Cluster component creates them
     * before the node groups.
     */
    readonly controlPlaneRules: SecurityRule[];

    constructor(name: string, args: AccessMatrixArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:network:AccessMatrix", name, {}, opts);
        this.rules = matrixRules(args.matrix, args.servicePorts);

        const groups = {} as Record<SecurityGroupRole, aws.ec2.SecurityGroup>;
        for (const role of SECURITY_GROUP_ROLES) {
            const groupName = `${name}-${role.toLowerCase()}`;
            // No inline rules: every rule is its own resource below, and inline
            // blocks mixed with rule resources fight each other on every update.
            groups[role] = new aws.ec2.SecurityGroup(
                groupName,
                {
                    vpcId: args.vpcId,
                    description: ROLE_DESCRIPTIONS[role],
                    revokeRulesOnDelete: true,
                    tags: { ...(role === "appNodes" ? args.appNodeTags : {}), Name: groupName, "iam/role": role },
                },
                { parent: this },
            );
        }

        this.controlPlaneRules = this.rules.filter(touchesExternalGroup);
        for (const rule of this.rules.filter((r) => !touchesExternalGroup(r))) {
            const { peer: rulePeer, securityGroup } = rule;
            if (!isSecurityGroupRole(securityGroup) || (rulePeer.kind === "securityGroup" && !isSecurityGroupRole(rulePeer.role))) {
                continue;
            }
            const peer =
                rulePeer.kind === "securityGroup"
                    ? { referencedSecurityGroupId: groups[rulePeer.role as SecurityGroupRole].id }
                    : rulePeer.cidr.includes(":")
                      ? { cidrIpv6: rulePeer.cidr }
                      : { cidrIpv4: rulePeer.cidr };
            const ruleArgs = {
                securityGroupId: groups[securityGroup].id,
                description: rule.description,
                ipProtocol: rule.protocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                ...peer,
                tags: { Name: `${name}-${rule.name}` },
            };
            if (rule.direction === "ingress") {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.name}`, ruleArgs, { parent: this });
            } else {
                new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.name}`, ruleArgs, { parent: this });
            }
        }

        this.securityGroupIds = Object.fromEntries(SECURITY_GROUP_ROLES.map((role) => [role, groups[role].id])) as Record<SecurityGroupRole, pulumi.Output<string>>;
        this.registerOutputs({ securityGroupIds: this.securityGroupIds });
    }
}

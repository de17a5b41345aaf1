/**
 * The AWS Load Balancer Controller's IAM, pure: the least a controller needs
 * that only reconciles TargetGroupBindings of IP targets (no Ingress, no
 * Service of type LoadBalancer, no security-group rules), scoped to the
 * target groups of one stack. Unit-tested without Pulumi.
 *
 * What the controller calls on that path, read in
 * kubernetes-sigs/aws-load-balancer-controller at v3.5.0:
 * - webhooks/elbv2/targetgroupbinding_{mutator,validator}.go (via
 *   targetgroup_helper.go): elasticloadbalancing:DescribeTargetGroups on
 *   every create (target type, VPC, protocol, IP address type);
 * - pkg/targetgroupbinding/targets_manager.go: DescribeTargetHealth,
 *   RegisterTargets, DeregisterTargets;
 * - pkg/targetgroupbinding/resource_manager.go (generateOverrideAzFn) through
 *   pkg/networking/vpc_info_provider.go: ec2:DescribeVpcs (is a pod IP
 *   inside the VPC's CIDRs);
 * - pkg/networking/networking_manager.go: with no `spec.networking` on any
 *   binding it computes no rule and never calls Authorize/Revoke for ours;
 *   its garbage collection still lists the security groups tagged
 *   `kubernetes.io/cluster/<name>` (ec2:DescribeSecurityGroups) and revokes
 *   only rules it labelled itself, of which there are none. The access
 *   matrix owns every rule (network/accessMatrix.ts).
 * Everything else in docs/install/iam_policy.json serves Ingress, Service,
 * Gateway, WAF, Shield and security-group management, all turned off in the
 * chart values (cluster/loadBalancerController.ts).
 *
 * ELB target groups accept `aws:ResourceTag/<key>` conditions (Service
 * Authorization Reference, Elastic Load Balancing V2: the targetgroup
 * resource type), so registration is limited to the target groups tagged for
 * this stack: another stack's controller in the same account cannot touch
 * them, and this one cannot touch the legacy target group (untagged).
 */
import { PolicyDocument, ServiceAccountRef } from "./clusterPolicies";

/** The controller's Kubernetes service account: the only principal its role trusts. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: "kube-system", name: "aws-load-balancer-controller" };

/**
 * The tag a target group carries when this stack's controller may register
 * targets in it; the value is the stack name. The edge puts it on every
 * service target group (edge/edge.ts), and nowhere else.
 */
export const TARGET_REGISTRATION_TAG_KEY = "iam/target-registration";

/** The tag (key and value) that lets `stack`'s controller register targets into a target group. */
export function targetRegistrationTag(stack: string): Record<string, string> {
    return { [TARGET_REGISTRATION_TAG_KEY]: stack };
}

/** The read-only calls: Describe* cannot be scoped to a resource. */
export const LOAD_BALANCER_CONTROLLER_READ_ACTIONS = [
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "ec2:DescribeVpcs",
    "ec2:DescribeSecurityGroups",
] as const;

/** The only write calls. */
export const LOAD_BALANCER_CONTROLLER_WRITE_ACTIONS = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"] as const;

/**
 * The controller's policy. `targetGroupArnPrefix` is
 * `arn:<partition>:elasticloadbalancing:<region>:<account>`; `stack` the
 * value of the registration tag.
 */
export function loadBalancerControllerPolicy(targetGroupArnPrefix: string, stack: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadTargetGroupsVpcAndSecurityGroups",
                Effect: "Allow",
                Action: [...LOAD_BALANCER_CONTROLLER_READ_ACTIONS],
                Resource: "*",
            },
            {
                Sid: "RegisterPodsInThisStacksTargetGroupsOnly",
                Effect: "Allow",
                Action: [...LOAD_BALANCER_CONTROLLER_WRITE_ACTIONS],
                Resource: `${targetGroupArnPrefix}:targetgroup/*/*`,
                Condition: { StringEquals: { [`aws:ResourceTag/${TARGET_REGISTRATION_TAG_KEY}`]: stack } },
            },
        ],
    };
}

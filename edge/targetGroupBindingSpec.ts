/**
 * The TargetGroupBinding objects (AWS Load Balancer Controller,
 * `elbv2.k8s.aws/v1beta1`), pure: one per public service, binding the
 * service's target group (by ARN) to its public ClusterIP Service. No Pulumi
 * here; edge/targetGroupBindingSchema.test.ts checks every object against the
 * CRD schema of the pinned chart.
 */

export const TARGET_GROUP_BINDING_API_VERSION = "elbv2.k8s.aws/v1beta1";
export const TARGET_GROUP_BINDING_KIND = "TargetGroupBinding";

/**
 * Pulumi waits until the controller has reconciled the binding once (targets
 * registered): the controller sets `status.observedGeneration` only after a
 * successful reconcile (controllers/elbv2/targetgroupbinding_controller.go,
 * v3.5.0). The listener rules wait for that.
 */
export const BINDING_WAIT_FOR = "jsonpath={.status.observedGeneration}";

/** What one binding needs; values may be Pulumi outputs (`T` is the input wrapper). */
export interface TargetGroupBindingInputs<T> {
    /** The binding's name: the target group's name, lowercased, so a replaced target group gets a new binding beside the old one. */
    name: T;
    namespace: T;
    /** The target group's ARN (immutable on a binding). */
    targetGroupArn: T;
    /** The VPC of the target group (immutable; must be the controller's `--aws-vpc-id`). */
    vpcId: T;
    /** The public ClusterIP Service whose ready endpoints become the targets. */
    serviceName: string;
    /** The Service port (its number; the container port of the same number). */
    servicePort: number;
    labels: Record<string, string>;
}

/** A TargetGroupBinding as the API server receives it. */
export interface TargetGroupBindingObject<T> {
    apiVersion: typeof TARGET_GROUP_BINDING_API_VERSION;
    kind: typeof TARGET_GROUP_BINDING_KIND;
    metadata: { name: T; namespace: T; labels: Record<string, string>; annotations: Record<string, string> };
    spec: {
        targetGroupARN: T;
        targetType: "ip";
        ipAddressType: "ipv4";
        vpcID: T;
        serviceRef: { name: string; port: number };
    };
}

/**
 * The binding of one public service. Every field the controller would
 * otherwise look up in AWS (target type, IP address type, VPC) is stated, so
 * a mismatch is rejected at admission instead of guessed. No `networking`:
 * the access matrix owns the security-group rules, and without it the
 * controller never writes one (cluster/loadBalancerControllerPolicy.ts).
 */
export function targetGroupBinding<T>(inputs: TargetGroupBindingInputs<T>): TargetGroupBindingObject<T> {
    return {
        apiVersion: TARGET_GROUP_BINDING_API_VERSION,
        kind: TARGET_GROUP_BINDING_KIND,
        metadata: {
            name: inputs.name,
            namespace: inputs.namespace,
            labels: inputs.labels,
            annotations: { "pulumi.com/waitFor": BINDING_WAIT_FOR },
        },
        spec: {
            targetGroupARN: inputs.targetGroupArn,
            targetType: "ip",
            ipAddressType: "ipv4",
            vpcID: inputs.vpcId,
            serviceRef: { name: inputs.serviceName, port: inputs.servicePort },
        },
    };
}

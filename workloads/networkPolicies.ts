import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSpec } from "./schema";
import { NetworkPolicyContext, networkPolicyPlans } from "./networkPolicyPlan";

export interface NetworkPoliciesArgs {
    /** The service catalog: its public ports, calls and stores are the allowed flows. */
    catalog: readonly ServiceSpec[];
    /** The application namespace (`AppNamespace.name`). */
    namespace: pulumi.Input<string>;
    /** VPC CIDR, store subnets and the workloads' label context (see `NetworkPolicyContext`). */
    context: NetworkPolicyContext;
    /** The part-of label value on every policy, e.g. `iam`. */
    partOf: string;
}

/**
 * The namespace's NetworkPolicies: default deny, then the flows of the
 * catalog (networkPolicyPlan.ts). Enforced by the VPC CNI's network policy
 * agent, which must be enabled on the cluster (`enableNetworkPolicy`).
 * Needs the `kubernetes` provider in `providers`.
 */
export class NetworkPolicies extends pulumi.ComponentResource {
    /** Every policy, for `dependsOn`: pods start once their flows are allowed. */
    readonly policies: k8s.networking.v1.NetworkPolicy[];
    /** The policies' names. */
    readonly names: string[];

    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:workloads:NetworkPolicies", name, {}, opts);
        const plans = networkPolicyPlans(args.catalog, args.context);
        this.names = plans.map((p) => p.name);
        this.policies = plans.map(
            (plan) =>
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${plan.name}`,
                    {
                        metadata: {
                            name: plan.name,
                            namespace: args.namespace,
                            labels: { "app.kubernetes.io/part-of": args.partOf, "app.kubernetes.io/managed-by": "pulumi" },
                            annotations: { "iam/why": plan.description },
                        },
                        spec: plan.spec,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ names: this.names });
    }
}

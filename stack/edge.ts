/**
 * The edge area's wiring: the HTTPS entry (certificate, load balancer,
 * listeners, target groups, DNS, WAF) and the TargetGroupBindings.
 */
import { dataIdentifierPrefix } from "../data/dataNaming";
import { Edge } from "../edge/edge";
import { workloadNames } from "../workloads/workloadSpec";
import type { ClusterWiring } from "./cluster";
import type { StackContext } from "./context";
import type { DataWiring } from "./data";
import type { NetworkWiring } from "./network";

/** What the edge takes from the areas before it. */
export interface EdgeHandOff {
    /** The VPC, its public subnets and the load balancer's security group. */
    readonly network: NetworkWiring;
    /** The cluster's providers and the load balancer controller (the bindings wait for it). */
    readonly cluster: ClusterWiring;
    /** The application namespace: the TargetGroupBindings go there. */
    readonly data: DataWiring;
}

/** Wires the HTTPS entry; returns it (host rules for the workloads, names and ARNs for the alarms and the outputs). */
export function wireEdge(
    { name, config }: StackContext,
    { network: { network, access }, cluster: { providers, loadBalancerController }, data: { appNamespace } }: EdgeHandOff,
): Edge {
    // The HTTPS entry. Its certificate, load balancer, listeners, target groups
    // and DNS records take nothing from the cluster, so they are created while
    // EKS is; only the TargetGroupBindings (after the controller and the
    // namespace) and the host rules (after their binding) wait for it.
    return new Edge(
        `${name}-edge`,
        {
            config: config.edge,
            services: config.services,
            region: config.region,
            vpcId: network.vpcId,
            vpcCidr: network.vpcCidr,
            publicSubnetIds: network.publicSubnetIds,
            loadBalancerSecurityGroupId: access.securityGroupIds.loadBalancer,
            namePrefix: dataIdentifierPrefix(config.stack),
            stack: config.stack,
            bindings: {
                namespace: appNamespace.name,
                serviceNames: Object.fromEntries(config.services.filter((s) => s.public).map((s) => [s.name, workloadNames(s).publicService])),
                dependsOn: [loadBalancerController.ready],
                labels: { "app.kubernetes.io/part-of": name, "app.kubernetes.io/managed-by": "pulumi" },
            },
            protect: config.protect,
        },
        { providers },
    );
}

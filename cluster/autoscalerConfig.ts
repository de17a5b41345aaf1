/**
 * The system node group of Karpenter mode: its taint and how to recognise it.
 * `cluster.autoscaler` and `cluster.karpenter` are declared in
 * cluster/karpenterSchema.ts and read by cluster/schema.ts. Pure.
 */
import type { NodeGroupConfig, NodeTaint } from "./nodeGroupSchema";

/** The taint of the system node group in Karpenter mode: only controllers that tolerate it run there. */
export const SYSTEM_TAINT: NodeTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" };

/** True for a node group carrying the system taint (`SYSTEM_TAINT`). */
export function isSystemGroup(group: Pick<NodeGroupConfig, "taints">): boolean {
    return group.taints.some((t) => t.key === SYSTEM_TAINT.key && t.effect === SYSTEM_TAINT.effect);
}

/**
 * Why the system node groups (Karpenter mode) could leave the control layer
 * with no node, or undefined when they cannot: Karpenter, the Load Balancer
 * Controller, External Secrets (whose webhook fails closed), Reloader and
 * metrics-server all run there. One Spot node is taken back by EC2 with two
 * minutes' notice, and a replacement takes minutes to join: meanwhile no node
 * is launched for pending pods, no ExternalSecret can change, no pod IP is
 * registered. So in every environment the system groups need a second node
 * (together at least 2 at their minimum; the auto-scaling group spreads them
 * over zones, so over Spot pools too) or an on-demand floor (an ON_DEMAND
 * group with at least one node). Completes "cluster.nodeGroups[i].minSize ...".
 */
export function systemFloorProblem(groups: readonly Pick<NodeGroupConfig, "name" | "taints" | "minSize" | "capacityType">[]): string | undefined {
    const system = groups.filter(isSystemGroup);
    if (system.length === 0) {
        return undefined;
    }
    const floor = system.reduce((sum, g) => sum + g.minSize, 0);
    if (floor >= 2 || system.some((g) => g.capacityType === "ON_DEMAND" && g.minSize >= 1)) {
        return undefined;
    }
    return (
        `(${system[0].minSize}) leaves the system group ${system[0].name} with ${floor === 0 ? "no node" : "one Spot node"} at its minimum: Karpenter, the Load Balancer Controller and External Secrets (whose webhook fails closed) all stop when it goes; ` +
        `set minSize: 2 (two nodes in two zones) or capacityType: ON_DEMAND (docs/cluster.md, "The system node group")`
    );
}

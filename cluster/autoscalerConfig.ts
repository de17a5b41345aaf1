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

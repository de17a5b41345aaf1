/**
 * Reads `cluster.autoscaler` and `cluster.karpenter` (declared in
 * cluster/karpenterSchema.ts) into the cluster config, through
 * lib/zodSection.ts, and says which node groups are system groups. Pure.
 */
import { Fields } from "../lib/reader";
import { readSection } from "../lib/zodSection";
import type { NodeGroupConfig, NodeTaint } from "./config";
import { Autoscaler, autoscalerSchema, KarpenterConfig, karpenterSchema } from "./karpenterSchema";

/** The taint of the system node group in Karpenter mode: only controllers that tolerate it run there. */
export const SYSTEM_TAINT: NodeTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" };

/** The autoscaler (default karpenter) and, in Karpenter mode, its section; problems go to `f.issues`. */
export function readAutoscaler(f: Fields): { autoscaler: Autoscaler; karpenter?: KarpenterConfig } {
    const autoscaler = readSection(f.value("autoscaler"), f.at("autoscaler"), f.issues, autoscalerSchema) ?? "karpenter";
    return { autoscaler, karpenter: readKarpenter(f, autoscaler) };
}

/** True for a node group carrying the system taint (`SYSTEM_TAINT`). */
export function isSystemGroup(group: NodeGroupConfig): boolean {
    return group.taints.some((t) => t.key === SYSTEM_TAINT.key && t.effect === SYSTEM_TAINT.effect);
}

function readKarpenter(f: Fields, autoscaler: Autoscaler): KarpenterConfig | undefined {
    if (autoscaler !== "karpenter") {
        if (f.has("karpenter")) {
            f.issues.add(f.at("karpenter"), "is set but cluster.autoscaler is cluster-autoscaler: remove it, or set cluster.autoscaler to karpenter");
        }
        return undefined;
    }
    if (!f.has("karpenter")) {
        f.issues.add(f.at("karpenter"), "is required when cluster.autoscaler is karpenter (at least one NodePool in cluster.karpenter.nodePools)");
        return undefined;
    }
    return readSection(f.value("karpenter"), f.at("karpenter"), f.issues, karpenterSchema);
}

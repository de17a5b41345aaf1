/**
 * The config edit that puts a stack file back on the cluster-autoscaler, as
 * both stack files were before Karpenter: `cluster.autoscaler:
 * cluster-autoscaler`, no `karpenter` section, the node groups untainted
 * (they take the applications again) and sized as then, and staging's
 * scheduled resizes of the node group. The cluster-autoscaler tests run on
 * it, so that mode stays tested.
 */
type Values = Record<string, unknown>;

const GROUPS: Record<string, Values[]> = {
    prod: [
        {
            name: "general",
            instanceTypes: ["m6i.large", "m6a.large"],
            capacityType: "ON_DEMAND",
            minSize: 3,
            maxSize: 9,
            desiredSize: 3,
            diskSizeGiB: 50,
            labels: { "iam/pool": "general" },
        },
    ],
    staging: [
        { name: "general", instanceTypes: ["m6i.large", "m6a.large", "m5.large"], capacityType: "SPOT", minSize: 1, maxSize: 4, desiredSize: 2, labels: { "iam/pool": "general" } },
    ],
};

const SCHEDULES: Record<string, Values[]> = {
    prod: [],
    staging: [
        { name: "evening-scale-down", recurrence: "0 20 * * 1-5", timeZone: "Europe/Dublin", minSize: 1, maxSize: 1, desiredSize: 1 },
        { name: "morning-scale-up", recurrence: "0 7 * * 1-5", timeZone: "Europe/Dublin", minSize: 1, maxSize: 4, desiredSize: 2 },
    ],
};

/** Edits `values` (a stack file's `iam:` config) into cluster-autoscaler mode. */
export function clusterAutoscalerMode(stack: string, values: Values): void {
    const cluster = values.cluster as Values;
    cluster.autoscaler = "cluster-autoscaler";
    delete cluster.karpenter;
    cluster.nodeGroups = structuredClone(GROUPS[stack]);
    cluster.scheduledScaling = structuredClone(SCHEDULES[stack]);
}

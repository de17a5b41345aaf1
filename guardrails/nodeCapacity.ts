/**
 * How many nodes Karpenter NodePools run for the pods the program declares:
 * the pods' requests at their floors (HPA minReplicas) and ceilings
 * (maxReplicas), the headroom pods (a Deployment like any other), and the
 * per-node system pods (DaemonSets), packed onto the cheapest instance type
 * the pool allows. An estimate, not a scheduler: it packs by total CPU and
 * memory, not pod by pod. Pure: no cloud SDK.
 */
import type { CostRecord, Range } from "./costModel";
import type { InstanceSpec } from "./priceTable";

/** Type token of a Karpenter v1 NodePool registered as a Kubernetes custom resource. */
export const NODE_POOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool";
const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";
const HPA_TYPE = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

/**
 * What every node gives up before pods get any: DaemonSets (VPC CNI,
 * kube-proxy, Pod Identity agent, CloudWatch agent, Fluent Bit) and the
 * kubelet's reservations. Rough, stated in every Karpenter line.
 */
export const PER_NODE_SYSTEM = { cpu: 0.35, memoryGiB: 0.6, kubeReservedCpu: 0.1, kubeReservedMemoryFraction: 0.1 } as const;

/** CPU (cores) and memory (GiB) requested. */
export interface Demand {
    cpu: number;
    memoryGiB: number;
}

/** What a NodePool lets Karpenter launch, as the estimate reads it. */
export interface PoolShape {
    name: string;
    /** Instance types named by `node.kubernetes.io/instance-type In`, or undefined when the pool names families or nothing. */
    instanceTypes?: string[];
    /** Families named by `karpenter.k8s.aws/instance-family In`. */
    families?: string[];
    /** Categories named by `karpenter.k8s.aws/instance-category In` (m, c, r...). */
    categories?: string[];
    /** Sizes named by `karpenter.k8s.aws/instance-size In` (large, xlarge...). */
    sizes?: string[];
    /** Generations allowed by `karpenter.k8s.aws/instance-generation Gt <n>`: above this one. */
    generationAbove?: number;
    /** `karpenter.sh/capacity-type` values (spot, on-demand). */
    capacityTypes: string[];
    /** `spec.limits.cpu` in cores, when set. */
    cpuLimit?: number;
    weight: number;
}

/** Parses a Kubernetes CPU quantity ("500m", "1", 2) into cores. */
export function cpuCores(q: unknown): number {
    if (typeof q === "number") return q;
    if (typeof q !== "string" || q === "") return 0;
    return q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

const BINARY: Record<string, number> = { Ki: 2 ** -20, Mi: 2 ** -10, Gi: 1, Ti: 2 ** 10 };
const DECIMAL: Record<string, number> = { k: 1e3 / 2 ** 30, M: 1e6 / 2 ** 30, G: 1e9 / 2 ** 30, T: 1e12 / 2 ** 30 };

/** Parses a Kubernetes memory quantity ("512Mi", "2Gi", "1G") into GiB. */
export function memoryGiB(q: unknown): number {
    if (typeof q === "number") return q / 2 ** 30;
    if (typeof q !== "string" || q === "") return 0;
    const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
    if (!m) return 0;
    const unit = m[2];
    const factor = BINARY[unit] ?? DECIMAL[unit] ?? (unit === "" ? 1 / 2 ** 30 : NaN);
    return Number(m[1]) * factor;
}

function get(obj: unknown, ...path: string[]): unknown {
    let at = obj;
    for (const key of path) {
        if (typeof at !== "object" || at === null) return undefined;
        at = (at as Record<string, unknown>)[key];
    }
    return at;
}

/** Reads a NodePool record's requirements, limits and weight. */
export function poolShape(record: CostRecord): PoolShape {
    const spec = get(record.inputs, "spec");
    const requirements = (get(spec, "template", "spec", "requirements") as { key?: string; operator?: string; values?: string[] }[] | undefined) ?? [];
    const valuesOf = (key: string, operator = "In"): string[] | undefined => requirements.find((r) => r.key === key && r.operator === operator)?.values;
    const generation = valuesOf("karpenter.k8s.aws/instance-generation", "Gt")?.[0];
    const limit = get(spec, "limits", "cpu");
    const name = (get(record.inputs, "metadata", "name") as string | undefined) ?? record.name;
    return {
        name,
        instanceTypes: valuesOf("node.kubernetes.io/instance-type"),
        families: valuesOf("karpenter.k8s.aws/instance-family"),
        categories: valuesOf("karpenter.k8s.aws/instance-category"),
        sizes: valuesOf("karpenter.k8s.aws/instance-size"),
        generationAbove: generation === undefined ? undefined : Number(generation),
        capacityTypes: valuesOf("karpenter.sh/capacity-type") ?? ["on-demand"],
        cpuLimit: limit === undefined ? undefined : cpuCores(limit),
        weight: Number(get(spec, "weight") ?? 0),
    };
}

/** Whether an instance type (`m6i.large`) meets a pool's family, category, size and generation requirements. */
export function allowedBy(shape: PoolShape, instanceType: string): boolean {
    const [family, size] = instanceType.split(".");
    const m = /^([a-z]+)(\d+)/.exec(family);
    const category = m?.[1] ?? family;
    const generation = Number(m?.[2] ?? 0);
    return (
        (!shape.families || shape.families.includes(family)) &&
        (!shape.categories || shape.categories.includes(category)) &&
        (!shape.sizes || shape.sizes.includes(size)) &&
        (shape.generationAbove === undefined || generation > shape.generationAbove)
    );
}

/** One Deployment's pods as the pools see them: its requests per pod and its replica range, and the pool it selects (if any). */
export interface PodGroup {
    deployment: string;
    perPod: Demand;
    replicas: Range;
    /** `karpenter.sh/nodepool` from the pod's nodeSelector or required node affinity (`In`). */
    pool?: string;
    /** True when the pod's nodeSelector or required node affinity pins it to a managed node group (label `eks.amazonaws.com/nodegroup` or `iam/node-group`, or `karpenter.sh/nodepool DoesNotExist`): those nodes are priced by their group. */
    onNodeGroup: boolean;
}

/** The Deployments the program declares (not a chart's), with their HPAs' floors and ceilings. */
export function podGroups(records: CostRecord[]): PodGroup[] {
    const hpas = records.filter((r) => r.type === HPA_TYPE);
    return records
        .filter((r) => r.type === DEPLOYMENT_TYPE && !r.urn.includes("kubernetes:helm.sh/"))
        .map((d) => {
            const name = get(d.inputs, "metadata", "name") as string | undefined;
            const podSpec = get(d.inputs, "spec", "template", "spec");
            const containers = (get(podSpec, "containers") as { resources?: { requests?: Record<string, unknown> } }[] | undefined) ?? [];
            const perPod = containers.reduce<Demand>(
                (sum, c) => ({ cpu: sum.cpu + cpuCores(c.resources?.requests?.cpu), memoryGiB: sum.memoryGiB + memoryGiB(c.resources?.requests?.memory) }),
                { cpu: 0, memoryGiB: 0 },
            );
            const hpa = hpas.find((h) => {
                const ref = get(h.inputs, "spec", "scaleTargetRef") as { kind?: string; name?: string } | undefined;
                return ref?.kind === "Deployment" && ref.name !== undefined && ref.name === name;
            });
            const declared = Number(get(d.inputs, "spec", "replicas") ?? 1);
            const replicas: Range = hpa
                ? {
                      min: Number(get(hpa.inputs, "spec", "minReplicas") ?? 1),
                      expected: Number(get(hpa.inputs, "spec", "minReplicas") ?? 1),
                      max: Number(get(hpa.inputs, "spec", "maxReplicas")),
                  }
                : { min: declared, expected: declared, max: declared };
            const selector = (get(podSpec, "nodeSelector") as Record<string, string> | undefined) ?? {};
            // Required node affinity, first term: `karpenter.sh/nodepool In [x]` picks pool x, `DoesNotExist` (or a node-group label) keeps the pod off Karpenter's nodes.
            const terms = get(podSpec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms") as
                { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] | undefined;
            const expressions = terms?.[0]?.matchExpressions ?? [];
            const nodePool = expressions.find((e) => e.key === "karpenter.sh/nodepool");
            const groupLabel = expressions.some(
                (e) => (e.key === "iam/node-group" || e.key === "eks.amazonaws.com/nodegroup") && e.operator !== "DoesNotExist" && e.operator !== "NotIn",
            );
            return {
                deployment: name ?? d.name,
                perPod,
                replicas,
                pool: selector["karpenter.sh/nodepool"] ?? (nodePool?.operator === "In" ? nodePool.values?.[0] : undefined),
                onNodeGroup: "eks.amazonaws.com/nodegroup" in selector || "iam/node-group" in selector || nodePool?.operator === "DoesNotExist" || groupLabel,
            };
        });
}

/** Which pool each pod group lands on: the one its nodeSelector names, else the heaviest pool (then the first). */
export function assignPods(pools: PoolShape[], groups: PodGroup[]): Map<string, PodGroup[]> {
    const byPool = new Map<string, PodGroup[]>(pools.map((p) => [p.name, []]));
    const fallback = [...pools].sort((a, b) => b.weight - a.weight)[0]?.name;
    for (const group of groups) {
        if (group.onNodeGroup) continue;
        const pool = group.pool !== undefined && byPool.has(group.pool) ? group.pool : fallback;
        if (pool !== undefined) byPool.get(pool)?.push(group);
    }
    return byPool;
}

/** What one node of a type leaves for pods, after the kubelet and the system DaemonSets. */
export function allocatable(spec: InstanceSpec): Demand {
    return {
        cpu: spec.vcpu - PER_NODE_SYSTEM.kubeReservedCpu - PER_NODE_SYSTEM.cpu,
        memoryGiB: spec.memoryGiB * (1 - PER_NODE_SYSTEM.kubeReservedMemoryFraction) - PER_NODE_SYSTEM.memoryGiB,
    };
}

/** Nodes of one type that hold `demand` (at least one while anything is asked for). */
export function nodesFor(demand: Demand, spec: InstanceSpec): number {
    if (demand.cpu <= 0 && demand.memoryGiB <= 0) return 0;
    const free = allocatable(spec);
    return Math.max(1, Math.ceil(Math.max(demand.cpu / free.cpu, demand.memoryGiB / free.memoryGiB) - 1e-9));
}

/** The total requests of a pool's pods at the floors, the estimate (floors) and the ceilings. */
export function poolDemand(groups: PodGroup[]): { min: Demand; expected: Demand; max: Demand } {
    const at = (k: keyof Range): Demand =>
        groups.reduce<Demand>((s, g) => ({ cpu: s.cpu + g.perPod.cpu * g.replicas[k], memoryGiB: s.memoryGiB + g.perPod.memoryGiB * g.replicas[k] }), { cpu: 0, memoryGiB: 0 });
    return { min: at("min"), expected: at("expected"), max: at("max") };
}

/**
 * The pod-fit rule of the stack config: each service's requests must fit the
 * largest node of the node groups and NodePools that can run it (config.ts
 * runs it across the cluster and services sections). Sizes come from
 * lib/ec2InstanceSizes.json; a node of unknown size is a warning.
 */
import { issuePath, RefineContext, report } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { INSTANCE_SIZES_FILE, instanceCapacity, largestOfPool, SizedType } from "../lib/instanceTypes";
import type { ClusterConfig } from "../cluster/schema";
import type { ServiceSpec } from "./schema";
import { cpuMillis, memoryBytes } from "./workloadSchema";

/**
 * What a node keeps for itself, estimated from EKS's AL2023 kube-reserved
 * formula (CPU: 6% of the first core, 1% of the second, 0.5% of the next two,
 * 0.25% above; memory: 255Mi + 11Mi per pod at the VPC CNI's pod count) and
 * the 100Mi eviction threshold. DaemonSets are not subtracted, so this is a
 * floor: a pod that fails it can never be scheduled.
 */
export function allocatable(capacity: { millicores: number; memoryMiB: number }): { millicores: number; memoryMiB: number } {
    const cores = capacity.millicores / 1000;
    const reservedCpu = 60 + (cores > 1 ? 10 : 0) + Math.max(0, Math.min(cores, 4) - 2) * 5 + Math.max(0, cores - 4) * 2.5;
    const pods = cores <= 2 ? 29 : cores <= 4 ? 58 : 110;
    return { millicores: capacity.millicores - reservedCpu, memoryMiB: capacity.memoryMiB - (255 + 11 * pods) - 100 };
}

/** Nodes a pod may land on whose size is not known: where they are named, which, and the warning's words. */
interface UnsizedNodes {
    path: string;
    names: string;
    message: string;
}

const NOT_SIZED = `not in ${INSTANCE_SIZES_FILE}, so the pod-fit check (services[].workload.resources) could not use`;

/** The largest nodes the untainted node groups and the NodePools may launch, and those of unknown size. */
function nodesThatCanRun(cluster: Pick<ClusterConfig, "nodeGroups" | "karpenter">): { sized: SizedType[]; unsized: UnsizedNodes[] } {
    const sized: SizedType[] = [];
    const unsized: UnsizedNodes[] = [];
    cluster.nodeGroups.forEach((g, gi) => {
        if (g.taints.some((t) => t.effect !== "PreferNoSchedule")) return;
        g.instanceTypes.forEach((type, ti) => {
            const capacity = instanceCapacity(type);
            if (capacity) sized.push({ type, ...capacity });
            else unsized.push({ path: `cluster.nodeGroups[${gi}].instanceTypes[${ti}]`, names: type, message: `(${type}): its vCPUs and memory are ${NOT_SIZED} it` });
        });
    });
    (cluster.karpenter?.nodePools ?? []).forEach((pool, pi) => {
        const at = `cluster.karpenter.nodePools[${pi}]`;
        const { largestCpu, largestMemory, unknownFamilies, unknownTypes } = largestOfPool(pool);
        for (const largest of [largestCpu, largestMemory]) {
            if (largest) sized.push({ ...largest, type: `NodePool ${pool.name} (${largest.type})` });
        }
        for (const family of unknownFamilies) {
            const fi = (pool.instanceFamilies ?? []).indexOf(family);
            unsized.push({
                path: `${at}.instanceFamilies[${fi}]`,
                names: `${family} (NodePool ${pool.name})`,
                message: `(${family}): the vCPUs and memory of its types are ${NOT_SIZED} them`,
            });
        }
        if (unknownTypes.length > 0) {
            unsized.push({
                path: at,
                names: `${unknownTypes.join(", ")} (NodePool ${pool.name})`,
                message: `(${pool.name}) may launch ${unknownTypes.join(", ")}, whose vCPUs and memory are ${NOT_SIZED} them`,
            });
        }
        if (!largestCpu && unknownFamilies.length === 0 && unknownTypes.length === 0) {
            unsized.push({
                path: at,
                names: `NodePool ${pool.name}`,
                message: `(${pool.name}) allows no instance type whose vCPUs and memory are in ${INSTANCE_SIZES_FILE}, so the pod-fit check (services[].workload.resources) could not use it`,
            });
        }
    });
    return { sized, unsized };
}

/**
 * Root rule: every pod fits the largest node of the pools that can run it
 * (the node groups without NoSchedule/NoExecute taints: the services carry no
 * tolerations, and the NodePools), or it stays Pending whatever the
 * autoscaler does. Sizes come from lib/ec2InstanceSizes.json. A node whose
 * size is not known gets a warning, and since it may be the largest, a pod
 * too big for every known node is then a warning too, never an error.
 */
export function podFitRule(
    root: { cluster: Pick<ClusterConfig, "nodeGroups" | "karpenter">; services: readonly ServiceSpec[] },
    c: RefineContext,
    ctx: Pick<SchemaContext, "warn">,
): void {
    const { sized, unsized } = nodesThatCanRun(root.cluster);
    for (const node of unsized) {
        ctx.warn(node.path, node.message);
    }
    if (sized.length === 0) {
        return; // nothing of known size to check against (the warnings above say so)
    }
    const nodes = sized.map((n) => ({ ...n, ...allocatable(n) }));
    const largestCpu = nodes.reduce((a, b) => (b.millicores > a.millicores ? b : a));
    const largestMemory = nodes.reduce((a, b) => (b.memoryMiB > a.memoryMiB ? b : a));
    const tooBig = (i: number, field: "cpu" | "memory", value: string, largest: string) => {
        const path = ["services", i, "workload", "resources", field];
        if (unsized.length === 0) {
            report(c, path, `(${value}) does not fit on any node that can run it: ${largest} (cluster.nodeGroups, cluster.karpenter.nodePools)`);
        } else {
            // A node of unknown size may be the largest: an error here could be false.
            const maybeLarger = unsized.map((n) => n.names).join("; ");
            ctx.warn(issuePath(path), `(${value}) does not fit on any node of known size (${largest}); ${maybeLarger}, of unknown size, may be larger: check it by hand`);
        }
    };
    root.services.forEach((service, i) => {
        const { cpu, memory } = service.workload.resources;
        if (cpuMillis(cpu) > largestCpu.millicores) {
            tooBig(i, "cpu", cpu, `the largest, ${largestCpu.type}, has about ${Math.floor(largestCpu.millicores)}m allocatable`);
        }
        if (memoryBytes(memory) > largestMemory.memoryMiB * 2 ** 20) {
            tooBig(i, "memory", memory, `the largest, ${largestMemory.type}, has about ${Math.floor(largestMemory.memoryMiB)}Mi allocatable`);
        }
    });
}

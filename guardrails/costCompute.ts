/**
 * Compute lines of the estimate: the EKS control plane (standard or
 * extended-support rate), managed node groups at min/desired/max, Karpenter
 * NodePools sized from the pods' requests, and the nodes' root volumes.
 * Pure: no cloud SDK.
 */
import type { CostItem, CostRecord, Range } from "./costModel";
import { fixed, HOURS_PER_MONTH, num, rangeText, scale } from "./costModel";
import type { Pricer, PricingContext } from "./pricer";
import { MissingPriceError } from "./priceTable";
import { allocatable, allowedBy, assignPods, memoryGiB, NODE_POOL_TYPE, nodesFor, PER_NODE_SYSTEM, podGroups, poolDemand, poolShape } from "./nodeCapacity";

type Inputs = Record<string, unknown>;
const obj = (v: unknown): Inputs => (typeof v === "object" && v !== null ? (v as Inputs) : {});

/** The EKS control plane: one cluster-hour rate, six times higher while its version is in extended support and the cluster may stay there. */
const controlPlane: Pricer = (record, ctx) => {
    const version = typeof record.inputs.version === "string" ? record.inputs.version : undefined;
    const supportType = obj(record.inputs.upgradePolicy).supportType ?? "EXTENDED";
    const hours = fixed(HOURS_PER_MONTH);
    const day = ctx.now.toISOString().slice(0, 10);
    if (!version) {
        return [ctx.line(record, "control plane hours", "eks.cluster", hours, "hours", "730 hours; no version pinned: AWS creates the default version, in standard support")];
    }
    const phase = ctx.supportPhase(version, ctx.now);
    if (phase === "extended" && supportType !== "STANDARD") {
        return [
            ctx.line(
                record,
                "control plane hours",
                "eks.extendedSupport",
                hours,
                "hours",
                `730 hours at the extended-support rate: Kubernetes ${version} is in extended support on ${day} (cluster/catalog.ts) and upgradePolicy.supportType is ${String(supportType)}`,
            ),
        ];
    }
    const why: Record<string, string> = {
        standard: `Kubernetes ${version} is in standard support on ${day} (cluster/catalog.ts)`,
        extended: `Kubernetes ${version} is past standard support on ${day}, but upgradePolicy STANDARD makes AWS upgrade it instead of billing extended support`,
        unsupported: `Kubernetes ${version} is past extended support on ${day}: AWS upgrades it`,
        unknown: `Kubernetes ${version} is not in cluster/catalog.ts: priced at the standard rate`,
    };
    return [ctx.line(record, "control plane hours", "eks.cluster", hours, "hours", `730 hours; ${why[phase]}`)];
};

/** A node fleet priced as one instance type, with its root volumes. */
interface Fleet {
    nodes: Range;
    instanceType: string;
    /** How the nodes and the type were chosen (starts the assumption). */
    why: string;
    spot: boolean;
    volume: { gib: number; type: string; source: string };
}

function fleetItems(record: CostRecord, ctx: PricingContext, fleet: Fleet): CostItem[] {
    const spot = fleet.spot ? "; spot capacity priced at the on-demand rate (the upper bound: spot is usually far less)" : "";
    return [
        ctx.line(
            record,
            "instance hours",
            `ec2:${fleet.instanceType}`,
            scale(fleet.nodes, HOURS_PER_MONTH),
            "hours",
            `${rangeText(fleet.nodes, "nodes")} × 730 hours; ${fleet.why}${spot}`,
            `instance type ${fleet.instanceType}`,
        ),
        ctx.line(
            record,
            "root volumes",
            `ebs.${fleet.volume.type}`,
            scale(fleet.nodes, fleet.volume.gib),
            "GB-month",
            `${rangeText(fleet.nodes, "nodes")} × ${num(fleet.volume.gib)} GiB ${fleet.volume.type} root volume (${fleet.volume.source})`,
            `EBS volume type ${fleet.volume.type}`,
        ),
    ];
}

function launchTemplateOf(record: CostRecord, ctx: PricingContext): CostRecord | undefined {
    const urns = record.propertyDependencies?.launchTemplate ?? [];
    const linked = urns.map((u) => ctx.byUrn.get(u)).find((r) => r?.type === "aws:ec2/launchTemplate:LaunchTemplate");
    if (linked) return linked;
    const id = obj(record.inputs.launchTemplate).id ?? obj(record.inputs.launchTemplate).name;
    return ctx.records.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && (`${r.name}-id` === id || r.inputs.name === id || r.parent === record.parent));
}

function nodeGroupFleet(record: CostRecord, ctx: PricingContext): Fleet {
    const scaling = obj(record.inputs.scalingConfig);
    const nodes: Range = { min: Number(scaling.minSize ?? 0), expected: Number(scaling.desiredSize ?? scaling.minSize ?? 0), max: Number(scaling.maxSize ?? 0) };
    const lt = launchTemplateOf(record, ctx);
    const listed = (record.inputs.instanceTypes as string[] | undefined) ?? (typeof lt?.inputs.instanceType === "string" ? [lt.inputs.instanceType] : ["t3.medium"]);
    for (const type of listed) {
        ctx.prices.price(`ec2:${type}`, `instance type ${type} (node group ${record.name})`);
    }
    const mapping = ((lt?.inputs.blockDeviceMappings as Inputs[] | undefined) ?? []).map((m) => obj(m.ebs)).find((e) => e.volumeSize !== undefined);
    const volume = mapping
        ? { gib: Number(mapping.volumeSize), type: String(mapping.volumeType ?? "gp3"), source: `launch template ${lt?.name}` }
        : { gib: Number(record.inputs.diskSize ?? 20), type: "gp3", source: record.inputs.diskSize ? "diskSize" : "the EKS default 20 GiB" };
    const others = listed.length > 1 ? ` (the first of ${listed.join(", ")}: every one is in the price table)` : "";
    return {
        nodes,
        instanceType: listed[0],
        why: `scalingConfig minSize/desiredSize/maxSize; priced as ${listed[0]}${others}`,
        spot: record.inputs.capacityType === "SPOT",
        volume,
    };
}

/** The default node group `eks.Cluster` creates unless skipDefaultNodeGroup is set. */
function defaultNodeGroupFleet(record: CostRecord): Fleet | undefined {
    if (record.inputs.skipDefaultNodeGroup === true) return undefined;
    const type = String(record.inputs.instanceType ?? "t3.medium");
    const nodes = { min: Number(record.inputs.minSize ?? 1), expected: Number(record.inputs.desiredCapacity ?? 2), max: Number(record.inputs.maxSize ?? 2) };
    return {
        nodes,
        instanceType: type,
        why: `eks.Cluster's default node group (skipDefaultNodeGroup is not set), ${type}`,
        spot: false,
        volume: { gib: 20, type: "gp3", source: "the EKS default 20 GiB" },
    };
}

function nodePoolFleet(record: CostRecord, ctx: PricingContext): Fleet {
    const pools = ctx.records.filter((r) => r.type === NODE_POOL_TYPE).map(poolShape);
    const shape = poolShape(record);
    const groups = assignPods(pools, podGroups(ctx.records)).get(shape.name) ?? [];
    const demand = poolDemand(groups);
    const specs = ctx.prices.table.instanceSpecs;
    let candidates: string[];
    let from: string;
    if (shape.instanceTypes) {
        candidates = shape.instanceTypes;
        candidates.forEach((t) => ctx.prices.price(`ec2:${t}`, `instance type ${t} (NodePool ${shape.name})`));
        from = `the cheapest fit of its instance types ${candidates.join(", ")}`;
    } else {
        candidates = Object.keys(specs).filter((t) => allowedBy(shape, t));
        from = `the cheapest fit among the price table's types the pool allows (${candidates.join(", ") || "none"}): Karpenter may pick types the table lacks`;
    }
    const plans = candidates.map((type) => {
        const spec = ctx.prices.spec(type);
        const cap = shape.cpuLimit === undefined ? Infinity : Math.max(1, Math.floor(shape.cpuLimit / spec.vcpu));
        const n = (d: { cpu: number; memoryGiB: number }): number => Math.min(cap, nodesFor(d, spec));
        const nodes: Range = { min: n(demand.min), expected: n(demand.expected), max: n(demand.max) };
        return { type, spec, nodes, cost: nodes.expected * ctx.prices.price(`ec2:${type}`).usd };
    });
    if (plans.length === 0) {
        throw new MissingPriceError(
            "ec2:*",
            ctx.prices.region,
            `any instance type NodePool ${shape.name} allows (families ${shape.families?.join("/") ?? "any"}, categories ${shape.categories?.join("/") ?? "any"}, sizes ${shape.sizes?.join("/") ?? "any"}, generation above ${shape.generationAbove ?? "any"}); the table's instanceSpecs have none of them`,
        );
    }
    const best = plans.reduce((a, b) => (b.cost < a.cost ? b : a));
    const free = allocatable(best.spec);
    const nodeClass = obj(obj(obj(record.inputs.spec).template).spec).nodeClassRef as Inputs | undefined;
    const classRecord = ctx.records.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass" && obj(r.inputs.metadata).name === nodeClass?.name);
    // Every volume a node gets (Bottlerocket has a root and a data volume), priced as the first one's type.
    const volumes = ((obj(classRecord?.inputs.spec).blockDeviceMappings as Inputs[] | undefined) ?? []).map((m) => obj(m.ebs)).filter((e) => e.volumeSize !== undefined);
    const gib = volumes.reduce((sum, e) => sum + (typeof e.volumeSize === "number" ? e.volumeSize : memoryGiB(e.volumeSize)), 0);
    const volume =
        volumes.length > 0
            ? { gib, type: String(volumes[0].volumeType ?? "gp3"), source: `EC2NodeClass ${String(nodeClass?.name)}` }
            : { gib: 20, type: "gp3", source: "Karpenter's default 20 GiB" };
    const pods = groups.map((g) => `${g.deployment} ${rangeText(g.replicas, "pods")}`).join(", ") || "no pods";
    return {
        nodes: best.nodes,
        instanceType: best.type,
        why: `pods' requests at their floors and ceilings (${num(demand.expected.cpu)} vCPU / ${num(demand.expected.memoryGiB)} GiB at the floors, ${num(demand.max.cpu)} / ${num(demand.max.memoryGiB)} at the ceilings: ${pods}) plus ${PER_NODE_SYSTEM.cpu} vCPU / ${PER_NODE_SYSTEM.memoryGiB} GiB of system pods per node, packed onto ${best.type} (${num(free.cpu)} vCPU / ${num(free.memoryGiB)} GiB free for pods each), ${from}${shape.cpuLimit !== undefined ? `; limits.cpu ${num(shape.cpuLimit)} caps the nodes` : ""}`,
        spot: shape.capacityTypes.includes("spot"),
        volume,
    };
}

/** Every node the cluster runs (node groups, the default group, NodePools), for per-node charges such as Container Insights. */
export function fleetNodes(records: CostRecord[], ctx: PricingContext): Range {
    const fleets = records.flatMap((r) => {
        if (r.type === "aws:eks/nodeGroup:NodeGroup") return [nodeGroupFleet(r, ctx)];
        if (r.type === NODE_POOL_TYPE) return [nodePoolFleet(r, ctx)];
        if (r.type === "eks:index:Cluster") return [defaultNodeGroupFleet(r)].filter((f): f is Fleet => f !== undefined);
        return [];
    });
    return fleets.reduce<Range>((s, f) => ({ min: s.min + f.nodes.min, expected: s.expected + f.nodes.expected, max: s.max + f.nodes.max }), { min: 0, expected: 0, max: 0 });
}

/** A standalone EBS volume. */
const volume: Pricer = (record, ctx) => {
    const type = String(record.inputs.type ?? "gp3");
    const size = Number(record.inputs.size ?? 0);
    return [ctx.line(record, "volume storage", `ebs.${type}`, fixed(size), "GB-month", `${size} GiB ${type}`, `EBS volume type ${type}`)];
};

/** Compute pricers by type token. */
export const computePricers: Record<string, Pricer> = {
    "eks:index:Cluster": (record, ctx) => {
        const fleet = defaultNodeGroupFleet(record);
        return [...controlPlane(record, ctx), ...(fleet ? fleetItems(record, ctx, fleet) : [])];
    },
    "aws:eks/cluster:Cluster": controlPlane,
    "aws:eks/nodeGroup:NodeGroup": (record, ctx) => fleetItems(record, ctx, nodeGroupFleet(record, ctx)),
    [NODE_POOL_TYPE]: (record, ctx) => fleetItems(record, ctx, nodePoolFleet(record, ctx)),
    "aws:ebs/volume:Volume": volume,
};

/**
 * Karpenter NodePools priced from the pods the program declares (records
 * built here in the `karpenter.sh/v1` NodePool shape): floors and ceilings
 * of the pods' requests, headroom, system pods per node. Pure.
 */
import { estimateCost } from "./cost";
import type { CostRecord } from "./costModel";
import { cpuCores, memoryGiB, nodesFor, NODE_POOL_TYPE } from "./nodeCapacity";
import { PRICE_TABLE } from "./priceTable";

const M6A = PRICE_TABLE.regions["eu-west-1"].prices["ec2:m6a.large"].usd;

const NOW = new Date("2026-12-03T00:00:00Z");

function rec(type: string, name: string, inputs: Record<string, unknown>): CostRecord {
    return { urn: `urn:pulumi:test::iam::iam:test:C$${type}::${name}`, type, name, parent: "urn:pulumi:test::iam::iam:cluster:Cluster::c", inputs };
}

function nodePool(name: string, requirements: { key: string; operator: string; values: string[] }[], extra: Record<string, unknown> = {}): CostRecord {
    return rec(NODE_POOL_TYPE, `pool-${name}`, {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name },
        spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements } }, ...extra },
    });
}

function deployment(name: string, cpu: string, memory: string, replicas: number, nodeSelector?: Record<string, string>): CostRecord {
    return rec("kubernetes:apps/v1:Deployment", `${name}-deployment`, {
        metadata: { name },
        spec: { replicas, template: { spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name, resources: { requests: { cpu, memory } } }] } } },
    });
}

function hpa(name: string, minReplicas: number, maxReplicas: number): CostRecord {
    return rec("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${name}-hpa`, {
        spec: { minReplicas, maxReplicas, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name } },
    });
}

const onDemandM6 = [
    { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
    { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.large", "m6a.large"] },
];

describe("quantities", () => {
    it("parse the way Kubernetes writes them", () => {
        expect([cpuCores("500m"), cpuCores("2"), cpuCores(1)]).toEqual([0.5, 2, 1]);
        expect([memoryGiB("512Mi"), memoryGiB("2Gi"), memoryGiB("1G")]).toEqual([0.5, 2, 1e9 / 2 ** 30]);
    });

    it("pack onto at least one node while anything is asked for, and none when nothing is", () => {
        const m6i = { vcpu: 2, memoryGiB: 8 };
        expect(nodesFor({ cpu: 0, memoryGiB: 0 }, m6i)).toBe(0);
        expect(nodesFor({ cpu: 0.1, memoryGiB: 0.1 }, m6i)).toBe(1);
        expect(nodesFor({ cpu: 3.1, memoryGiB: 1 }, m6i)).toBe(2); // 1.55 vCPU free per node
        expect(nodesFor({ cpu: 3.2, memoryGiB: 1 }, m6i)).toBe(3);
        expect(nodesFor({ cpu: 0.5, memoryGiB: 14 }, m6i)).toBe(3); // 6.6 GiB free per node
    });
});

describe("a NodePool", () => {
    const app = [deployment("api", "500m", "512Mi", 3), hpa("api", 3, 12), deployment("headroom", "1", "2Gi", 2)];

    it("runs the nodes the pods need at their floors, up to what their ceilings need, on the cheapest type it allows", () => {
        const e = estimateCost([nodePool("apps", onDemandM6), ...app], { region: "eu-west-1", now: NOW });
        const [hours] = e.items.filter((i) => i.charge === "instance hours");
        // floors: 3 × 0.5 + 2 × 1 = 3.5 vCPU → 3 m6a.large (1.55 vCPU free each); ceilings: 12 × 0.5 + 2 = 8 vCPU → 6.
        expect(hours.priceKey).toBe("ec2:m6a.large");
        expect([hours.min, hours.monthly, hours.max].map((usd) => Math.round(usd / (730 * M6A)))).toEqual([3, 3, 6]);
        expect(hours.quantity).toBe(3 * 730);
        expect(hours.assumption).toMatch(/api 3 pods \(3-12\), headroom 2 pods/);
        expect(hours.assumption).toMatch(/system pods per node/);
        expect(e.items.filter((i) => i.charge === "root volumes")[0].quantity).toBe(3 * 20);
    });

    it("is capped by its CPU limit", () => {
        const e = estimateCost([nodePool("apps", onDemandM6, { limits: { cpu: "8" } }), ...app], { region: "eu-west-1", now: NOW });
        const [hours] = e.items.filter((i) => i.charge === "instance hours");
        expect(Math.round(hours.max / (730 * M6A))).toBe(4); // 8 vCPU of 2-vCPU nodes
    });

    it("takes only the pods that select it, and leaves pods pinned to a node group to that group", () => {
        const pools = [nodePool("apps", onDemandM6), nodePool("batch", onDemandM6)];
        const e = estimateCost(
            [
                ...pools,
                deployment("api", "500m", "512Mi", 2),
                deployment("job", "1", "1Gi", 4, { "karpenter.sh/nodepool": "batch" }),
                deployment("ctl", "1", "1Gi", 9, { "iam/node-group": "system" }),
            ],
            { region: "eu-west-1", now: NOW },
        );
        const nodes = (pool: string) => e.items.find((i) => i.resource === `pool-${pool}` && i.charge === "instance hours")?.assumption;
        expect(nodes("apps")).toMatch(/api 2 pods\)/);
        expect(nodes("batch")).toMatch(/job 4 pods\)/);
        expect(e.items.map((i) => i.assumption).join(" ")).not.toMatch(/ctl/);
    });

    it("follows required node affinity: nodepool In picks the pool, nodepool DoesNotExist leaves the pod to the node group", () => {
        const affinity = (expr: Record<string, unknown>) => ({
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } },
        });
        const withAffinity = (d: CostRecord, expr: Record<string, unknown>): CostRecord => {
            const inputs = structuredClone(d.inputs) as { spec: { template: { spec: Record<string, unknown> } } };
            inputs.spec.template.spec.affinity = affinity(expr);
            return { ...d, inputs };
        };
        const pools = [nodePool("apps", onDemandM6), nodePool("batch", onDemandM6)];
        const e = estimateCost(
            [
                ...pools,
                deployment("api", "500m", "512Mi", 2),
                withAffinity(deployment("job", "1", "1Gi", 4), { key: "karpenter.sh/nodepool", operator: "In", values: ["batch"] }),
                withAffinity(deployment("controller", "1", "1Gi", 2), { key: "karpenter.sh/nodepool", operator: "DoesNotExist" }),
            ],
            { region: "eu-west-1", now: NOW },
        );
        const text = (pool: string) => e.items.find((i) => i.resource === `pool-${pool}` && i.charge === "instance hours")?.assumption;
        expect(text("batch")).toMatch(/: job 4 pods\)/);
        expect(text("apps")).toMatch(/: api 2 pods\)/);
        expect(e.items.map((i) => i.assumption).join(" ")).not.toMatch(/controller/);
    });

    it("names an instance type it allows that the table lacks", () => {
        const pool = nodePool("apps", [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.large", "m8g.large"] }]);
        expect(() => estimateCost([pool, ...app], { region: "eu-west-1", now: NOW })).toThrow(/instance type m8g\.large \(NodePool apps\).*guardrails\/prices\.json/);
    });

    it("prices spot pools at the on-demand rate and says so", () => {
        const spot = nodePool("apps", [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
            { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m6i", "m6a"] },
        ]);
        const [hours] = estimateCost([spot, ...app], { region: "eu-west-1", now: NOW }).items;
        expect(hours.assumption).toMatch(/spot capacity priced at the on-demand rate/);
        expect(hours.priceKey).toMatch(/^ec2:m6[ai]\./);
    });

    it("reads category, size and generation requirements and every volume of its EC2NodeClass", () => {
        const pool = nodePool("general", [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m", "c"] },
            { key: "karpenter.k8s.aws/instance-size", operator: "In", values: ["large"] },
            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
        ]);
        const nodeClass = rec("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "default-class", {
            metadata: { name: "default" },
            spec: { blockDeviceMappings: [{ ebs: { volumeSize: "4Gi", volumeType: "gp3" } }, { ebs: { volumeSize: "20Gi", volumeType: "gp3" } }] },
        });
        const e = estimateCost([pool, nodeClass, ...app], { region: "eu-west-1", now: NOW });
        const [hours, volumes] = e.items;
        // m5 is generation 5 (excluded), xlarge is not a listed size: the cheapest allowed fit is c6i.large or m6a.large.
        expect(hours.assumption).toMatch(/types the pool allows \(m6i\.large, m6a\.large, c6i\.large\)/);
        expect(volumes.assumption).toMatch(/× 24 GiB gp3 root volume \(EC2NodeClass default\)/);
        const none = nodePool("gpu", [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["g"] }]);
        expect(() => estimateCost([none, ...app], { region: "eu-west-1", now: NOW })).toThrow(/any instance type NodePool gpu allows \(.*categories g.*guardrails\/prices\.json/);
    });
});

/**
 * The pricer on records built here (pure: no program run, no cloud SDK):
 * what each resource costs, what usage moves, and that a price the table
 * lacks stops the estimate instead of counting zero.
 */
import { estimateCost } from "./cost";
import type { CostEstimate, CostRecord } from "./costModel";
import { costDelta } from "./costDelta";
import { MissingPriceError, PRICE_TABLE, priceTableProblems } from "./priceTable";

const NOW = new Date("2026-12-03T00:00:00Z");
const STACK = "urn:pulumi:test::iam::";
let n = 0;

function rec(type: string, name: string, inputs: Record<string, unknown>, parent = "iam:test:Component"): CostRecord {
    n += 1;
    return { urn: `${STACK}${parent}$${type}::${name}`, type, name, parent: `${STACK}${parent}::parent-${n}`, inputs };
}

const price = (key: string): number => PRICE_TABLE.regions["eu-west-1"].prices[key].usd;
const estimate = (records: CostRecord[], now = NOW): CostEstimate => estimateCost(records, { region: "eu-west-1", now });
const lines = (e: CostEstimate, charge: string) => e.items.filter((i) => i.charge === charge);

function natNetwork(zones: string[]): CostRecord[] {
    return zones.flatMap((z) => [
        rec("aws:ec2/eip:Eip", `net-nat-${z}`, { domain: "vpc" }, "iam:network:Network"),
        rec("aws:ec2/natGateway:NatGateway", `net-nat-${z}`, { connectivityType: "public", subnetId: `public-${z}` }, "iam:network:Network"),
    ]);
}

function mariadb(multiAz: boolean, instanceClass = "db.r6g.large"): CostRecord {
    return rec("aws:rds/instance:Instance", "db", { engine: "mariadb", instanceClass, multiAz, allocatedStorage: 100, maxAllocatedStorage: 500, storageType: "gp3" });
}

describe("the price table", () => {
    it("is dated, sourced, and has the same keys in every region it covers (the stacks' eu-west-1 and us-east-1)", () => {
        expect(priceTableProblems(PRICE_TABLE)).toEqual([]);
        expect(Object.keys(PRICE_TABLE.regions).sort()).toEqual(["eu-west-1", "us-east-1"]);
    });

    it("reports a price missing in one region", () => {
        const broken = structuredClone(PRICE_TABLE);
        delete broken.regions["us-east-1"].prices["nat.hour"];
        expect(priceTableProblems(broken)).toEqual(["us-east-1: nat.hour is missing (present in another region)"]);
    });
});

describe("estimateCost", () => {
    it("adds the items up to the total, and their bounds to min and max", () => {
        const e = estimate([...natNetwork(["a", "b", "c"]), mariadb(true)]);
        const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b * 100, 0)) / 100;
        expect(e.monthly.total).toBe(sum(e.items.map((i) => i.monthly)));
        expect(e.monthly.min).toBe(sum(e.items.map((i) => i.min)));
        expect(e.monthly.max).toBe(sum(e.items.map((i) => i.max)));
        expect(e.monthly.min).toBeLessThan(e.monthly.total);
        expect(e.monthly.max).toBeGreaterThan(e.monthly.total);
        for (const item of e.items) {
            expect(item.assumption).not.toBe("");
            expect(item.monthly).toBeCloseTo(item.quantity * item.unitPrice, 1);
        }
    });

    it("switching NAT from per zone to single removes two gateways' hours (and their addresses and data)", () => {
        const perZone = estimate(natNetwork(["a", "b", "c"]));
        const single = estimate(natNetwork(["a"]));
        const hourly = 730 * price("nat.hour");
        expect(lines(perZone, "gateway hours").map((i) => i.monthly)).toEqual([hourly, hourly, hourly].map((x) => Math.round(x * 100) / 100));
        expect(lines(single, "gateway hours")).toHaveLength(1);
        const removed = costDelta(perZone, single).changes;
        expect(removed.filter((c) => c.charge === "gateway hours").map((c) => [c.change, c.resource])).toEqual([
            ["removed", "net-nat-b"],
            ["removed", "net-nat-c"],
        ]);
        expect(removed.every((c) => c.change === "removed")).toBe(true);
        expect(perZone.monthly.total - single.monthly.total).toBeCloseTo(2 * (hourly + 730 * price("ipv4.hour") + 100 * price("nat.gb")), 1);
    });

    it("Multi-AZ doubles the database instance line (and its storage)", () => {
        const single = estimate([mariadb(false)]);
        const multi = estimate([mariadb(true)]);
        const [one] = lines(single, "instance hours");
        const [two] = lines(multi, "instance hours");
        expect(one.monthly).toBeCloseTo(730 * price("rds.mariadb:db.r6g.large"), 2);
        expect(two.monthly).toBeCloseTo(2 * one.monthly, 2);
        expect(lines(multi, "storage")[0].monthly).toBeCloseTo(2 * lines(single, "storage")[0].monthly, 2);
        expect(lines(multi, "storage")[0].max).toBeCloseTo(2 * 500 * price("rds.gp3"), 2);
    });

    it("fails on an unknown instance type, naming it and the file to update", () => {
        const group = rec("aws:eks/nodeGroup:NodeGroup", "nodes", { instanceTypes: ["m7i-flex.large"], scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 } });
        expect(() => estimate([group])).toThrow(MissingPriceError);
        expect(() => estimate([group])).toThrow(/instance type m7i-flex\.large.*add it to guardrails\/prices\.json/);
        expect(() => estimate([mariadb(false, "db.x2g.large")])).toThrow(
            /RDS mariadb instance class db\.x2g\.large \(key "rds\.mariadb:db\.x2g\.large"\) in region eu-west-1: add it to guardrails\/prices\.json/,
        );
        expect(() => estimateCost([], { region: "ap-south-2" })).toThrow(/region ap-south-2/);
    });

    it("prices a managed node group at desired size, bounded by min and max, with its launch template's root volumes", () => {
        const lt = rec("aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt", { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] });
        const group = {
            ...rec("aws:eks/nodeGroup:NodeGroup", "nodes", { instanceTypes: ["m6i.large", "m6a.large"], scalingConfig: { minSize: 3, desiredSize: 4, maxSize: 9 } }),
            propertyDependencies: { launchTemplate: [lt.urn] },
        };
        const e = estimate([lt, group]);
        const [hours] = lines(e, "instance hours");
        expect(hours.quantity).toBe(4 * 730);
        expect([hours.min, hours.monthly, hours.max]).toEqual([3, 4, 9].map((k) => Math.round(k * 730 * price("ec2:m6i.large") * 100) / 100));
        expect(lines(e, "root volumes")[0].quantity).toBe(4 * 50);
    });

    it("prices the control plane at the extended-support rate only while the version is in extended support and the cluster may stay there", () => {
        const cluster = (upgradePolicy?: unknown) =>
            rec("eks:index:Cluster", "eks", { name: "c", version: "1.33", skipDefaultNodeGroup: true, ...(upgradePolicy ? { upgradePolicy } : {}) });
        const extended = estimate([cluster({ supportType: "EXTENDED" })]);
        expect(extended.items[0]).toMatchObject({ priceKey: "eks.extendedSupport", monthly: Math.round(730 * price("eks.extendedSupport") * 100) / 100 });
        expect(extended.items[0].assumption).toMatch(/1\.33 is in extended support on 2026-12-03/);
        expect(estimate([cluster()]).items[0].priceKey).toBe("eks.extendedSupport"); // AWS's default policy is EXTENDED
        expect(estimate([cluster({ supportType: "STANDARD" })]).items[0].priceKey).toBe("eks.cluster");
        const standard = estimate([rec("eks:index:Cluster", "eks", { name: "c", version: "1.35", skipDefaultNodeGroup: true })]);
        expect(standard.items.map((i) => i.priceKey)).toEqual(["eks.cluster"]);
        // The clock is an input: the same version after its extended support ends is no longer billed at that rate.
        expect(estimate([cluster({ supportType: "EXTENDED" })], new Date("2027-08-01T00:00:00Z")).items[0].priceKey).toBe("eks.cluster");
    });

    it("prices the ALB's hours, its LCUs as a range, and its public addresses", () => {
        const alb = rec("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false, subnets: ["a", "b", "c"] });
        const e = estimate([alb]);
        expect(e.items.map((i) => i.charge)).toEqual(["load balancer hours", "LCU hours", "public IPv4 hours"]);
        const [lcu] = lines(e, "LCU hours");
        expect(lcu.min).toBeLessThan(lcu.monthly);
        expect(lcu.max).toBeGreaterThan(lcu.monthly);
        expect(lines(e, "public IPv4 hours")[0].quantity).toBe(3 * 730);
        expect(() => estimate([rec("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" })])).toThrow(/network load balancer/);
    });

    it("prices interface endpoints per zone and gateway endpoints at nothing", () => {
        const e = estimate([
            rec("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.ecr.api", subnetIds: ["a", "b", "c"] }),
            rec("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-west-1.s3" }),
        ]);
        expect(e.items.map((i) => [i.resource, i.charge, i.quantity])).toEqual([
            ["ecr-api", "endpoint hours", 3 * 730],
            ["ecr-api", "data processed", 10],
        ]);
    });

    it("prices DocumentDB instances, storage and I/O, ElastiCache nodes, WAF, keys, secrets and logs", () => {
        const e = estimate([
            rec("aws:docdb/cluster:Cluster", "docdb", { manageMasterUserPassword: true }),
            rec("aws:docdb/clusterInstance:ClusterInstance", "docdb-1", { instanceClass: "db.r6g.large" }),
            rec("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.r7g.large", numCacheClusters: 2 }),
            rec("aws:wafv2/webAcl:WebAcl", "waf", { rules: [{}, {}, {}] }),
            rec("aws:kms/key:Key", "key", {}),
            rec("aws:secretsmanager/secret:Secret", "secret", {}),
            rec("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 90 }),
            rec("aws:cloudwatch/logGroup:LogGroup", "waf-logs", { name: "aws-waf-logs-iam-prod", retentionInDays: 30 }),
            rec("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { metricQueries: [{ metric: {} }, { metric: {} }, { expression: "m1/m2" }] }),
        ]);
        const by = (resource: string) => e.items.filter((i) => i.resource === resource).map((i) => [i.charge, i.quantity]);
        expect(by("docdb")).toEqual([
            ["storage", 10],
            ["I/O", 10],
            ["managed master password secret", 1],
        ]);
        expect(by("docdb-1")).toEqual([["instance hours", 730]]);
        expect(by("redis")).toEqual([["node hours", 2 * 730]]);
        expect(by("waf")).toEqual([
            ["web ACL", 1],
            ["rules", 3],
            ["requests", 10],
        ]);
        expect(by("key")).toEqual([["key", 1]]);
        expect(by("secret")).toEqual([["secret", 1]]);
        expect(by("logs")).toEqual([
            ["logs ingested", 2],
            ["logs stored", 6],
        ]);
        expect(by("waf-logs")).toEqual([
            ["logs ingested", 15],
            ["logs stored", 15],
        ]);
        expect(by("alarm")).toEqual([["alarm metrics", 2]]);
    });
});

/**
 * The monthly estimate of the real stack files, from the shared harness runs
 * (no extra program run): what prod and staging register is what is priced.
 */
import { estimateCost } from "../guardrails/cost";
import type { CostEstimate } from "../guardrails/costModel";
import { ofType, runStack, StackRun } from "./harness";

const NOW = new Date("2026-12-03T00:00:00Z");
const runs: Record<string, StackRun> = {};
const estimates: Record<string, CostEstimate> = {};

beforeAll(async () => {
    for (const stack of ["prod", "staging"]) {
        runs[stack] = await runStack(stack);
        estimates[stack] = estimateCost(runs[stack].resources, { region: runs[stack].config.region, now: NOW });
    }
});

const charge = (stack: string, what: string) => estimates[stack].items.filter((i) => i.charge === what);

describe.each(["prod", "staging"])("the estimate of %s", (stack) => {
    it("adds its items up to the total", () => {
        const e = estimates[stack];
        expect(e.monthly.total).toBe(e.items.reduce((s, i) => s + Math.round(i.monthly * 100), 0) / 100);
        expect(e.monthly.min).toBeLessThan(e.monthly.total);
        expect(e.monthly.max).toBeGreaterThan(e.monthly.total);
        expect(e.region).toBe("eu-west-1");
    });

    it("prices every NAT gateway, database, cache and DocumentDB instance the program registers", () => {
        const run = runs[stack];
        const priced = (type: string) => new Set(estimates[stack].items.filter((i) => i.type === type).map((i) => i.resource));
        for (const type of [
            "aws:ec2/natGateway:NatGateway",
            "aws:rds/instance:Instance",
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "aws:docdb/clusterInstance:ClusterInstance",
            "aws:eks/nodeGroup:NodeGroup",
            "aws:kms/key:Key",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:cloudwatch/logGroup:LogGroup",
        ]) {
            expect([type, priced(type)]).toEqual([type, new Set(ofType(run, type).map((r) => r.name))]);
        }
        expect(charge(stack, "control plane hours")).toHaveLength(1);
    });
});

describe("prod against staging", () => {
    it("staging costs less than prod", () => {
        expect(estimates.staging.monthly.total).toBeLessThan(estimates.prod.monthly.total);
        expect(estimates.staging.monthly.max).toBeLessThan(estimates.prod.monthly.max);
    });

    it("prod pays for a NAT gateway per zone, staging for one", () => {
        expect(charge("prod", "gateway hours")).toHaveLength(3);
        expect(charge("staging", "gateway hours")).toHaveLength(1);
    });

    it("prod's Multi-AZ MariaDB bills two instances, staging's one", () => {
        const [prod] = charge("prod", "instance hours").filter((i) => i.type === "aws:rds/instance:Instance");
        const [staging] = charge("staging", "instance hours").filter((i) => i.type === "aws:rds/instance:Instance");
        expect([prod.quantity, staging.quantity]).toEqual([2 * 730, 730]);
    });
});

/**
 * cost.md: the table by component adds up to the total, and the pie chart
 * shows where the money goes by area. Pure.
 */
import { estimateCost } from "./cost";
import type { CostRecord } from "./costModel";
import { costMarkdown, totalsBy, usd } from "./costReport";

const NOW = new Date("2026-12-03T00:00:00Z");
const rec = (component: string, type: string, name: string, inputs: Record<string, unknown>): CostRecord => ({
    urn: `urn:pulumi:s::iam::${component}$${type}::${name}`,
    type,
    name,
    parent: `urn:pulumi:s::iam::${component}::c`,
    inputs,
});

const estimate = estimateCost(
    [
        rec("iam:network:Network", "aws:ec2/natGateway:NatGateway", "nat-a", {}),
        rec("iam:network:Network", "aws:ec2/eip:Eip", "nat-a", {}),
        rec("iam:data:DataTier$iam:data:ManagedMariadb", "aws:rds/instance:Instance", "db", {
            engine: "mariadb",
            instanceClass: "db.r6g.large",
            multiAz: true,
            allocatedStorage: 100,
            storageType: "gp3",
        }),
        rec("iam:alarms:Alarms", "aws:kms/key:Key", "key", {}),
    ],
    { region: "eu-west-1", now: NOW },
);

describe("costMarkdown", () => {
    const md = costMarkdown("prod", estimate);

    it("has a row per component that add up to the total", () => {
        const rows = [...md.matchAll(/^\| `([^`]+)` \| \$([\d,.]+) \|/gm)].map((m) => [m[1], Number(m[2].replace(/,/g, ""))] as const);
        expect(rows.map(([c]) => c)).toEqual(["iam:data:ManagedMariadb", "iam:network:Network", "iam:alarms:Alarms"]);
        expect(rows.reduce((s, [, v]) => s + Math.round(v * 100), 0) / 100).toBe(estimate.monthly.total);
        expect(md).toContain(`| **total** | **${usd(estimate.monthly.total)}** |`);
    });

    it("draws a Mermaid pie by area, and lists every line with its assumption", () => {
        const pie = /```mermaid\n(pie showData title prod: USD a month by area\n[\s\S]*?)```/.exec(md)?.[1] ?? "";
        const slices = [...pie.matchAll(/^ {4}"(\w+)" : ([\d.]+)$/gm)].map((m) => m[1]);
        expect(slices).toEqual(totalsBy(estimate.items, (i) => i.component.split(":")[1]).map((a) => a.name));
        expect(slices).toEqual(["data", "network", "alarms"]);
        for (const item of estimate.items) {
            expect(md).toContain(item.assumption);
        }
    });
});

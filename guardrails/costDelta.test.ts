/**
 * costDelta: the pull request's change to a stack's estimate lists exactly
 * the lines that changed. Pure.
 */
import { estimateCost } from "./cost";
import type { CostRecord } from "./costModel";
import { costDelta } from "./costDelta";
import { costDeltaMarkdown } from "./costReport";

const NOW = new Date("2026-12-03T00:00:00Z");

function rec(type: string, name: string, inputs: Record<string, unknown>): CostRecord {
    return { urn: `urn:pulumi:test::iam::iam:test:C$${type}::${name}`, type, name, parent: "urn:pulumi:test::iam::iam:data:DataTier::data", inputs };
}

const base = [
    rec("aws:rds/instance:Instance", "db", { engine: "mariadb", instanceClass: "db.t4g.medium", multiAz: false, allocatedStorage: 20, storageType: "gp3" }),
    rec("aws:kms/key:Key", "key", {}),
    rec("aws:secretsmanager/secret:Secret", "old-secret", {}),
];
const head = [
    rec("aws:rds/instance:Instance", "db", { engine: "mariadb", instanceClass: "db.r6g.large", multiAz: false, allocatedStorage: 20, storageType: "gp3" }),
    rec("aws:kms/key:Key", "key", {}),
    rec("aws:kms/key:Key", "new-key", {}),
];
const estimate = (records: CostRecord[]) => estimateCost(records, { region: "eu-west-1", now: NOW });

describe("costDelta", () => {
    it("lists exactly the lines that changed: added, removed, changed; nothing unchanged", () => {
        const delta = costDelta(estimate(base), estimate(head));
        expect(delta.changes.map((c) => [c.change, c.resource, c.charge])).toEqual([
            ["changed", "db", "instance hours"],
            ["added", "new-key", "key"],
            ["removed", "old-secret", "secret"],
        ]);
        expect(delta.delta).toBeCloseTo(
            delta.changes.reduce((s, c) => s + c.delta, 0),
            2,
        );
        expect(delta.head - (delta.base ?? 0)).toBeCloseTo(delta.delta, 2);
    });

    it("lists nothing for two renders of the same resources", () => {
        expect(costDelta(estimate(head), estimate(head))).toMatchObject({ delta: 0, changes: [] });
    });

    it("counts every line as added when the base branch has no estimate", () => {
        const delta = costDelta(undefined, estimate(head));
        expect(delta.base).toBeUndefined();
        expect(delta.changes.every((c) => c.change === "added")).toBe(true);
        expect(costDeltaMarkdown("prod", delta, estimate(head))).toMatch(/no estimate on the base branch/);
    });

    it("writes the totals and the changed lines for the pull-request comment", () => {
        const md = costDeltaMarkdown("prod", costDelta(estimate(base), estimate(head)), estimate(head));
        expect(md).toMatch(/^### Monthly cost estimate: prod/);
        expect(md).toMatch(/\+\$\d+\.\d\d against the base branch/);
        expect(md).toMatch(/\| changed \| `iam:data:DataTier` \| db \| instance hours \| \$52\.56 \|/);
    });
});

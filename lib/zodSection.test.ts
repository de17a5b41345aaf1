import { z } from "zod";
import { ConfigIssues } from "./reader";
import { readSection } from "./zodSection";

describe("readSection: a zod section reports into the config problem list by YAML path", () => {
    const schema = z.strictObject({
        pools: z.array(z.strictObject({ name: z.string(), cpu: z.int().min(1, { error: "must be at least 1 vCPU" }) })),
    });

    it("returns the parsed value when it is valid", () => {
        const issues = new ConfigIssues();
        expect(readSection({ pools: [{ name: "a", cpu: 2 }] }, "cluster.karpenter", issues, schema)).toEqual({ pools: [{ name: "a", cpu: 2 }] });
        expect(issues.list).toEqual([]);
    });

    it("names each bad field by its path, list items by index, unknown keys by name", () => {
        const issues = new ConfigIssues();
        expect(readSection({ pools: [{ name: "a", cpu: 0, spot: true }] }, "cluster.karpenter", issues, schema)).toBeUndefined();
        expect(issues.list).toEqual(["cluster.karpenter.pools[0].cpu must be at least 1 vCPU", "cluster.karpenter.pools[0].spot is not a known key"]);
    });
});

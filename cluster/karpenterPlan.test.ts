/**
 * The instance-generation requirement of a NodePool (pure): the program writes
 * "generation n or newer" as `karpenter.k8s.aws/instance-generation Gt n-1`
 * (Karpenter's `Gt` is strict). Off by one (`Gt n`) would silently exclude
 * the minimum generation itself (with the default 5: every m5/c5/r5 family).
 */
import { parseStackConfig } from "../config";
import { rawStackConfig } from "../test/harness";
import { nodePoolSpec } from "./karpenterPlan";

const pool = parseStackConfig(rawStackConfig("prod")).cluster.karpenter?.nodePools[0];
const GENERATION = "karpenter.k8s.aws/instance-generation";

/** Whether a node of `generation` satisfies the pool's generation requirement, as Karpenter evaluates `Gt`. */
function admits(minimumGeneration: number, generation: number): boolean {
    if (!pool) {
        throw new Error("prod has no Karpenter node pool");
    }
    const found = nodePoolSpec({ ...pool, minimumGeneration }).template.spec.requirements.filter((r) => r.key === GENERATION);
    expect(found).toHaveLength(1);
    expect(found[0].operator).toBe("Gt");
    return generation > Number(found[0].values?.[0]);
}

describe("the instance-generation requirement of a NodePool", () => {
    it("is Gt minimumGeneration - 1 (the prod pool's minimum is 5: Gt 4)", () => {
        expect(pool?.minimumGeneration).toBe(5);
        expect(nodePoolSpec(pool as NonNullable<typeof pool>).template.spec.requirements).toContainEqual({ key: GENERATION, operator: "Gt", values: ["4"] });
    });

    it.each([1, 5, 6, 8])("with minimum %i admits that generation and newer, and nothing older", (minimum) => {
        expect(admits(minimum, minimum)).toBe(true);
        expect(admits(minimum, minimum + 1)).toBe(true);
        expect(admits(minimum, minimum - 1)).toBe(false);
    });
});

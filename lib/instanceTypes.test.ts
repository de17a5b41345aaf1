/**
 * The sizes config validation's pod-fit check reads (lib/ec2InstanceSizes.json,
 * from Karpenter's generated instance-type reference): every family, not only
 * m/c/r/t, and what a NodePool may launch. scripts/instanceTypes.test.ts checks
 * the file against the SDK's list.
 */
import { INSTANCE_SIZES_SOURCES, instanceCapacity, largestOfPool, UNSIZED_INSTANCE_TYPES } from "./instanceTypes";

const GiB = 1024;
const pool = { instanceCategories: ["c", "m", "r"], instanceSizes: ["large", "xlarge", "2xlarge"], minimumGeneration: 5 };

describe("instanceCapacity", () => {
    it.each<[string, number, number]>([
        ["m6i.large", 2, 8 * GiB],
        ["r7g.2xlarge", 8, 64 * GiB],
        ["t3.medium", 2, 4 * GiB],
        ["t2.micro", 1, 1 * GiB], // one vCPU: no ratio table knew it
        ["c5n.18xlarge", 72, 192 * GiB], // 2.67 GiB per vCPU, not c's 2
        ["m6i.metal", 128, 512 * GiB],
        ["c7i.metal-48xl", 192, 384 * GiB],
        ["i4i.32xlarge", 128, 1024 * GiB],
        ["x2idn.32xlarge", 128, 2048 * GiB],
        ["g5.48xlarge", 192, 768 * GiB],
        ["inf2.48xlarge", 192, 768 * GiB],
        ["z1d.12xlarge", 48, 384 * GiB],
        ["m7i-flex.8xlarge", 32, 128 * GiB],
        ["a1.metal", 16, 32 * GiB],
        ["hpc6a.48xlarge", 96, 384 * GiB], // SMT off: half the vCPUs the size name suggests
        ["p3.2xlarge", 8, 61 * GiB], // retired from the newest reference: from an older one
    ])("knows %s: %d vCPUs, %d MiB", (type, vcpu, memoryMiB) => {
        expect(instanceCapacity(type)).toEqual({ millicores: vcpu * 1000, memoryMiB });
    });

    it("knows nothing of dedicated-host types, misspellings or inherited names", () => {
        expect(UNSIZED_INSTANCE_TYPES.has("mac1.metal")).toBe(true);
        expect(instanceCapacity("mac1.metal")).toBeUndefined();
        expect(instanceCapacity("u-6tb1.metal")).toBeUndefined();
        expect(instanceCapacity("m6i.larg")).toBeUndefined();
        expect(instanceCapacity("constructor")).toBeUndefined();
    });

    it("says where the sizes come from, with dates", () => {
        expect(INSTANCE_SIZES_SOURCES[0].source).toMatch(/^aws\/karpenter-provider-aws@[0-9a-f]{40}/);
        for (const { date } of INSTANCE_SIZES_SOURCES) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
});

describe("largestOfPool", () => {
    it("finds the largest node by vCPUs and by memory among the types the pool allows", () => {
        const largest = largestOfPool(pool);
        expect(largest.largestCpu?.millicores).toBe(8000);
        expect(largest.largestMemory).toMatchObject({ millicores: 8000, memoryMiB: 64 * GiB });
        expect(largest.largestMemory?.type).toMatch(/^r\d.*\.2xlarge$/);
        expect(largest).toMatchObject({ unknownFamilies: [], unknownTypes: [] });
    });

    it("keeps to the pool's families and generations", () => {
        expect(largestOfPool({ ...pool, instanceFamilies: ["c6i"] }).largestMemory).toEqual({ type: "c6i.2xlarge", millicores: 8000, memoryMiB: 16 * GiB });
        expect(largestOfPool({ ...pool, instanceFamilies: ["c5n"] }).largestMemory).toEqual({ type: "c5n.2xlarge", millicores: 8000, memoryMiB: 21 * GiB });
        expect(largestOfPool({ ...pool, instanceFamilies: ["c5n"], minimumGeneration: 6 }).largestCpu).toBeUndefined();
    });

    it("names what the pool may launch whose size is not known", () => {
        expect(largestOfPool({ ...pool, instanceFamilies: ["m7i", "m99q"] })).toMatchObject({ largestCpu: { type: "m7i.2xlarge" }, unknownFamilies: ["m99q"], unknownTypes: [] });
        expect(largestOfPool({ ...pool, instanceCategories: ["m"], instanceSizes: ["metal-24xl"], minimumGeneration: 9 }).unknownTypes).toEqual([
            "m9g.metal-24xl",
            "m9gd.metal-24xl",
        ]);
    });
});

/**
 * lib/ec2InstanceTypes.json is the AWS SDK's own list (`aws.ec2.InstanceType`
 * of the installed @pulumi/aws): after an SDK upgrade this fails until
 * `npm run instance-types` writes the new list. lib/ec2InstanceSizes.json
 * sizes every type of that list, or lists it as unknown on purpose, and is
 * exactly what the generator writes. Loads only the SDK's enum file.
 */
import * as fs from "fs";
import {
    formatSizesFile,
    INSTANCE_SIZES_FILE,
    INSTANCE_TYPES_FILE,
    InstanceSizesFile,
    instanceSizesFile,
    parseKarpenterReference,
    sdkInstanceTypes,
    sizeOf,
} from "./instanceTypes";

/** Two types in the reference's format (hack/docs/instancetypes_gen of aws/karpenter-provider-aws), labels abridged. */
function reference(types: { type: string; cpu: number; memory: number; category?: string }[]): string {
    return types
        .map(({ type, cpu, memory, category }) => {
            const [family, size] = type.split(".");
            return [
                `### \`${type}\``,
                "#### Labels",
                " | Label | Value |",
                " |--|--|",
                ` |karpenter.k8s.aws/instance-category|${category ?? family[0]}|`,
                ` |karpenter.k8s.aws/instance-cpu|${cpu}|`,
                ` |karpenter.k8s.aws/instance-family|${family}|`,
                ` |karpenter.k8s.aws/instance-generation|${/\d+/.exec(family)?.[0]}|`,
                ` |karpenter.k8s.aws/instance-memory|${memory}|`,
                ` |karpenter.k8s.aws/instance-size|${size}|`,
                " |kubernetes.io/arch|amd64|",
                "#### Resources",
                " | Resource | Quantity |",
                " |--|--|",
                ` |cpu|${cpu * 1000 - 100}m|`,
            ].join("\n");
        })
        .join("\n");
}

describe("the instance types config validation knows", () => {
    it("are exactly the SDK's aws.ec2.InstanceType values", () => {
        expect(JSON.parse(fs.readFileSync(INSTANCE_TYPES_FILE, "utf8"))).toEqual(sdkInstanceTypes());
    });
});

describe("the instance sizes file", () => {
    const text = fs.readFileSync(INSTANCE_SIZES_FILE, "utf8");
    const file = JSON.parse(text) as InstanceSizesFile;
    const known: string[] = JSON.parse(fs.readFileSync(INSTANCE_TYPES_FILE, "utf8"));

    it("sizes every type of lib/ec2InstanceTypes.json, or lists it as unknown on purpose, never both", () => {
        expect(known.filter((t) => !(t in file.sizes) && !file.unknown.includes(t))).toEqual([]);
        expect(file.unknown.filter((t) => t in file.sizes)).toEqual([]);
        expect(file.unknown).toEqual(known.filter((t) => !(t in file.sizes)));
        expect(file.unknown.length).toBeLessThan(known.length / 20);
        expect(file.unknownReason).not.toBe("");
    });

    it("holds whole, positive vCPUs and MiB, dated sources, and stays small", () => {
        expect(Object.values(file.sizes).filter(([vcpu, memoryMiB]) => !(Number.isInteger(vcpu) && vcpu > 0 && Number.isInteger(memoryMiB) && memoryMiB > 0))).toEqual([]);
        expect(file.sources.length).toBeGreaterThan(0);
        for (const source of file.sources) expect(source.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(file.sources.reduce((n, s) => n + s.types, 0)).toBe(Object.keys(file.sizes).length);
        expect(text.length).toBeLessThan(200_000);
    });

    it("is what the generator writes", () => {
        expect(formatSizesFile(file)).toBe(text);
    });
});

describe("the sizes generator", () => {
    it("reads vCPUs and MiB from Karpenter's reference", () => {
        const parsed = parseKarpenterReference(
            reference([
                { type: "i4i.large", cpu: 2, memory: 16384 },
                { type: "m7i-flex.large", cpu: 2, memory: 8192 },
            ]),
        );
        expect([...parsed.keys()]).toEqual(["i4i.large", "m7i-flex.large"]);
        expect(sizeOf("i4i.large", parsed.get("i4i.large") ?? {})).toEqual([2, 16384]);
    });

    it("refuses a type whose labels differ from what its name reads (the NodePool filter reads names)", () => {
        const parsed = parseKarpenterReference(reference([{ type: "hpc7g.4xlarge", cpu: 16, memory: 131072, category: "h" }]));
        expect(() => sizeOf("hpc7g.4xlarge", parsed.get("hpc7g.4xlarge") ?? {})).toThrow(/instance-category=h, the name reads hpc/);
        expect(() => sizeOf("x.large", {})).toThrow(/no instance-cpu and instance-memory/);
    });

    it("keeps the newest source's size, adds older sources' retired types, and lists the SDK types none sizes", () => {
        const newest = { source: "new", date: "2026-07-11", markdown: reference([{ type: "g5.xlarge", cpu: 4, memory: 16384 }]) };
        const older = {
            source: "old",
            date: "2023-10-19",
            markdown: reference([
                { type: "g5.xlarge", cpu: 99, memory: 1 },
                { type: "p3.2xlarge", cpu: 8, memory: 62464 },
            ]),
        };
        const file = instanceSizesFile([newest, older], ["g5.xlarge", "mac1.metal", "p3.2xlarge"], "2026-12-03");
        expect(file.sizes).toEqual({ "g5.xlarge": [4, 16384], "p3.2xlarge": [8, 62464] });
        expect(file.sources).toEqual([
            { source: "new", date: "2026-07-11", types: 1 },
            { source: "old", date: "2023-10-19", types: 1 },
        ]);
        expect(file.unknown).toEqual(["mac1.metal"]);
    });
});

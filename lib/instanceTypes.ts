/**
 * What config validation knows about EC2 instance types, without loading the
 * AWS SDK: the SDK's own list (`aws.ec2.InstanceType` in @pulumi/aws,
 * generated into ec2InstanceTypes.json by scripts/instanceTypes.ts and checked
 * against the SDK by scripts/instanceTypes.test.ts), and the size of a node
 * (vCPUs and memory, from Karpenter's generated instance-type reference,
 * written into ec2InstanceSizes.json by the same script).
 *
 * RDS, DocumentDB and ElastiCache classes are checked against the same list
 * (`db.r6g.large` is the `r6g.large` machine): the SDK's `aws.rds.InstanceType`
 * enum stops at the 6th generation (no db.r7g, db.m7g in @pulumi/aws 7.48.0)
 * and it has no ElastiCache enum, so those would reject current classes.
 */
import sizesFile from "./ec2InstanceSizes.json";
import types from "./ec2InstanceTypes.json";

/** Every EC2 instance type the SDK knows. */
export const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(types as string[]);

/** True when `name` is `<prefix>.<an EC2 instance type>` (`db.r6g.large`, `cache.r7g.large`). */
export function isClassOf(prefix: "db" | "cache", name: string): boolean {
    return name.startsWith(`${prefix}.`) && EC2_INSTANCE_TYPES.has(name.slice(prefix.length + 1));
}

/** What lib/ec2InstanceSizes.json holds (scripts/instanceTypes.ts writes it). */
interface SizesFile {
    sources: { source: string; date: string; types: number }[];
    unknown: string[];
    sizes: Record<string, number[]>;
}

/**
 * vCPUs and memory of every instance type Karpenter's generated reference
 * lists (EC2's DescribeInstanceTypes in three US regions), with the
 * reference's commit and date in the file: see {@link INSTANCE_SIZES_SOURCES}.
 */
const SIZES = (sizesFile as SizesFile).sizes;

/** Where the sizes come from, newest first, each with its date. */
export const INSTANCE_SIZES_SOURCES: readonly { source: string; date: string; types: number }[] = (sizesFile as SizesFile).sources;

/** The SDK's types of unknown size, on purpose (dedicated-host mac and u- types, retired families): the file says why. */
export const UNSIZED_INSTANCE_TYPES: ReadonlySet<string> = new Set((sizesFile as SizesFile).unknown);

/** The file to regenerate when a type's size is missing, relative to the repository root. */
export const INSTANCE_SIZES_FILE = "lib/ec2InstanceSizes.json";

/** A node's capacity: vCPUs (as millicores) and memory (MiB). */
export interface NodeCapacity {
    millicores: number;
    memoryMiB: number;
}

/** The vCPUs and memory (MiB) of an instance type, or undefined where lib/ec2InstanceSizes.json has none. */
export function instanceCapacity(instanceType: string): NodeCapacity | undefined {
    const size = Object.prototype.hasOwnProperty.call(SIZES, instanceType) ? SIZES[instanceType] : undefined;
    return size && { millicores: size[0] * 1000, memoryMiB: size[1] };
}

/** The Karpenter labels read from a type's name, as Karpenter gives them (scripts/instanceTypes.ts checks each against the reference). */
function labelsOf(instanceType: string): TypeLabels {
    let labels = LABELS.get(instanceType);
    if (!labels) {
        const [family, size] = instanceType.split(".");
        const named = /^([a-z]+)(\d+)/.exec(family);
        labels = { category: named?.[1] ?? family, family, generation: Number(named?.[2] ?? 0), size };
        LABELS.set(instanceType, labels);
    }
    return labels;
}
interface TypeLabels {
    category: string;
    family: string;
    generation: number;
    size: string;
}
/** Read once per type: every config parse checks every pool against the ~1,400 types. */
const LABELS = new Map<string, TypeLabels>();

/** What a Karpenter NodePool lets Karpenter launch, as the pod-fit check reads it. */
export interface PoolRequirements {
    instanceCategories: readonly string[];
    instanceFamilies?: readonly string[];
    instanceSizes: readonly string[];
    minimumGeneration: number;
}

/** Whether a NodePool's requirements allow an instance type (read from its name, as Karpenter labels it). */
function allows(pool: PoolRequirements, instanceType: string): boolean {
    const labels = labelsOf(instanceType);
    return (
        pool.instanceCategories.includes(labels.category) &&
        (!pool.instanceFamilies || pool.instanceFamilies.includes(labels.family)) &&
        pool.instanceSizes.includes(labels.size) &&
        labels.generation >= pool.minimumGeneration
    );
}

/** The largest nodes a NodePool may launch, and what it may launch whose size is not known. */
export interface PoolLargest {
    /** The sized type with the most vCPUs the pool allows; undefined when it allows no sized type. */
    largestCpu?: SizedType;
    /** The sized type with the most memory the pool allows (may differ from largestCpu). */
    largestMemory?: SizedType;
    /** The pool's `instanceFamilies` of which no type is sized (newer than the reference, or misspelt). */
    unknownFamilies: string[];
    /** The SDK's types of unknown size that the pool allows (UNSIZED_INSTANCE_TYPES). */
    unknownTypes: string[];
}

/**
 * The largest node a Karpenter NodePool may launch, by vCPUs and by memory,
 * among the sized types its categories, families, sizes and generations
 * allow. Architectures are not filtered: that can only make the largest
 * larger, never cause a false error. What the pool may launch whose size is
 * not known (unknownFamilies, unknownTypes) may be larger still. A family
 * launched after the file's newest source is not seen unless the pool names
 * it: regenerate the file after a Karpenter release (scripts/instanceTypes.ts).
 */
export function largestOfPool(pool: PoolRequirements): PoolLargest {
    const key = JSON.stringify([pool.instanceCategories, pool.instanceFamilies, pool.instanceSizes, pool.minimumGeneration]);
    let found = POOL_LARGEST.get(key);
    if (!found) {
        found = scanPool(pool);
        POOL_LARGEST.set(key, found);
    }
    return { ...found, unknownFamilies: [...found.unknownFamilies], unknownTypes: [...found.unknownTypes] };
}
/** Pools seen before: the scan reads every sized type, and each config parse asks again. */
const POOL_LARGEST = new Map<string, PoolLargest>();

function scanPool(pool: PoolRequirements): PoolLargest {
    let largestCpu: SizedType | undefined;
    let largestMemory: SizedType | undefined;
    const families = new Set<string>();
    for (const type of Object.keys(SIZES)) {
        families.add(labelsOf(type).family);
        if (!allows(pool, type)) continue;
        const sized = { type, ...(instanceCapacity(type) as NodeCapacity) };
        if (!largestCpu || sized.millicores > largestCpu.millicores) largestCpu = sized;
        if (!largestMemory || sized.memoryMiB > largestMemory.memoryMiB) largestMemory = sized;
    }
    return {
        largestCpu,
        largestMemory,
        unknownFamilies: (pool.instanceFamilies ?? []).filter((f) => !families.has(f)),
        unknownTypes: [...UNSIZED_INSTANCE_TYPES].filter((t) => allows(pool, t)),
    };
}

/** An instance type with its capacity. */
export interface SizedType extends NodeCapacity {
    type: string;
}

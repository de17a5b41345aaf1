/**
 * What config validation knows about EC2 instance types, without loading the
 * AWS SDK: the SDK's own list (`aws.ec2.InstanceType` in @pulumi/aws,
 * generated into ec2InstanceTypes.json by scripts/instanceTypes.ts and checked
 * against the SDK by lib/instanceTypes.test.ts), and the size of a node.
 *
 * RDS, DocumentDB and ElastiCache classes are checked against the same list
 * (`db.r6g.large` is the `r6g.large` machine): the SDK's `aws.rds.InstanceType`
 * enum stops at the 6th generation (no db.r7g, db.m7g in @pulumi/aws 7.48.0)
 * and it has no ElastiCache enum, so those would reject current classes.
 */
import types from "./ec2InstanceTypes.json";

/** Every EC2 instance type the SDK knows. */
export const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(types as string[]);

/** True when `name` is `<prefix>.<an EC2 instance type>` (`db.r6g.large`, `cache.r7g.large`). */
export function isClassOf(prefix: "db" | "cache", name: string): boolean {
    return name.startsWith(`${prefix}.`) && EC2_INSTANCE_TYPES.has(name.slice(prefix.length + 1));
}

/**
 * GiB of memory per vCPU by family letter, for the general-purpose (m),
 * compute (c) and memory (r) families; every size of these families keeps the
 * ratio (m6i.large: 2 vCPU, 8 GiB). Source: the EC2 instance type pages,
 * https://aws.amazon.com/ec2/instance-types/ (checked 2026-12-03).
 */
const GIB_PER_VCPU: Record<string, number> = { m: 4, c: 2, r: 8 };
/** Burstable (t3, t3a, t4g): every size up to large has 2 vCPU. */
const BURSTABLE: Record<string, { vcpu: number; memoryGiB: number }> = {
    nano: { vcpu: 2, memoryGiB: 0.5 }, micro: { vcpu: 2, memoryGiB: 1 }, small: { vcpu: 2, memoryGiB: 2 }, medium: { vcpu: 2, memoryGiB: 4 },
    large: { vcpu: 2, memoryGiB: 8 }, xlarge: { vcpu: 4, memoryGiB: 16 }, "2xlarge": { vcpu: 8, memoryGiB: 32 },
};

/** vCPUs of a size name (`large` 2, `xlarge` 4, `12xlarge` 48); undefined for `metal` and unknown sizes. */
function sizeVcpus(size: string): number | undefined {
    if (size === "medium") return 1;
    if (size === "large") return 2;
    const match = /^(\d*)xlarge$/.exec(size);
    return match ? 4 * Number(match[1] || "1") : undefined;
}

/**
 * The vCPUs and memory (MiB) of an instance type, or undefined where the
 * family is not one whose sizes follow a fixed ratio (then no fit check).
 */
export function instanceCapacity(instanceType: string): { millicores: number; memoryMiB: number } | undefined {
    if (!EC2_INSTANCE_TYPES.has(instanceType)) {
        return undefined;
    }
    const [family, size] = instanceType.split(".");
    if (/^t\d/.test(family)) {
        const burst = BURSTABLE[size];
        return burst && { millicores: burst.vcpu * 1000, memoryMiB: burst.memoryGiB * 1024 };
    }
    const ratio = GIB_PER_VCPU[family[0]];
    const vcpu = sizeVcpus(size);
    if (ratio === undefined || vcpu === undefined || !/^[mcr]\d/.test(family)) {
        return undefined;
    }
    return { millicores: vcpu * 1000, memoryMiB: vcpu * ratio * 1024 };
}

/**
 * The largest node a Karpenter NodePool may launch, from its instance
 * categories (c, m, r, t) and sizes: the biggest size, at the most memory per
 * vCPU of the categories. Undefined when no size is one of known vCPUs.
 */
export function largestOfPool(categories: readonly string[], sizes: readonly string[]): { millicores: number; memoryMiB: number } | undefined {
    const vcpus = sizes.map(sizeVcpus).filter((n): n is number => n !== undefined);
    const ratios = categories.map((c) => (c === "t" ? 4 : GIB_PER_VCPU[c])).filter((n): n is number => n !== undefined);
    if (vcpus.length === 0 || ratios.length === 0) {
        return undefined;
    }
    const vcpu = Math.max(...vcpus);
    return { millicores: vcpu * 1000, memoryMiB: vcpu * Math.max(...ratios) * 1024 };
}

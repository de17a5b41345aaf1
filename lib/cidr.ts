/**
 * IPv4 CIDR maths, pure: parsing, overlap, and the subnet plan of the VPC.
 */

export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit number. */
    readonly base: number;
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns an error string when it is malformed or has
 * host bits set (10.0.0.1/16 is almost always a typo for 10.0.0.0/16).
 */
export function parseCidr(text: string): Ipv4Cidr | string {
    const match = CIDR_PATTERN.exec(text);
    if (!match) {
        return "must be an IPv4 CIDR like 10.0.0.0/16";
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return "must be an IPv4 CIDR with octets 0-255 and a prefix 0-32";
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const base = (address & prefixMask(prefix)) >>> 0;
    if (base !== address) {
        return `has host bits set: the network address is ${formatCidr({ base, prefix })}`;
    }
    return { base, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
    const b = cidr.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

function prefixMask(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function size(cidr: Ipv4Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return a.base < b.base + size(b) && b.base < a.base + size(a);
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export interface SubnetPlan {
    /** One CIDR per availability zone, in zone order. */
    readonly private: string[];
    readonly public: string[];
}

/**
 * Lays out the subnets of a VPC: first the private subnets (large, because
 * the VPC CNI gives every pod a VPC address), then the public ones (small:
 * only the load balancer and the NAT gateways live there). Each list is one
 * subnet per zone, packed from the start of the VPC range, so adding a zone
 * later appends without moving an existing subnet of its own kind.
 *
 * Throws when the subnets do not fit the VPC: config validation calls this
 * too, so the error reaches the user before anything is created.
 */
export function planSubnets(vpcCidr: string, zoneCount: number, privatePrefix: number, publicPrefix: number): SubnetPlan {
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") {
        throw new Error(`VPC CIDR ${vpcCidr} ${vpc}`);
    }
    if (privatePrefix < vpc.prefix || publicPrefix < vpc.prefix) {
        throw new Error(`subnet prefixes (/${privatePrefix}, /${publicPrefix}) must be longer than the VPC's /${vpc.prefix}`);
    }
    // The private block is reserved for the zone count rounded up to a power of
    // two (3 zones reserve 4), so adding a zone up to that count never moves a
    // public subnet, which would replace it and the NAT gateway inside it.
    const privateSize = 2 ** (32 - privatePrefix);
    const publicSize = 2 ** (32 - publicPrefix);
    const privateBlock = privateSize * nextPowerOfTwo(zoneCount);
    const privateCidrs: string[] = [];
    const publicCidrs: string[] = [];
    for (let zone = 0; zone < zoneCount; zone++) {
        privateCidrs.push(formatCidr({ base: vpc.base + zone * privateSize, prefix: privatePrefix }));
    }
    // Public subnets start on the first boundary after the private block that is
    // aligned to their own size.
    const publicStart = Math.ceil(privateBlock / publicSize) * publicSize;
    for (let zone = 0; zone < zoneCount; zone++) {
        publicCidrs.push(formatCidr({ base: vpc.base + publicStart + zone * publicSize, prefix: publicPrefix }));
    }
    const end = publicStart + zoneCount * publicSize;
    if (end > size(vpc)) {
        throw new Error(
            `${zoneCount} private /${privatePrefix} and ${zoneCount} public /${publicPrefix} subnets do not fit in ${vpcCidr}; ` +
                `use a larger VPC or longer prefixes`,
        );
    }
    return { private: privateCidrs, public: publicCidrs };
}

function nextPowerOfTwo(n: number): number {
    let p = 1;
    while (p < n) {
        p *= 2;
    }
    return p;
}

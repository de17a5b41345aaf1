/**
 * IPv4 CIDR maths, pure: parsing, overlap, and the subnet plan of the VPC.
 * Parsing, the network address and containment are ipaddr.js's (a widely
 * used, maintained IP library); the subnet layout below is this project's
 * own policy (which block goes where so that adding a zone moves nothing),
 * which no library decides.
 */
import * as ipaddr from "ipaddr.js";

export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit number (for the subnet layout's arithmetic). */
    readonly base: number;
    readonly prefix: number;
}

/** Four decimal octets and a prefix: what AWS accepts (ipaddr.js alone would also take `10.1/16` or octal). */
const CIDR_PATTERN = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * The shape of a CIDR as one regular expression: four decimal octets 0-255
 * without leading zeros, a prefix 0-32. The zod CIDR schemas check it first
 * (lib/configSchema.ts `cidrText`), so `z.toJSONSchema` emits it as the
 * `pattern` of every CIDR field in schema/stack.schema.json and an editor
 * flags `10.0.0.0/33` or `10.0.0.256/16` as the validator does. Host bits
 * (10.0.0.1/16) and per-field prefix ranges are left to the validator.
 */
export const CIDR_STRICT_PATTERN = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/**
 * Parses `a.b.c.d/n`. Returns an error string when it is malformed or has
 * host bits set (10.0.0.1/16 is almost always a typo for 10.0.0.0/16).
 */
export function parseCidr(text: string): Ipv4Cidr | string {
    if (!CIDR_PATTERN.test(text)) {
        return "must be an IPv4 CIDR like 10.0.0.0/16";
    }
    const [address, prefixText] = text.split("/");
    const prefix = Number(prefixText);
    if (!ipaddr.IPv4.isValidFourPartDecimal(address) || prefix > 32) {
        return "must be an IPv4 CIDR with octets 0-255 and a prefix 0-32";
    }
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    if (network.toString() !== address) {
        return `has host bits set: the network address is ${network.toString()}/${prefix}`;
    }
    return { base: toNumber(network), prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
    return `${toAddress(cidr.base).toString()}/${cidr.prefix}`;
}

function toNumber(address: ipaddr.IPv4): number {
    return address.toByteArray().reduce((n, octet) => n * 256 + octet, 0);
}

function toAddress(base: number): ipaddr.IPv4 {
    return new ipaddr.IPv4([base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255]);
}

function size(cidr: Ipv4Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.prefix >= outer.prefix && toAddress(inner.base).match(toAddress(outer.base), outer.prefix);
}

/** True when the two ranges share an address: for CIDR blocks, when one holds the other. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return cidrContains(a, b) || cidrContains(b, a);
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
            `${zoneCount} private /${privatePrefix} and ${zoneCount} public /${publicPrefix} subnets do not fit in ${vpcCidr}; ` + `use a larger VPC or longer prefixes`,
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

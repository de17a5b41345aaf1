/**
 * Security-group ingress, normalised: the three ways AWS resources can open
 * a port (a `vpc.SecurityGroupIngressRule`, a legacy `ec2.SecurityGroupRule`
 * of type ingress, an inline `ingress` block of `ec2.SecurityGroup`) become
 * one shape the rules check. Pure.
 */
import { isObject, isSet, list, num, Props, str, strings } from "./props";

export const TYPES = {
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
} as const;

/** One opening: a protocol and port range, from CIDRs/prefix lists (or from security groups, which carry no CIDR). */
export interface IngressPermission {
    /** `all` (every protocol and port), `tcp`, `udp`, `icmp`, ... */
    protocol: string;
    fromPort?: number;
    toPort?: number;
    /** IPv4 and IPv6 CIDR sources. */
    cidrs: string[];
    /** True when a managed prefix list is a source (a set of CIDRs). */
    prefixList: boolean;
}

function protocolName(value: unknown): string {
    const text = String(value ?? "").toLowerCase();
    if (text === "-1" || text === "all") {
        return "all";
    }
    return text === "6" ? "tcp" : text === "17" ? "udp" : text;
}

/** The ingress a resource opens; [] for any other resource or an egress rule. */
export function ingressPermissions(type: string, props: Props): IngressPermission[] {
    if (type === TYPES.ingressRule) {
        return [
            {
                protocol: protocolName(props.ipProtocol),
                fromPort: num(props.fromPort),
                toPort: num(props.toPort),
                cidrs: [str(props.cidrIpv4), str(props.cidrIpv6)].filter((c): c is string => c !== undefined),
                prefixList: isSet(props, "prefixListId"),
            },
        ];
    }
    if (type === TYPES.legacyRule) {
        if (props.type !== "ingress") {
            return [];
        }
        return [legacyPermission(props)];
    }
    if (type === TYPES.securityGroup) {
        return list(props.ingress).filter(isObject).map(legacyPermission);
    }
    return [];
}

/** The `ec2.SecurityGroupRule` and inline-block shape (cidrBlocks, ipv6CidrBlocks, prefixListIds). */
function legacyPermission(props: Props): IngressPermission {
    return {
        protocol: protocolName(props.protocol),
        fromPort: num(props.fromPort),
        toPort: num(props.toPort),
        cidrs: [...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks)],
        prefixList: list(props.prefixListIds).length > 0,
    };
}

/**
 * True for a CIDR that is the whole internet or most of it: /0, or wider than
 * /8 (IPv4) or /16 (IPv6), so splitting 0.0.0.0/0 into halves does not slip through.
 */
export function isWorldCidr(cidr: string): boolean {
    const [address, prefixText] = cidr.split("/");
    const prefix = Number(prefixText);
    if (prefixText === undefined || !Number.isInteger(prefix)) {
        return false;
    }
    return address.includes(":") ? prefix < 16 : prefix < 8;
}

/** True when the permission lets traffic reach `port` over TCP. */
export function coversTcpPort(permission: IngressPermission, port: number): boolean {
    if (permission.protocol === "all") {
        return true;
    }
    if (permission.protocol !== "tcp") {
        return false;
    }
    const from = permission.fromPort ?? 0;
    const to = permission.toPort ?? 65535;
    return from <= port && port <= to;
}

export function describePorts(permission: IngressPermission): string {
    if (permission.protocol === "all") {
        return "every protocol and port";
    }
    const range = permission.fromPort === permission.toPort ? `${permission.fromPort}` : `${permission.fromPort}-${permission.toPort}`;
    return `${permission.protocol} ${range}`;
}

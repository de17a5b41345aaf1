/**
 * The routing plan of the HTTPS entry, pure: which hosts the certificate
 * names, which host goes to which target group (and with what weight during
 * the legacy migration), the listener-rule priorities, the DNS record types
 * and the resource names AWS length limits allow. No Pulumi here.
 */
import { createHash } from "crypto";
import { cidrContains, parseCidr } from "../lib/cidr";
import { LegacyMigration } from "./config";
import { ServiceSpec } from "../workloads/services";

/** One public host of the catalog and how the load balancer serves it. */
export interface PublicRoute {
    /** The service name (keys target groups and outputs). */
    service: string;
    /** The host name clients use, `<host>.<domain>`. */
    fqdn: string;
    /** The NodePort the service's target group forwards to on every node. */
    nodePort: number;
    /** The path the target group health-checks, from the service's health. */
    healthPath: string;
    /** The HTTPS listener rule's priority (unique, stable while the NodePort is). */
    priority: number;
    /** Share of this host's requests sent to the legacy system, 0-100; undefined when not migrating. */
    legacyWeightPercent?: number;
}

/** Listener-rule priorities derive from the NodePort: unique (NodePorts are), stable across catalog reorders. */
export function listenerRulePriority(nodePort: number): number {
    return nodePort - 30000 + 1;
}

/** The routes of the catalog's public services, in catalog order. */
export function publicRoutes(services: readonly ServiceSpec[], legacy?: LegacyMigration): PublicRoute[] {
    return services.flatMap((service): PublicRoute[] => {
        if (!service.public) {
            return [];
        }
        const { fqdn, nodePort } = service.public;
        const migrating = legacy !== undefined && legacy.hosts.includes(fqdn);
        return [{
            service: service.name,
            fqdn,
            nodePort,
            healthPath: service.health.path,
            priority: listenerRulePriority(nodePort),
            legacyWeightPercent: migrating ? legacy.weightPercent : undefined,
        }];
    });
}

/**
 * The certificate's names. The subject is chosen by name, not catalog order
 * (the shortest host, then alphabetical): reordering the services must not
 * replace the certificate, and the shortest name is the one most likely to
 * fit ACM's 64-character subject limit. The others are SANs, sorted.
 */
export function certificateNames(routes: readonly PublicRoute[]): { domainName: string; subjectAlternativeNames: string[] } {
    if (routes.length === 0) {
        throw new Error("the certificate needs at least one public host");
    }
    const [first, ...rest] = routes.map((r) => r.fqdn).sort((a, b) => a.length - b.length || a.localeCompare(b));
    return { domainName: first, subjectAlternativeNames: rest };
}

/** A target group of a forward action with its weight (ALB weights are 0-999; percent fits). */
export interface WeightedTarget {
    target: "service" | "legacy";
    weight: number;
}

/**
 * Where a host's rule forwards: only the cluster, or a weighted split
 * between the cluster and the legacy system (the old HAProxy cut-over,
 * step by step).
 */
export function forwardPlan(route: PublicRoute): WeightedTarget[] {
    if (route.legacyWeightPercent === undefined) {
        return [{ target: "service", weight: 1 }];
    }
    return [
        { target: "service", weight: 100 - route.legacyWeightPercent },
        { target: "legacy", weight: route.legacyWeightPercent },
    ];
}

/** The alias record types of a host: A, plus AAAA when the load balancer is dualstack. */
export function aliasRecordTypes(dualStack: boolean): ("A" | "AAAA")[] {
    return dualStack ? ["A", "AAAA"] : ["A"];
}

/**
 * The ALB's `availabilityZone` for an IP target: `all` when the address is
 * outside the VPC (reached over peering or VPN), none when inside it.
 */
export function ipTargetAvailabilityZone(ip: string, vpcCidr: string): "all" | undefined {
    const vpc = parseCidr(vpcCidr);
    const address = parseCidr(`${ip}/32`);
    if (typeof vpc === "string" || typeof address === "string") {
        throw new Error(`not an IPv4 address or CIDR: ${ip} in ${vpcCidr}`);
    }
    return cidrContains(vpc, address) ? undefined : "all";
}

/**
 * Pulumi autonames a target group `<resource name>-<7 random>` and AWS allows
 * 32 characters, so the resource name may have at most 24. Names that fit are
 * kept; longer ones are cut and get a hash of the full name, so they stay
 * unique and stable.
 */
export const TARGET_GROUP_NAME_MAX = 24;

export function targetGroupResourceName(prefix: string, key: string): string {
    const full = `${prefix}-${key}`;
    if (full.length <= TARGET_GROUP_NAME_MAX) {
        return full;
    }
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 4);
    const head = full.slice(0, TARGET_GROUP_NAME_MAX - hash.length - 1).replace(/-+$/, "");
    return `${head}-${hash}`;
}

/**
 * The routing plan of the HTTPS entry, pure: which hosts the certificate
 * names, which host goes to which target group (and with what weight during
 * the legacy migration), the listener-rule priorities, the DNS record types
 * and the resource names AWS length limits allow. No Pulumi here.
 */
import { createHash } from "crypto";
import { cidrContains, parseCidr } from "../lib/cidr";
import { LegacyMigration } from "./schema";
import { portNumber, ServiceSpec } from "../workloads/schema";

/** One public host of the catalog and how the load balancer serves it. */
export interface PublicRoute {
    /** The service name (keys target groups and outputs). */
    service: string;
    /** The host name clients use, `<host>.<domain>`. */
    fqdn: string;
    /** The container port (the public port's number) the target group sends to on each pod IP. */
    targetPort: number;
    /** The path the target group health-checks, from the service's health. */
    healthPath: string;
    /** The HTTPS listener rule's priority: unique, and stable while the host is (`listenerRulePriorities`). */
    priority: number;
    /** Share of this host's requests sent to the legacy system, 0-100; undefined when not migrating. */
    legacyWeightPercent?: number;
}

/** ALB listener-rule priorities are 1-50000; each host gets one, and the rules never overlap (one host each). */
export const LISTENER_RULE_PRIORITY_MAX = 50000;

/**
 * Each host's listener-rule priority, derived from the host name alone (a
 * hash into 1-50000), so it stays the same when the catalog is reordered or
 * another host is added. The rules match disjoint hosts, so their order does
 * not matter; only uniqueness does: on the rare collision the host that sorts
 * later takes the next free number. (The priorities used to derive from the
 * NodePorts; a changed priority is updated in place, with SetRulePriorities.)
 */
export function listenerRulePriorities(fqdns: readonly string[]): Map<string, number> {
    const taken = new Set<number>();
    const priorities = new Map<string, number>();
    for (const fqdn of [...new Set(fqdns)].sort()) {
        let priority = (createHash("sha256").update(fqdn).digest().readUInt32BE(0) % LISTENER_RULE_PRIORITY_MAX) + 1;
        while (taken.has(priority)) {
            priority = (priority % LISTENER_RULE_PRIORITY_MAX) + 1;
        }
        taken.add(priority);
        priorities.set(fqdn, priority);
    }
    return priorities;
}

/** The routes of the catalog's public services, in catalog order. */
export function publicRoutes(services: readonly ServiceSpec[], legacy?: LegacyMigration): PublicRoute[] {
    const priorities = listenerRulePriorities(services.flatMap((s) => (s.public ? [s.public.fqdn] : [])));
    return services.flatMap((service): PublicRoute[] => {
        if (!service.public) {
            return [];
        }
        const { fqdn, port } = service.public;
        const migrating = legacy !== undefined && legacy.hosts.includes(fqdn);
        return [
            {
                service: service.name,
                fqdn,
                targetPort: portNumber(service, port),
                healthPath: service.health.path,
                priority: priorities.get(fqdn) ?? 0,
                legacyWeightPercent: migrating ? legacy.weightPercent : undefined,
            },
        ];
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

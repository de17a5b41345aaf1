/**
 * The `edge` section: the HTTPS entry (certificate, load balancer, listeners,
 * target groups, DNS). The routed hosts themselves come from the service
 * catalog (`services[].public`); this section holds how they are served.
 */
import { cidrContains, Ipv4Cidr, parseCidr } from "../lib/cidr";
import { EDGE_DEFAULTS, Environment } from "../lib/defaults";
import { NetworkConfig } from "../network/config";
import { checkUnique, ConfigIssues, Fields, readString } from "../lib/reader";
import { ServiceSpec } from "../workloads/services";
import { readSection } from "../lib/zodSection";
import { WafConfig, wafSchema } from "./wafSchema";

export interface EdgeHealthCheck {
    /** Seconds between checks of one target, 5-300. Default 10. */
    intervalSeconds: number;
    /** Seconds without an answer that count as a failure, 2-120, less than the interval. Default 5. */
    timeoutSeconds: number;
    /** Consecutive successes before a target receives traffic, 2-10. Default 2. */
    healthyThreshold: number;
    /** Consecutive failures before a target stops receiving traffic, 2-10. Default 3. */
    unhealthyThreshold: number;
    /** HTTP codes that mean healthy, e.g. `200` or `200-299` (200-499). Default `200`. */
    matcher: string;
}

/**
 * Weighted migration from the legacy VMs: the old front door (the Nginx pair)
 * becomes a second target group of IP targets, and each migrated host's rule
 * forwards `weightPercent` of its requests there and the rest to the cluster.
 */
export interface LegacyMigration {
    /** IPv4 addresses of the legacy front-door hosts; private (RFC 1918 / 100.64.0.0/10), in the VPC or in `network.peerCidrs`. */
    backends: string[];
    /** The port the legacy front door listens on. Default 80. */
    port: number;
    /** `HTTP` (default) or `HTTPS` towards the legacy front door. */
    protocol: "HTTP" | "HTTPS";
    /** Share of each migrated host's requests sent to the legacy system, 0-100. */
    weightPercent: number;
    /** Public host names (FQDNs) whose traffic is split; default every public host. */
    hosts: string[];
    /** The health-check path on the legacy front door. Default `/healthz`. */
    healthCheckPath: string;
}

export interface EdgeConfig {
    /** The public Route53 hosted zone holding the hosts: the domain (default) or a parent of it. */
    hostedZone: string;
    /** The zone's id (Z...), to skip the lookup by name (e.g. when two public zones share the name). */
    hostedZoneId?: string;
    /** Seconds an idle connection stays open, 1-4000. Default 60. */
    idleTimeoutSeconds: number;
    /** Seconds a deregistering target keeps draining, 0-3600. Default 30. */
    deregistrationDelaySeconds: number;
    /** The HTTPS listener's security policy: a TLS 1.3 policy (`ELBSecurityPolicy-TLS13-*`). */
    tlsPolicy: string;
    healthCheck: EdgeHealthCheck;
    accessLogs: {
        /** Default: on in prod, off in staging. */
        enabled: boolean;
        /** Days a log object is kept, 1-3650. Default 90. */
        retentionDays: number;
    };
    /**
     * Take over existing A/AAAA records of the public hosts (Route53 UPSERT), for
     * the cut-over from records that point at the old VIP. Default false: an
     * existing record makes `pulumi up` fail instead of silently moving traffic.
     */
    overwriteDnsRecords: boolean;
    legacy?: LegacyMigration;
    /** AWS WAF in front of the load balancer (edge/wafSchema.ts). */
    waf: WafConfig;
}

export const EDGE_KEYS = [
    "hostedZone", "hostedZoneId", "idleTimeoutSeconds", "deregistrationDelaySeconds", "tlsPolicy",
    "healthCheck", "accessLogs", "overwriteDnsRecords", "legacy", "waf",
] as const;
const HEALTH_CHECK_KEYS = ["intervalSeconds", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold", "matcher"] as const;
const ACCESS_LOG_KEYS = ["enabled", "retentionDays"] as const;
const LEGACY_KEYS = ["backends", "port", "protocol", "weightPercent", "hosts", "healthCheckPath"] as const;

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** Every ALB TLS 1.3 policy is named ELBSecurityPolicy-TLS13-1-2-* (1.2 fallback) or -1-3-* (1.3 only). */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;
const MATCHER = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const HEALTH_PATH = /^\/[A-Za-z0-9/_.~-]*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** The ranges AWS accepts for IP targets outside the VPC (never publicly routable addresses). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((range) => parseCidr(range) as Ipv4Cidr);

/** What the edge section is checked against: the other sections, already read. */
export interface EdgeContext {
    /** Selects the access-log default (on in prod). */
    environment: Environment;
    /** Every public host and the hosted zone must be under it. */
    domain: string;
    /** The catalog: its public hosts are the routed hosts. */
    services: readonly ServiceSpec[];
    /** Legacy backends must be in the VPC or a peered network. */
    network: NetworkConfig;
}

export function readEdge(f: Fields, context: EdgeContext): EdgeConfig {
    const { domain } = context;
    const hostedZone = f.string("hostedZone", { default: domain, pattern: DNS_NAME, expected: "a lowercase DNS zone name like example.com" });
    if (domain !== "" && hostedZone !== "" && !isWithin(domain, hostedZone)) {
        f.issues.add(f.at("hostedZone"), `(${hostedZone}) must be the domain ${domain} or a parent of it: every public host is created in this zone`);
    }
    const hostedZoneId = f.optionalString("hostedZoneId", { pattern: ZONE_ID, expected: "a Route53 hosted zone id like Z0123456789ABCDEFGHIJ" });
    const idleTimeoutSeconds = f.int("idleTimeoutSeconds", { default: EDGE_DEFAULTS.idleTimeoutSeconds, min: 1, max: 4000 });
    const deregistrationDelaySeconds = f.int("deregistrationDelaySeconds", { default: EDGE_DEFAULTS.deregistrationDelaySeconds, min: 0, max: 3600 });
    const tlsPolicy = f.string("tlsPolicy", {
        default: EDGE_DEFAULTS.tlsPolicy,
        pattern: TLS13_POLICY,
        expected: "a TLS 1.3 policy like ELBSecurityPolicy-TLS13-1-2-2021-06 (older policies still negotiate TLS 1.0/1.1)",
    });
    const healthCheck = f.object("healthCheck", HEALTH_CHECK_KEYS, readHealthCheck, { optional: true });
    // The environment may be invalid (reported elsewhere): then logs default off.
    const logsByDefault = (EDGE_DEFAULTS.accessLogsEnabled as Record<string, boolean>)[context.environment] ?? false;
    const accessLogs = f.object("accessLogs", ACCESS_LOG_KEYS, (a) => ({
        enabled: a.bool("enabled", logsByDefault),
        retentionDays: a.int("retentionDays", { default: EDGE_DEFAULTS.accessLogRetentionDays, min: 1, max: 3650 }),
    }), { optional: true });
    const overwriteDnsRecords = f.bool("overwriteDnsRecords", false);
    const legacy = f.optionalObject("legacy", LEGACY_KEYS, (l) => readLegacy(l, context));
    const waf = readSection(f.value("waf"), f.at("waf"), f.issues, wafSchema()) ?? wafSchema().parse(undefined);
    checkPublicServices(f.issues, context);
    return { hostedZone, hostedZoneId, idleTimeoutSeconds, deregistrationDelaySeconds, tlsPolicy, healthCheck, accessLogs, overwriteDnsRecords, legacy, waf };
}

function readHealthCheck(h: Fields): EdgeHealthCheck {
    const defaults = EDGE_DEFAULTS.healthCheck;
    const intervalSeconds = h.int("intervalSeconds", { default: defaults.intervalSeconds, min: 5, max: 300 });
    const timeoutSeconds = h.int("timeoutSeconds", { default: defaults.timeoutSeconds, min: 2, max: 120 });
    if (timeoutSeconds >= intervalSeconds) {
        h.issues.add(h.at("timeoutSeconds"), `(${timeoutSeconds}) must be less than intervalSeconds (${intervalSeconds})`);
    }
    const healthyThreshold = h.int("healthyThreshold", { default: defaults.healthyThreshold, min: 2, max: 10 });
    const unhealthyThreshold = h.int("unhealthyThreshold", { default: defaults.unhealthyThreshold, min: 2, max: 10 });
    const matcher = h.string("matcher", { default: defaults.matcher, pattern: MATCHER, expected: "HTTP codes like 200, 200,204 or 200-299" });
    if (MATCHER.test(matcher)) {
        const bad = matcher.split(/[,-]/).map(Number).filter((code) => code < 200 || code > 499);
        const ranges = matcher.split(",").filter((part) => part.includes("-") && Number(part.split("-")[0]) > Number(part.split("-")[1]));
        if (bad.length > 0 || ranges.length > 0) {
            h.issues.add(h.at("matcher"), `(${matcher}) must use codes 200-499 in ascending ranges: a load balancer never treats 5xx as healthy`);
        }
    }
    return { intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, matcher };
}

function readLegacy(l: Fields, context: EdgeContext): LegacyMigration {
    const { network } = context;
    const vpc = parseCidr(network.cidr);
    const peers = network.peerCidrs.map(parseCidr).filter((c): c is Ipv4Cidr => typeof c !== "string");
    const backends = l.list("backends", (item, path) => {
        const ip = readString(item, path, l.issues, { pattern: IPV4, expected: "an IPv4 address like 10.0.1.10" });
        const address = IPV4.test(ip) ? parseCidr(`${ip}/32`) : undefined;
        if (typeof address === "string") {
            l.issues.add(path, `(${ip}) is not a valid IPv4 address`);
        } else if (address) {
            const isPrivate = PRIVATE_RANGES.some((range) => cidrContains(range, address));
            const inVpc = typeof vpc !== "string" && cidrContains(vpc, address);
            if (!isPrivate) {
                l.issues.add(path, `(${ip}) is publicly routable: load balancer IP targets must be private (10/8, 172.16/12, 192.168/16, 100.64/10)`);
            } else if (!inVpc && !peers.some((peer) => cidrContains(peer, address))) {
                l.issues.add(path, `(${ip}) is neither in the VPC (${network.cidr}) nor in network.peerCidrs: the load balancer has no route to it`);
            }
        }
        return ip;
    }, { minItems: 1 });
    checkUnique(backends, (ip) => ip, (i) => `${l.at("backends")}[${i}]`, l.issues, "backend");
    const port = l.int("port", { default: EDGE_DEFAULTS.legacy.port, min: 1, max: 65535 });
    const protocol = l.string("protocol", { default: EDGE_DEFAULTS.legacy.protocol, oneOf: ["HTTP", "HTTPS"] as const });
    const weightPercent = l.int("weightPercent", { min: 0, max: 100 });
    const publicHosts = context.services.flatMap((s) => (s.public ? [s.public.fqdn] : []));
    const hosts = l.list("hosts", (item, path) => {
        const host = readString(item, path, l.issues, { pattern: DNS_NAME, expected: "a public host name like iam.api.example.com" });
        if (!DNS_NAME.test(host) || context.domain === "") {
            return host;
        }
        if (!isWithin(host, context.domain)) {
            l.issues.add(path, `(${host}) is outside the domain ${context.domain}`);
        } else if (!publicHosts.includes(host)) {
            l.issues.add(path, `(${host}) is not a public host of the service catalog (${publicHosts.join(", ") || "none"})`);
        }
        return host;
    }, { default: publicHosts, minItems: 1 });
    checkUnique(hosts, (h) => h, (i) => `${l.at("hosts")}[${i}]`, l.issues, "host");
    const healthCheckPath = l.string("healthCheckPath", { default: EDGE_DEFAULTS.legacy.healthCheckPath, pattern: HEALTH_PATH, expected: "an absolute URL path like /healthz" });
    return { backends, port, protocol, weightPercent, hosts, healthCheckPath };
}

/** ACM limits a certificate's subject (its first name) to 64 characters; SANs may be longer. */
const CERTIFICATE_SUBJECT_MAX_LENGTH = 64;

/**
 * What the load balancer needs from the catalog: at least one public host, no
 * more names than one certificate holds, and a health check it can reach
 * (the target group checks each pod on the traffic port, the public port).
 */
function checkPublicServices(issues: ConfigIssues, context: EdgeContext): void {
    const exposed = context.services.map((s, i) => ({ s, i })).filter(({ s }) => s.public);
    if (context.services.length > 0 && exposed.length === 0) {
        issues.add("services", "must expose at least one http service (public.host): the load balancer routes only catalog hosts");
    }
    if (exposed.length > EDGE_DEFAULTS.maxCertificateNames) {
        issues.add("services", `expose ${exposed.length} public hosts; one ACM certificate holds ${EDGE_DEFAULTS.maxCertificateNames} names by default`);
    }
    const shortest = exposed.reduce<{ s: ServiceSpec; i: number } | undefined>((best, e) => (!best || (e.s.public?.fqdn.length ?? 0) < (best.s.public?.fqdn.length ?? 0) ? e : best), undefined);
    const subject = shortest?.s.public?.fqdn ?? "";
    if (subject.length > CERTIFICATE_SUBJECT_MAX_LENGTH) {
        issues.add(`services[${shortest?.i ?? 0}].public.host`, `makes ${subject} (${subject.length} characters), the shortest public host and so the certificate's subject, longer than ACM's ${CERTIFICATE_SUBJECT_MAX_LENGTH}-character limit`);
    }
    for (const { s, i } of exposed) {
        const endpoint = s.public;
        if (endpoint && s.health.port !== "" && endpoint.port !== "" && s.health.port !== endpoint.port) {
            issues.add(`services[${i}].health.port`, `(${s.health.port}) must be the public port (${endpoint.port}) of an exposed service: the load balancer health-checks each pod on the port it sends traffic to, the only one the access matrix opens to it`);
        }
    }
}

/** True when `name` is `zone` or a name under it. */
export function isWithin(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

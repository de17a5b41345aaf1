/**
 * The `edge` section, declared once: the HTTPS entry (certificate, load
 * balancer, listeners, target groups, DNS). The routed hosts come from the
 * service catalog (`services[].public`); this section holds how they are
 * served, and the weighted cut-over from the legacy VMs.
 */
import { z } from "zod";
import { wafSchema } from "./wafSchema";
import { cidrContains, Ipv4Cidr, parseCidr } from "../lib/cidr";
import { matching, parsedCleanly, RefineContext, report, reportDuplicates, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import type { NetworkConfig } from "../network/schema";
import type { ServiceSpec } from "../workloads/schema";

export const EDGE_DEFAULTS = {
    /** Seconds an idle client connection stays open on the load balancer (AWS default 60). */
    idleTimeoutSeconds: 60,
    /**
     * Seconds a deregistering target keeps serving in-flight requests. Must stay
     * shorter than the pods' preStop sleep plus grace (cross-checked by the workloads config).
     */
    deregistrationDelaySeconds: 30,
    /** TLS 1.3 with TLS 1.2 fallback; the API default (ELBSecurityPolicy-2016-08) still allows TLS 1.0. */
    tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200" },
    /** Access logs are on in prod (an audit trail), off in staging (cost). */
    accessLogsEnabled: { prod: true, staging: false },
    accessLogRetentionDays: 90,
    /** ACM's default quota of names on one certificate. */
    maxCertificateNames: 10,
    legacy: { port: 80, protocol: "HTTP", healthCheckPath: "/healthz" },
} as const;

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** Every ALB TLS 1.3 policy is named ELBSecurityPolicy-TLS13-1-2-* (1.2 fallback) or -1-3-* (1.3 only). */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;
const MATCHER = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const HEALTH_PATH = /^\/[A-Za-z0-9/_.~-]*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** The ranges AWS accepts for IP targets outside the VPC (never publicly routable addresses). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((range) => parseCidr(range) as Ipv4Cidr);
/** ACM limits a certificate's subject (its first name) to 64 characters; SANs may be longer. */
const CERTIFICATE_SUBJECT_MAX_LENGTH = 64;

const healthCheckSchema = z
    .strictObject({
        intervalSeconds: wholeNumber(5, 300).default(EDGE_DEFAULTS.healthCheck.intervalSeconds).meta({ description: "Seconds between checks of one target, 5-300. Default 10." }),
        timeoutSeconds: wholeNumber(2, 120)
            .default(EDGE_DEFAULTS.healthCheck.timeoutSeconds)
            .meta({ description: "Seconds without an answer that count as a failure, 2-120, less than the interval. Default 5." }),
        healthyThreshold: wholeNumber(2, 10)
            .default(EDGE_DEFAULTS.healthCheck.healthyThreshold)
            .meta({ description: "Consecutive successes before a target receives traffic, 2-10. Default 2." }),
        unhealthyThreshold: wholeNumber(2, 10)
            .default(EDGE_DEFAULTS.healthCheck.unhealthyThreshold)
            .meta({ description: "Consecutive failures before a target stops receiving traffic, 2-10. Default 3." }),
        matcher: matching(MATCHER, "HTTP codes like 200, 200,204 or 200-299")
            .superRefine((matcher, c) => {
                const bad = matcher
                    .split(/[,-]/)
                    .map(Number)
                    .filter((code) => code < 200 || code > 499);
                const ranges = matcher.split(",").filter((part) => part.includes("-") && Number(part.split("-")[0]) > Number(part.split("-")[1]));
                if (bad.length > 0 || ranges.length > 0) {
                    report(c, [], `(${matcher}) must use codes 200-499 in ascending ranges: a load balancer never treats 5xx as healthy`);
                }
            })
            .default(EDGE_DEFAULTS.healthCheck.matcher)
            .meta({ description: "HTTP codes that mean healthy, e.g. `200` or `200-299` (200-499). Default `200`." }),
    })
    .superRefine(
        (h, c) => {
            if (h.timeoutSeconds >= h.intervalSeconds) {
                report(c, ["timeoutSeconds"], `(${h.timeoutSeconds}) must be less than intervalSeconds (${h.intervalSeconds})`);
            }
        },
        { when: whenValid("intervalSeconds", "timeoutSeconds") },
    )
    .prefault({})
    .meta({ description: "The target groups' health check." });

const legacySchema = z
    .strictObject({
        backends: z
            .array(
                matching(IPV4, "an IPv4 address like 10.0.1.10").refine((ip) => ip.split(".").every((n) => Number(n) <= 255), {
                    error: (i) => `(${String(i.input)}) is not a valid IPv4 address`,
                }),
            )
            .min(1)
            .superRefine((ips, c) =>
                reportDuplicates(
                    c,
                    ips,
                    (ip) => ip,
                    (i) => [i],
                    "backend",
                    (i) => `edge.legacy.backends[${i}]`,
                ),
            )
            .meta({ description: "IPv4 addresses of the legacy front-door hosts; private (RFC 1918 / 100.64.0.0/10), in the VPC or in network.peerCidrs." }),
        port: wholeNumber(1, 65535).default(EDGE_DEFAULTS.legacy.port).meta({ description: "The port the legacy front door listens on. Default 80." }),
        protocol: z.enum(["HTTP", "HTTPS"]).default(EDGE_DEFAULTS.legacy.protocol).meta({ description: "`HTTP` (default) or `HTTPS` towards the legacy front door." }),
        weightPercent: wholeNumber(0, 100).meta({ description: "Share of each migrated host's requests sent to the legacy system, 0-100." }),
        hosts: z
            .array(matching(DNS_NAME, "a public host name like iam.api.example.com"))
            .min(1)
            .optional()
            .meta({ description: "Public host names (full names) whose traffic is split; default every public host." }),
        healthCheckPath: matching(HEALTH_PATH, "an absolute URL path like /healthz")
            .default(EDGE_DEFAULTS.legacy.healthCheckPath)
            .meta({ description: "The health-check path on the legacy front door. Default /healthz." }),
    })
    .meta({
        description:
            "Weighted migration from the legacy VMs: the old front door as a second target group of IP targets, `weightPercent` of each migrated host's requests sent there.",
    });

/** The `edge` section for an environment and domain. */
export function edgeSchema(ctx: SchemaContext) {
    return z
        .strictObject({
            hostedZone: matching(DNS_NAME, "a lowercase DNS zone name like example.com")
                .refine((zone) => ctx.domain === "" || isWithin(ctx.domain, zone), {
                    error: (i) => `(${String(i.input)}) must be the domain ${ctx.domain} or a parent of it: every public host is created in this zone`,
                })
                .optional()
                .meta({
                    description:
                        "The public Route53 hosted zone holding the hosts: the domain (default) or a parent of it (staging.example.com may live in example.com). Looked up by name among public zones; it must exist.",
                }),
            hostedZoneId: matching(ZONE_ID, "a Route53 hosted zone id like Z0123456789ABCDEFGHIJ")
                .optional()
                .meta({ description: "The zone's id (Z...), to skip the lookup by name (e.g. when two public zones share the name)." }),
            idleTimeoutSeconds: wholeNumber(1, 4000).default(EDGE_DEFAULTS.idleTimeoutSeconds).meta({ description: "Seconds an idle connection stays open, 1-4000. Default 60." }),
            deregistrationDelaySeconds: wholeNumber(0, 3600)
                .default(EDGE_DEFAULTS.deregistrationDelaySeconds)
                .meta({ description: "Seconds a deregistering target keeps draining, 0-3600; shorter than every public pod's shutdown window. Default 30." }),
            tlsPolicy: matching(TLS13_POLICY, "a TLS 1.3 policy like ELBSecurityPolicy-TLS13-1-2-2021-06 (older policies still negotiate TLS 1.0/1.1)")
                .default(EDGE_DEFAULTS.tlsPolicy)
                .meta({
                    description:
                        "The HTTPS listener's security policy: a TLS 1.3 policy, ELBSecurityPolicy-TLS13-1-2-* (1.2 fallback) or -1-3-* (1.3 only), e.g. ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09.",
                }),
            healthCheck: healthCheckSchema,
            accessLogs: z
                .strictObject({
                    enabled: z.boolean().default(EDGE_DEFAULTS.accessLogsEnabled[ctx.environment]).meta({ description: "Default: on in prod, off in staging." }),
                    retentionDays: wholeNumber(1, 3650).default(EDGE_DEFAULTS.accessLogRetentionDays).meta({ description: "Days a log object is kept, 1-3650. Default 90." }),
                })
                .prefault({})
                .meta({ description: "Load balancer access logs to S3." }),
            overwriteDnsRecords: z.boolean().default(false).meta({
                description:
                    "Take over existing A/AAAA records of the public hosts (Route53 UPSERT), for the cut-over from the old VIP. Default false: an existing record makes `pulumi up` fail rather than silently move traffic. `pulumi destroy` deletes the records; it does not restore the old ones.",
            }),
            legacy: legacySchema.optional(),
            waf: wafSchema().meta({
                description:
                    "AWS WAF in front of the load balancer (edge/wafSchema.ts): a per-IP rate limit per public host, the token query parameter refused, managed rule groups, count or block mode, logs with credentials redacted.",
            }),
        })
        .prefault({})
        .transform((edge) => ({ ...edge, hostedZone: edge.hostedZone ?? ctx.domain }))
        .meta({ description: "The HTTPS entry: hosted zone, TLS policy, health checks, access logs, legacy migration." });
}

/** The section as written, defaults applied. */
export type EdgeSettings = z.output<ReturnType<typeof edgeSchema>>;
export type EdgeHealthCheck = EdgeSettings["healthCheck"];
/** The legacy cut-over, with its hosts filled in (default: every public host). */
export type LegacyMigration = Omit<NonNullable<EdgeSettings["legacy"]>, "hosts"> & { hosts: string[] };
/** The section as the components read it: the legacy hosts resolved against the catalog. */
export type EdgeConfig = Omit<EdgeSettings, "legacy"> & { legacy?: LegacyMigration };

/**
 * Root rule: what the load balancer needs from the catalog: at least one
 * public host, no more names than one certificate holds, and a health check it
 * can reach (the target group checks each pod on the traffic port, the public port).
 */
export function publicServicesRule(root: { services: readonly ServiceSpec[] }, c: RefineContext): void {
    const exposed = root.services.map((s, i) => ({ s, i })).filter(({ s }) => s.public);
    if (root.services.length > 0 && exposed.length === 0) {
        report(c, ["services"], "must expose at least one http service (public.host): the load balancer routes only catalog hosts");
    }
    if (exposed.length > EDGE_DEFAULTS.maxCertificateNames) {
        report(c, ["services"], `expose ${exposed.length} public hosts; one ACM certificate holds ${EDGE_DEFAULTS.maxCertificateNames} names by default`);
    }
    const shortest = exposed.reduce<{ s: ServiceSpec; i: number } | undefined>(
        (best, e) => (!best || (e.s.public?.fqdn.length ?? 0) < (best.s.public?.fqdn.length ?? 0) ? e : best),
        undefined,
    );
    const subject = shortest?.s.public?.fqdn ?? "";
    if (subject.length > CERTIFICATE_SUBJECT_MAX_LENGTH) {
        report(
            c,
            ["services", shortest?.i ?? 0, "public", "host"],
            `makes ${subject} (${subject.length} characters), the shortest public host and so the certificate's subject, longer than ACM's ${CERTIFICATE_SUBJECT_MAX_LENGTH}-character limit`,
        );
    }
    for (const { s, i } of exposed) {
        if (s.public && s.health.port !== s.public.port) {
            report(
                c,
                ["services", i, "health", "port"],
                `(${s.health.port}) must be the public port (${s.public.port}) of an exposed service: the load balancer health-checks each pod on the port it sends traffic to, the only one the access matrix opens to it`,
            );
        }
    }
}

/** Root rule: `edge.waf.rateLimits` names only public services of the catalog (only a public host has a rate rule). */
export function wafRateLimitsRule(root: { edge: EdgeSettings; services: readonly ServiceSpec[] }, c: RefineContext): void {
    const publicServices = root.services.filter((s) => s.public).map((s) => s.name);
    for (const service of Object.keys(root.edge.waf.rateLimits ?? {})) {
        if (!publicServices.includes(service)) {
            report(
                c,
                ["edge", "waf", "rateLimits", service],
                `names no public service of the catalog (public: ${publicServices.join(", ") || "none"}): only a public host has a rate rule`,
            );
        }
    }
}

/** Root rule: the legacy backends are reachable, and the migrated hosts are catalog hosts under the domain. */
export function legacyRule(root: { edge: EdgeSettings; network: NetworkConfig; services: readonly ServiceSpec[]; domain: string }, c: RefineContext): void {
    const legacy = root.edge.legacy;
    if (!legacy) {
        return;
    }
    const vpc = parseCidr(root.network.cidr);
    const peers = root.network.peerCidrs.map(parseCidr).filter((p): p is Ipv4Cidr => typeof p !== "string");
    legacy.backends.forEach((ip, i) => {
        const address = parseCidr(`${ip}/32`);
        if (typeof address === "string" || !parsedCleanly(c, ["edge", "legacy", "backends", i])) return;
        if (!PRIVATE_RANGES.some((range) => cidrContains(range, address))) {
            report(c, ["edge", "legacy", "backends", i], `(${ip}) is publicly routable: load balancer IP targets must be private (10/8, 172.16/12, 192.168/16, 100.64/10)`);
        } else if (!(typeof vpc !== "string" && cidrContains(vpc, address)) && !peers.some((peer) => cidrContains(peer, address))) {
            report(c, ["edge", "legacy", "backends", i], `(${ip}) is neither in the VPC (${root.network.cidr}) nor in network.peerCidrs: the load balancer has no route to it`);
        }
    });
    const publicHosts = root.services.flatMap((s) => (s.public ? [s.public.fqdn] : []));
    (legacy.hosts ?? []).forEach((host, i) => {
        if (!isWithin(host, root.domain)) {
            report(c, ["edge", "legacy", "hosts", i], `(${host}) is outside the domain ${root.domain}`);
        } else if (!publicHosts.includes(host)) {
            report(c, ["edge", "legacy", "hosts", i], `(${host}) is not a public host of the service catalog (${publicHosts.join(", ") || "none"})`);
        }
    });
    reportDuplicates(
        c,
        legacy.hosts ?? [],
        (h) => h,
        (i) => ["edge", "legacy", "hosts", i],
        "host",
        (i) => `edge.legacy.hosts[${i}]`,
    );
}

/** The legacy cut-over with its default hosts (every public host of the catalog). */
export function legacyWithHosts(legacy: NonNullable<EdgeSettings["legacy"]>, services: readonly ServiceSpec[]): LegacyMigration {
    return { ...legacy, hosts: legacy.hosts ?? services.flatMap((s) => (s.public ? [s.public.fqdn] : [])) };
}

/** True when `name` is `zone` or a name under it. */
export function isWithin(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

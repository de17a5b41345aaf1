/**
 * `edge.waf`: AWS WAF (wafv2, REGIONAL) in front of the load balancer. Pure: zod only.
 */
import { z } from "zod";
import { LOG_RETENTION_CHOICES, LOG_RETENTION_DAYS } from "../lib/configSchema";

/** The AWS managed rule groups the web ACL runs, by config key, in evaluation order after the rate limit. */
export const WAF_MANAGED_RULE_GROUPS = {
    ipReputation: { name: "AWSManagedRulesAmazonIpReputationList", what: "addresses Amazon threat intelligence lists as bots, scanners or malicious" },
    knownBadInputs: { name: "AWSManagedRulesKnownBadInputsRuleSet", what: "request patterns known to exploit vulnerabilities (Log4j, Java deserialisation, ...)" },
    common: { name: "AWSManagedRulesCommonRuleSet", what: "the OWASP top-ten families: XSS, path traversal, oversized bodies and headers, bad bots" },
    sqlInjection: { name: "AWSManagedRulesSQLiRuleSet", what: "SQL injection in the query string, body, cookies and URI" },
} as const;
export type WafRuleGroup = keyof typeof WAF_MANAGED_RULE_GROUPS;

/** `mode`: `count` (every rule counts: a new stack observes before it blocks) or `block` (each rule blocks unless its `countOnly` is set). */
export const WAF_MODES = ["count", "block"] as const;
export type WafMode = (typeof WAF_MODES)[number];

/**
 * Per-IP limits of the public services that get one when `rateLimits` does
 * not name them: iam-authz-server's callers are a few backend services (every
 * API request they serve asks it for a decision), often behind one NAT
 * address each, so its per-IP limit is far above a person's (docs/edge.md,
 * "Rate limits per host").
 */
export const WAF_DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = { "iam-authz-server": 100_000 };

/** The per-IP rate limit of a public host: a whole number of requests in 5 minutes, AWS WAF's 10 to 2e9. */
const limitPerIp = z
    .int({ error: "must be a whole number of requests" })
    .min(10, { error: "must be at least 10 (AWS WAF's smallest rate limit)" })
    .max(2_000_000_000, { error: "must be at most 2000000000" });

const countOnly = (what: string) =>
    z
        .boolean({ error: "must be true or false" })
        .default(false)
        .meta({
            description: `With mode block: count, do not block, ${what} (a group that blocks real callers, while you tune it); read the WAF logs, then set false. Ignored in mode count.`,
        });

/** The section's schema. */
export function wafSchema() {
    return z
        .strictObject(
            {
                enabled: z.boolean({ error: "must be true or false (a web ACL in front of the load balancer)" }).default(true).meta({
                    description:
                        "A wafv2 web ACL (REGIONAL) on the ALB. Default on in every environment (about 13 USD a month with two public hosts: 5 for the ACL, 1 per rule; plus 0.60 USD per million requests).",
                }),
                mode: z.enum(WAF_MODES, { error: "must be count or block" }).default("count").meta({
                    description:
                        "count (default: what a new stack starts with): every rule only counts, so the logs show what would be blocked; block: each rule blocks unless countOnly sets it to count. The token query parameter is blocked in both. Switch: docs/edge.md.",
                }),
                rateLimitPerIp: limitPerIp.default(2000).meta({
                    description:
                        "Requests one client IP may send to one public host in any 5 minutes before that host's rate rule blocks it (until its rate drops); for every public service rateLimits does not name.",
                }),
                rateLimits: z
                    .record(z.string(), z.union([limitPerIp, z.literal("exempt")], { error: 'must be a whole number of requests (10-2000000000) or "exempt"' }))
                    .optional()
                    .meta({
                        description:
                            "Per public service (by name): its host's own per-IP limit in 5 minutes, or exempt (no rate rule). Unnamed services get rateLimitPerIp, except iam-authz-server (100000: its few callers share NAT addresses).",
                    }),
                countOnly: z
                    .strictObject(
                        {
                            rateLimit: countOnly("clients over their host's rate limit"),
                            ipReputation: countOnly(WAF_MANAGED_RULE_GROUPS.ipReputation.what),
                            knownBadInputs: countOnly(WAF_MANAGED_RULE_GROUPS.knownBadInputs.what),
                            common: countOnly(WAF_MANAGED_RULE_GROUPS.common.what),
                            sqlInjection: countOnly(WAF_MANAGED_RULE_GROUPS.sqlInjection.what),
                        },
                        {
                            error: (issue) =>
                                issue.code === "invalid_type"
                                    ? "must be a map of rule groups (rateLimit, ipReputation, knownBadInputs, common, sqlInjection) to true or false"
                                    : undefined,
                        },
                    )
                    .default({
                        rateLimit: false,
                        ipReputation: false,
                        knownBadInputs: false,
                        common: false,
                        sqlInjection: false,
                    }),
                logRetentionDays: z
                    .int({ error: "must be a whole number of days" })
                    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), { error: `must be a CloudWatch Logs retention: ${LOG_RETENTION_DAYS.join(", ")}` })
                    .default(90)
                    .meta({
                        description: `Days the WAF logs (every request the ACL evaluated; the authorization and cookie headers and the query string redacted) are kept: ${LOG_RETENTION_CHOICES}.`,
                    }),
                blockedRequestsAlarm: z
                    .int({ error: "must be a whole number of requests" })
                    .min(1, { error: "must be at least 1" })
                    .default(500)
                    .meta({ description: "Blocked requests in 5 minutes that page on-call (an attack, or a rule blocking real users)." }),
            },
            {
                error: (issue) =>
                    issue.code === "invalid_type" ? "must be a map: enabled, mode, rateLimitPerIp, rateLimits, countOnly, logRetentionDays, blockedRequestsAlarm" : undefined,
            },
        )
        .default({
            enabled: true,
            mode: "count",
            rateLimitPerIp: 2000,
            countOnly: { rateLimit: false, ipReputation: false, knownBadInputs: false, common: false, sqlInjection: false },
            logRetentionDays: 90,
            blockedRequestsAlarm: 500,
        });
}

export type WafConfig = z.output<ReturnType<typeof wafSchema>>;

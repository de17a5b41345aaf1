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

const countOnly = (what: string) =>
    z
        .boolean({ error: "must be true or false" })
        .default(false)
        .meta({ description: `Count, do not block, ${what}: for a first rollout, read the WAF logs, then set false.` });

/** The section's schema. */
export function wafSchema() {
    return z
        .strictObject(
            {
                enabled: z
                    .boolean({ error: "must be true or false (a web ACL in front of the load balancer)" })
                    .default(true)
                    .meta({ description: "A wafv2 web ACL (REGIONAL) on the ALB. Default on in every environment (about 10 USD a month plus 0.60 USD per million requests)." }),
                rateLimitPerIp: z
                    .int({ error: "must be a whole number of requests" })
                    .min(10, { error: "must be at least 10 (AWS WAF's smallest rate limit)" })
                    .max(2_000_000_000, { error: "must be at most 2000000000" })
                    .default(2000)
                    .meta({ description: "Requests one client IP may send in any 5 minutes before the rate rule blocks it (until its rate drops)." }),
                countOnly: z
                    .strictObject(
                        {
                            rateLimit: countOnly("clients over rateLimitPerIp"),
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
                    .meta({ description: `Days the WAF logs (every request the ACL evaluated, the authorization header redacted) are kept: ${LOG_RETENTION_CHOICES}.` }),
                blockedRequestsAlarm: z
                    .int({ error: "must be a whole number of requests" })
                    .min(1, { error: "must be at least 1" })
                    .default(500)
                    .meta({ description: "Blocked requests in 5 minutes that page on-call (an attack, or a rule blocking real users)." }),
            },
            { error: (issue) => (issue.code === "invalid_type" ? "must be a map: enabled, rateLimitPerIp, countOnly, logRetentionDays, blockedRequestsAlarm" : undefined) },
        )
        .default({
            enabled: true,
            rateLimitPerIp: 2000,
            countOnly: { rateLimit: false, ipReputation: false, knownBadInputs: false, common: false, sqlInjection: false },
            logRetentionDays: 90,
            blockedRequestsAlarm: 500,
        });
}

export type WafConfig = z.output<ReturnType<typeof wafSchema>>;

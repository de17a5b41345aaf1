/**
 * The web ACL's rules, pure: one rate-based rule per client IP, then the AWS
 * managed rule groups, each blocking or (count-only) counting. The component
 * (waf.ts) maps them one-to-one onto the `rules` of `aws.wafv2.WebAcl`.
 */
import { WAF_MANAGED_RULE_GROUPS, WafConfig, WafRuleGroup } from "./wafSchema";

export interface WafRulePlan {
    /** Rule name and CloudWatch metric name suffix; stable (a rename is a new rule). */
    name: string;
    priority: number;
    /** Managed group rules take an override action; the rate rule an action. */
    kind: "rateLimit" | "managed";
    countOnly: boolean;
    /** The managed group's name (vendor AWS). */
    managedGroup?: string;
}

/** The order: the cheap rate limit first, then reputation, known exploits, the common set, SQL injection. */
const ORDER: readonly WafRuleGroup[] = ["ipReputation", "knownBadInputs", "common", "sqlInjection"];

export function wafRules(config: WafConfig): WafRulePlan[] {
    return [
        { name: "rate-limit-per-ip", priority: 1, kind: "rateLimit", countOnly: config.countOnly.rateLimit },
        ...ORDER.map((group, i): WafRulePlan => ({
            name: `aws-${group.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
            priority: i + 2,
            kind: "managed",
            countOnly: config.countOnly[group],
            managedGroup: WAF_MANAGED_RULE_GROUPS[group].name,
        })),
    ];
}

/** WAF requires the log group's name to start with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/** The header every log record has redacted: it carries the clients' credentials (bearer tokens). */
export const WAF_REDACTED_HEADER = "authorization";

/**
 * The web ACL's rules, pure: which rules, in which order, and whether each
 * blocks or counts. `wafRuleInputs` (wafRules.ts) turns each plan into the
 * `rules` entry of `aws.wafv2.WebAcl`, one to one.
 *
 * Order: the token query parameter is refused first; then one rate rule per
 * public host; then the AWS managed groups, with the common set's body-size
 * rule counted and re-blocked right after it except on the API paths that
 * take policy documents.
 */
import { WAF_DEFAULT_RATE_LIMITS, WAF_MANAGED_RULE_GROUPS, WafConfig, WafRuleGroup } from "./wafSchema";
import type { ServiceSpec } from "../workloads/schema";

/** A public host of the catalog, as the WAF needs it. */
export interface WafHost {
    /** The service (its name keys `rateLimits`). */
    service: string;
    /** Its full host name (`iam.api.<domain>`). */
    fqdn: string;
}

/** The catalog's public hosts, in catalog order. */
export function wafHosts(services: readonly ServiceSpec[]): WafHost[] {
    return services.flatMap((s) => (s.public ? [{ service: s.name, fqdn: s.public.fqdn }] : []));
}

interface RuleBase {
    /** Rule name and CloudWatch metric name suffix; stable (a rename is a new rule, in place on the same ACL). */
    name: string;
    priority: number;
    /** Count instead of the rule's terminating action (block). */
    countOnly: boolean;
}

/** Blocks any request whose query string carries `token` (iam-apiserver would accept it as a credential). */
export interface TokenQueryRulePlan extends RuleBase {
    kind: "tokenQuery";
}

/** Rate-limits one public host per client IP. */
export interface RateLimitRulePlan extends RuleBase {
    kind: "rateLimit";
    service: string;
    fqdn: string;
    /** Requests per client IP in `WAF_RATE_WINDOW_SECONDS`. */
    limit: number;
}

/** An AWS managed rule group, with rules whose action is overridden to count. */
export interface ManagedRulePlan extends RuleBase {
    kind: "managed";
    managedGroup: string;
    /** Rules of the group that only count (and label): a following rule decides on their label. */
    countedRules: string[];
}

/** Blocks requests carrying a managed rule's label, except on the listed URI paths. */
export interface LabelBlockRulePlan extends RuleBase {
    kind: "labelBlock";
    label: string;
    /** A regular expression on the URI path: requests to matching paths pass. */
    exceptPaths: string;
}

export type WafRulePlan = TokenQueryRulePlan | RateLimitRulePlan | ManagedRulePlan | LabelBlockRulePlan;

/** The rate rules' window: 5 minutes (AWS WAF allows 60, 120, 300, 600). */
export const WAF_RATE_WINDOW_SECONDS = 300;

/**
 * The query parameter iam-apiserver reads a JWT from, besides the
 * `Authorization` header and the `jwt` cookie: gin-jwt `TokenLookup:
 * "header: Authorization, query: token, cookie: jwt"`
 * (marmotedu/iam v1.6.3, internal/apiserver/auth.go; used by /refresh and
 * /logout). A URL's query string is written to the load balancer's access
 * log and the WAF log: a token there is a reusable credential in a log.
 */
export const TOKEN_QUERY_PARAMETER = "token";

/**
 * The common rule set's rule that blocks bodies over 8 KB, and the label it
 * adds (AWS Managed Rules, core rule set: rule `SizeRestrictions_BODY`, label
 * `awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`; ALB forwards at
 * most 8 KB of body to WAF). Checked 2026-12-07.
 */
export const BODY_SIZE_RULE = "SizeRestrictions_BODY";
export const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/**
 * The iam-apiserver paths that take a policy document in the body, which may
 * exceed 8 KB: `POST /v1/policies` and `PUT /v1/policies/:name`
 * (marmotedu/iam v1.6.3, internal/apiserver/router.go, the `/v1/policies`
 * group). Other paths keep the 8 KB limit.
 */
export const POLICY_PATHS = "^/v1/policies(?:/[^/]+)?/?$";

/** The order of the managed groups: reputation, known exploits, the common set, SQL injection. */
const ORDER: readonly WafRuleGroup[] = ["ipReputation", "knownBadInputs", "common", "sqlInjection"];

const groupRuleName = (group: WafRuleGroup): string => `aws-${group.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The per-IP limit of a host: `rateLimits`, else the built-in default for the service, else `rateLimitPerIp`; undefined when exempt. */
export function hostRateLimit(config: WafConfig, service: string): number | undefined {
    const limit = config.rateLimits?.[service] ?? WAF_DEFAULT_RATE_LIMITS[service] ?? config.rateLimitPerIp;
    return limit === "exempt" ? undefined : limit;
}

/** The web ACL's rules, in priority order (priorities 1, 2, ...). */
export function wafRules(config: WafConfig, hosts: readonly WafHost[]): WafRulePlan[] {
    const counting = (group: boolean): boolean => config.mode === "count" || group;
    const rules: Omit<WafRulePlan, "priority">[] = [
        // Never only counted: a counted request still reaches the pod, and its URL the access log.
        { kind: "tokenQuery", name: "block-token-query-parameter", countOnly: false },
        ...hosts.flatMap((host): Omit<RateLimitRulePlan, "priority">[] => {
            const limit = hostRateLimit(config, host.service);
            return limit === undefined
                ? []
                : [{ kind: "rateLimit", name: `rate-limit-${host.service}`, countOnly: counting(config.countOnly.rateLimit), service: host.service, fqdn: host.fqdn, limit }];
        }),
        ...ORDER.flatMap((group): Omit<WafRulePlan, "priority">[] => {
            const managed: Omit<ManagedRulePlan, "priority"> = {
                kind: "managed",
                name: groupRuleName(group),
                countOnly: counting(config.countOnly[group]),
                managedGroup: WAF_MANAGED_RULE_GROUPS[group].name,
                countedRules: group === "common" ? [BODY_SIZE_RULE] : [],
            };
            if (group !== "common") {
                return [managed];
            }
            const bodySize: Omit<LabelBlockRulePlan, "priority"> = {
                kind: "labelBlock",
                name: "aws-common-body-size",
                countOnly: counting(config.countOnly.common),
                label: BODY_SIZE_LABEL,
                exceptPaths: POLICY_PATHS,
            };
            return [managed, bodySize];
        }),
    ];
    return rules.map((rule, i) => ({ ...rule, priority: i + 1 }) as WafRulePlan);
}

/** WAF requires the log group's name to start with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/**
 * What every WAF log record has redacted (a `loggingConfiguration`'s
 * `redactedFields`, which AWS limits to single headers, the query string, the
 * URI path and the method: cookies cannot be named one by one, so the whole
 * `cookie` header goes). `authorization` carries the bearer tokens, `cookie`
 * the `jwt` cookie iam-apiserver sets at login (`SendCookie: true`) and reads
 * back, the query string a `?token=` (blocked, but the blocked request is
 * logged too).
 */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie"] as const;

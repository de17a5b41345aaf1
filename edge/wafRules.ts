/**
 * Each planned WAF rule (wafPlan.ts) as the `rules` entry of
 * `aws.wafv2.WebAcl`, pure. Field names are @pulumi/aws 7.x's
 * (`types/input.d.ts`, namespace wafv2: `rateBasedStatement.scopeDownStatement`,
 * `managedRuleGroupStatement.ruleActionOverrides`, `labelMatchStatement`,
 * `notStatement.statement`, `regexMatchStatement`); the shapes follow the
 * WAF developer guide: a rate-based rule scoped down to a request property,
 * and a managed rule overridden to count whose label a later rule matches
 * ("label match" with a negated URI path condition). Statements nest at most
 * three deep, the provider's limit for `rules` (deeper needs `ruleJson`).
 */
import type * as aws from "@pulumi/aws";
import { TOKEN_QUERY_PARAMETER, WAF_RATE_WINDOW_SECONDS, WafRulePlan } from "./wafPlan";

type Rule = aws.types.input.wafv2.WebAclRule;
type Statement = aws.types.input.wafv2.WebAclRuleStatement;

/** A regular expression matching exactly `fqdn`, with an optional trailing dot and port (what clients may send as Host). */
export function hostPattern(fqdn: string): string {
    return `^${fqdn.toLowerCase().replace(/[.]/g, "\\.")}\\.?(?::[0-9]+)?$`;
}

/**
 * `token` as a query parameter name, URL-decoded first (`%74oken=` is
 * `token=` to Go's url.ParseQuery), at the start or after `&` (or `;`, which
 * Go before 1.17 also split on), with or without a value.
 */
export const TOKEN_QUERY_PATTERN = `(?:^|[&;])${TOKEN_QUERY_PARAMETER}(?:=|[&;]|$)`;

const none = [{ priority: 0, type: "NONE" }];

/** The rule's action: block, or count. */
const action = (countOnly: boolean): Rule["action"] => (countOnly ? { count: {} } : { block: {} });

function statement(plan: WafRulePlan): Statement {
    switch (plan.kind) {
        case "tokenQuery":
            return { regexMatchStatement: { regexString: TOKEN_QUERY_PATTERN, fieldToMatch: { queryString: {} }, textTransformations: [{ priority: 0, type: "URL_DECODE" }] } };
        case "rateLimit":
            return {
                rateBasedStatement: {
                    limit: plan.limit,
                    aggregateKeyType: "IP",
                    evaluationWindowSec: WAF_RATE_WINDOW_SECONDS,
                    scopeDownStatement: {
                        regexMatchStatement: {
                            regexString: hostPattern(plan.fqdn),
                            fieldToMatch: { singleHeader: { name: "host" } },
                            textTransformations: [{ priority: 0, type: "LOWERCASE" }],
                        },
                    },
                },
            };
        case "managed":
            return {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: plan.managedGroup,
                    ...(plan.countedRules.length > 0 ? { ruleActionOverrides: plan.countedRules.map((name) => ({ name, actionToUse: { count: {} } })) } : {}),
                },
            };
        case "labelBlock":
            return {
                andStatement: {
                    statements: [
                        { labelMatchStatement: { scope: "LABEL", key: plan.label } },
                        { notStatement: { statement: { regexMatchStatement: { regexString: plan.exceptPaths, fieldToMatch: { uriPath: {} }, textTransformations: none } } } },
                    ],
                },
            };
    }
}

/** The `rules` entry of a planned rule; `metricPrefix` is the ACL's name. */
export function wafRuleInput(plan: WafRulePlan, metricPrefix: string): Rule {
    const visibilityConfig = { cloudwatchMetricsEnabled: true, metricName: `${metricPrefix}-${plan.name}`, sampledRequestsEnabled: true };
    const base = { name: plan.name, priority: plan.priority, statement: statement(plan), visibilityConfig };
    // A managed group takes an override action (none: its rules' own actions), any other rule an action.
    return plan.kind === "managed" ? { ...base, overrideAction: plan.countOnly ? { count: {} } : { none: {} } } : { ...base, action: action(plan.countOnly) };
}

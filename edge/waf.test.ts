/**
 * AWS WAF on the real stack files' load balancer: the rules, the
 * association, logging with the credentials redacted, and the alarm.
 */
import { configProblems, ofType, onlyOfType, runStack, runVariant, StackRun } from "../test/harness";

const ACL = "aws:wafv2/webAcl:WebAcl";
const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

const only = onlyOfType;
interface Rule {
    name: string;
    priority: number;
    action?: Record<string, unknown>;
    overrideAction?: Record<string, unknown>;
    statement: Record<string, Record<string, unknown>>;
}

describe.each(["prod", "staging"])("%s web application firewall", (stack) => {
    it("filters the load balancer's requests: REGIONAL, allow by default, a per-IP rate limit and four AWS managed groups that block", () => {
        const run = runs[stack];
        const acl = only(run, ACL);
        expect(acl.inputs).toMatchObject({ name: `iam-${stack}-edge`, scope: "REGIONAL", defaultAction: { allow: {} } });
        const rules = acl.inputs.rules as Rule[];
        expect(rules.map((r) => [r.priority, r.name])).toEqual([
            [1, "rate-limit-per-ip"],
            [2, "aws-ip-reputation"],
            [3, "aws-known-bad-inputs"],
            [4, "aws-common"],
            [5, "aws-sql-injection"],
        ]);
        expect(rules[0].action).toEqual({ block: {} });
        expect(rules[0].statement.rateBasedStatement).toEqual({ limit: run.config.edge.waf.rateLimitPerIp, aggregateKeyType: "IP", evaluationWindowSec: 300 });
        expect(rules.slice(1).map((r) => [r.overrideAction, r.statement.managedRuleGroupStatement])).toEqual([
            [{ none: {} }, { vendorName: "AWS", name: "AWSManagedRulesAmazonIpReputationList" }],
            [{ none: {} }, { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" }],
            [{ none: {} }, { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" }],
            [{ none: {} }, { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" }],
        ]);
        const association = only(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
        expect(association.inputs.resourceArn).toEqual(expect.stringContaining("iam-edge-alb"));
        expect(association.propertyDependencies.resourceArn).toEqual([only(run, "aws:lb/loadBalancer:LoadBalancer").urn]);
    });

    it("logs to an aws-waf-logs- group with a retention, the authorization header redacted", () => {
        const run = runs[stack];
        const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => String(g.inputs.name).startsWith("aws-waf-logs-"));
        expect(group?.inputs).toMatchObject({ name: `aws-waf-logs-iam-${stack}`, retentionInDays: run.config.edge.waf.logRetentionDays });
        const logging = only(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        expect(logging.inputs.redactedFields).toEqual([{ singleHeader: { name: "authorization" } }]);
        expect(logging.propertyDependencies.logDestinationConfigs).toEqual([group?.urn]);
    });

    it("pages on a spike of blocked requests", () => {
        const run = runs[stack];
        const alarm = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === `iam-${stack}-waf-blocked-requests`);
        expect(alarm?.inputs).toMatchObject({
            namespace: "AWS/WAFV2",
            metricName: "BlockedRequests",
            statistic: "Sum",
            period: 300,
            dimensions: { WebACL: `iam-${stack}-edge`, Region: "eu-west-1", Rule: "ALL" },
            threshold: run.config.edge.waf.blockedRequestsAlarm,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        expect((alarm?.inputs.alarmActions as unknown[]).length).toBeGreaterThan(0);
    });
});

describe("WAF config", () => {
    it("counts instead of blocking for the groups set count-only, and changes the rate limit", async () => {
        const run = await runVariant("staging-waf-count-only");
        const rules = ofType(run, ACL)[0].inputs.rules as Rule[];
        expect(rules[0]).toMatchObject({ action: { count: {} }, statement: { rateBasedStatement: { limit: 500 } } });
        expect(rules.map((r) => r.overrideAction ?? r.action)).toEqual([{ count: {} }, { none: {} }, { none: {} }, { count: {} }, { none: {} }]);
    });

    it("turns off entirely, with its alarm", async () => {
        const run = await runVariant("staging-waf-off");
        expect(ofType(run, ACL)).toEqual([]);
        expect(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => String(a.inputs.name).includes("waf"))).toEqual([]);
    });

    it("names a bad field by its path", () => {
        expect(
            configProblems("prod", (v) => {
                (v.edge as Record<string, unknown>).waf = { rateLimitPerIp: 1, countOnly: { sqli: true } };
            }),
        ).toEqual([
            "edge.waf.rateLimitPerIp must be at least 10 (AWS WAF's smallest rate limit)",
            "edge.waf.countOnly.sqli is not a known key (allowed: rateLimit, ipReputation, knownBadInputs, common, sqlInjection)",
        ]);
    });
});

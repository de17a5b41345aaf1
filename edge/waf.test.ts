/**
 * AWS WAF on the real stack files' load balancer: the rules (a rate rule
 * per public host, the token parameter refused, the body-size exception),
 * each file's mode, the association, logging and sampling with the
 * credentials redacted, and the alarm.
 */
import { configProblems, ofType, onlyOfType, runStack, runVariant, StackRun } from "../test/harness";
import { hostPattern } from "./wafRules";

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

const publicHosts = (run: StackRun): { service: string; fqdn: string }[] => run.config.services.flatMap((s) => (s.public ? [{ service: s.name, fqdn: s.public.fqdn }] : []));

describe.each(["prod", "staging"])("%s web application firewall", (stack) => {
    it("filters the load balancer's requests: REGIONAL, allow by default, the token parameter refused, a rate rule per public host, four AWS managed groups and the body-size rule", () => {
        const run = runs[stack];
        const acl = only(run, ACL);
        expect(acl.inputs).toMatchObject({ name: `iam-${stack}-edge`, scope: "REGIONAL", defaultAction: { allow: {} } });
        const rules = acl.inputs.rules as Rule[];
        expect(rules.map((r) => [r.priority, r.name])).toEqual([
            [1, "block-token-query-parameter"],
            [2, "rate-limit-iam-apiserver"],
            [3, "rate-limit-iam-authz-server"],
            [4, "aws-ip-reputation"],
            [5, "aws-known-bad-inputs"],
            [6, "aws-common"],
            [7, "aws-common-body-size"],
            [8, "aws-sql-injection"],
        ]);
        expect(
            rules
                .slice(3)
                .map((r) => r.statement.managedRuleGroupStatement?.name)
                .filter(Boolean),
        ).toEqual(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet"]);
        const association = only(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
        expect(association.inputs.resourceArn).toEqual(expect.stringContaining("iam-edge-alb"));
        expect(association.propertyDependencies.resourceArn).toEqual([only(run, "aws:lb/loadBalancer:LoadBalancer").urn]);
    });

    it("writes every regular expression in the PCRE subset AWS WAF accepts: no capturing group (the WAF API refuses the web ACL)", () => {
        // docs.aws.amazon.com/waf/latest/developerguide/waf-regex-pattern-support.html: "Backreferences and capturing subexpressions" unsupported.
        const text = JSON.stringify(only(runs[stack], "aws:wafv2/webAcl:WebAcl").inputs);
        const patterns = [...text.matchAll(/"regexString":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
        expect(patterns.length).toBeGreaterThanOrEqual(3);
        expect(patterns.filter((p) => /(?<!\\)\((?!\?)/.test(p))).toEqual([]);
    });

    it("rate-limits each public host on its own: iam.api per client IP at rateLimitPerIp, iam.authz per client IP far higher (its few callers share NAT addresses)", () => {
        const run = runs[stack];
        const rate = (only(run, ACL).inputs.rules as Rule[]).filter((r) => r.statement.rateBasedStatement);
        const scoped = rate.map((r) => {
            const statement = r.statement.rateBasedStatement as { limit: number; aggregateKeyType: string; scopeDownStatement: { regexMatchStatement: { regexString: string } } };
            return { limit: statement.limit, key: statement.aggregateKeyType, host: statement.scopeDownStatement.regexMatchStatement.regexString };
        });
        const [api, authz] = publicHosts(run);
        expect(scoped).toEqual([
            { limit: run.config.edge.waf.rateLimitPerIp, key: "IP", host: hostPattern(api.fqdn) },
            { limit: 100_000, key: "IP", host: hostPattern(authz.fqdn) },
        ]);
        expect(api.fqdn).toMatch(/^iam\.api\./);
        expect(authz.fqdn).toMatch(/^iam\.authz\./);
        // No rate rule covers both hosts: the authz callers' requests never count towards iam.api's limit.
        expect(new RegExp(scoped[0].host).test(authz.fqdn)).toBe(false);
        expect(new RegExp(scoped[1].host).test(api.fqdn)).toBe(false);
    });

    it("blocks a token in the query string whatever the mode, so no accepted request carries one in its URL", () => {
        const token = (only(runs[stack], ACL).inputs.rules as Rule[])[0];
        expect(token).toMatchObject({ action: { block: {} }, statement: { regexMatchStatement: { fieldToMatch: { queryString: {} } } } });
        expect(new RegExp(String(token.statement.regexMatchStatement.regexString)).test("token=eyJhbGciOiJIUzI1NiJ9")).toBe(true);
    });

    it("logs to an aws-waf-logs- group with a retention, the authorization and cookie headers and the query string redacted", () => {
        const run = runs[stack];
        const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => String(g.inputs.name).startsWith("aws-waf-logs-"));
        expect(group?.inputs).toMatchObject({ name: `aws-waf-logs-iam-${stack}`, retentionInDays: run.config.edge.waf.logRetentionDays });
        const logging = only(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        expect(logging.inputs.redactedFields).toEqual([{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { queryString: {} }]);
        expect(logging.propertyDependencies.logDestinationConfigs).toEqual([group?.urn]);
    });

    it("substitutes the bearer header, the jwt cookie and the token parameter in sampled requests and rule-match details (data protection)", () => {
        expect(only(runs[stack], ACL).inputs.dataProtectionConfig).toEqual({
            dataProtections: [
                { field: { fieldType: "SINGLE_HEADER", fieldKeys: ["authorization"] }, action: "SUBSTITUTION" },
                { field: { fieldType: "SINGLE_COOKIE", fieldKeys: ["jwt"] }, action: "SUBSTITUTION" },
                { field: { fieldType: "SINGLE_QUERY_ARGUMENT", fieldKeys: ["token"] }, action: "SUBSTITUTION" },
            ],
        });
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

describe("the mode of each stack file", () => {
    const actions = (run: StackRun): unknown[] => (only(run, ACL).inputs.rules as Rule[]).map((r) => r.overrideAction ?? r.action);

    it("staging, a stack on the default, counts with every rule but the token one (count mode: what a new stack starts with)", () => {
        expect(runs.staging.config.edge.waf.mode).toBe("count");
        expect(actions(runs.staging)).toEqual([{ block: {} }, { count: {} }, { count: {} }, { count: {} }, { count: {} }, { count: {} }, { count: {} }, { count: {} }]);
    });

    it("prod, switched to block, blocks with every rule (managed groups keep their own actions)", () => {
        expect(runs.prod.config.edge.waf.mode).toBe("block");
        expect(actions(runs.prod)).toEqual([{ block: {} }, { block: {} }, { block: {} }, { none: {} }, { none: {} }, { none: {} }, { block: {} }, { none: {} }]);
    });
});

describe("WAF config", () => {
    it("in block mode, counts instead of blocking for the groups set count-only, and changes the rate limit", async () => {
        const run = await runVariant("staging-waf-count-only");
        const rules = ofType(run, ACL)[0].inputs.rules as Rule[];
        expect(rules[1]).toMatchObject({ action: { count: {} }, statement: { rateBasedStatement: { limit: 500 } } });
        expect(rules.map((r) => r.overrideAction ?? r.action)).toEqual([
            { block: {} },
            { count: {} },
            { count: {} },
            { none: {} },
            { none: {} },
            { count: {} },
            { count: {} },
            { none: {} },
        ]);
    });

    it("turns off entirely, with its alarm", async () => {
        const run = await runVariant("staging-waf-off");
        expect(ofType(run, ACL)).toEqual([]);
        expect(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => String(a.inputs.name).includes("waf"))).toEqual([]);
    });

    it("names a bad field by its path", () => {
        expect(
            configProblems("prod", (v) => {
                (v.edge as Record<string, unknown>).waf = { rateLimitPerIp: 1, countOnly: { sqli: true }, mode: "on" };
            }),
        ).toEqual([
            "edge.waf.mode must be count or block",
            "edge.waf.rateLimitPerIp must be at least 10 (AWS WAF's smallest rate limit)",
            "edge.waf.countOnly.sqli is not a known key (allowed: rateLimit, ipReputation, knownBadInputs, common, sqlInjection)",
        ]);
    });

    it("refuses a rate limit for a service that has no public host", () => {
        expect(
            configProblems("prod", (v) => {
                (v.edge as Record<string, unknown>).waf = { rateLimits: { "iam-pump": 100, "iam-authz-server": "exempt" } };
            }),
        ).toEqual(["edge.waf.rateLimits.iam-pump names no public service of the catalog (public: iam-apiserver, iam-authz-server): only a public host has a rate rule"]);
    });
});

import { BODY_SIZE_LABEL, hostRateLimit, POLICY_PATHS, wafRules } from "./wafPlan";
import { hostPattern, TOKEN_QUERY_PATTERN, wafRuleInput } from "./wafRules";
import { wafSchema } from "./wafSchema";

const HOSTS = [
    { service: "iam-apiserver", fqdn: "iam.api.example.com" },
    { service: "iam-authz-server", fqdn: "iam.authz.example.com" },
];

describe("wafRules", () => {
    const defaults = wafSchema().parse(undefined);
    const blocking = wafSchema().parse({ mode: "block" });

    it("refuses ?token= first, rate-limits each public host, then the AWS managed groups with the body-size rule re-applied after the common set", () => {
        expect(wafRules(blocking, HOSTS).map((r) => [r.priority, r.name, r.kind, r.countOnly])).toEqual([
            [1, "block-token-query-parameter", "tokenQuery", false],
            [2, "rate-limit-iam-apiserver", "rateLimit", false],
            [3, "rate-limit-iam-authz-server", "rateLimit", false],
            [4, "aws-ip-reputation", "managed", false],
            [5, "aws-known-bad-inputs", "managed", false],
            [6, "aws-common", "managed", false],
            [7, "aws-common-body-size", "labelBlock", false],
            [8, "aws-sql-injection", "managed", false],
        ]);
    });

    it("starts in count mode: every rule counts except the token rule, which blocks in every mode", () => {
        expect(defaults.mode).toBe("count");
        expect(wafRules(defaults, HOSTS).map((r) => [r.name, r.countOnly])).toEqual([
            ["block-token-query-parameter", false],
            ["rate-limit-iam-apiserver", true],
            ["rate-limit-iam-authz-server", true],
            ["aws-ip-reputation", true],
            ["aws-known-bad-inputs", true],
            ["aws-common", true],
            ["aws-common-body-size", true],
            ["aws-sql-injection", true],
        ]);
    });

    it("in block mode, counts only the groups set count-only (the body-size rule follows the common set)", () => {
        const config = wafSchema().parse({ mode: "block", countOnly: { common: true, rateLimit: true } });
        expect(
            wafRules(config, HOSTS)
                .filter((r) => r.countOnly)
                .map((r) => r.name),
        ).toEqual(["rate-limit-iam-apiserver", "rate-limit-iam-authz-server", "aws-common", "aws-common-body-size"]);
    });

    it("keys iam.api per IP at rateLimitPerIp and gives iam-authz-server (few callers behind NAT) a far higher limit, unless rateLimits says otherwise", () => {
        expect(hostRateLimit(defaults, "iam-apiserver")).toBe(2000);
        expect(hostRateLimit(defaults, "iam-authz-server")).toBe(100_000);
        const config = wafSchema().parse({ rateLimitPerIp: 500, rateLimits: { "iam-apiserver": 3000, "iam-authz-server": "exempt" } });
        expect(wafRules(config, HOSTS).filter((r) => r.kind === "rateLimit")).toEqual([
            { kind: "rateLimit", name: "rate-limit-iam-apiserver", priority: 2, countOnly: true, service: "iam-apiserver", fqdn: "iam.api.example.com", limit: 3000 },
        ]);
    });
});

describe("the rules as the web ACL gets them", () => {
    const rules = wafRules(wafSchema().parse({ mode: "block" }), HOSTS).map((r) => wafRuleInput(r, "iam-prod-edge"));
    const byName = (name: string) => rules.find((r) => r.name === name);

    it("scopes each rate rule down to its own host (Host header, lower-cased), aggregated per client IP over 5 minutes", () => {
        expect(byName("rate-limit-iam-authz-server")).toEqual({
            name: "rate-limit-iam-authz-server",
            priority: 3,
            action: { block: {} },
            statement: {
                rateBasedStatement: {
                    limit: 100_000,
                    aggregateKeyType: "IP",
                    evaluationWindowSec: 300,
                    scopeDownStatement: {
                        regexMatchStatement: {
                            regexString: "^iam\\.authz\\.example\\.com\\.?(?::[0-9]+)?$",
                            fieldToMatch: { singleHeader: { name: "host" } },
                            textTransformations: [{ priority: 0, type: "LOWERCASE" }],
                        },
                    },
                },
            },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "iam-prod-edge-rate-limit-iam-authz-server", sampledRequestsEnabled: true },
        });
    });

    it("counts SizeRestrictions_BODY in the common set and blocks its label except on the policy paths (AWS's label-match pattern)", () => {
        expect(byName("aws-common")?.statement).toEqual({
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: "AWSManagedRulesCommonRuleSet",
                ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            },
        });
        expect(byName("aws-common-body-size")).toMatchObject({
            action: { block: {} },
            statement: {
                andStatement: {
                    statements: [
                        { labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_LABEL } },
                        { notStatement: { statement: { regexMatchStatement: { regexString: POLICY_PATHS, fieldToMatch: { uriPath: {} } } } } },
                    ],
                },
            },
        });
        expect(BODY_SIZE_LABEL).toBe("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
    });

    it("blocks a token query parameter after URL-decoding the query string", () => {
        expect(byName("block-token-query-parameter")).toMatchObject({
            action: { block: {} },
            statement: { regexMatchStatement: { regexString: TOKEN_QUERY_PATTERN, fieldToMatch: { queryString: {} }, textTransformations: [{ priority: 0, type: "URL_DECODE" }] } },
        });
    });
});

describe("the patterns (as WAF's regex engine reads them; these use no construct JavaScript reads differently)", () => {
    // WAF matches the query string after URL_DECODE: the cases are decoded already.
    it.each([
        ["token=eyJhbGciOi", true],
        ["a=1&token=eyJ", true],
        ["token", true],
        ["a=1;token=x", true],
        ["tokens=1", false],
        ["mytoken=1", false],
        ["a=token", false],
        ["", false],
    ])("query %j carries a token parameter: %s", (query, carries) => {
        expect(new RegExp(TOKEN_QUERY_PATTERN).test(query)).toBe(carries);
    });

    it.each([
        ["/v1/policies", true],
        ["/v1/policies/", true],
        ["/v1/policies/allow-read", true],
        ["/v1/policies/a/b", false],
        ["/v1/secrets", false],
        ["/v1/policiesx", false],
        ["/v1/users/admin", false],
    ])("path %s may carry a body over 8 KB: %s", (path, allowed) => {
        expect(new RegExp(POLICY_PATHS).test(path)).toBe(allowed);
    });

    it.each([
        ["iam.api.example.com", true],
        ["iam.api.example.com:443", true],
        ["iam.api.example.com.", true],
        ["iam.apixexample.com", false],
        ["evil.iam.api.example.com", false],
        ["iam.api.example.com.evil.net", false],
    ])("Host %s is iam.api.example.com: %s", (host, same) => {
        expect(new RegExp(hostPattern("iam.api.example.com")).test(host)).toBe(same);
    });
});

describe("wafSchema", () => {
    it("defaults: on, count mode, 2000 requests per IP per host per 5 minutes, logs kept 90 days, a page above 500 blocked in 5 minutes", () => {
        expect(wafSchema().parse({})).toMatchObject({ enabled: true, mode: "count", rateLimitPerIp: 2000, logRetentionDays: 90, blockedRequestsAlarm: 500 });
        expect(wafSchema().parse(undefined)).toMatchObject({ mode: "count" });
    });

    it("says what is wrong in plain words", () => {
        const result = wafSchema().safeParse({ rateLimitPerIp: 5, logRetentionDays: 100, countOnly: { sqli: true }, mode: "on", rateLimits: { "iam-authz-server": "off" } });
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => `${i.path.join(".")} ${i.message}`)).toEqual(
            expect.arrayContaining([
                "rateLimitPerIp must be at least 10 (AWS WAF's smallest rate limit)",
                "mode must be count or block",
                'rateLimits.iam-authz-server must be a whole number of requests (10-2000000000) or "exempt"',
                expect.stringMatching(/^logRetentionDays must be a CloudWatch Logs retention: 1, 3, 5/),
            ]),
        );
    });
});

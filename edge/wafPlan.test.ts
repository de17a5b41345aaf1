import { wafRules } from "./wafPlan";
import { wafSchema } from "./wafSchema";

describe("wafRules", () => {
    const defaults = wafSchema().parse(undefined);

    it("rate-limits first, then the four AWS managed groups, all blocking by default", () => {
        expect(wafRules(defaults)).toEqual([
            { name: "rate-limit-per-ip", priority: 1, kind: "rateLimit", countOnly: false },
            { name: "aws-ip-reputation", priority: 2, kind: "managed", countOnly: false, managedGroup: "AWSManagedRulesAmazonIpReputationList" },
            { name: "aws-known-bad-inputs", priority: 3, kind: "managed", countOnly: false, managedGroup: "AWSManagedRulesKnownBadInputsRuleSet" },
            { name: "aws-common", priority: 4, kind: "managed", countOnly: false, managedGroup: "AWSManagedRulesCommonRuleSet" },
            { name: "aws-sql-injection", priority: 5, kind: "managed", countOnly: false, managedGroup: "AWSManagedRulesSQLiRuleSet" },
        ]);
    });

    it("counts instead of blocking, per rule group, for a first rollout", () => {
        const config = wafSchema().parse({ countOnly: { common: true, rateLimit: true } });
        expect(
            wafRules(config)
                .filter((r) => r.countOnly)
                .map((r) => r.name),
        ).toEqual(["rate-limit-per-ip", "aws-common"]);
    });
});

describe("wafSchema", () => {
    it("defaults: on, 2000 requests per IP per 5 minutes, logs kept 90 days, a page above 500 blocked in 5 minutes", () => {
        expect(wafSchema().parse({})).toMatchObject({ enabled: true, rateLimitPerIp: 2000, logRetentionDays: 90, blockedRequestsAlarm: 500 });
    });

    it("says what is wrong in plain words", () => {
        const result = wafSchema().safeParse({ rateLimitPerIp: 5, logRetentionDays: 100, countOnly: { sqli: true } });
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => `${i.path.join(".")} ${i.message}`)).toEqual(
            expect.arrayContaining([
                "rateLimitPerIp must be at least 10 (AWS WAF's smallest rate limit)",
                expect.stringMatching(/^logRetentionDays must be a CloudWatch Logs retention: 1, 3, 5/),
            ]),
        );
    });
});

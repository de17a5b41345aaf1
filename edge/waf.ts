import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WafConfig } from "./wafSchema";
import { TOKEN_QUERY_PARAMETER, WAF_LOG_GROUP_PREFIX, WAF_REDACTED_HEADERS, WafHost, wafRules } from "./wafPlan";
import { wafRuleInput } from "./wafRules";

export interface WafArgs {
    /** The validated `edge.waf` section (enabled). */
    config: WafConfig;
    /** The web ACL's and log group's name stem, unique per account and region (`iam-<stack>`); changing it replaces the ACL. */
    namePrefix: string;
    /** The load balancer the ACL is attached to. */
    loadBalancerArn: pulumi.Input<string>;
    /** The catalog's public hosts: one rate rule each (limits from `config`); a new host adds a rule to the same ACL, in place. */
    hosts: readonly WafHost[];
}

/**
 * AWS WAF in front of the ALB: a REGIONAL web ACL that allows by default and
 * runs `wafRules` (edge/wafPlan.ts): the `token` query parameter refused, a
 * per-IP rate rule per public host, the AWS managed groups with the body-size
 * rule re-applied except on the policy paths; in `mode: count` every rule but
 * the token one only counts. Attached to the load balancer, logging every
 * evaluated request to CloudWatch Logs (`aws-waf-logs-<prefix>`, retained
 * `logRetentionDays`) with the `authorization` and `cookie` headers and the
 * query string redacted, and the same credentials substituted in sampled
 * requests and rule-match details (data protection). Created in parallel
 * with everything but the load balancer; the association waits for both.
 * Rules and data protection change in place: the ACL is replaced only if
 * its name (`namePrefix`) changes.
 */
export class Waf extends pulumi.ComponentResource {
    readonly webAclArn: pulumi.Output<string>;
    /** The ACL's name: the `WebACL` dimension of the AWS/WAFV2 metrics. */
    readonly webAclName: pulumi.Output<string>;

    constructor(name: string, args: WafArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:edge:Waf", name, {}, opts);
        const { config } = args;
        const aclName = `${args.namePrefix}-edge`;
        const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

        const rules = wafRules(config, args.hosts).map((rule) => wafRuleInput(rule, aclName));

        const acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                name: aclName,
                description: "IAM public entry: rate limit per IP and AWS managed rule groups",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules,
                // Sampled requests (3 hours, in the console) and the logs' rule-match details show headers and the query
                // string; redactedFields below do not reach them, data protection does (WAFV2 API reference: VisibilityConfig
                // SampledRequestsEnabled, DataProtectionConfig; checked 2026-12-07).
                dataProtectionConfig: {
                    dataProtections: [
                        { field: { fieldType: "SINGLE_HEADER", fieldKeys: ["authorization"] }, action: "SUBSTITUTION" },
                        { field: { fieldType: "SINGLE_COOKIE", fieldKeys: ["jwt"] }, action: "SUBSTITUTION" },
                        { field: { fieldType: "SINGLE_QUERY_ARGUMENT", fieldKeys: [TOKEN_QUERY_PARAMETER] }, action: "SUBSTITUTION" },
                    ],
                },
                visibilityConfig: visibility(aclName),
                tags: { Name: aclName },
            },
            { parent: this },
        );

        new aws.wafv2.WebAclAssociation(
            `${name}-alb`,
            {
                resourceArn: args.loadBalancerArn,
                webAclArn: acl.arn,
            },
            { parent: this },
        );

        // WAF adds the log group's resource policy for log delivery itself (docs/edge.md).
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `${WAF_LOG_GROUP_PREFIX}${args.namePrefix}`,
                retentionInDays: config.logRetentionDays,
                tags: { Name: `${WAF_LOG_GROUP_PREFIX}${args.namePrefix}` },
            },
            { parent: this },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: [...WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })), { queryString: {} }],
            },
            { parent: this },
        );

        this.webAclArn = acl.arn;
        this.webAclName = acl.name;
        this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WafConfig } from "./wafSchema";
import { WAF_LOG_GROUP_PREFIX, WAF_REDACTED_HEADER, wafRules } from "./wafPlan";

export interface WafArgs {
    /** The validated `edge.waf` section (enabled). */
    config: WafConfig;
    /** The web ACL's and log group's name stem, unique per account and region (`iam-<stack>`); changing it replaces the ACL. */
    namePrefix: string;
    /** The load balancer the ACL is attached to. */
    loadBalancerArn: pulumi.Input<string>;
}

/**
 * AWS WAF in front of the ALB: a REGIONAL web ACL that allows by default,
 * blocks (or, count-only, counts) per `wafRules`, attached to the load
 * balancer, logging every evaluated request to CloudWatch Logs
 * (`aws-waf-logs-<prefix>`, retained `logRetentionDays`) with the
 * `authorization` header redacted. Created in parallel with everything but
 * the load balancer; the association waits for both.
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

        const rules = wafRules(config).map((rule): aws.types.input.wafv2.WebAclRule =>
            rule.kind === "rateLimit"
                ? {
                      name: rule.name,
                      priority: rule.priority,
                      action: rule.countOnly ? { count: {} } : { block: {} },
                      statement: { rateBasedStatement: { limit: config.rateLimitPerIp, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                      visibilityConfig: visibility(`${aclName}-${rule.name}`),
                  }
                : {
                      name: rule.name,
                      priority: rule.priority,
                      overrideAction: rule.countOnly ? { count: {} } : { none: {} },
                      statement: { managedRuleGroupStatement: { vendorName: "AWS", name: rule.managedGroup ?? "" } },
                      visibilityConfig: visibility(`${aclName}-${rule.name}`),
                  },
        );

        const acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                name: aclName,
                description: "IAM public entry: rate limit per IP and AWS managed rule groups",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules,
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
                redactedFields: [{ singleHeader: { name: WAF_REDACTED_HEADER } }],
            },
            { parent: this },
        );

        this.webAclArn = acl.arn;
        this.webAclName = acl.name;
        this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName });
    }
}

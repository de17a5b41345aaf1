/**
 * Trust policies for roles an AWS service assumes, pure. Every such trust
 * names the account (and, where the service reports it, the resource) it
 * acts for: `aws:SourceAccount` and `aws:SourceArn`. Without them any
 * customer of that service could have it act with this role (the confused
 * deputy); the policy pack's `service-trust-has-source-conditions` refuses
 * a trust without them.
 */

export interface ServiceTrustSource {
    /** The 12-digit account the service acts for (this stack's account). */
    account: string;
    /** The ARN (wildcards allowed) of the resource the service acts for, e.g. `arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*`. */
    arn?: string;
}

export interface TrustStatement {
    Effect: "Allow";
    Principal: { Service: string };
    Action: string | string[];
    Condition: Record<string, Record<string, string>>;
}

/** `sts:AssumeRole` for `service` (e.g. `vpc-flow-logs.amazonaws.com`), only on behalf of `source`. */
export function serviceTrustPolicy(
    service: string,
    source: ServiceTrustSource,
    actions: string | string[] = "sts:AssumeRole",
): { Version: "2012-10-17"; Statement: TrustStatement[] } {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: actions,
                Condition: {
                    StringEquals: { "aws:SourceAccount": source.account },
                    ...(source.arn ? { ArnLike: { "aws:SourceArn": source.arn } } : {}),
                },
            },
        ],
    };
}

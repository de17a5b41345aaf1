/**
 * The access-log bucket's policy, pure (edge/accessLogs.ts applies it): log
 * delivery for this account under the prefix, and TLS only.
 */
/**
 * The ELB account of each region opened before August 2022: there, log
 * delivery writes as this account. Regions opened later use the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal, which
 * the policy grants everywhere.
 */
export const LEGACY_ELB_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
};

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: { AWS: string } | { Service: string } | "*";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
}

/**
 * The bucket policy ELB log delivery needs (write under the prefix, for this
 * account only), plus a deny of any request not over TLS.
 */
export function accessLogBucketPolicy(args: { bucketArn: string; accountId: string; region: string; partition: string; prefix: string }): {
    Version: string;
    Statement: PolicyStatement[];
} {
    const objects = `${args.bucketArn}/${args.prefix}/AWSLogs/${args.accountId}/*`;
    const legacyAccount = LEGACY_ELB_ACCOUNTS[args.region];
    const statements: PolicyStatement[] = [
        {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: objects,
        },
    ];
    if (legacyAccount) {
        statements.push({
            Sid: "ElbLogDeliveryRegionalAccount",
            Effect: "Allow",
            Principal: { AWS: `arn:${args.partition}:iam::${legacyAccount}:root` },
            Action: "s3:PutObject",
            Resource: objects,
        });
    }
    statements.push({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [args.bucketArn, `${args.bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    return { Version: "2012-10-17", Statement: statements };
}

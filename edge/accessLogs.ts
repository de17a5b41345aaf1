import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy } from "./accessLogsPolicy";

/** Where in the bucket the load balancer writes (ELB appends `/AWSLogs/<account>/...`). */
export const ACCESS_LOG_PREFIX = "alb";

export interface AccessLogsArgs {
    /** Days a log object is kept before it expires (1-3650). */
    retentionDays: number;
    /** The stack's region: selects the ELB log-delivery principal. */
    region: string;
    /**
     * True in prod: the bucket is protected (Pulumi refuses to delete it) and
     * retained on delete (after `pulumi state unprotect`, turning logs off or
     * destroying the stack still leaves the bucket and its logs in place).
     */
    protect: boolean;
}

/**
 * The S3 bucket the load balancer writes access logs to: private (public
 * access blocked, ACLs disabled by bucket-owner-enforced ownership),
 * encrypted with SSE-S3 (the only encryption ELB log delivery supports),
 * objects expiring after the retention, and the ELB log-delivery policy.
 * Depend on this component before enabling logs: ELB checks the policy
 * when access logs are turned on.
 */
export class AccessLogs extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: AccessLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:edge:AccessLogs", name, {}, opts);
        const bucket = new aws.s3.Bucket(
            name,
            {
                // Outside prod a stack can be destroyed with its logs in it.
                forceDestroy: !args.protect,
                tags: { Name: name, purpose: "alb-access-logs" },
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            name,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        new aws.s3.BucketOwnershipControls(
            name,
            {
                bucket: bucket.id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            },
            { parent: this },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
            { parent: this },
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: { prefix: `${ACCESS_LOG_PREFIX}/` },
                        expiration: { days: args.retentionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            { parent: this },
        );
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        new aws.s3.BucketPolicy(
            name,
            {
                bucket: bucket.id,
                policy: pulumi
                    .all([bucket.arn, identity.accountId, partition.partition])
                    .apply(([bucketArn, accountId, partitionName]) =>
                        JSON.stringify(accessLogBucketPolicy({ bucketArn, accountId, region: args.region, partition: partitionName, prefix: ACCESS_LOG_PREFIX })),
                    ),
            },
            { parent: this, dependsOn: [publicAccess] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ManagedRedisConfig } from "./schema";
import { DATA_STORE_DEFAULTS, DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";
import { STORE_PORTS } from "../network/accessMatrixPlan";
import { ManagedStoreArgs } from "./managedStore";
import { StoreEndpoint } from "./storeEndpoint";

/** `identifier` is the replication group id (<= 40 characters). */
export type ManagedRedisArgs = ManagedStoreArgs<ManagedRedisConfig>;

/**
 * ElastiCache's AUTH token rules: 16-128 printable characters without
 * spaces, `"`, `/` or `@`. The generated token is 64 letters and digits
 * (~380 bits), which meets them and needs no escaping in any client URL.
 */
export const AUTH_TOKEN_LENGTH = 64;

/**
 * ElastiCache for Redis OSS (or Valkey), cluster mode off: a primary and
 * replicas spread over the zones with automatic failover when there are two
 * or more nodes, encrypted at rest and in transit (TLS required), an AUTH
 * token, and daily snapshots.
 *
 * The token is generated here (`RandomPassword`), not typed into config: no
 * person ever needs to know it, it can never be weak or break ElastiCache's
 * charset rules, and it lives in Secrets Manager next to the RDS and
 * DocumentDB credentials, so one mechanism (External Secrets) delivers all
 * three to the cluster. In Pulumi state it exists only encrypted (a secret
 * output). Rotating: bump `authTokenVersion`; the group is updated with the
 * `ROTATE` strategy, so old and new tokens both work while the new one
 * reaches the pods.
 */
export class ManagedRedis extends pulumi.ComponentResource {
    readonly replicationGroupId: pulumi.Output<string>;
    /** The node ids (`<group>-001`, ...), for per-node alarms. */
    readonly memberClusterIds: pulumi.Output<string[]>;
    readonly endpoint: StoreEndpoint;

    constructor(name: string, args: ManagedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:data:ManagedRedis", name, {}, opts);
        const { config } = args;
        const env = DATA_STORE_ENVIRONMENT_DEFAULTS[args.environment];
        const defaults = DATA_STORE_DEFAULTS.redis;

        // A new keeper value generates a new token: that is the rotation switch.
        const token = new random.RandomPassword(
            `${name}-auth-token`,
            {
                length: AUTH_TOKEN_LENGTH,
                special: false,
                keepers: { authTokenVersion: String(config.authTokenVersion) },
            },
            { parent: this },
        );
        const authToken = pulumi.secret(token.result);

        const secret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            {
                description: `AUTH token of ElastiCache ${args.identifier}, read by External Secrets into the cluster`,
                recoveryWindowInDays: env.secretRecoveryWindowDays,
                tags: { Name: `${args.identifier}-auth` },
            },
            { parent: this, protect: args.protect },
        );

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                description: "IAM Redis: private subnets only",
                subnetIds: args.subnetIds,
                tags: { Name: `${args.identifier}-subnets` },
            },
            { parent: this },
        );

        const highlyAvailable = config.nodes >= 2;
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                // Inputs that replace the group when they change: replicationGroupId,
                // subnetGroupName, atRestEncryptionEnabled, kmsKeyId, port,
                // snapshotName. All constants or pinned here; `protect` refuses any
                // replacement in prod.
                replicationGroupId: args.identifier,
                description: "IAM Redis: sessions, caches and the analytics queue",
                engine: config.engine,
                // major.minor with automatic minor upgrades: AWS's patches are not a diff.
                engineVersion: config.engineVersion,
                autoMinorVersionUpgrade: true,
                nodeType: config.nodeType,
                numCacheClusters: config.nodes,
                automaticFailoverEnabled: highlyAvailable,
                multiAzEnabled: highlyAvailable,
                port: STORE_PORTS.redis,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [args.securityGroupId],
                atRestEncryptionEnabled: true,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken,
                authTokenUpdateStrategy: "ROTATE",
                snapshotRetentionLimit: config.snapshotRetentionDays,
                snapshotWindow: defaults.snapshotWindow,
                maintenanceWindow: defaults.maintenanceWindow,
                finalSnapshotIdentifier: args.finalSnapshotSuffix === undefined ? undefined : pulumi.interpolate`${args.identifier}-final-${args.finalSnapshotSuffix}`,
                applyImmediately: env.applyImmediately,
                tags: { Name: args.identifier },
            },
            { parent: this, protect: args.protect },
        );

        // Written only after ElastiCache has accepted the token: External Secrets
        // syncs the secret within a minute and Reloader restarts the pods, so a
        // token published earlier would reach clients the group still refuses.
        new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(pulumi.jsonStringify({ password: authToken })),
            },
            { parent: this, dependsOn: [group] },
        );

        this.replicationGroupId = group.replicationGroupId;
        this.memberClusterIds = group.memberClusters;
        this.endpoint = {
            store: "redis",
            mode: "managed",
            host: group.primaryEndpointAddress,
            port: STORE_PORTS.redis,
            tls: true,
            // ElastiCache's server certificates chain to a public Amazon root.
            trust: "systemRoots",
            credentialsSecretArn: secret.arn,
        };
        this.registerOutputs({ replicationGroupId: this.replicationGroupId, host: this.endpoint.host });
    }
}

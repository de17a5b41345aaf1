import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ManagedMariadbConfig } from "./schema";
import { DATA_STORE_DEFAULTS, DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";
import { STORE_PORTS } from "../network/accessMatrixPlan";
import { keepSupersededParameterGroup, ManagedStoreArgs } from "./managedStore";
import { StoreEndpoint } from "./storeEndpoint";
import { mariadbParameterFamily } from "./dataNaming";

export type ManagedMariadbArgs = ManagedStoreArgs<ManagedMariadbConfig>;

/** utf8mb4 everywhere: MariaDB's `utf8` is 3-byte and cannot store every Unicode character. */
export const MARIADB_PARAMETERS: ReadonlyArray<{ name: string; value: string }> = [
    { name: "character_set_server", value: "utf8mb4" },
    { name: "character_set_client", value: "utf8mb4" },
    { name: "character_set_connection", value: "utf8mb4" },
    { name: "character_set_database", value: "utf8mb4" },
    { name: "character_set_results", value: "utf8mb4" },
    { name: "collation_server", value: "utf8mb4_unicode_ci" },
    { name: "collation_connection", value: "utf8mb4_unicode_ci" },
    // The IAM schema has triggers (configs/iam.sql, created by app/schemaJob.ts). With
    // automated backups binary logging is on, and then only SUPER (which RDS gives no
    // one) may create a trigger unless this is 1 (ERROR 1419; MariaDB's
    // log_bin_trust_function_creators, AWS knowledge center "rds-mysql-functions").
    // Dynamic: applied without a reboot.
    { name: "log_bin_trust_function_creators", value: "1" },
];

/**
 * RDS for MariaDB: encrypted gp3 storage that autoscales, Multi-AZ where
 * configured, private subnets only, automated backups, a utf8mb4 parameter
 * group, and a master password RDS generates, keeps in Secrets Manager and
 * rotates (it never passes through config or Pulumi state).
 */
export class ManagedMariadb extends pulumi.ComponentResource {
    readonly instanceIdentifier: pulumi.Output<string>;
    readonly endpoint: StoreEndpoint;

    constructor(name: string, args: ManagedMariadbArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:data:ManagedMariadb", name, {}, opts);
        const { config } = args;
        const env = DATA_STORE_ENVIRONMENT_DEFAULTS[args.environment];
        const defaults = DATA_STORE_DEFAULTS.mariadb;

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: "IAM MariaDB: private subnets only",
                subnetIds: args.subnetIds,
                tags: { Name: `${args.identifier}-subnets` },
            },
            { parent: this },
        );
        // Auto-named: a new engine family creates a new group before the old one
        // is deleted, so a major upgrade never leaves the instance without one.
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: mariadbParameterFamily(config.engineVersion),
                description: "IAM MariaDB: utf8mb4",
                parameters: [
                    ...MARIADB_PARAMETERS,
                    // Pinned both ways (RDS defaults it to ON from MariaDB 11.8), and
                    // written 1/0 because RDS reads booleans back that way: "ON" would
                    // show as a diff on every preview.
                    { name: "require_secure_transport", value: config.requireTls ? "1" : "0" },
                ].map((p) => ({ ...p, applyMethod: "immediate" })),
                tags: { Name: `${args.identifier}-params` },
            },
            { parent: this, retainOnDelete: keepSupersededParameterGroup(args.environment) },
        );

        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                // Inputs that replace the instance when they change: identifier,
                // engine, username, dbName, storageEncrypted, kmsKeyId,
                // availabilityZone. They are constants or pinned config here, and
                // `protect` makes Pulumi refuse any replacement in prod.
                identifier: args.identifier,
                engine: "mariadb",
                // major.minor with automatic minor upgrades: the provider compares
                // the prefix, so AWS's patch upgrades never show up as a diff (no
                // `ignoreChanges` needed); a new major.minor is a deliberate config change.
                engineVersion: config.engineVersion,
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: true,
                instanceClass: config.instanceClass,
                storageType: "gp3",
                allocatedStorage: config.allocatedStorageGb,
                // With a ceiling set, the provider ignores the storage RDS grew by itself.
                maxAllocatedStorage: config.maxAllocatedStorageGb,
                storageEncrypted: true,
                multiAz: config.multiAz,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                publiclyAccessible: false,
                port: STORE_PORTS.mariadb,
                dbName: config.database,
                username: config.masterUsername,
                manageMasterUserPassword: true,
                parameterGroupName: parameterGroup.name,
                backupRetentionPeriod: config.backupRetentionDays,
                backupWindow: defaults.backupWindow,
                maintenanceWindow: defaults.maintenanceWindow,
                copyTagsToSnapshot: true,
                // In prod the automated backups outlive the instance, and deleting it takes two steps.
                deleteAutomatedBackups: !args.protect,
                deletionProtection: args.protect,
                skipFinalSnapshot: args.finalSnapshotSuffix === undefined,
                finalSnapshotIdentifier: args.finalSnapshotSuffix === undefined ? undefined : pulumi.interpolate`${args.identifier}-final-${args.finalSnapshotSuffix}`,
                applyImmediately: env.applyImmediately,
                enabledCloudwatchLogsExports: ["error"],
                tags: { Name: args.identifier },
            },
            { parent: this, protect: args.protect },
        );

        this.instanceIdentifier = instance.identifier;
        this.endpoint = {
            store: "mariadb",
            mode: "managed",
            host: instance.address,
            port: STORE_PORTS.mariadb,
            tls: config.requireTls,
            trust: "rdsCaBundle",
            database: config.database,
            credentialsSecretArn: instance.masterUserSecrets.apply((secrets) => managedSecretArn(secrets, args.identifier)),
        };
        this.registerOutputs({ instanceIdentifier: this.instanceIdentifier, host: this.endpoint.host });
    }
}

/** The ARN of the master user secret RDS/DocumentDB manages (one per instance or cluster). */
export function managedSecretArn(secrets: ReadonlyArray<{ secretArn: string }> | undefined, identifier: string): string {
    const arn = secrets?.[0]?.secretArn;
    if (!arn) {
        throw new Error(`${identifier} reports no managed master user secret: manageMasterUserPassword must be on`);
    }
    return arn;
}

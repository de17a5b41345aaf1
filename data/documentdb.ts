import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ManagedMongodbConfig } from "./schema";
import { DATA_STORE_DEFAULTS, DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";
import { documentDbInstanceIdentifiers, documentDbParameterFamily } from "./dataNaming";
import { managedSecretArn } from "./mariadb";
import { STORE_PORTS } from "../network/accessMatrixPlan";
import { keepSupersededParameterGroup, ManagedStoreArgs } from "./managedStore";
import { StoreEndpoint } from "./storeEndpoint";

export interface ManagedDocumentDbArgs extends ManagedStoreArgs<ManagedMongodbConfig> {
    /** Prefix the instance identifiers derive from (`<prefix>-docdb-1`, ...). */
    identifierPrefix: string;
}

/**
 * Amazon DocumentDB (MongoDB-compatible): a cluster with encrypted storage,
 * TLS required by its parameter group, automated backups, and `instances`
 * instances spread over the zones (the first is the preferred writer). The
 * master password is managed and rotated by DocumentDB in Secrets Manager,
 * like RDS's.
 */
export class ManagedDocumentDb extends pulumi.ComponentResource {
    readonly clusterIdentifier: pulumi.Output<string>;
    readonly instanceIdentifiers: pulumi.Output<string>[];
    readonly endpoint: StoreEndpoint;

    constructor(name: string, args: ManagedDocumentDbArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:data:ManagedDocumentDb", name, {}, opts);
        const { config } = args;
        const env = DATA_STORE_ENVIRONMENT_DEFAULTS[args.environment];
        const defaults = DATA_STORE_DEFAULTS.mongodb;

        const subnetGroup = new aws.docdb.SubnetGroup(
            `${name}-subnets`,
            {
                description: "IAM DocumentDB: private subnets only",
                subnetIds: args.subnetIds,
                tags: { Name: `${args.identifier}-subnets` },
            },
            { parent: this },
        );
        // Auto-named, so a new engine family is created before the old group goes.
        const parameterGroup = new aws.docdb.ClusterParameterGroup(
            `${name}-params`,
            {
                family: documentDbParameterFamily(config.engineVersion),
                description: "IAM DocumentDB: TLS required",
                parameters: [{ name: "tls", value: "enabled", applyMethod: "pending-reboot" }],
                tags: { Name: `${args.identifier}-params` },
            },
            { parent: this, retainOnDelete: keepSupersededParameterGroup(args.environment) },
        );

        const cluster = new aws.docdb.Cluster(
            `${name}-cluster`,
            {
                // Inputs that replace the cluster when they change: clusterIdentifier,
                // engine, masterUsername, storageEncrypted, kmsKeyId,
                // dbSubnetGroupName, availabilityZones, snapshotIdentifier. Constants
                // or pinned here; `availabilityZones` is deliberately left to AWS
                // (a partial list makes AWS add zones, and the diff would replace the
                // cluster). `protect` refuses any replacement in prod.
                clusterIdentifier: args.identifier,
                engine: "docdb",
                engineVersion: config.engineVersion,
                allowMajorVersionUpgrade: true,
                masterUsername: config.masterUsername,
                manageMasterUserPassword: true,
                port: STORE_PORTS.mongodb,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                dbClusterParameterGroupName: parameterGroup.name,
                storageEncrypted: true,
                backupRetentionPeriod: config.backupRetentionDays,
                preferredBackupWindow: defaults.backupWindow,
                preferredMaintenanceWindow: defaults.maintenanceWindow,
                deletionProtection: args.protect,
                skipFinalSnapshot: args.finalSnapshotSuffix === undefined,
                finalSnapshotIdentifier: args.finalSnapshotSuffix === undefined ? undefined : pulumi.interpolate`${args.identifier}-final-${args.finalSnapshotSuffix}`,
                applyImmediately: env.applyImmediately,
                tags: { Name: args.identifier },
            },
            { parent: this, protect: args.protect },
        );

        const instances = documentDbInstanceIdentifiers(args.identifierPrefix, config.instances).map(
            (identifier, i) =>
                new aws.docdb.ClusterInstance(
                    `${name}-${i + 1}`,
                    {
                        // identifier and clusterIdentifier replace the instance when they change: both pinned.
                        identifier,
                        clusterIdentifier: cluster.id,
                        engine: "docdb",
                        instanceClass: config.instanceClass,
                        autoMinorVersionUpgrade: true,
                        preferredMaintenanceWindow: defaults.maintenanceWindow,
                        // Instance 1 is the preferred writer; the others take over in order.
                        promotionTier: i,
                        applyImmediately: env.applyImmediately,
                        tags: { Name: identifier },
                        // Not protected: the data lives in the cluster volume (protected
                        // above), and scaling the instance count down must stay a config change.
                    },
                    { parent: this },
                ),
        );

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.instanceIdentifiers = instances.map((instance) => instance.identifier);
        this.endpoint = {
            store: "mongodb",
            mode: "managed",
            host: cluster.endpoint,
            port: STORE_PORTS.mongodb,
            tls: true,
            trust: "rdsCaBundle",
            database: config.database,
            credentialsSecretArn: cluster.masterUserSecrets.apply((secrets) => managedSecretArn(secrets, args.identifier)),
        };
        this.registerOutputs({ clusterIdentifier: this.clusterIdentifier, host: this.endpoint.host });
    }
}

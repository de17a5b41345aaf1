import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DataStoresConfig, ExternalStoreConfig } from "./schema";
import { DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";
import { Environment } from "../lib/environment";
import { storeIdentifier } from "./dataNaming";
import { ManagedDocumentDb } from "./documentdb";
import { ManagedMariadb } from "./mariadb";
import { DATA_STORES, DataStore, SecurityGroupRole } from "../network/accessMatrixPlan";
import { ManagedRedis } from "./redis";
import { StoreEndpoint } from "./storeEndpoint";

export interface DataTierArgs {
    /** The validated `dataStores` section: which stores exist and how. */
    config: DataStoresConfig;
    environment: Environment;
    /** True in prod: stores are protected, have deletion protection, and keep backups after deletion. */
    protect: boolean;
    /** `network.privateSubnetIds`: the stores' subnet groups span exactly these (never public subnets). */
    privateSubnetIds: pulumi.Input<string>[];
    /**
     * `access.securityGroupIds`: each managed store gets its own role's group
     * and nothing else; external stores add an egress rule to `appNodes`.
     */
    securityGroupIds: Record<SecurityGroupRole, pulumi.Input<string>>;
}

/**
 * The data tier, AWS side: RDS MariaDB, ElastiCache Redis and DocumentDB for
 * the stores configured `managed`, and for `external` ones (e.g. the old VMs
 * during the migration) only an egress rule from the app nodes to them.
 *
 * It takes nothing from the EKS cluster (only the private subnets and the
 * access matrix's security groups), so the stores are created in parallel
 * with the cluster on a fresh `pulumi up`. The Kubernetes side (credentials
 * into the cluster) is `StoreCredentials`, created separately.
 */
export class DataTier extends pulumi.ComponentResource {
    /** How to reach each configured store, and where its credentials are. */
    readonly endpoints: Partial<Record<DataStore, StoreEndpoint>>;
    /** For alarms: the RDS instance id (undefined unless MariaDB is managed). */
    readonly mariadbInstanceIdentifier?: pulumi.Output<string>;
    /** For alarms: the ElastiCache replication group id (undefined unless Redis is managed). */
    readonly redisReplicationGroupId?: pulumi.Output<string>;
    /** For alarms: the ElastiCache node ids (empty unless Redis is managed). */
    readonly redisMemberClusterIds: pulumi.Output<string[]>;
    /** For alarms: the DocumentDB cluster id (undefined unless MongoDB is managed). */
    readonly documentDbClusterIdentifier?: pulumi.Output<string>;
    /** For alarms: the DocumentDB instance ids (empty unless MongoDB is managed). */
    readonly documentDbInstanceIdentifiers: pulumi.Output<string>[];

    constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:data:DataTier", name, {}, opts);
        const { config } = args;
        const prefix = config.identifierPrefix;
        const common = {
            subnetIds: args.privateSubnetIds,
            environment: args.environment,
            protect: args.protect,
        };
        // One random suffix for every final snapshot: a stack destroyed, recreated
        // and destroyed again must not collide with its first final snapshots.
        const finalSnapshotSuffix =
            DATA_STORE_ENVIRONMENT_DEFAULTS[args.environment].finalSnapshot && hasManagedStore(config)
                ? new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this }).hex
                : undefined;

        this.endpoints = {};
        this.redisMemberClusterIds = pulumi.output([]);
        this.documentDbInstanceIdentifiers = [];

        if (config.mariadb?.mode === "managed") {
            const mariadb = new ManagedMariadb(
                `${name}-mariadb`,
                {
                    ...common,
                    config: config.mariadb,
                    identifier: storeIdentifier(prefix, "mariadb"),
                    securityGroupId: args.securityGroupIds.mariadb,
                    finalSnapshotSuffix,
                },
                { parent: this },
            );
            this.endpoints.mariadb = mariadb.endpoint;
            this.mariadbInstanceIdentifier = mariadb.instanceIdentifier;
        }
        if (config.redis?.mode === "managed") {
            const redis = new ManagedRedis(
                `${name}-redis`,
                {
                    ...common,
                    config: config.redis,
                    identifier: storeIdentifier(prefix, "redis"),
                    securityGroupId: args.securityGroupIds.redis,
                    finalSnapshotSuffix,
                },
                { parent: this },
            );
            this.endpoints.redis = redis.endpoint;
            this.redisReplicationGroupId = redis.replicationGroupId;
            this.redisMemberClusterIds = redis.memberClusterIds;
        }
        if (config.mongodb?.mode === "managed") {
            const documentDb = new ManagedDocumentDb(
                `${name}-mongodb`,
                {
                    ...common,
                    config: config.mongodb,
                    identifier: storeIdentifier(prefix, "mongodb"),
                    identifierPrefix: prefix,
                    securityGroupId: args.securityGroupIds.mongodb,
                    finalSnapshotSuffix,
                },
                { parent: this },
            );
            this.endpoints.mongodb = documentDb.endpoint;
            this.documentDbClusterIdentifier = documentDb.clusterIdentifier;
            this.documentDbInstanceIdentifiers = documentDb.instanceIdentifiers;
        }

        for (const store of DATA_STORES) {
            const external = config[store];
            if (external?.mode !== "external") {
                continue;
            }
            // The access matrix lets the app nodes reach only the stores' own
            // groups; an external store lives in a peered network, so the app
            // nodes get exactly one more egress rule: its CIDR, its port.
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-${store}-external`,
                {
                    securityGroupId: args.securityGroupIds.appNodes,
                    description: `Apps to external ${store} (migration) at ${external.host}:${external.port}`.slice(0, 255),
                    ipProtocol: "tcp",
                    fromPort: external.port,
                    toPort: external.port,
                    cidrIpv4: external.egressCidr,
                    tags: { Name: `${name}-${store}-external` },
                },
                { parent: this },
            );
            this.endpoints[store] = externalEndpoint(store, external);
        }

        this.registerOutputs({
            mariadbInstanceIdentifier: this.mariadbInstanceIdentifier,
            redisReplicationGroupId: this.redisReplicationGroupId,
            documentDbClusterIdentifier: this.documentDbClusterIdentifier,
        });
    }

    /** Stack output: each store's `host` and `port` (never credentials). */
    endpointsOutput(): pulumi.Output<Record<string, { host: string; port: number }>> {
        const entries = Object.values(this.endpoints).map((e) => pulumi.all([e.store, e.host, e.port]));
        return pulumi.all(entries).apply((list) => Object.fromEntries(list.map(([store, host, port]) => [store, { host, port }])));
    }

    /** Stack output: each store's credentials secret ARN (where an operator finds the password; not the password). */
    credentialsSecretArnsOutput(): pulumi.Output<Record<string, string>> {
        const entries = Object.values(this.endpoints).map((e) => pulumi.all([e.store, e.credentialsSecretArn]));
        return pulumi.all(entries).apply((list) => Object.fromEntries(list));
    }
}

function hasManagedStore(config: DataStoresConfig): boolean {
    return DATA_STORES.some((store) => config[store]?.mode === "managed");
}

function externalEndpoint(store: DataStore, config: ExternalStoreConfig): StoreEndpoint {
    return {
        store,
        mode: "external",
        host: pulumi.output(config.host),
        port: config.port,
        tls: config.tls,
        trust: "systemRoots",
        database: config.database,
        credentialsSecretArn: pulumi.output(config.credentialsSecretArn),
        credentialsKmsKeyArn: config.credentialsKmsKeyArn,
    };
}

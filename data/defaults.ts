/**
 * The data tier's defaults: names, windows, and what differs between prod
 * and staging. Read by the data schema (data/schema.ts) and the store
 * components; engine versions and chart pins are dated facts in data/catalog.ts.
 */
import { Environment } from "../lib/environment";

/**
 * Data store defaults (RDS MariaDB, ElastiCache Redis/Valkey, DocumentDB).
 * The accepted engine versions and the credential-sync chart versions are
 * dated facts in data/catalog.ts; the default versions here must be in those
 * lists (data/catalog.test.ts).
 */
export const DATA_STORE_DEFAULTS = {
    mariadb: {
        /** One of data/catalog.ts MARIADB_ENGINE_VERSIONS; the patch level follows AWS's minor upgrades. */
        engineVersion: "11.4",
        database: "iam",
        masterUsername: "iam_admin",
        /** gp3's floor; below 400 GiB gp3 gives a 3,000 IOPS baseline. */
        minStorageGb: 20,
        maxStorageGb: 65536,
        /** Daily backup and weekly maintenance windows (UTC), not overlapping each other or the other stores'. */
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:04:00-sun:05:00",
    },
    redis: {
        /** Redis OSS by default (what the old VMs ran); Valkey is the drop-in, cheaper successor. */
        engine: "redis",
        engineVersion: "7.1",
        maxNodes: 6,
        /** Bump `authTokenVersion` to rotate the token; the replication group accepts old and new until the next rotation. */
        authTokenVersion: 1,
        snapshotWindow: "03:00-04:00",
        maintenanceWindow: "sun:05:00-sun:06:00",
    },
    mongodb: {
        /** One of data/catalog.ts DOCUMENTDB_ENGINE_VERSIONS. */
        engineVersion: "5.0.0",
        database: "iam_analytics",
        /** DocumentDB user names are letters and digits only. */
        masterUsername: "iamadmin",
        maxInstances: 16,
        backupWindow: "02:30-03:30",
        maintenanceWindow: "sun:04:30-sun:05:30",
    },
    /** RDS and DocumentDB keep 1-35 days of automated backups; ElastiCache 0-35 days of snapshots. */
    maxBackupRetentionDays: 35,
    credentialsSync: {
        /** How often External Secrets re-reads Secrets Manager: the longest a rotated password stays stale in the cluster. */
        refreshInterval: "1m",
        // The chart versions are dated facts: data/catalog.ts CREDENTIAL_SYNC_CHARTS.
    },
} as const;

export interface DataStoreEnvironmentDefaults {
    /** MariaDB Multi-AZ (a standby in another zone); required in prod. */
    multiAz: boolean;
    /** Fewest days of automated backups (RDS, DocumentDB) and Redis snapshots. */
    minBackupRetentionDays: number;
    backupRetentionDays: number;
    /** Redis nodes (a primary and replicas); two or more give automatic failover across zones. */
    minRedisNodes: number;
    /** DocumentDB instances (a writer and readers in other zones). */
    minDocumentDbInstances: number;
    /** Take a final snapshot when a store is deleted. */
    finalSnapshot: boolean;
    /** Apply changes at once (true) or in the next maintenance window (false). */
    applyImmediately: boolean;
    /** Days a deleted Secrets Manager secret can still be restored. */
    secretRecoveryWindowDays: number;
}

export const DATA_STORE_ENVIRONMENT_DEFAULTS: Record<Environment, DataStoreEnvironmentDefaults> = {
    prod: {
        multiAz: true,
        minBackupRetentionDays: 7,
        backupRetentionDays: 14,
        minRedisNodes: 2,
        minDocumentDbInstances: 2,
        finalSnapshot: true,
        applyImmediately: false,
        secretRecoveryWindowDays: 30,
    },
    staging: {
        multiAz: false,
        minBackupRetentionDays: 1,
        backupRetentionDays: 3,
        minRedisNodes: 1,
        minDocumentDbInstances: 1,
        finalSnapshot: false,
        applyImmediately: true,
        secretRecoveryWindowDays: 7,
    },
};

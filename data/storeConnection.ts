/**
 * How a workload finds a data store: the names of the ConfigMap (endpoint,
 * not secret) and the Secret (credentials) in the application namespace, and
 * the environment variable keys each holds. The data tier writes them; the
 * workloads read them with `envFrom`, so both sides use these names only.
 */
import { DataStore } from "../network/accessMatrixPlan";

/**
 * The TLS keys of every store's ConfigMap:
 * - `<STORE>_TLS`: `true` when the client must connect with TLS;
 * - `<STORE>_TLS_VERIFY`: `true` when the client must verify the server's
 *   certificate chain and host name (always when TLS is on; never skip it);
 * - `<STORE>_TLS_CA_FILE`: the CA file to verify against, or empty for the
 *   image's system trust store. RDS and DocumentDB certificates are signed by
 *   the Amazon RDS CAs (`RDS_CA_BUNDLE_MOUNT.file`); ElastiCache's by a public
 *   Amazon root that every system trust store has.
 */
export interface StoreConnection {
    /** ConfigMap with the non-secret endpoint keys. */
    configMapName: string;
    configKeys: readonly string[];
    /** Secret with the credential keys. */
    secretName: string;
    secretKeys: readonly string[];
}

export const STORE_CONNECTIONS: Record<DataStore, StoreConnection> = {
    mariadb: {
        configMapName: "mariadb-endpoint",
        configKeys: ["MARIADB_HOST", "MARIADB_PORT", "MARIADB_TLS", "MARIADB_TLS_VERIFY", "MARIADB_TLS_CA_FILE", "MARIADB_DATABASE"],
        secretName: "mariadb-credentials",
        secretKeys: ["MARIADB_USERNAME", "MARIADB_PASSWORD"],
    },
    redis: {
        configMapName: "redis-endpoint",
        configKeys: ["REDIS_HOST", "REDIS_PORT", "REDIS_TLS", "REDIS_TLS_VERIFY", "REDIS_TLS_CA_FILE"],
        secretName: "redis-credentials",
        secretKeys: ["REDIS_PASSWORD"],
    },
    mongodb: {
        configMapName: "mongodb-endpoint",
        configKeys: ["MONGODB_HOST", "MONGODB_PORT", "MONGODB_TLS", "MONGODB_TLS_VERIFY", "MONGODB_TLS_CA_FILE", "MONGODB_DATABASE"],
        secretName: "mongodb-credentials",
        secretKeys: ["MONGODB_USERNAME", "MONGODB_PASSWORD"],
    },
};

/**
 * The Amazon RDS CA bundle in the application namespace: one ConfigMap the
 * data tier writes, mounted read-only at `mountPath` in every pod that uses a
 * store. Its file is what `MARIADB_TLS_CA_FILE` and `MONGODB_TLS_CA_FILE` name.
 */
export const RDS_CA_BUNDLE_MOUNT = {
    configMapName: "rds-ca-bundle",
    key: "global-bundle.pem",
    volumeName: "rds-ca-bundle",
    mountPath: "/etc/ssl/aws-rds",
    file: "/etc/ssl/aws-rds/global-bundle.pem",
} as const;

/**
 * Annotations a Deployment using these stores carries so Stakater Reloader
 * (installed by the data tier's `StoreCredentials`) rolls it when a store's
 * Secret or ConfigMap changes: RDS and DocumentDB rotate their passwords, and
 * `envFrom` values are read only when a container starts.
 */
export function credentialsReloadAnnotations(stores: readonly DataStore[]): Record<string, string> {
    if (stores.length === 0) {
        return {};
    }
    return {
        "secret.reloader.stakater.com/reload": stores.map((s) => STORE_CONNECTIONS[s].secretName).join(","),
        // The CA bundle too: a rotated bundle reaches the mounted file by itself,
        // but a client reads its CA file only when it starts.
        "configmap.reloader.stakater.com/reload": [...stores.map((s) => STORE_CONNECTIONS[s].configMapName), RDS_CA_BUNDLE_MOUNT.configMapName].join(","),
    };
}

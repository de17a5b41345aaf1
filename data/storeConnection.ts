/**
 * How a workload finds a data store: the names of the ConfigMap (endpoint,
 * not secret) and the Secret (credentials) in the application namespace, and
 * the environment variable keys each holds. The data tier writes them; the
 * workloads read them with `envFrom`, so both sides use these names only.
 */
import { DataStore } from "../network/accessMatrixPlan";

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
        configKeys: ["MARIADB_HOST", "MARIADB_PORT", "MARIADB_TLS", "MARIADB_DATABASE"],
        secretName: "mariadb-credentials",
        secretKeys: ["MARIADB_USERNAME", "MARIADB_PASSWORD"],
    },
    redis: {
        configMapName: "redis-endpoint",
        configKeys: ["REDIS_HOST", "REDIS_PORT", "REDIS_TLS"],
        secretName: "redis-credentials",
        secretKeys: ["REDIS_PASSWORD"],
    },
    mongodb: {
        configMapName: "mongodb-endpoint",
        configKeys: ["MONGODB_HOST", "MONGODB_PORT", "MONGODB_TLS", "MONGODB_DATABASE"],
        secretName: "mongodb-credentials",
        secretKeys: ["MONGODB_USERNAME", "MONGODB_PASSWORD"],
    },
};

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
        "configmap.reloader.stakater.com/reload": stores.map((s) => STORE_CONNECTIONS[s].configMapName).join(","),
    };
}

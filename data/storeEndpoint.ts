/**
 * What the data tier hands the Kubernetes side for each store: where it is
 * and which Secrets Manager secret holds its credentials. Plus the pure
 * mapping from those to the ConfigMap data and Secret keys the workloads read
 * (`STORE_CONNECTIONS` in storeConnection.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { StoreMode } from "./schema";
import { DataStore } from "../network/accessMatrixPlan";
import { RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "./storeConnection";

/**
 * What a client verifies the store's certificate against: the Amazon RDS CA
 * bundle (RDS, DocumentDB) or the image's system trust store (ElastiCache,
 * whose certificates chain to a public Amazon root; external stores).
 */
export type StoreTrust = "rdsCaBundle" | "systemRoots";

export interface StoreEndpoint {
    store: DataStore;
    /** `managed`: created by this stack; `external`: given in config. */
    mode: StoreMode;
    /** The address clients connect to (the primary / writer endpoint). */
    host: pulumi.Output<string>;
    port: number;
    /** Whether clients must use TLS (and then verify the server's certificate). */
    tls: boolean;
    /** What the server's certificate is verified against (when `tls`). */
    trust: StoreTrust;
    /** Database name (MariaDB, MongoDB). */
    database?: string;
    /**
     * The Secrets Manager secret with the credentials as JSON: `username` and
     * `password` (Redis: `password`). For RDS and DocumentDB it is the secret
     * the service manages and rotates itself.
     */
    credentialsSecretArn: pulumi.Output<string>;
    /** A customer-managed KMS key the secret is encrypted with (external stores only). */
    credentialsKmsKeyArn?: string;
}

const ENV_PREFIX: Record<DataStore, string> = { mariadb: "MARIADB", redis: "REDIS", mongodb: "MONGODB" };

/** The endpoint ConfigMap's data for a store: exactly the `configKeys` of its connection contract. */
export function endpointConfigData(store: DataStore, endpoint: { host: string; port: number; tls: boolean; trust: StoreTrust; database?: string }): Record<string, string> {
    const prefix = ENV_PREFIX[store];
    const candidates: Record<string, string | undefined> = {
        [`${prefix}_HOST`]: endpoint.host,
        [`${prefix}_PORT`]: String(endpoint.port),
        [`${prefix}_TLS`]: String(endpoint.tls),
        // TLS without verification stops no one in the middle: verify whenever TLS is on.
        [`${prefix}_TLS_VERIFY`]: String(endpoint.tls),
        [`${prefix}_TLS_CA_FILE`]: endpoint.tls && endpoint.trust === "rdsCaBundle" ? RDS_CA_BUNDLE_MOUNT.file : "",
        [`${prefix}_DATABASE`]: endpoint.database,
    };
    const data: Record<string, string> = {};
    for (const key of STORE_CONNECTIONS[store].configKeys) {
        const value = candidates[key];
        if (value === undefined) {
            throw new Error(`${store}: no value for ${key} (the store's config has no ${key.slice(prefix.length + 1).toLowerCase()})`);
        }
        data[key] = value;
    }
    return data;
}

/** One key of the credentials Secret and the JSON property of the Secrets Manager secret it comes from. */
export interface CredentialKey {
    secretKey: string;
    property: "username" | "password";
}

/** The credentials Secret's keys for a store (its connection contract's `secretKeys`), each mapped to a JSON property. */
export function credentialKeys(store: DataStore): CredentialKey[] {
    return STORE_CONNECTIONS[store].secretKeys.map((secretKey): CredentialKey => {
        if (secretKey.endsWith("_USERNAME")) {
            return { secretKey, property: "username" };
        }
        if (secretKey.endsWith("_PASSWORD")) {
            return { secretKey, property: "password" };
        }
        throw new Error(`${store}: secret key ${secretKey} maps to no credential property (expected *_USERNAME or *_PASSWORD)`);
    });
}

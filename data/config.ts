/**
 * The `dataStores` section: for each store the services use, either a store
 * this stack creates (`mode: managed`) or one that already exists elsewhere
 * (`mode: external`, e.g. the old VMs during the migration), plus how the
 * credentials reach the cluster (`credentialsSync`).
 */
import { cidrContains, parseCidr } from "../lib/cidr";
import { dataIdentifierPrefix, MAX_IDENTIFIER_PREFIX_LENGTH } from "./dataNaming";
import { CREDENTIAL_SYNC_CHARTS, DOCUMENTDB_ENGINE_VERSIONS, MARIADB_ENGINE_VERSIONS, REDIS_ENGINE_VERSIONS } from "./catalog";
import { DATA_STORES, DataStore } from "../network/accessMatrixPlan";
import { DATA_STORE_DEFAULTS, DATA_STORE_ENVIRONMENT_DEFAULTS, Environment } from "../lib/defaults";
import { ConfigIssues, Fields, show } from "../lib/reader";
import type { ServiceSpec } from "../workloads/services";

export type StoreMode = "managed" | "external";
export const STORE_MODES: readonly StoreMode[] = ["managed", "external"];

/** A store this stack does not create: reached at `host:port`, credentials in Secrets Manager. */
export interface ExternalStoreConfig {
    mode: "external";
    /** DNS name or IPv4 address the workloads connect to. */
    host: string;
    port: number;
    /**
     * ARN of a Secrets Manager secret in the stack's region holding JSON
     * `{"username": ..., "password": ...}` (Redis: `{"password": ...}`), the
     * same shape RDS writes for its managed master passwords.
     */
    credentialsSecretArn: string;
    /** The customer-managed KMS key that secret is encrypted with, if not the default `aws/secretsmanager` key. */
    credentialsKmsKeyArn?: string;
    /**
     * The network the store lives in; the app nodes get an egress rule to it on
     * `port`. Must lie inside one of `network.peerCidrs` and be /16 or narrower.
     */
    egressCidr: string;
    /** Whether clients must use TLS (verifying the server against the image's system trust store). */
    tls: boolean;
    /** Database name (MariaDB, MongoDB). */
    database?: string;
}

export interface ManagedMariadbConfig {
    mode: "managed";
    /** RDS for MariaDB major.minor, one of `MARIADB_ENGINE_VERSIONS` (data/catalog.ts). */
    engineVersion: string;
    /** e.g. db.r6g.large. */
    instanceClass: string;
    /** A synchronous standby in another zone; required in prod. */
    multiAz: boolean;
    /** Initial gp3 storage (GiB), >= 20. */
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling (GiB), at least 10% above `allocatedStorageGb`. */
    maxAllocatedStorageGb: number;
    /** Days of automated backups, 1-35 (>= 7 in prod). */
    backupRetentionDays: number;
    /**
     * `require_secure_transport`: MariaDB refuses connections without TLS, and
     * the apps are told to connect with TLS and verify the server against the
     * RDS CA bundle (`MARIADB_TLS`, `MARIADB_TLS_VERIFY`, `MARIADB_TLS_CA_FILE`).
     * Default true; it must be true in prod, and staging may turn it off only
     * by writing `false`. Pinned either way (written `1`/`0`, as RDS reads
     * booleans back), so an engine upgrade never flips it. Changing it updates
     * the parameter group in place (a dynamic parameter: applied at once, no
     * reboot, the instance is not replaced).
     */
    requireTls: boolean;
    /** The database created with the instance. Changing it replaces the instance. */
    database: string;
    /** The master user (password managed and rotated by RDS). Changing it replaces the instance. */
    masterUsername: string;
}

export interface ManagedRedisConfig {
    mode: "managed";
    /** `redis` (Redis OSS) or `valkey`. */
    engine: "redis" | "valkey";
    /** major.minor, one of the engine's entries in `REDIS_ENGINE_VERSIONS` (data/catalog.ts). */
    engineVersion: string;
    /** e.g. cache.r7g.large. */
    nodeType: string;
    /** A primary plus replicas, 1-6; 2 or more (required in prod) gives automatic failover across zones. */
    nodes: number;
    /** Days of daily snapshots kept, 1-35 (>= 7 in prod). */
    snapshotRetentionDays: number;
    /** Bump to generate and roll out a new auth token. */
    authTokenVersion: number;
}

export interface ManagedMongodbConfig {
    mode: "managed";
    /** DocumentDB engine version, one of `DOCUMENTDB_ENGINE_VERSIONS` (data/catalog.ts). */
    engineVersion: string;
    /** e.g. db.r6g.large. */
    instanceClass: string;
    /** Instances in the cluster (a writer and readers), 1-16; >= 2 in prod. */
    instances: number;
    /** Days of automated backups, 1-35 (>= 7 in prod). */
    backupRetentionDays: number;
    /** The database name the workloads use (DocumentDB creates it on first write). */
    database: string;
    /** The master user (password managed and rotated by DocumentDB). Changing it replaces the cluster. */
    masterUsername: string;
}

export interface CredentialsSyncConfig {
    /** How often External Secrets re-reads Secrets Manager (`30s`-`24h`, e.g. `1m`). */
    refreshInterval: string;
    /** Pinned chart versions of External Secrets Operator and Stakater Reloader. */
    externalSecretsChartVersion: string;
    reloaderChartVersion: string;
}

export interface DataStoresConfig {
    mariadb?: ManagedMariadbConfig | ExternalStoreConfig;
    redis?: ManagedRedisConfig | ExternalStoreConfig;
    mongodb?: ManagedMongodbConfig | ExternalStoreConfig;
    credentialsSync: CredentialsSyncConfig;
    /** Prefix of every store's AWS identifier (`iam-<stack>`), derived from the stack name. */
    identifierPrefix: string;
}

export const DATA_STORES_KEYS = [...DATA_STORES, "credentialsSync"] as const;

const EXTERNAL_KEYS = ["mode", "host", "port", "credentialsSecretArn", "credentialsKmsKeyArn", "egressCidr"] as const;
const KEYS = {
    mariadb: {
        managed: ["mode", "engineVersion", "instanceClass", "multiAz", "allocatedStorageGb", "maxAllocatedStorageGb", "backupRetentionDays", "database", "masterUsername", "requireTls"],
        external: [...EXTERNAL_KEYS, "tls", "database"],
    },
    redis: {
        managed: ["mode", "engine", "engineVersion", "nodeType", "nodes", "snapshotRetentionDays", "authTokenVersion"],
        external: [...EXTERNAL_KEYS, "tls"],
    },
    mongodb: {
        managed: ["mode", "engineVersion", "instanceClass", "instances", "backupRetentionDays", "database", "masterUsername"],
        external: [...EXTERNAL_KEYS, "tls", "database"],
    },
} as const satisfies Record<DataStore, Record<StoreMode, readonly string[]>>;
const CREDENTIALS_SYNC_KEYS = ["refreshInterval", "externalSecretsChartVersion", "reloaderChartVersion"] as const;

const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;
const RDS_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const MARIADB_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MARIADB_USER = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
const MONGODB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const DOCDB_USER = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const DURATION = /^([1-9]\d*)(s|m|h)$/;
const CHART_VERSION = /^\d+\.\d+\.\d+$/;
const RESERVED_USERS = { mariadb: ["rdsadmin", "root", "mysql"], mongodb: ["admin", "root", "serviceadmin"] } as const;

export interface DataStoresContext {
    stack: string;
    environment: Environment;
    region: string;
    /** `network.peerCidrs`: external stores must live in one of them. */
    peerCidrs: readonly string[];
}

export function readDataStores(f: Fields, context: DataStoresContext): DataStoresConfig {
    const identifierPrefix = dataIdentifierPrefix(context.stack);
    if (identifierPrefix.length > MAX_IDENTIFIER_PREFIX_LENGTH) {
        f.issues.add(f.path, `cannot be named after stack ${show(context.stack)}: the store identifier prefix ${identifierPrefix} is longer than ${MAX_IDENTIFIER_PREFIX_LENGTH} characters (ElastiCache ids are at most 40)`);
    }
    const mariadb = readStore(f, "mariadb", context, readManagedMariadb);
    const redis = readStore(f, "redis", context, readManagedRedis);
    const mongodb = readStore(f, "mongodb", context, readManagedMongodb);
    const credentialsSync = f.object("credentialsSync", CREDENTIALS_SYNC_KEYS, readCredentialsSync, { optional: true });
    return { mariadb, redis, mongodb, credentialsSync, identifierPrefix };
}

/** Reads one store's subsection with the keys its mode allows (absent: `undefined`). */
function readStore<T>(f: Fields, store: DataStore, context: DataStoresContext, readManaged: (s: Fields, context: DataStoresContext) => T): T | ExternalStoreConfig | undefined {
    const raw = f.value(store);
    const modeValue = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).mode : undefined;
    const mode: StoreMode = modeValue === "external" ? "external" : "managed";
    return f.optionalObject(store, KEYS[store][mode], (s) => {
        s.string<StoreMode>("mode", { oneOf: STORE_MODES, default: "managed" });
        return mode === "external" ? readExternal(s, store, context) : readManaged(s, context);
    });
}

function readBackupRetention(s: Fields, key: string, environment: Environment): number {
    const defaults = DATA_STORE_ENVIRONMENT_DEFAULTS[environment];
    const days = s.int(key, { default: defaults.backupRetentionDays, min: 1, max: DATA_STORE_DEFAULTS.maxBackupRetentionDays });
    if (days >= 1 && days < defaults.minBackupRetentionDays) {
        s.issues.add(s.at(key), `(${days}) must be >= ${defaults.minBackupRetentionDays} in ${environment}`);
    }
    return days;
}

function readEngineVersion(s: Fields, supported: readonly string[], defaultVersion: string, what: string): string {
    const version = s.string("engineVersion", { default: defaultVersion });
    if (!supported.includes(version)) {
        s.issues.add(s.at("engineVersion"), `must be a supported ${what} version (${supported.join(", ")}), got ${show(version)}`);
    }
    return version;
}

function readUsername(s: Fields, pattern: RegExp, expected: string, defaultName: string, reserved: readonly string[]): string {
    const name = s.string("masterUsername", { default: defaultName, pattern, expected });
    if (reserved.includes(name.toLowerCase())) {
        s.issues.add(s.at("masterUsername"), `must not be a reserved user name (${reserved.join(", ")}), got ${show(name)}`);
    }
    return name;
}

function readManagedMariadb(s: Fields, context: DataStoresContext): ManagedMariadbConfig {
    const defaults = DATA_STORE_DEFAULTS.mariadb;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[context.environment];
    const multiAz = s.bool("multiAz", env.multiAz);
    if (env.multiAz && !multiAz) {
        s.issues.add(s.at("multiAz"), `must be true in ${context.environment}: a single-AZ database goes down with its zone`);
    }
    const allocatedStorageGb = s.int("allocatedStorageGb", { min: defaults.minStorageGb, max: defaults.maxStorageGb });
    const maxAllocatedStorageGb = s.int("maxAllocatedStorageGb", { min: defaults.minStorageGb, max: defaults.maxStorageGb });
    if (maxAllocatedStorageGb < Math.ceil(allocatedStorageGb * 1.1)) {
        s.issues.add(s.at("maxAllocatedStorageGb"), `(${maxAllocatedStorageGb}) must be at least 10% above allocatedStorageGb (${allocatedStorageGb}) so storage can autoscale`);
    }
    return {
        mode: "managed",
        engineVersion: readEngineVersion(s, MARIADB_ENGINE_VERSIONS.versions, defaults.engineVersion, "RDS for MariaDB major.minor"),
        instanceClass: s.string("instanceClass", { pattern: RDS_CLASS, expected: "an RDS instance class like db.r6g.large" }),
        multiAz,
        allocatedStorageGb,
        maxAllocatedStorageGb,
        backupRetentionDays: readBackupRetention(s, "backupRetentionDays", context.environment),
        requireTls: readRequireTls(s, context.environment),
        database: s.string("database", { default: defaults.database, pattern: MARIADB_NAME, expected: "a MariaDB database name (a letter, then up to 63 letters, digits or _)" }),
        masterUsername: readUsername(s, MARIADB_USER, "a MariaDB user name (a letter, then up to 15 letters, digits or _)", defaults.masterUsername, RESERVED_USERS.mariadb),
    };
}

function readRequireTls(s: Fields, environment: Environment): boolean {
    const requireTls = s.bool("requireTls", true);
    if (environment === "prod" && !requireTls) {
        s.issues.add(s.at("requireTls"), "must be true in prod: without TLS the database passwords cross the VPC in clear (remove the key; staging may set it to false)");
    }
    return requireTls;
}

function readManagedRedis(s: Fields, context: DataStoresContext): ManagedRedisConfig {
    const defaults = DATA_STORE_DEFAULTS.redis;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[context.environment];
    const engine = s.string<"redis" | "valkey">("engine", { oneOf: ["redis", "valkey"], default: defaults.engine });
    const versions: readonly string[] = REDIS_ENGINE_VERSIONS[engine].versions;
    const nodes = s.int("nodes", { min: 1, max: defaults.maxNodes });
    if (nodes >= 1 && nodes < env.minRedisNodes) {
        s.issues.add(s.at("nodes"), `(${nodes}) must be >= ${env.minRedisNodes} in ${context.environment}: automatic failover needs a replica in another zone`);
    }
    return {
        mode: "managed",
        engine,
        engineVersion: readEngineVersion(s, versions, engine === defaults.engine ? defaults.engineVersion : versions[versions.length - 1], `ElastiCache ${engine} major.minor`),
        nodeType: s.string("nodeType", { pattern: CACHE_NODE_TYPE, expected: "an ElastiCache node type like cache.r7g.large" }),
        nodes,
        snapshotRetentionDays: readBackupRetention(s, "snapshotRetentionDays", context.environment),
        authTokenVersion: s.int("authTokenVersion", { default: defaults.authTokenVersion, min: 1, max: 1000000 }),
    };
}

function readManagedMongodb(s: Fields, context: DataStoresContext): ManagedMongodbConfig {
    const defaults = DATA_STORE_DEFAULTS.mongodb;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[context.environment];
    const instances = s.int("instances", { min: 1, max: defaults.maxInstances });
    if (instances >= 1 && instances < env.minDocumentDbInstances) {
        s.issues.add(s.at("instances"), `(${instances}) must be >= ${env.minDocumentDbInstances} in ${context.environment}: a reader in another zone takes over when the writer fails`);
    }
    return {
        mode: "managed",
        engineVersion: readEngineVersion(s, DOCUMENTDB_ENGINE_VERSIONS.versions, defaults.engineVersion, "DocumentDB"),
        instanceClass: s.string("instanceClass", { pattern: RDS_CLASS, expected: "a DocumentDB instance class like db.r6g.large" }),
        instances,
        backupRetentionDays: readBackupRetention(s, "backupRetentionDays", context.environment),
        database: s.string("database", { default: defaults.database, pattern: MONGODB_NAME, expected: "a database name (a letter, then up to 62 letters, digits, _ or -)" }),
        masterUsername: readUsername(s, DOCDB_USER, "a DocumentDB user name (a letter, then up to 62 letters or digits)", defaults.masterUsername, RESERVED_USERS.mongodb),
    };
}

function readExternal(s: Fields, store: DataStore, context: DataStoresContext): ExternalStoreConfig {
    const host = s.string("host", { pattern: HOST, expected: "a DNS name or IPv4 address" });
    const port = s.int("port", { min: 1, max: 65535 });
    const credentialsSecretArn = s.string("credentialsSecretArn", { pattern: SECRET_ARN, expected: "a Secrets Manager secret ARN" });
    checkArnRegion(s, "credentialsSecretArn", credentialsSecretArn, SECRET_ARN, context.region);
    const credentialsKmsKeyArn = s.optionalString("credentialsKmsKeyArn", { pattern: KMS_KEY_ARN, expected: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)" });
    if (credentialsKmsKeyArn !== undefined) {
        checkArnRegion(s, "credentialsKmsKeyArn", credentialsKmsKeyArn, KMS_KEY_ARN, context.region);
    }
    const egressCidr = readEgressCidr(s, context.peerCidrs);
    if (!s.has("tls")) {
        s.issues.add(s.at("tls"), "is required for an external store (true or false: whether clients must use TLS)");
    }
    const tls = s.bool("tls", false);
    const database = store === "redis" ? undefined : s.string("database", { pattern: store === "mariadb" ? MARIADB_NAME : MONGODB_NAME, expected: "a database name" });
    return { mode: "external", host, port, credentialsSecretArn, credentialsKmsKeyArn, egressCidr, tls, database };
}

function checkArnRegion(s: Fields, key: string, arn: string, pattern: RegExp, region: string): void {
    const match = pattern.exec(arn);
    if (match && region !== "" && match[2] !== region) {
        s.issues.add(s.at(key), `must be in the stack's region ${region} (External Secrets reads one region), got ${match[2]}`);
    }
}

function readEgressCidr(s: Fields, peerCidrs: readonly string[]): string {
    const text = s.string("egressCidr");
    if (text === "") {
        return text;
    }
    const cidr = parseCidr(text);
    if (typeof cidr === "string") {
        s.issues.add(s.at("egressCidr"), `${cidr}, got ${show(text)}`);
        return text;
    }
    if (cidr.prefix < 16) {
        s.issues.add(s.at("egressCidr"), `(${text}) is too wide: use /16 or narrower (the app nodes may reach it on the store's port)`);
    }
    const peers = peerCidrs.map(parseCidr).filter((p): p is Exclude<ReturnType<typeof parseCidr>, string> => typeof p !== "string");
    if (!peers.some((peer) => cidrContains(peer, cidr))) {
        s.issues.add(s.at("egressCidr"), `(${text}) must lie inside one of network.peerCidrs (${peerCidrs.join(", ") || "none configured"}): external stores live in a peered network`);
    }
    return text;
}

function readCredentialsSync(f: Fields): CredentialsSyncConfig {
    const defaults = DATA_STORE_DEFAULTS.credentialsSync;
    const refreshInterval = f.string("refreshInterval", { default: defaults.refreshInterval, pattern: DURATION, expected: "a duration like 30s, 1m or 1h" });
    const seconds = durationSeconds(refreshInterval);
    if (seconds !== undefined && (seconds < 30 || seconds > 86400)) {
        f.issues.add(f.at("refreshInterval"), `(${refreshInterval}) must be between 30s and 24h`);
    }
    const version = { pattern: CHART_VERSION, expected: "an exact chart version like 1.2.3" };
    return {
        refreshInterval,
        externalSecretsChartVersion: f.string("externalSecretsChartVersion", { default: CREDENTIAL_SYNC_CHARTS.externalSecrets.version, ...version }),
        reloaderChartVersion: f.string("reloaderChartVersion", { default: CREDENTIAL_SYNC_CHARTS.reloader.version, ...version }),
    };
}

/** Seconds of a `30s` / `5m` / `1h` duration; undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
    const match = DURATION.exec(text);
    if (!match) {
        return undefined;
    }
    return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

/**
 * Cross-check with the service catalog: every store a service uses must be
 * configured, and every configured store must be used by some service (an
 * unused database costs money and holds data nobody reads).
 */
export function checkStoreUsage(services: readonly ServiceSpec[], dataStores: DataStoresConfig, issues: ConfigIssues): void {
    services.forEach((service, i) => {
        service.stores.forEach((store, j) => {
            if (dataStores[store] === undefined) {
                issues.add(`services[${i}].stores[${j}]`, `(${service.name}) uses ${store}, but dataStores.${store} is not configured`);
            }
        });
    });
    for (const store of DATA_STORES) {
        if (dataStores[store] !== undefined && !services.some((s) => s.stores.includes(store))) {
            issues.add(`dataStores.${store}`, `is configured but no service uses it (services[].stores): remove it or add it to a service`);
        }
    }
}

/** The stores this stack needs, in matrix order. */
export function configuredStores(dataStores: DataStoresConfig): DataStore[] {
    return DATA_STORES.filter((store) => dataStores[store] !== undefined);
}

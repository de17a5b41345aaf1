/**
 * The `dataStores` section, declared once: for each store the services use,
 * either a store this stack creates (`mode: managed`, the default) or one that
 * already exists elsewhere (`mode: external`, e.g. the old VMs during the
 * migration), plus how the credentials reach the cluster (`credentialsSync`).
 */
import { z } from "zod";
import { cidrContains, parseCidr } from "../lib/cidr";
import { didYouMean, matching, RefineContext, report, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { EC2_INSTANCE_TYPES, isClassOf } from "../lib/instanceTypes";
import { show } from "../lib/reader";
import { DATA_STORES, DataStore } from "../network/accessMatrixPlan";
import type { NetworkConfig } from "../network/schema";
import { dataIdentifierPrefix, MAX_IDENTIFIER_PREFIX_LENGTH } from "./dataNaming";
import { CREDENTIAL_SYNC_CHARTS, DOCUMENTDB_ENGINE_VERSIONS, MARIADB_ENGINE_VERSIONS, REDIS_ENGINE_VERSIONS } from "./catalog";
import { DATA_STORE_DEFAULTS, DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";

export type StoreMode = "managed" | "external";
export const STORE_MODES: readonly StoreMode[] = ["managed", "external"];

const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;
const MARIADB_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MARIADB_USER = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
const MONGODB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const DOCDB_USER = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const DURATION = /^([1-9]\d*)(s|m|h)$/;
const CHART_VERSION = /^\d+\.\d+\.\d+$/;
const RESERVED_USERS = { mariadb: ["rdsadmin", "root", "mysql"], mongodb: ["admin", "root", "serviceadmin"] } as const;

/** An instance class (`db.r6g.large`) or node type (`cache.r7g.large`) of a machine the SDK knows. */
function machineClass(prefix: "db" | "cache", what: string, example: string): z.ZodString {
    return z.string().superRefine((name, c) => {
        if (!isClassOf(prefix, name)) {
            const family = name.slice(prefix.length + 1).split(".")[0];
            const candidates = [...EC2_INSTANCE_TYPES].filter((t) => t.startsWith(`${family}.`)).map((t) => `${prefix}.${t}`);
            const hint = candidates.length > 0 ? didYouMean(name, candidates) : "";
            report(c, [], `must be ${what} like ${example}, got ${show(name)}${hint ? `: ${hint}` : ""}`);
        }
    });
}

function backupRetention(ctx: SchemaContext, what: string) {
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[ctx.environment];
    return wholeNumber(1, DATA_STORE_DEFAULTS.maxBackupRetentionDays)
        .refine((days) => days >= env.minBackupRetentionDays, { error: (i) => `(${String(i.input)}) must be >= ${env.minBackupRetentionDays} in ${ctx.environment}` })
        .default(env.backupRetentionDays)
        .meta({ description: `Days of ${what} kept, 1-35; at least 7 in prod, 1 in staging. Default 14 in prod, 3 in staging.` });
}

function engineVersion(supported: readonly string[], what: string): z.ZodString {
    return z.string().refine((v) => supported.includes(v), { error: (i) => `must be a supported ${what} version (${supported.join(", ")}), got ${show(i.input)}` });
}

function userName(pattern: RegExp, expected: string, reserved: readonly string[]): z.ZodString {
    return matching(pattern, expected).refine((name) => !reserved.includes(name.toLowerCase()), {
        error: (i) => `must not be a reserved user name (${reserved.join(", ")}), got ${show(i.input)}`,
    });
}

function managedMariadb(ctx: SchemaContext) {
    const d = DATA_STORE_DEFAULTS.mariadb;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[ctx.environment];
    return z
        .strictObject({
            mode: z.literal("managed").default("managed").meta({ description: "`managed` (default): this stack creates an RDS for MariaDB instance." }),
            engineVersion: engineVersion(MARIADB_ENGINE_VERSIONS.versions, "RDS for MariaDB major.minor")
                .default(d.engineVersion)
                .meta({ description: `RDS for MariaDB major.minor: ${MARIADB_ENGINE_VERSIONS.versions.join(", ")} (data/catalog.ts). Default ${d.engineVersion}.` }),
            instanceClass: machineClass("db", "an RDS instance class", "db.r6g.large").meta({
                description: "The RDS instance class, e.g. db.r6g.large. Changing it resizes the instance in place (a short failover with Multi-AZ).",
            }),
            multiAz: z
                .boolean()
                .default(env.multiAz)
                .refine((on) => on || !env.multiAz, { error: `must be true in ${ctx.environment}: a single-AZ database goes down with its zone` })
                .meta({ description: "A synchronous standby in another zone; required in prod (default there), off by default in staging." }),
            allocatedStorageGb: wholeNumber(d.minStorageGb, d.maxStorageGb).meta({ description: "Initial gp3 storage (GiB), 20-65536." }),
            maxAllocatedStorageGb: wholeNumber(d.minStorageGb, d.maxStorageGb).meta({ description: "Storage autoscaling ceiling (GiB), at least 10% above allocatedStorageGb." }),
            backupRetentionDays: backupRetention(ctx, "automated backups"),
            requireTls: z.boolean().default(false).meta({
                description:
                    '`require_secure_transport`: MariaDB refuses connections without TLS. Default false, and refused while a service uses MariaDB: the IAM binaries\' MySQL client cannot speak TLS (docs/data.md, "MariaDB in transit"). Pinned either way (written 1/0); changing it updates the parameter group in place.',
            }),
            database: matching(MARIADB_NAME, "a MariaDB database name (a letter, then up to 63 letters, digits or _)")
                .default(d.database)
                .meta({ description: "The database created with the instance. Changing it replaces the instance." }),
            masterUsername: userName(MARIADB_USER, "a MariaDB user name (a letter, then up to 15 letters, digits or _)", RESERVED_USERS.mariadb)
                .default(d.masterUsername)
                .meta({
                    description: `The master user (password managed and rotated by RDS): a letter, then up to 15 letters, digits or _; not ${RESERVED_USERS.mariadb.join(", ")}. Changing it replaces the instance.`,
                }),
        })
        .superRefine(
            (m, c) => {
                if (m.maxAllocatedStorageGb < Math.ceil(m.allocatedStorageGb * 1.1)) {
                    report(
                        c,
                        ["maxAllocatedStorageGb"],
                        `(${m.maxAllocatedStorageGb}) must be at least 10% above allocatedStorageGb (${m.allocatedStorageGb}) so storage can autoscale`,
                    );
                }
            },
            { when: whenValid("allocatedStorageGb", "maxAllocatedStorageGb") },
        );
}

function managedRedis(ctx: SchemaContext) {
    const d = DATA_STORE_DEFAULTS.redis;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[ctx.environment];
    return z
        .strictObject({
            mode: z.literal("managed").default("managed").meta({ description: "`managed` (default): this stack creates an ElastiCache replication group." }),
            engine: z.enum(["redis", "valkey"]).default(d.engine).meta({ description: "`redis` (Redis OSS, default) or `valkey`, the drop-in successor." }),
            engineVersion: z
                .string()
                .optional()
                .meta({
                    description: `major.minor of the engine: redis ${REDIS_ENGINE_VERSIONS.redis.versions.join(", ")}; valkey ${REDIS_ENGINE_VERSIONS.valkey.versions.join(", ")} (data/catalog.ts). Default: ${d.engineVersion} for redis, the newest for valkey.`,
                }),
            nodeType: machineClass("cache", "an ElastiCache node type", "cache.r7g.large").meta({ description: "The ElastiCache node type, e.g. cache.r7g.large." }),
            nodes: wholeNumber(1, d.maxNodes)
                .refine((n) => n >= env.minRedisNodes, {
                    error: (i) => `(${String(i.input)}) must be >= ${env.minRedisNodes} in ${ctx.environment}: automatic failover needs a replica in another zone`,
                })
                .meta({ description: "A primary plus replicas, 1-6; 2 or more (required in prod) gives automatic failover across zones." }),
            snapshotRetentionDays: backupRetention(ctx, "daily snapshots"),
            authTokenVersion: wholeNumber(1, 1000000).default(d.authTokenVersion).meta({ description: "Bump to generate and roll out a new auth token. Default 1." }),
        })
        .superRefine(
            (r, c) => {
                const versions = REDIS_ENGINE_VERSIONS[r.engine].versions;
                if (r.engineVersion !== undefined && !versions.includes(r.engineVersion)) {
                    report(c, ["engineVersion"], `must be a supported ElastiCache ${r.engine} major.minor version (${versions.join(", ")}), got ${show(r.engineVersion)}`);
                }
            },
            { when: whenValid("engine", "engineVersion") },
        )
        .transform((r) => {
            const versions = REDIS_ENGINE_VERSIONS[r.engine].versions;
            return { ...r, engineVersion: r.engineVersion ?? (r.engine === d.engine ? d.engineVersion : versions[versions.length - 1]) };
        });
}

function managedMongodb(ctx: SchemaContext) {
    const d = DATA_STORE_DEFAULTS.mongodb;
    const env = DATA_STORE_ENVIRONMENT_DEFAULTS[ctx.environment];
    return z.strictObject({
        mode: z.literal("managed").default("managed").meta({ description: "`managed` (default): this stack creates a DocumentDB cluster." }),
        engineVersion: engineVersion(DOCUMENTDB_ENGINE_VERSIONS.versions, "DocumentDB")
            .default(d.engineVersion)
            .meta({ description: `DocumentDB engine version: ${DOCUMENTDB_ENGINE_VERSIONS.versions.join(", ")} (data/catalog.ts). Default ${d.engineVersion}.` }),
        instanceClass: machineClass("db", "a DocumentDB instance class", "db.r6g.large").meta({ description: "The DocumentDB instance class, e.g. db.r6g.large." }),
        instances: wholeNumber(1, d.maxInstances)
            .refine((n) => n >= env.minDocumentDbInstances, {
                error: (i) => `(${String(i.input)}) must be >= ${env.minDocumentDbInstances} in ${ctx.environment}: a reader in another zone takes over when the writer fails`,
            })
            .meta({ description: "Instances in the cluster (a writer and readers), 1-16; at least 2 in prod." }),
        backupRetentionDays: backupRetention(ctx, "automated backups"),
        database: matching(MONGODB_NAME, "a database name (a letter, then up to 62 letters, digits, _ or -)")
            .default(d.database)
            .meta({ description: "The database name the workloads use (DocumentDB creates it on first write)." }),
        masterUsername: userName(DOCDB_USER, "a DocumentDB user name (a letter, then up to 62 letters or digits)", RESERVED_USERS.mongodb)
            .default(d.masterUsername)
            .meta({
                description: `The master user (password managed and rotated by DocumentDB): a letter, then up to 62 letters or digits; not ${RESERVED_USERS.mongodb.join(", ")}. Changing it replaces the cluster.`,
            }),
    });
}

function regionalArn(pattern: RegExp, expected: string, ctx: SchemaContext): z.ZodString {
    return z.string().superRefine((arn, c) => {
        const match = pattern.exec(arn);
        if (!match) {
            report(c, [], `must be ${expected}, got ${show(arn)}`);
        } else if (ctx.region !== "" && match[2] !== ctx.region) {
            report(c, [], `must be in the stack's region ${ctx.region} (External Secrets reads one region), got ${match[2]}`);
        }
    });
}

/** A store this stack does not create: reached at `host:port`, credentials in Secrets Manager. */
function external(store: DataStore, ctx: SchemaContext) {
    const base = {
        mode: z.literal("external").meta({ description: "`external`: a store that exists elsewhere (e.g. the old VMs during the migration)." }),
        host: matching(HOST, "a DNS name or IPv4 address").meta({ description: "DNS name or IPv4 address the workloads connect to." }),
        port: wholeNumber(1, 65535).meta({ description: "The store's port." }),
        credentialsSecretArn: regionalArn(SECRET_ARN, "a Secrets Manager secret ARN", ctx).meta({
            description: 'ARN of a Secrets Manager secret in the stack\'s region holding JSON {"username": ..., "password": ...} (Redis: {"password": ...}).',
        }),
        credentialsKmsKeyArn: regionalArn(KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", ctx)
            .optional()
            .meta({ description: "The customer-managed KMS key that secret is encrypted with, if not the default aws/secretsmanager key." }),
        egressCidr: cidrNarrowerThan16().meta({
            description: "The network the store lives in, /16 or narrower, inside one of network.peerCidrs; the app nodes get an egress rule to it on `port`.",
        }),
    };
    const tls = z
        .boolean({ error: (i) => (i.input === undefined ? "is required for an external store (true or false: whether clients must use TLS)" : undefined) })
        .meta({ description: "Whether clients must use TLS. Required: say it explicitly." });
    const database = matching(store === "mariadb" ? MARIADB_NAME : MONGODB_NAME, "a database name").meta({ description: "Database name." });
    const shape = store === "redis" ? z.strictObject({ ...base, tls }) : z.strictObject({ ...base, tls, database });
    // The same shape for every store (Redis has no database), so components need not ask which store it is.
    return shape.transform((s): typeof s & { database?: string } => s);
}

/** A store this stack does not create: reached at `host:port`, credentials in Secrets Manager. */
export type ExternalStoreConfig = z.output<ReturnType<typeof external>>;

function cidrNarrowerThan16(): z.ZodString {
    return z.string().superRefine((text, c) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") {
            report(c, [], `${cidr}, got ${show(text)}`);
        } else if (cidr.prefix < 16) {
            report(c, [], `(${text}) is too wide: use /16 or narrower (the app nodes may reach it on the store's port)`);
        }
    });
}

const storeDescriptions: Record<DataStore, string> = {
    mariadb: "MariaDB for iam-apiserver and iam-watcher: RDS (managed) or an existing server (external).",
    redis: "Redis for every service: ElastiCache (managed) or an existing server (external).",
    mongodb: "MongoDB for iam-pump's analytics: DocumentDB (managed) or an existing server (external).",
};

/** The `dataStores` section for an environment, stack and region. */
export function dataStoresSchema(ctx: SchemaContext) {
    const sync = DATA_STORE_DEFAULTS.credentialsSync;
    const chart = matching(CHART_VERSION, "an exact chart version like 1.2.3");
    return z
        .strictObject({
            mariadb: z
                .discriminatedUnion("mode", [managedMariadb(ctx), external("mariadb", ctx)])
                .optional()
                .meta({ description: storeDescriptions.mariadb }),
            redis: z
                .discriminatedUnion("mode", [managedRedis(ctx), external("redis", ctx)])
                .optional()
                .meta({ description: storeDescriptions.redis }),
            mongodb: z
                .discriminatedUnion("mode", [managedMongodb(ctx), external("mongodb", ctx)])
                .optional()
                .meta({ description: storeDescriptions.mongodb }),
            credentialsSync: z
                .strictObject({
                    refreshInterval: matching(DURATION, "a duration like 30s, 1m or 1h")
                        .refine(
                            (text) => {
                                const s = durationSeconds(text) ?? 0;
                                return s >= 30 && s <= 86400;
                            },
                            { error: (i) => `(${String(i.input)}) must be between 30s and 24h` },
                        )
                        .default(sync.refreshInterval)
                        .meta({
                            description: "How often External Secrets re-reads Secrets Manager (30s-24h): the longest a rotated password stays stale in the cluster. Default 1m.",
                        }),
                    externalSecretsChartVersion: chart
                        .default(CREDENTIAL_SYNC_CHARTS.externalSecrets.version)
                        .meta({ description: `External Secrets Operator chart version. Default: the pin in data/catalog.ts (${CREDENTIAL_SYNC_CHARTS.externalSecrets.version}).` }),
                    reloaderChartVersion: chart
                        .default(CREDENTIAL_SYNC_CHARTS.reloader.version)
                        .meta({ description: `Stakater Reloader chart version. Default: the pin in data/catalog.ts (${CREDENTIAL_SYNC_CHARTS.reloader.version}).` }),
                })
                .prefault({})
                .meta({ description: "How the store credentials reach the cluster (External Secrets and Reloader)." }),
        })
        .prefault({})
        .superRefine(
            (_, c) => {
                const prefix = dataIdentifierPrefix(ctx.stack);
                if (prefix.length > MAX_IDENTIFIER_PREFIX_LENGTH) {
                    report(
                        c,
                        [],
                        `cannot be named after stack ${show(ctx.stack)}: the store identifier prefix ${prefix} is longer than ${MAX_IDENTIFIER_PREFIX_LENGTH} characters (ElastiCache ids are at most 40)`,
                    );
                }
            },
            { when: () => true },
        )
        .transform((stores) => ({ ...stores, identifierPrefix: dataIdentifierPrefix(ctx.stack) }))
        .meta({ description: "The data stores the services use, and how their credentials reach the cluster." });
}

export type DataStoresConfig = z.output<ReturnType<typeof dataStoresSchema>>;
export type ManagedMariadbConfig = z.output<ReturnType<typeof managedMariadb>>;
export type ManagedRedisConfig = z.output<ReturnType<typeof managedRedis>>;
export type ManagedMongodbConfig = z.output<ReturnType<typeof managedMongodb>>;
export type CredentialsSyncConfig = DataStoresConfig["credentialsSync"];

/** Seconds of a `30s` / `5m` / `1h` duration; undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
    const match = DURATION.exec(text);
    if (!match) {
        return undefined;
    }
    return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

/** Root rule: an external store lives in a peered network (`network.peerCidrs`). */
export function externalStoresRule(root: { dataStores: DataStoresConfig; network: NetworkConfig }, c: RefineContext): void {
    for (const store of DATA_STORES) {
        const config = root.dataStores[store];
        if (config?.mode !== "external") {
            continue;
        }
        const cidr = parseCidr(config.egressCidr);
        const peers = root.network.peerCidrs.map(parseCidr).filter((p): p is Exclude<ReturnType<typeof parseCidr>, string> => typeof p !== "string");
        if (typeof cidr !== "string" && !peers.some((peer) => cidrContains(peer, cidr))) {
            report(
                c,
                ["dataStores", store, "egressCidr"],
                `(${config.egressCidr}) must lie inside one of network.peerCidrs (${root.network.peerCidrs.join(", ") || "none configured"}): external stores live in a peered network`,
            );
        }
    }
}

/**
 * Root rule, with the service catalog: every store a service uses is
 * configured, and every configured store is used by some service (an unused
 * database costs money and holds data nobody reads).
 */
export function storeUsageRule(root: { services: readonly { name: string; stores: readonly DataStore[] }[]; dataStores: DataStoresConfig }, c: RefineContext): void {
    root.services.forEach((service, i) => {
        service.stores.forEach((store, j) => {
            if (root.dataStores[store] === undefined) {
                report(c, ["services", i, "stores", j], `(${service.name}) uses ${store}, but dataStores.${store} is not configured`);
            }
        });
    });
    for (const store of DATA_STORES) {
        if (root.dataStores[store] !== undefined && !root.services.some((s) => s.stores.includes(store))) {
            report(c, ["dataStores", store], "is configured but no service uses it (services[].stores): remove it or add it to a service");
        }
    }
}

/** The stores this stack needs, in matrix order. */
export function configuredStores(dataStores: Pick<DataStoresConfig, DataStore>): DataStore[] {
    return DATA_STORES.filter((store) => dataStores[store] !== undefined);
}

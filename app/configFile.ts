/**
 * Pure. Each IAM binary's config file, from the validated stack config and
 * the resolved store endpoints: only keys the binary reads at the pinned
 * release (app/iamContract.ts; an unknown key throws), secret values as
 * External Secrets template expressions over the keys of `SECRET_SOURCES`
 * (the file is rendered into a Secret at sync time, never a ConfigMap).
 *
 * What every file says, and why (marmotedu/iam v1.6.3):
 * - binds on 0.0.0.0 at the ports the stack's `services[].ports` declare
 *   (`insecure.bind-address` defaults to 127.0.0.1, which no probe reaches);
 * - logs JSON to stdout/stderr only (the samples add /var/log/iam: the root
 *   filesystem is read-only and the user is not root);
 * - `server.mode: release`, `server.healthz: true` (the probes' /healthz).
 */
import { stringify } from "yaml";
import type { DataStore } from "../network/accessMatrixPlan";
import type { StoreTrust } from "../data/storeEndpoint";
import type { ServiceSpec } from "../workloads/schema";
import { RDS_CA_BUNDLE_MOUNT } from "../data/storeConnection";
import { MGO_URL_OPTIONS } from "./catalog";
import { binaryContract, IAM_CONTRACT, IamBinary, isIamBinary, TemplateValue, unknownKeys } from "./iamContract";
import { MONGO_URL_ENV } from "./mounts";
import { INTERNAL_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE } from "./paths";

/** A store as the config file needs it, resolved (`StoreEndpoint` with its host known). */
export interface StoreAddress {
    mode: "managed" | "external";
    host: string;
    port: number;
    tls: boolean;
    trust: StoreTrust;
    database?: string;
}

/** Where a config file's secret values come from: a store's credentials secret, the JWT key's, the MariaDB application user's. */
export type SecretSource = DataStore | "jwt" | "mariadbApp";

/** The key of each secret value in the config Secret's ExternalSecret `data`, and where it comes from. */
export const SECRET_SOURCES = {
    // The application user (app/appDbUser.ts), never the RDS master user whose RDS-managed password rotates.
    mariadb_username: { from: "mariadbApp", property: "username" },
    mariadb_password: { from: "mariadbApp", property: "password" },
    redis_password: { from: "redis", property: "password" },
    mongodb_username: { from: "mongodb", property: "username" },
    mongodb_password: { from: "mongodb", property: "password" },
    jwt_key: { from: "jwt", property: "key" },
} as const satisfies Record<string, { from: SecretSource; property: string }>;
export type SecretKey = keyof typeof SECRET_SOURCES;

/**
 * The declared port (by name, in `services[].ports`) each listener of a
 * binary binds: `insecure` serves HTTP and /healthz, `secure` HTTPS, `grpc`
 * the apiserver's gRPC (iam-authz-server dials it), `health` a worker's
 * health check (`health-check-address`).
 */
export const LISTENER_PORTS: Record<IamBinary, Readonly<Record<string, string>>> = {
    "iam-apiserver": { insecure: "http", secure: "https", grpc: "grpc" },
    "iam-authz-server": { insecure: "http", secure: "https" },
    "iam-pump": { health: "health" },
    "iam-watcher": { health: "health" },
};

/** The DocumentDB URL options: its one replica set, reads off the primary, users in `admin` (AWS DocumentDB docs). */
const DOCUMENTDB_URL_OPTIONS = "authSource=admin&replicaSet=rs0&readPreference=secondaryPreferred";
/** iam-pump's collection for authorization audit records (the name the upstream install scripts use). */
export const PUMP_COLLECTION = "iam_analytics";

type Service = Pick<ServiceSpec, "name" | "ports" | "stores" | "health">;

export interface ConfigFileInputs {
    service: Service;
    /** Every store the service uses (`service.stores`), resolved. */
    stores: Partial<Record<DataStore, StoreAddress>>;
    /**
     * iam-authz-server only: the apiserver's gRPC address as dialled and
     * verified, `<in-cluster Service>.<namespace>.svc:<grpc port>` (the
     * apiserver's certificate names that host).
     */
    rpcServer?: string;
}

export interface RenderedConfigFile {
    binary: IamBinary;
    /** Where the binary reads it (the image's CMD: `-c /etc/iam/<name>.yaml`). */
    path: string;
    /** The file as a tree; secret values are `TemplateValue`s. */
    tree: Record<string, unknown>;
    /** The file as an External Secrets (engine v2) template: YAML with `{{ ... }}` where secrets go. */
    template: string;
    /** The secret keys the template reads, sorted. */
    secretKeys: SecretKey[];
}

/** Problems that keep a service's config file from being rendered (unknown binary, a listener without its port), by message. */
export function configFileProblems(service: { name: string; ports: ReadonlyArray<{ name: string }>; health: { path: string; port: string } }): string[] {
    if (!isIamBinary(service.name)) {
        return [`is not an IAM binary of ${IAM_CONTRACT.source.tag} (${Object.keys(LISTENER_PORTS).join(", ")}): no config file can be rendered for it`];
    }
    const problems = Object.entries(LISTENER_PORTS[service.name])
        .filter(([, port]) => !service.ports.some((p) => p.name === port))
        .map(([listener, port]) => `declares no port named ${port}: ${service.name} binds its ${listener} listener there`);
    const healthListener = service.name === "iam-pump" || service.name === "iam-watcher" ? "health" : "http";
    if (service.health.port !== healthListener) {
        problems.push(`health.port must be ${healthListener}: ${service.name} serves its health check only there`);
    }
    if (healthListener === "http" && service.health.path !== "/healthz") {
        problems.push(`health.path must be /healthz: ${service.name} serves its health check only there (server.healthz)`);
    }
    return problems;
}

function port(service: Service, listener: string): number {
    const name = LISTENER_PORTS[service.name as IamBinary][listener];
    const found = service.ports.find((p) => p.name === name);
    if (!found) throw new Error(`${service.name}: ${configFileProblems(service).join("; ")}`);
    return found.port;
}

const secret = (key: SecretKey): TemplateValue => new TemplateValue(`.${key} | toJson`);

function store(inputs: ConfigFileInputs, name: DataStore): StoreAddress {
    const found = inputs.stores[name];
    if (!found) throw new Error(`${inputs.service.name} uses ${name}, but no ${name} endpoint was given`);
    return found;
}

/** `mysql`: `host:port` (the DSN's `tcp(%s)`), the application user's name and password, no TLS key: pkg/db/mysql.go's DSN cannot ask for it (docs/data.md). */
function mysql(inputs: ConfigFileInputs): Record<string, unknown> {
    const db = store(inputs, "mariadb");
    if (db.tls && !IAM_CONTRACT.mysqlDsn.tls) {
        throw new Error(`${inputs.service.name}: MariaDB requires TLS, but the ${IAM_CONTRACT.source.tag} MySQL client cannot speak it (${IAM_CONTRACT.mysqlDsn.format})`);
    }
    return { host: `${db.host}:${db.port}`, username: secret("mariadb_username"), password: secret("mariadb_password"), database: db.database ?? "" };
}

/** `redis`: TLS exactly when the store requires it, verified against the system roots (ElastiCache's certificates chain to a public Amazon root). */
function redis(inputs: ConfigFileInputs): Record<string, unknown> {
    const r = store(inputs, "redis");
    return {
        host: r.host,
        port: r.port,
        password: secret("redis_password"),
        database: 0,
        "use-ssl": r.tls,
        "ssl-insecure-skip-verify": false,
        "enable-cluster": false,
    };
}

/** The mongo pump (`pumps.mongo`), and the default `csv` pump turned into `dummy` (it would write into the read-only image). */
function pumps(inputs: ConfigFileInputs): Record<string, unknown> {
    const m = store(inputs, "mongodb");
    const documentDb = m.mode === "managed";
    const options = documentDb ? DOCUMENTDB_URL_OPTIONS : "";
    const unsupported = options
        .split("&")
        .filter((o) => o !== "")
        .map((o) => o.split("=")[0])
        .filter((o) => !MGO_URL_OPTIONS.includes(o));
    if (unsupported.length > 0) throw new Error(`iam-pump's MongoDB driver refuses URL options ${unsupported.join(", ")}`);
    const meta: Record<string, unknown> = {
        // Without credentials: every binary logs its whole config at start (pkg/app/app.go) and the mongo
        // pump logs this URL once more (internal/pump/pumps/mongo.go Init); the URL with them comes from
        // the env (MONGO_URL_ENV), which the pump reads after both (envconfig.Process in Init).
        mongo_url: mongoUrl(m.host, m.port, m.database, options),
        collection_name: PUMP_COLLECTION,
        mongo_use_ssl: m.tls,
        mongo_ssl_insecure_skip_verify: false,
        mongo_ssl_allow_invalid_hostnames: false,
        mongo_db_type: documentDb ? IAM_CONTRACT.mongoDbTypes.AWSDocumentDB : IAM_CONTRACT.mongoDbTypes.StandardMongo,
    };
    if (m.tls && m.trust === "rdsCaBundle") {
        meta.mongo_ssl_ca_file = RDS_CA_BUNDLE_MOUNT.file;
    }
    return { mongo: { type: "mongo", meta }, csv: { type: "dummy" } };
}

/** A MongoDB URL; `credentials` is the External Secrets expression pair for user and password. */
function mongoUrl(host: string, port: number, database: string | undefined, options: string, credentials = ""): string {
    return `mongodb://${credentials}${host}:${port}/${database ?? ""}${options ? `?${options}` : ""}`;
}

/** The env the binary gets from its config Secret (name -> External Secrets template): the pump's URL with its credentials. */
export function secretEnvTemplates(inputs: ConfigFileInputs): Record<string, string> {
    if (inputs.service.name !== "iam-pump" || !inputs.stores.mongodb) return {};
    const m = store(inputs, "mongodb");
    const url = mongoUrl(m.host, m.port, m.database, m.mode === "managed" ? DOCUMENTDB_URL_OPTIONS : "", "%s:%s@");
    return { [MONGO_URL_ENV]: `{{ printf ${JSON.stringify(url)} (.mongodb_username | urlquery) (.mongodb_password | urlquery) }}` };
}

const log = (binary: IamBinary) => ({
    name: binary,
    level: "info",
    format: "json",
    "output-paths": ["stdout"],
    "error-output-paths": ["stderr"],
    "enable-color": false,
    development: false,
});

const listen = (service: Service, listener: string) => ({ "bind-address": "0.0.0.0", "bind-port": port(service, listener) });

/** HTTPS with the server certificate the internal CA signed (app/paths.ts: mounted from `<service>-tls`). */
const secure = (service: Service) => ({ ...listen(service, "secure"), tls: { "cert-key": { "cert-file": TLS_CERT_FILE, "private-key-file": TLS_KEY_FILE } } });

/**
 * gin middlewares (internal/pkg/middleware/middleware.go): the upstream
 * sample's list without `dump` (it logs request and response bodies:
 * passwords and tokens) and `logger` (plain-text access lines among the JSON
 * logs); request ids are always installed (genericapiserver.go).
 */
export const MIDDLEWARES = ["recovery", "secure", "nocache", "cors"];

const server = { mode: "release", healthz: true, middlewares: MIDDLEWARES };

/**
 * The servers' optional features: no `/metrics` (nothing in the stack scrapes
 * it, and on the insecure port the load balancer forwards it would be public),
 * no pprof.
 */
export const FEATURES = { "enable-metrics": false, profiling: false } as const;

/** iam-authz-server's `analytics.storage-expiration-time`, written so v1.6.3's double multiplication gives 24 h (see configTree). */
export const ANALYTICS_TTL = "86400ns";

/** The config tree of one binary (secret values as `TemplateValue`s). */
export function configTree(inputs: ConfigFileInputs): { binary: IamBinary; tree: Record<string, unknown> } {
    const { service } = inputs;
    const problems = configFileProblems(service);
    if (problems.length > 0 || !isIamBinary(service.name)) {
        throw new Error(`${service.name}: ${problems.join("; ")}`);
    }
    const binary = service.name;
    const health = (): Record<string, unknown> => ({ "health-check-path": service.health.path.replace(/^\//, ""), "health-check-address": `0.0.0.0:${port(service, "health")}` });
    switch (binary) {
        case "iam-apiserver":
            return {
                binary,
                tree: {
                    server,
                    insecure: listen(service, "insecure"),
                    secure: secure(service),
                    // gRPC (iam-authz-server's source of secrets and policies) loads the same certificate.
                    grpc: listen(service, "grpc"),
                    mysql: mysql(inputs),
                    redis: redis(inputs),
                    jwt: { key: secret("jwt_key") },
                    feature: FEATURES,
                    log: log(binary),
                },
            };
        case "iam-authz-server": {
            if (!inputs.rpcServer) throw new Error("iam-authz-server: no rpcServer (the apiserver's in-cluster gRPC address) was given");
            return {
                binary,
                tree: {
                    rpcserver: inputs.rpcServer,
                    "client-ca-file": INTERNAL_CA_FILE,
                    server,
                    insecure: listen(service, "insecure"),
                    secure: secure(service),
                    redis: redis(inputs),
                    feature: FEATURES,
                    // The analytics records' TTL in Redis: v1.6.3 multiplies this duration by a second once more
                    // (pkg/storage/redis_cluster.go: time.Duration(storageExpTime)*time.Second), so the default 24h
                    // overflows to a negative TTL; 86400ns becomes the intended 24 h.
                    analytics: { "storage-expiration-time": ANALYTICS_TTL },
                    log: log(binary),
                },
            };
        }
        case "iam-pump":
            return { binary, tree: { ...health(), redis: redis(inputs), pumps: pumps(inputs), log: log(binary) } };
        case "iam-watcher":
            return { binary, tree: { ...health(), mysql: mysql(inputs), redis: redis(inputs), log: log(binary) } };
    }
}

/**
 * The config file of one binary as an External Secrets template. Throws
 * when a key is not one the binary reads at the pinned release.
 */
export function renderConfigFile(inputs: ConfigFileInputs): RenderedConfigFile {
    const { binary, tree } = configTree(inputs);
    return renderTree(binary, tree);
}

/** A tree as the template, after checking every key against the contract. */
export function renderTree(binary: IamBinary, tree: Record<string, unknown>): RenderedConfigFile {
    const unknown = unknownKeys(binary, tree);
    if (unknown.length > 0) {
        throw new Error(
            `${binary}: ${unknown.join(", ")} ${unknown.length === 1 ? "is not an option" : "are not options"} of ${binary} ${IAM_CONTRACT.source.tag} (app/iamContract.${IAM_CONTRACT.source.tag}.json)`,
        );
    }
    const expressions: string[] = [];
    const sentinel = (i: number): string => `__IAM_TEMPLATE_${i}__`;
    const plain = JSON.parse(
        JSON.stringify(tree, (_key, value: unknown) => {
            if (value instanceof TemplateValue) {
                expressions.push(value.expression);
                return sentinel(expressions.length - 1);
            }
            return value;
        }),
    ) as Record<string, unknown>;
    let yaml = stringify(plain, { lineWidth: 0 });
    if (yaml.includes("{{")) {
        throw new Error(`${binary}: the config file has "{{" outside a secret: External Secrets would read it as a template`);
    }
    expressions.forEach((expression, i) => {
        yaml = yaml.replace(sentinel(i), `{{ ${expression} }}`);
    });
    return { binary, path: binaryContract(binary).configPath, tree, template: yaml, secretKeys: secretKeysIn(expressions) };
}

/** The secret keys (SECRET_SOURCES) that template expressions read, in SECRET_SOURCES' order. */
export function secretKeysIn(expressions: readonly string[]): SecretKey[] {
    return (Object.keys(SECRET_SOURCES) as SecretKey[]).filter((key) => expressions.some((e) => new RegExp(`\\.${key}\\b`).test(e)));
}

/**
 * iam-authz-server's `rpcserver`: the apiserver's in-cluster Service by its
 * namespace-qualified name and its gRPC port (the Service port is the
 * container port), the host the apiserver's certificate must name.
 */
export function apiserverGrpcAddress(apiserver: Pick<ServiceSpec, "name" | "ports">, clusterService: string, namespace: string): string {
    const grpc = apiserver.ports.find((p) => p.name === LISTENER_PORTS["iam-apiserver"].grpc);
    if (!grpc) throw new Error(`${apiserver.name} declares no grpc port: iam-authz-server cannot reach it`);
    return `${clusterService}.${namespace}.svc:${grpc.port}`;
}

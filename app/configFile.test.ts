/**
 * The IAM binaries' config files as the real prod and staging stacks render
 * them: each is a Secret (never a ConfigMap) at the path the image's CMD
 * reads, every key an option of the binary at the pinned release, binds on
 * the probed ports, logs to stdout as JSON, TLS files where the other half
 * of the contract (app/paths.ts) puts them, and store connections the
 * clients can speak. The templates are executed here as External Secrets
 * would (sample secret values with awkward characters) and read back as YAML.
 */
import { parse } from "yaml";
import { ofType, resource, ResourceRecord, runStack, StackRun } from "../test/harness";
import { configTree, renderConfigFile, renderTree, SECRET_SOURCES, StoreAddress } from "./configFile";
import { binaryContract, IAM_CONTRACT, IamBinary, isIamBinary, TemplateValue, unknownKeys } from "./iamContract";
import { appFileSources, configFileKey, configSecretName, MONGO_URL_ENV } from "./mounts";
import { CONFIG_DIR, INTERNAL_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE } from "./paths";
import { MGO_URL_OPTIONS } from "./catalog";
import { storeTransports } from "../scripts/report";

const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** Secret values with characters YAML, URLs and DSNs care about. */
const SAMPLE: Record<string, string> = {
    mariadb_username: "iam_admin",
    mariadb_password: `p:a#ss "w'o{rd}`,
    redis_password: "tok: en#1",
    mongodb_username: "docdb_admin",
    mongodb_password: "p@ss:w/rd?&x",
    jwt_key: "k3y-{{not-a-template}}",
};

/** Go's url.QueryEscape: unreserved characters stay, space is '+', the rest %XX. */
const queryEscape = (text: string): string =>
    Array.from(Buffer.from(text, "utf8"))
        .map((b) => {
            const c = String.fromCharCode(b);
            if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
            return c === " " ? "+" : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
        })
        .join("");

/** Executes the expressions the renderer writes (`.k | toJson`, `printf "…" (.a | urlquery) (.b | urlquery) | toJson`). */
function execute(template: string, values: Record<string, string>): string {
    return template.replace(/\{\{ (.*?) \}\}/g, (_all, expression: string) => {
        const direct = /^\.(\w+) \| toJson$/.exec(expression);
        if (direct) return JSON.stringify(values[direct[1]]);
        const printf = /^printf ("(?:[^"\\]|\\.)*") \(\.(\w+) \| urlquery\) \(\.(\w+) \| urlquery\)( \| toJson)?$/.exec(expression);
        if (printf) {
            const format = JSON.parse(printf[1]) as string;
            const args = [queryEscape(values[printf[2]]), queryEscape(values[printf[3]])];
            const text = format.replace(/%s/g, () => args.shift() as string);
            return printf[4] ? JSON.stringify(text) : text;
        }
        throw new Error(`an expression this test cannot execute: ${expression}`);
    });
}

interface ExternalSecretSpec {
    target: { name: string; creationPolicy: string; template: { engineVersion: string; type: string; data: Record<string, string> } };
    data: { secretKey: string; remoteRef: { key: string; property: string } }[];
}
const spec = (r: ResourceRecord): ExternalSecretSpec => r.inputs.spec as ExternalSecretSpec;
const metaName = (r: ResourceRecord): string => (r.inputs.metadata as { name: string }).name;

describe.each(["prod", "staging"])("the %s stack's config files", (stack) => {
    let run: StackRun;
    const files = new Map<string, { template: string; file: Record<string, unknown>; es: ResourceRecord }>();
    beforeAll(async () => {
        run = await runStack(stack);
        for (const service of run.config.services) {
            const es = resource(run, EXTERNAL_SECRET, `iam-app-config-${service.name}`);
            const template = spec(es).target.template.data[configFileKey(service.name)];
            files.set(service.name, { template, file: parse(execute(template, SAMPLE)) as Record<string, unknown>, es });
        }
    });
    const get = (name: string) => {
        const found = files.get(name);
        if (!found) throw new Error(`no config file for ${name}`);
        return found;
    };
    const at = (tree: unknown, path: string): unknown => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);

    it("renders one file per service, into a Secret named <service>-config, at the path the image's CMD reads", () => {
        expect([...files.keys()].sort()).toEqual(run.config.services.map((s) => s.name).sort());
        for (const service of run.config.services) {
            const { es } = get(service.name);
            expect(metaName(es)).toBe(configSecretName(service.name));
            expect(spec(es).target).toMatchObject({ name: configSecretName(service.name), creationPolicy: "Owner", template: { engineVersion: "v2", type: "Opaque" } });
            if (!isIamBinary(service.name)) throw new Error(`${service.name} is not an IAM binary`);
            const contract = binaryContract(service.name);
            expect(contract.cmd).toEqual(["-c", contract.configPath]);
            expect(`${CONFIG_DIR}/${configFileKey(service.name)}`).toBe(contract.configPath);
        }
    });

    it("uses only keys each binary reads at the pinned release", () => {
        for (const service of run.config.services) {
            expect([service.name, unknownKeys(service.name as IamBinary, get(service.name).file)]).toEqual([service.name, []]);
        }
    });

    it("binds every listener on 0.0.0.0 at the declared port, so the probes reach it", () => {
        for (const service of run.config.services) {
            const { file } = get(service.name);
            const declared = Object.fromEntries(service.ports.map((p) => [p.name, p.port]));
            if (service.kind === "http") {
                expect(at(file, "insecure")).toEqual({ "bind-address": "0.0.0.0", "bind-port": declared.http });
                expect(at(file, "secure.bind-address")).toBe("0.0.0.0");
                expect(at(file, "secure.bind-port")).toBe(declared.https);
                expect(at(file, "server")).toEqual({ mode: "release", healthz: true, middlewares: ["recovery", "secure", "nocache", "cors"] });
            } else {
                expect(at(file, "health-check-address")).toBe(`0.0.0.0:${declared.health}`);
                expect(`/${String(at(file, "health-check-path"))}`).toBe(service.health.path);
            }
            // The probe's port is one of the bound ports.
            const bound = JSON.stringify(file);
            expect(bound).toContain(String(declared[service.health.port]));
        }
        expect(at(get("iam-apiserver").file, "grpc")).toEqual({ "bind-address": "0.0.0.0", "bind-port": 8081 });
    });

    it("serves no /metrics or pprof, and gives the analytics records the 24 h TTL v1.6.3's double multiplication needs 86400ns for", () => {
        for (const name of ["iam-apiserver", "iam-authz-server"]) {
            expect(at(get(name).file, "feature")).toEqual({ "enable-metrics": false, profiling: false });
        }
        const ttl = String(at(get("iam-authz-server").file, "analytics.storage-expiration-time"));
        // Go's duration "86400ns" is 86400 as int64; v1.6.3 multiplies that by time.Second once more: 24 h.
        expect(Number(/^(\d+)ns$/.exec(ttl)?.[1]) * 1e9).toBe(24 * 3600 * 1e9);
    });

    it("runs every IAM container in UTC (the images set Asia/Shanghai; the MySQL DSN uses local time)", () => {
        for (const service of run.config.services) {
            const deployment = ofType(run, DEPLOYMENT).find((d) => metaName(d) === service.name) as ResourceRecord;
            const container = (
                deployment.inputs.spec as { template: { spec: { containers: { name: string; env?: { name: string; value: string }[] }[] } } }
            ).template.spec.containers.find((c) => c.name === service.name);
            expect(container?.env).toContainEqual({ name: "TZ", value: "UTC" });
        }
    });

    it("logs JSON to stdout and stderr only (the root filesystem is read-only)", () => {
        for (const service of run.config.services) {
            expect(at(get(service.name).file, "log")).toMatchObject({ format: "json", "output-paths": ["stdout"], "error-output-paths": ["stderr"] });
        }
    });

    it("points the TLS servers at the mounted certificate, and iam-authz-server at the apiserver's in-cluster gRPC Service and the internal CA", () => {
        for (const name of ["iam-apiserver", "iam-authz-server"]) {
            expect(at(get(name).file, "secure.tls.cert-key")).toEqual({ "cert-file": TLS_CERT_FILE, "private-key-file": TLS_KEY_FILE });
        }
        const authz = get("iam-authz-server").file;
        expect(authz["client-ca-file"]).toBe(INTERNAL_CA_FILE);
        const [host, port] = String(authz.rpcserver).split(":");
        const [serviceName, namespace, svc] = host.split(".");
        expect([namespace, svc]).toEqual([run.config.workloads.namespace, "svc"]);
        // That Service selects the apiserver's pods and forwards to its gRPC container port.
        const target = ofType(run, "kubernetes:core/v1:Service").find((s) => metaName(s) === serviceName);
        const serviceSpec = target?.inputs.spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } | undefined;
        expect(serviceSpec?.selector["app.kubernetes.io/name"]).toBe("iam-apiserver");
        expect(serviceSpec?.ports).toContainEqual(expect.objectContaining({ port: Number(port), targetPort: "grpc" }));
        expect(Number(port)).toBe(at(get("iam-apiserver").file, "grpc.bind-port"));
    });

    it("mounts each file where the binary reads it, read-only, with the TLS files for the TLS servers", () => {
        for (const service of run.config.services) {
            const deployment = ofType(run, DEPLOYMENT).find((d) => metaName(d) === service.name) as ResourceRecord;
            const pod = (
                deployment.inputs.spec as { template: { spec: { volumes: { name: string; projected?: { sources: unknown[] } }[]; containers: { volumeMounts: unknown[] }[] } } }
            ).template.spec;
            const volume = pod.volumes.find((v) => v.name === "iam-files");
            expect(volume?.projected?.sources).toEqual(appFileSources(service.name).map((s) => ({ secret: { name: s.secretName, items: s.items } })));
            expect(pod.containers[0].volumeMounts).toContainEqual({ name: "iam-files", mountPath: CONFIG_DIR, readOnly: true });
            const paths = appFileSources(service.name).flatMap((s) => s.items.map((i) => `${CONFIG_DIR}/${i.path}`));
            expect(paths).toContain(binaryContract(service.name as IamBinary).configPath);
            if (service.name === "iam-apiserver" || service.name === "iam-authz-server") {
                expect(paths).toEqual(expect.arrayContaining([TLS_CERT_FILE, TLS_KEY_FILE]));
            }
            if (service.name === "iam-authz-server") expect(paths).toContain(INTERNAL_CA_FILE);
        }
    });

    it("keeps secret values out of the rendered text: each comes from Secrets Manager at sync time, and no ConfigMap holds one", () => {
        const arns = run.outputs.dataStoreCredentialSecretArns.value as Record<string, string>;
        const jwtArn = run.outputs.jwtSigningKeySecretArn.value as string;
        const appDbUserArn = run.outputs.appDbUserSecretArn.value as string;
        for (const service of run.config.services) {
            const { es } = get(service.name);
            for (const ref of spec(es).data) {
                const source = SECRET_SOURCES[ref.secretKey as keyof typeof SECRET_SOURCES];
                const key = source.from === "jwt" ? jwtArn : source.from === "mariadbApp" ? appDbUserArn : arns[source.from];
                expect(ref.remoteRef).toEqual({ key, property: source.property });
                // Read by the file's template or by an env value rendered into the same Secret (the pump's Mongo URL).
                expect(Object.values(spec(es).target.template.data).join("\n")).toContain(`.${ref.secretKey}`);
            }
        }
        expect(at(get("iam-apiserver").file, "mysql.password")).toBe(SAMPLE.mariadb_password);
        expect(at(get("iam-apiserver").file, "jwt.key")).toBe(SAMPLE.jwt_key);
        expect(at(get("iam-pump").file, "redis.password")).toBe(SAMPLE.redis_password);
        // The schema Job's ConfigMap holds DDL (a `password` column, the hash upstream publishes) and
        // reads the generated hash from a Secret: no secret value, so it is checked for that value only.
        const isSchema = (c: { inputs: Record<string, unknown> }) =>
            (c.inputs.metadata as { labels?: Record<string, string> } | undefined)?.labels?.["app.kubernetes.io/name"] === "iam-schema";
        const all = ofType(run, "kubernetes:core/v1:ConfigMap");
        const configMaps = all.filter((c) => !isSchema(c)).map((c) => JSON.stringify(c.inputs.data ?? {}));
        expect(configMaps.filter((data) => /password|jwt|mongodb:\/\//i.test(data))).toEqual([]);
        const schemaMaps = all.filter(isSchema).map((c) => JSON.stringify(c.inputs.data ?? {}));
        expect(schemaMaps.length).toBe(1);
        expect(schemaMaps.filter((data) => /ADMIN_PASSWORD_HASH=|mongodb:\/\/|jwt/i.test(data) || data.includes(SAMPLE.mariadb_password))).toEqual([]);
    });

    it("logs iam-apiserver and iam-watcher in to MariaDB as the application user (its secret), never as the RDS master user", () => {
        const appDbUserArn = run.outputs.appDbUserSecretArn.value as string;
        const masterArn = (run.outputs.dataStoreCredentialSecretArns.value as Record<string, string>).mariadb;
        expect(appDbUserArn).toMatch(/^arn:aws:secretsmanager:/);
        expect(appDbUserArn).not.toBe(masterArn);
        const mariadbUsers = run.config.services.filter((s) => s.stores.includes("mariadb")).map((s) => s.name);
        expect(mariadbUsers.sort()).toEqual(["iam-apiserver", "iam-watcher"]);
        for (const name of mariadbUsers) {
            const refs = spec(get(name).es).data.filter((d) => d.secretKey.startsWith("mariadb_"));
            expect([name, refs]).toEqual([
                name,
                [
                    { secretKey: "mariadb_username", remoteRef: { key: appDbUserArn, property: "username" } },
                    { secretKey: "mariadb_password", remoteRef: { key: appDbUserArn, property: "password" } },
                ],
            ]);
            expect(at(get(name).file, "mysql.username")).toBe(SAMPLE.mariadb_username);
            expect(at(get(name).file, "mysql.password")).toBe(SAMPLE.mariadb_password);
            // No config file reads the master's secret.
            expect(JSON.stringify(spec(get(name).es).data)).not.toContain(masterArn);
        }
    });

    it(`keeps the application user's password in Secrets Manager as {username, password}, generated, only as a Pulumi secret${stack === "prod" ? ", protected" : ""}`, () => {
        const password = resource(run, "random:index/randomPassword:RandomPassword", "iam-app-db-user-password");
        const secret = resource(run, "aws:secretsmanager/secret:Secret", "iam-app-db-user-secret");
        const version = resource(run, "aws:secretsmanager/secretVersion:SecretVersion", "iam-app-db-user-version");
        expect(password.inputs).toMatchObject({ length: 32, special: false });
        expect([password.protect, secret.protect]).toEqual([stack === "prod", stack === "prod"]);
        expect(version.secretPaths).toContain("secretString");
        expect(version.propertyDependencies.secretString).toEqual([password.urn]);
        // The schema Job's Secret carries the same password, as a Pulumi secret; no ConfigMap is built from it.
        const jobSecret = resource(run, "kubernetes:core/v1:Secret", "iam-schema-app-db-password");
        expect([jobSecret.secretPaths, jobSecret.propertyDependencies.stringData]).toEqual([["stringData"], [password.urn]]);
        const fromPassword = ofType(run, "kubernetes:core/v1:ConfigMap").filter((c) => Object.values(c.propertyDependencies).some((deps) => deps.includes(password.urn)));
        expect(fromPassword.map((c) => c.name)).toEqual([]);
    });

    it(`keeps the JWT signing key in Secrets Manager, generated, only as a Pulumi secret${stack === "prod" ? ", protected" : ""}`, () => {
        const key = resource(run, "random:index/randomPassword:RandomPassword", "iam-jwt-key-value");
        const secret = resource(run, "aws:secretsmanager/secret:Secret", "iam-jwt-key-secret");
        const version = resource(run, "aws:secretsmanager/secretVersion:SecretVersion", "iam-jwt-key-version");
        expect(key.inputs).toMatchObject({ length: 32, special: false });
        expect([key.protect, secret.protect]).toEqual([stack === "prod", stack === "prod"]);
        expect(version.secretPaths).toContain("secretString");
        expect(run.outputs.jwtSigningKeySecretArn.value).toEqual(expect.stringContaining(":secretsmanager:"));
    });

    it("speaks to each store as the store requires: Redis TLS, DocumentDB TLS with the RDS CA and no option mgo refuses, MariaDB as host:port", () => {
        const endpoints = run.outputs.dataStoreEndpoints.value as Record<string, { host: string; port: number }>;
        const redisGroup = ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup")[0];
        // iam-pump and iam-watcher speak plain TCP to their TLS proxy on localhost (app/redisTlsProxy.test.ts).
        for (const service of run.config.services.filter((s) => s.stores.includes("redis") && !["iam-pump", "iam-watcher"].includes(s.name))) {
            expect(at(get(service.name).file, "redis")).toMatchObject({ "use-ssl": redisGroup.inputs.transitEncryptionMode === "required", "ssl-insecure-skip-verify": false });
        }
        const meta = at(get("iam-pump").file, "pumps.mongo.meta") as Record<string, unknown>;
        expect(meta).toMatchObject({ mongo_use_ssl: true, mongo_ssl_ca_file: "/etc/ssl/aws-rds/global-bundle.pem", mongo_db_type: IAM_CONTRACT.mongoDbTypes.AWSDocumentDB });
        // The file (which every binary logs whole at start) has no credentials; the pump takes the URL with them
        // from its env (MONGO_URL_ENV), rendered into the same Secret.
        const inFile = new URL(String(meta.mongo_url));
        expect([inFile.username, inFile.password]).toEqual(["", ""]);
        const url = new URL(execute(spec(get("iam-pump").es).target.template.data[MONGO_URL_ENV], SAMPLE));
        expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual([SAMPLE.mongodb_username, SAMPLE.mongodb_password]);
        expect(`${url.host}${url.pathname}${url.search}`).toBe(`${inFile.host}${inFile.pathname}${inFile.search}`);
        const pump = ofType(run, DEPLOYMENT).find((d) => metaName(d) === "iam-pump") as ResourceRecord;
        const container = (pump.inputs.spec as { template: { spec: { containers: { name: string; env?: unknown[] }[] } } }).template.spec.containers[0];
        expect(container.env).toContainEqual({ name: MONGO_URL_ENV, valueFrom: { secretKeyRef: { name: configSecretName("iam-pump"), key: MONGO_URL_ENV } } });
        expect(url.host).toBe(`${endpoints.mongodb.host}:${endpoints.mongodb.port}`);
        expect([...url.searchParams.keys()].filter((k) => !MGO_URL_OPTIONS.includes(k))).toEqual([]);
        expect(url.searchParams.get("authSource")).toBe("admin");
        expect(at(get("iam-pump").file, "pumps.csv")).toEqual({ type: "dummy" });
        for (const name of ["iam-apiserver", "iam-watcher"]) {
            expect(at(get(name).file, "mysql.host")).toBe(`${endpoints.mariadb.host}:${endpoints.mariadb.port}`);
        }
        // The DSN cannot ask for TLS, so MariaDB must not require it.
        const params = ofType(run, "aws:rds/parameterGroup:ParameterGroup").flatMap((g) => g.inputs.parameters as { name: string; value: string }[]);
        expect(params.find((p) => p.name === "require_secure_transport")?.value).toBe(IAM_CONTRACT.mysqlDsn.tls ? "1" : "0");
        // The exception is in the render's report, where a reviewer reads it.
        expect(storeTransports(run).find((row) => row.startsWith("| mariadb |"))).toMatch(/^\| mariadb \| managed \| no \| no \| \*\*plain, by exception\*\*: pkg\/db\/mysql.go/);
    });
});

describe("the renderer refuses a key the binary does not read", () => {
    const stores: Record<string, StoreAddress> = {
        mariadb: { mode: "managed", host: "db.internal", port: 3306, tls: false, trust: "rdsCaBundle", database: "iam" },
        redis: { mode: "managed", host: "redis.internal", port: 6379, tls: true, trust: "systemRoots" },
    };
    const service = {
        name: "iam-watcher",
        ports: [{ name: "health", port: 5050 }],
        stores: ["mariadb", "redis"] as ("mariadb" | "redis")[],
        health: { path: "/healthz", port: "health" },
    };

    it("renders the watcher's file, then fails on the same tree with one bogus key", () => {
        const { binary, tree } = configTree({ service, stores });
        expect(() => renderTree(binary, tree)).not.toThrow();
        expect(() => renderTree(binary, { ...tree, mysql: { ...(tree.mysql as object), "use-tls": true } })).toThrow(
            "iam-watcher: mysql.use-tls is not an option of iam-watcher v1.6.3 (app/iamContract.v1.6.3.json)",
        );
        expect(() => renderTree(binary, { ...tree, rpcserver: "x:1" })).toThrow("rpcserver is not an option of iam-watcher");
    });

    it("refuses MariaDB with TLS: the binaries' DSN cannot ask for it", () => {
        expect(() => renderConfigFile({ service, stores: { ...stores, mariadb: { ...stores.mariadb, tls: true } } })).toThrow(/cannot speak it/);
    });

    it("writes each secret as a template expression, never as text", () => {
        const rendered = renderConfigFile({ service, stores });
        expect(rendered.secretKeys).toEqual(["mariadb_username", "mariadb_password", "redis_password"]);
        expect(rendered.tree.redis).toMatchObject({ password: new TemplateValue(".redis_password | toJson") });
        expect(rendered.template).toContain("password: {{ .redis_password | toJson }}");
        expect(() => renderTree("iam-watcher", { log: { name: "{{ oops }}" } })).toThrow(/outside a secret/);
    });
});

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DataStore } from "../network/accessMatrixPlan";
import type { StoreEndpoint } from "../data/storeEndpoint";
import type { ServiceSpec } from "../workloads/schema";
import { renderConfigFile, SECRET_SOURCES, SecretSource, secretEnvTemplates, secretKeysIn, StoreAddress } from "./configFile";
import { configFileKey, configSecretName } from "./mounts";
import { haproxyConfig, needsRedisTlsProxy, proxiedRedisAddress, REDIS_TLS_PROXY, redisTlsProxyConfigMapName } from "./redisTlsProxy";

/** Pulumi waits for the ExternalSecret's Ready condition: the Secret exists (the config file rendered) before the Deployment rolls. */
const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" };

export interface AppConfigArgs {
    /** The catalog: one config file per service. */
    services: readonly ServiceSpec[];
    /** The application namespace: the config Secrets are written there. */
    namespace: pulumi.Input<string>;
    /** `DataTier.endpoints`: where each store is and which secret holds its credentials. */
    endpoints: Partial<Record<DataStore, StoreEndpoint>>;
    /** The JWT signing key's secret (`JwtSigningKey.secretArn`). */
    jwtSecretArn: pulumi.Input<string>;
    /** The MariaDB application user's secret (`AppDbUser.secretArn`): `mysql.username`/`password`; required when a service uses MariaDB. */
    appDbUserSecretArn?: pulumi.Input<string>;
    /** iam-authz-server's `rpcserver`: `<apiserver in-cluster Service>.<namespace>.svc:<grpc port>`. */
    rpcServer: string;
    /** The SecretStore the ExternalSecrets read through (`StoreCredentials`'), and how often. */
    secretStoreName: string;
    refreshInterval: string;
    /**
     * What the ExternalSecrets wait for: the StoreCredentials component (the
     * SecretStore, the controller and its read policy, which must include
     * `jwtSecretArn` and `appDbUserSecretArn`).
     */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /**
     * What the config files that log in to MariaDB (`mysql.username`/`password`)
     * also wait for: the schema Job, which creates the application user and
     * sets its password. Otherwise a changed ExternalSecret could render a file
     * with a user the database does not have yet, and iam-apiserver v1.6.3
     * ignores the failed login at start (internal/apiserver/server.go:
     * `storeIns, _ := mysql.GetMySQLFactoryOr(...)`) and stays Ready, broken.
     */
    databaseReady?: pulumi.Resource[];
}

/**
 * Each IAM binary's config file as a Kubernetes Secret (`<name>-config`,
 * key `<name>.yaml`), never a ConfigMap: an External Secrets `ExternalSecret`
 * whose template (engine v2) is the file `renderConfigFile` renders, with
 * the database password (the application user's, app/appDbUser.ts), the Redis token, the Mongo URL's credentials and
 * the JWT key filled in from Secrets Manager at sync time. A rotated
 * password rewrites the Secret within `refreshInterval`; Reloader then
 * restarts the pods (workloads/: the Deployment's reload annotation names
 * the Secret). No secret value passes through Pulumi here.
 */
export class AppConfig extends pulumi.ComponentResource {
    /** The ExternalSecrets, by service name: a Deployment waits for its own. */
    readonly configSecrets: Record<string, pulumi.Resource>;
    /** The Redis TLS proxies' ConfigMaps (app/redisTlsProxy.ts), by service name: only services that get the proxy. */
    readonly redisTlsProxyConfigs: Record<string, k8s.core.v1.ConfigMap>;

    constructor(name: string, args: AppConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:app:AppConfig", name, {}, opts);
        const sourceArn = (from: SecretSource): pulumi.Input<string> => {
            if (from === "jwt") return args.jwtSecretArn;
            if (from === "mariadbApp") {
                if (args.appDbUserSecretArn === undefined) throw new Error(`${name}: a config file reads the MariaDB application user, but no appDbUserSecretArn was given`);
                return args.appDbUserSecretArn;
            }
            const endpoint = args.endpoints[from];
            if (!endpoint) throw new Error(`${name}: a config file reads ${from}'s credentials, but no ${from} endpoint was given`);
            return endpoint.credentialsSecretArn;
        };
        this.configSecrets = {};
        this.redisTlsProxyConfigs = {};
        for (const service of args.services) {
            const used = service.stores.map((store) => {
                const endpoint = args.endpoints[store];
                if (!endpoint) throw new Error(`${service.name} uses ${store}, but no ${store} endpoint was given`);
                return endpoint;
            });
            // iam-pump and iam-watcher reach a TLS Redis through their proxy sidecar (app/redisTlsProxy.ts).
            const proxied = needsRedisTlsProxy(service.name, args.endpoints.redis);
            const address = (e: StoreEndpoint, host: string): StoreAddress => {
                const a = { mode: e.mode, host, port: e.port, tls: e.tls, trust: e.trust, database: e.database };
                return proxied && e.store === "redis" ? proxiedRedisAddress(a) : a;
            };
            const addresses = (hosts: readonly string[]): Partial<Record<DataStore, StoreAddress>> => Object.fromEntries(used.map((e, i) => [e.store, address(e, hosts[i])]));
            const render = (hosts: readonly string[]) =>
                renderConfigFile({ service, stores: addresses(hosts), rpcServer: service.name === "iam-authz-server" ? args.rpcServer : undefined });
            // Rendered once now, with the hosts not yet known: every rule is checked
            // here (nothing throws inside the apply below) and the secret keys the
            // file reads do not depend on the hosts.
            const invalid = used.map((e) => `${e.store}.invalid`);
            const env = (hosts: readonly string[]) => secretEnvTemplates({ service, stores: addresses(hosts) });
            const secretKeys = [...new Set([...render(invalid).secretKeys, ...secretKeysIn(Object.values(env(invalid)))])];
            const hosts = pulumi.all(used.map((e) => e.host));
            const template = hosts.apply((h) => render(h).template);
            // Each env value the binary takes from this Secret (the pump's Mongo URL with its credentials).
            const envTemplates = Object.fromEntries(Object.keys(env(invalid)).map((key) => [key, hosts.apply((h) => env(h)[key])]));
            const secretName = configSecretName(service.name);
            const labels = {
                "app.kubernetes.io/name": service.name,
                "app.kubernetes.io/component": "config",
                "app.kubernetes.io/part-of": "iam",
                "app.kubernetes.io/managed-by": "pulumi",
            };
            // A file with the database user waits for the schema Job too (`databaseReady`).
            const { databaseReady } = args;
            const dependsOn = secretKeys.some((key) => SECRET_SOURCES[key].from === "mariadbApp") ? [...args.dependsOn, ...(databaseReady ?? [])] : args.dependsOn;
            this.configSecrets[service.name] = new k8s.apiextensions.CustomResource(
                `${name}-${service.name}`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    metadata: { name: secretName, namespace: args.namespace, labels, annotations: WAIT_FOR_READY },
                    spec: {
                        refreshInterval: args.refreshInterval,
                        secretStoreRef: { kind: "SecretStore", name: args.secretStoreName },
                        target: {
                            name: secretName,
                            // The Secret belongs to the ExternalSecret: deleting one deletes the other.
                            creationPolicy: "Owner",
                            template: {
                                engineVersion: "v2",
                                type: "Opaque",
                                metadata: { labels },
                                data: { [configFileKey(service.name)]: template, ...envTemplates },
                            },
                        },
                        data: secretKeys.map((key) => ({
                            secretKey: key,
                            remoteRef: { key: sourceArn(SECRET_SOURCES[key].from), property: SECRET_SOURCES[key].property },
                        })),
                    },
                },
                { parent: this, dependsOn },
            );
            const redis = args.endpoints.redis;
            if (proxied && redis) {
                this.redisTlsProxyConfigs[service.name] = new k8s.core.v1.ConfigMap(
                    `${name}-${service.name}-redis-tls-proxy`,
                    {
                        metadata: {
                            name: redisTlsProxyConfigMapName(service.name),
                            namespace: args.namespace,
                            labels: { ...labels, "app.kubernetes.io/component": "redis-tls-proxy" },
                        },
                        data: { [REDIS_TLS_PROXY.configKey]: redis.host.apply((host) => haproxyConfig(host, redis.port)) },
                    },
                    { parent: this },
                );
            }
        }
        this.registerOutputs({});
    }
}

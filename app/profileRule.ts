/**
 * Pure. The IAM application profile's rule over the stack config (no keys of
 * its own): every service is a binary of the pinned release whose config
 * file can be rendered, its env keys are options the binary reads, no store
 * it uses requires a transport its client cannot speak, and its image tag is
 * a known release (a warning: forks have tags of their own).
 */
import { report, RefineContext } from "../lib/configSchema";
import type { SchemaContext } from "../lib/environment";
import type { DataStore } from "../network/accessMatrixPlan";
import { IAM_RELEASES, PINNED_RELEASE } from "./catalog";
import { configFileProblems } from "./configFile";
import { envOption, IAM_CONTRACT, isIamBinary } from "./iamContract";

/**
 * Options the config file sets from the stack's own wiring (binds, stores,
 * certificates, secrets): an env variable would silently override them
 * (viper: env beats the file), so `workload.env` may not set them.
 */
export const WIRED_OPTIONS = /^(insecure|secure|grpc|mysql|redis|jwt|pumps)\.|^(rpcserver|client-ca-file|health-check-address|health-check-path)$/;

interface ServiceView {
    name: string;
    ports: ReadonlyArray<{ name: string; port: number }>;
    health: { path: string; port: string };
    stores: readonly DataStore[];
    image: { tag: string };
    workload: { env: Readonly<Record<string, string>> };
}

interface StoreView {
    mode: "managed" | "external";
    requireTls?: boolean;
    tls?: boolean;
}

/** Whether the store, as configured, refuses clients without TLS. */
export function requiresTls(store: StoreView): boolean {
    return store.mode === "managed" ? store.requireTls === true : store.tls === true;
}

/** The stores' clients in the binaries: whether each can speak TLS at the pinned release. */
export const CLIENT_TLS: Record<DataStore, { tls: boolean; why: string }> = {
    mariadb: { tls: IAM_CONTRACT.mysqlDsn.tls, why: `pkg/db/mysql.go builds the DSN ${IAM_CONTRACT.mysqlDsn.format}, with no tls parameter` },
    redis: { tls: true, why: "redis.use-ssl" },
    mongodb: { tls: true, why: "pumps.mongo.meta.mongo_use_ssl" },
};

/** The root rule (config.ts ROOT_RULES): reads `services` and `dataStores`. */
export function appProfileRule(
    root: { services: readonly ServiceView[]; dataStores: Partial<Record<DataStore, StoreView>> },
    c: RefineContext,
    ctx: Pick<SchemaContext, "warn">,
): void {
    const known = new Set(IAM_RELEASES.map((r) => r.tag));
    root.services.forEach((service, i) => {
        for (const problem of configFileProblems(service)) {
            report(c, ["services", i], `(${service.name}) ${problem}`);
        }
        if (!isIamBinary(service.name)) return;
        for (const key of Object.keys(service.workload.env)) {
            const option = envOption(service.name, key);
            if (option === undefined) {
                report(
                    c,
                    ["services", i, "workload", "env", key],
                    `is read by no ${service.name} option (${PINNED_RELEASE}): the binary reads only ${IAM_CONTRACT.binaries[service.name].envPrefix}<OPTION> variables, e.g. ${IAM_CONTRACT.binaries[service.name].envPrefix}LOG_LEVEL for log.level`,
                );
            } else if (WIRED_OPTIONS.test(option)) {
                report(
                    c,
                    ["services", i, "workload", "env", key],
                    `would override ${option}, which the config file sets from the stack (docs/workloads.md): change the stack's config instead`,
                );
            }
        }
        service.stores.forEach((store, j) => {
            const configured = root.dataStores[store];
            if (configured && requiresTls(configured) && !CLIENT_TLS[store].tls) {
                const key = configured.mode === "managed" ? "requireTls" : "tls";
                report(
                    c,
                    ["dataStores", store, key],
                    `must be false while ${service.name} uses ${store} (services[${i}].stores[${j}]): its client cannot speak TLS (${CLIENT_TLS[store].why}; docs/data.md)`,
                );
            }
        });
        if (!known.has(service.image.tag) && !service.image.tag.startsWith("sha256:")) {
            ctx.warn(
                `services[${i}].image.tag`,
                `(${service.image.tag}) is not a release of marmotedu/iam (app/catalog.ts, as of ${IAM_RELEASES[IAM_RELEASES.length - 1].date}: ${PINNED_RELEASE} is the latest); the config files follow the ${PINNED_RELEASE} contract`,
            );
        }
    });
}

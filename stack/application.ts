/**
 * The application's wiring (app/): the internal TLS, the schema Job with
 * the IAM admin's password and the application's database user, then each
 * binary's config file (the ones that log in to MariaDB wait for the Job,
 * which creates that user). The JWT key and the user's password are wired
 * with the data area (stack/data.ts): the store credentials' reader reads them.
 */
import { AppConfig } from "../app/appConfig";
import { deployApplication, type Application } from "../app/application";
import { apiserverGrpcAddress } from "../app/configFile";
import { SECRET_STORE_NAME } from "../data/storeCredentials";
import { clockNow } from "../lib/clock";
import type { NetworkPolicies } from "../workloads/networkPolicies";
import { workloadNames } from "../workloads/workloadSpec";
import type { ClusterWiring } from "./cluster";
import type { DeployInputs, StackContext } from "./context";
import type { DataWiring } from "./data";

/** What the application takes from the root and the areas before it. */
export interface ApplicationHandOff {
    /** The deploy-time inputs: "now", which the internal certificates' renewal warnings compare with. */
    readonly inputs: Pick<DeployInputs, "now">;
    /** The cluster's providers and Karpenter's NodePools (the schema Job waits for a node). */
    readonly cluster: ClusterWiring;
    /** The namespace and MariaDB's credentials (the schema Job waits for them). */
    readonly data: DataWiring;
    /** The NetworkPolicies that let the schema Job reach MariaDB (it waits for them). */
    readonly networkPolicies: NetworkPolicies;
}

/** The application's pieces: what each service waits for (`waitsFor`), the schema Job, and the config files. */
export interface ApplicationWiring extends Application {
    /** Each binary's config file Secret, when stores are used: each service's pods wait for their own. */
    readonly appConfig: AppConfig | undefined;
}

/** Wires the internal TLS, the schema Job and the config files. */
export function wireApplication(
    { name, config }: StackContext,
    { inputs, cluster: { providers, karpenter }, data: { data, appNamespace, storeCredentials, appDbUser, jwtKey }, networkPolicies }: ApplicationHandOff,
): ApplicationWiring {
    // The internal TLS (a CA per stack, a certificate per TLS server naming its
    // Service) and the schema Job (after MariaDB's credentials and the
    // NetworkPolicies that let it reach MariaDB; it creates the application user);
    // the apiserver and the watcher wait for the Job.
    const application = deployApplication(
        name,
        {
            config: config.application,
            stack: config.stack,
            environment: config.environment,
            protect: config.protect,
            now: inputs.now ?? clockNow(),
            namespace: appNamespace.name,
            namespaceName: config.workloads.namespace,
            services: config.services.map((s) => ({ name: s.name, serviceName: workloadNames(s).clusterService })),
            appDbUser,
            schemaJobDependsOn: storeCredentials?.connections.mariadb ? [networkPolicies, storeCredentials, ...(karpenter ? karpenter.nodePools : [])] : undefined,
        },
        { providers },
    );
    // Each binary's config file, rendered into a Secret by External Secrets (app/appConfig.ts); the files
    // with the database user wait for the schema Job, which creates that user.
    const apiserver = config.services.find((s) => s.name === "iam-apiserver");
    const appConfig =
        storeCredentials &&
        new AppConfig(
            `${name}-app-config`,
            {
                services: config.services,
                namespace: appNamespace.name,
                endpoints: data.endpoints,
                jwtSecretArn: jwtKey.secretArn,
                appDbUserSecretArn: appDbUser?.secretArn,
                rpcServer: apiserver ? apiserverGrpcAddress(apiserver, workloadNames(apiserver).clusterService, config.workloads.namespace) : "",
                secretStoreName: SECRET_STORE_NAME,
                refreshInterval: config.dataStores.credentialsSync.refreshInterval,
                dependsOn: [storeCredentials],
                databaseReady: application.schemaJob ? [application.schemaJob.job] : [],
            },
            { providers },
        );
    return { ...application, appConfig };
}

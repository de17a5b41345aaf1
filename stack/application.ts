/**
 * The application's wiring (app/): the internal TLS and the schema Job with
 * the IAM admin's password. The JWT key and the config files are wired with
 * the data area (stack/data.ts): External Secrets syncs them with the stores'
 * credentials.
 */
import { deployApplication, type Application } from "../app/application";
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

/** Wires the internal TLS and the schema Job; returns what each service's pods wait for (`waitsFor`). */
export function wireApplication(
    { name, config }: StackContext,
    { inputs, cluster: { providers, karpenter }, data: { appNamespace, storeCredentials, appDbUser, schemaJobReady }, networkPolicies }: ApplicationHandOff,
): Application {
    // The internal TLS (a CA per stack, a certificate per TLS server naming its
    // Service) and the schema Job (after MariaDB's credentials and the
    // NetworkPolicies that let it reach MariaDB; it creates the application user);
    // the apiserver and the watcher wait for the Job.
    let application: Application | undefined;
    try {
        application = deployApplication(
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
    } finally {
        // The config files with the database user wait for the Job (it creates the user); released even when this failed.
        schemaJobReady(application?.schemaJob ? [application.schemaJob.job] : []);
    }
    return application;
}

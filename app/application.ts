import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../lib/environment";
import type { AppDbUser } from "./appDbUser";
import { InternalTls } from "./internalTls";
import { TLS_SERVERS, TlsServer } from "./paths";
import type { ApplicationConfig } from "./schema";
import { SchemaJob } from "./schemaJob";

/** The binaries that log in to MariaDB as the application user (their config files' `mysql`, app/configFile.ts): they wait for the schema Job. */
export const APP_DB_USER_SERVICES = ["iam-apiserver", "iam-watcher"] as const;

/** The IAM application's own pieces for the composition root: what to build them from. */
export interface ApplicationArgs {
    config: ApplicationConfig;
    stack: string;
    environment: Environment;
    /** True in prod: the admin password and its secret are protected. */
    protect: boolean;
    /** The application namespace (`AppNamespace.name`) and its configured name (`workloads.namespace`, part of the certificates' DNS names). */
    namespace: pulumi.Input<string>;
    namespaceName: string;
    /** Every catalog service with the in-cluster Service name clients dial it by; the TLS servers (app/paths.ts) among them get a certificate. */
    services: readonly { name: string; serviceName: string }[];
    /**
     * What the schema Job waits for (MariaDB's ConfigMap and ExternalSecret,
     * the NetworkPolicies, a NodePool), or undefined when no service uses
     * MariaDB: then there is no schema Job.
     */
    schemaJobDependsOn?: pulumi.Resource[];
    /** The application user the schema Job creates (app/appDbUser.ts): required with `schemaJobDependsOn`. */
    appDbUser?: AppDbUser;
    /** "Now" of the run (lib/clock.ts), for the certificates' warnings. */
    now: Date;
}

export interface Application {
    internalTls?: InternalTls;
    schemaJob?: SchemaJob;
    /** What a service's Deployment waits for: a TLS server its Secrets, the binaries that log in as the application user the schema Job. */
    waitsFor(service: string): pulumi.Resource[];
}

/**
 * Creates the internal TLS (`iam-internal-tls`, when the catalog has a TLS
 * server) and the schema Job (`iam-schema`, when a service uses MariaDB),
 * each a component at the stack's root (`<name>-internal-tls`,
 * `<name>-schema`). Needs the `aws` and `kubernetes` providers in `opts`.
 */
export function deployApplication(name: string, args: ApplicationArgs, opts: pulumi.ComponentResourceOptions): Application {
    const servers = args.services.filter((s) => (TLS_SERVERS as readonly string[]).includes(s.name)).map((s) => ({ server: s.name as TlsServer, serviceName: s.serviceName }));
    const internalTls =
        servers.length > 0
            ? new InternalTls(
                  `${name}-internal-tls`,
                  { namespace: args.namespace, namespaceName: args.namespaceName, servers, config: args.config.tls, now: args.now, stack: args.stack },
                  opts,
              )
            : undefined;
    const { appDbUser } = args;
    if (args.schemaJobDependsOn && !appDbUser) throw new Error(`${name}: the schema Job needs the application user (appDbUser)`);
    const schemaJob =
        args.schemaJobDependsOn && appDbUser
            ? new SchemaJob(
                  `${name}-schema`,
                  {
                      namespace: args.namespace,
                      config: args.config.schemaJob,
                      environment: args.environment,
                      protect: args.protect,
                      appDbUser,
                      dependsOn: args.schemaJobDependsOn,
                  },
                  opts,
              )
            : undefined;
    return {
        internalTls,
        schemaJob,
        waitsFor: (service) => [
            ...(internalTls && servers.some((s) => s.server === service) ? [internalTls] : []),
            // They log in as the user the Job creates (and whose password it sets).
            ...(schemaJob && (APP_DB_USER_SERVICES as readonly string[]).includes(service) ? [schemaJob.job] : []),
        ],
    };
}

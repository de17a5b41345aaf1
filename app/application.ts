import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../lib/environment";
import { InternalTls } from "./internalTls";
import { TLS_SERVERS, TlsServer } from "./paths";
import type { ApplicationConfig } from "./schema";
import { SchemaJob } from "./schemaJob";

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
    /** "Now" of the run (lib/clock.ts), for the certificates' warnings. */
    now: Date;
}

export interface Application {
    internalTls?: InternalTls;
    schemaJob?: SchemaJob;
    /** What a service's Deployment waits for: a TLS server its Secrets, the apiserver the schema Job. */
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
    const schemaJob = args.schemaJobDependsOn
        ? new SchemaJob(
              `${name}-schema`,
              { namespace: args.namespace, config: args.config.schemaJob, environment: args.environment, protect: args.protect, dependsOn: args.schemaJobDependsOn },
              opts,
          )
        : undefined;
    return {
        internalTls,
        schemaJob,
        waitsFor: (service) => [
            ...(internalTls && servers.some((s) => s.server === service) ? [internalTls] : []),
            ...(schemaJob && service === "iam-apiserver" ? [schemaJob.job] : []),
        ],
    };
}

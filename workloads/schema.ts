/**
 * The service catalog (`services`) and the `workloads` section, declared
 * once. The catalog is data: every service deployed, its ports, health,
 * exposure, stores and calls; the `workload:` block is workloadSchema.ts.
 */
import { z } from "zod";
import { matching, parsedCleanly, RefineContext, report, reportDuplicates, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { DATA_STORES } from "../network/accessMatrixPlan";
import { STORE_CONNECTIONS } from "../data/storeConnection";
import { WORKLOADS_DEFAULTS } from "./defaults";
import { ServiceKind, workloadSchema } from "./workloadSchema";

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/;
const HOST_NAME = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HEALTH_PATH = /^\/[A-Za-z0-9/_.~-]*$/;
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * The full host name of a public host: `host` is either the label(s) in front
 * of the domain (`iam.api` serves `iam.api.<domain>`) or already a full name
 * under it (`iam.api.example.com`), never both (`iam.api.example.com.example.com`).
 */
export function publicFqdn(host: string, domain: string): string {
    return domain === "" || host === domain || host.endsWith(`.${domain}`) ? host : `${host}.${domain}`;
}

/** Why `host` cannot be a public host under `domain`, or undefined. */
function hostProblem(host: string, domain: string): string | undefined {
    if (domain === "" || host === domain || host.endsWith(`.${domain}`)) {
        return undefined;
    }
    const parent = domain.split(".").slice(-2).join(".");
    if (host === parent || host.endsWith(`.${parent}`)) {
        const labels = host.slice(0, -(parent.length + 1));
        return `(${host}) looks like a full host name but is not under the domain ${domain}: write the label(s) in front of the domain (${labels || "iam.api"}) or a full name ending in .${domain}`;
    }
    const fqdn = `${host}.${domain}`;
    return fqdn.length > 253 ? `makes a host name longer than 253 characters: ${fqdn}` : undefined;
}

const port = z.strictObject({
    name: matching(PORT_NAME, "an IANA port name (lowercase, <= 15 characters)").meta({
        description: "IANA service name (lowercase, <= 15 characters), unique within the service.",
    }),
    port: wholeNumber(1, 65535).meta({ description: "The container port." }),
});

function serviceSchema(kind: ServiceKind, ctx: SchemaContext) {
    const common = {
        name: matching(DNS_LABEL, "a DNS label (lowercase letters, digits, '-')")
            .max(40, { error: (i) => `must be at most 40 characters (it prefixes Kubernetes and AWS names), got ${String(i.input).length}` })
            .meta({ description: "DNS label, <= 40 characters; names the ECR repository and every Kubernetes object. Renaming replaces them." }),
        kind: z.literal(kind).meta({ description: "`http` serves requests; `worker` consumes work and has no Service." }),
        image: z
            .strictObject({
                repository: matching(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, "an ECR repository name")
                    .optional()
                    .meta({ description: "ECR repository name; default: the service name. Unique across the catalog, and one of the registry project's repositories." }),
                tag: z
                    .string()
                    .superRefine((tag, c) => {
                        if (tag === "latest") {
                            report(c, [], "must not be `latest`: pin a release tag or a sha256 digest so a deploy is repeatable");
                        } else if (!TAG.test(tag) && !DIGEST.test(tag)) {
                            report(c, [], `must be an image tag or a sha256:<64 hex> digest, got ${JSON.stringify(tag)}`);
                        }
                    })
                    .meta({ description: "A release tag or a sha256: digest; never `latest` (deploys must be repeatable)." }),
            })
            .meta({ description: "The container image." }),
        ports: z
            .array(port)
            .min(1)
            .superRefine((ports, c) => {
                reportDuplicates(
                    c,
                    ports,
                    (p) => p.name,
                    (i) => [i, "name"],
                    "port name",
                    (i) => `ports[${i}].name`,
                );
                reportDuplicates(
                    c,
                    ports,
                    (p) => String(p.port),
                    (i) => [i, "port"],
                    "port",
                    (i) => `ports[${i}].port`,
                );
            })
            .meta({ description: "The container ports; probes and Services may use only these." }),
        health: z
            .strictObject({
                path: matching(HEALTH_PATH, "an absolute URL path like /healthz").meta({ description: "The HTTP health check path." }),
                port: z.string().meta({ description: "The declared port (by name) the probes use; for a public service, its public port." }),
            })
            .meta({ description: "Liveness, readiness and load-balancer health check." }),
        stores: z
            .array(z.enum(DATA_STORES))
            .default([])
            .superRefine((stores, c) =>
                reportDuplicates(
                    c,
                    stores,
                    (s) => s,
                    (i) => [i],
                    "store",
                    (i) => `stores[${i}]`,
                ),
            )
            .meta({ description: `Data stores this service connects to (${DATA_STORES.join(", ")}): drives NetworkPolicy egress and credentials.` }),
        calls: z
            .array(
                z.strictObject({
                    service: z.string().meta({ description: "A service of the catalog, kind http: a worker has no Service and takes no calls (refused)." }),
                    port: z.string().meta({ description: "Port name on the called service." }),
                }),
            )
            .default([])
            .meta({ description: "In-cluster calls to other services of the catalog (e.g. authz-server -> apiserver grpc)." }),
        workload: workloadSchema(kind, ctx.environment).meta({ description: "Replicas, autoscaling, resources, rollout, shutdown, Pod Identity role, env, user." }),
    };
    const publicEndpoint = z
        .strictObject({
            host: matching(HOST_NAME, "host label(s) in front of the domain, like iam.api")
                .superRefine((host, c) => {
                    const problem = hostProblem(host, ctx.domain);
                    if (problem) report(c, [], problem);
                })
                .meta({ description: "Label(s) in front of the domain (`iam.api` serves iam.api.<domain>), or a full name under the domain." }),
            port: z.string().meta({
                description:
                    "The declared port (by name) the load balancer forwards to: its target group registers the pods' IPs on this container port (IP targets through the AWS Load Balancer Controller's TargetGroupBinding; no NodePort).",
            }),
            // Released and then retired (IP targets): still recognised, so writing it gets a clear error, not "not a known key".
            // An error, not a warning: a stale value must not make anyone believe a NodePort is still open.
            nodePort: z
                .never({
                    error: "is no longer used: the load balancer reaches the pods directly (IP targets registered by the AWS Load Balancer Controller, docs/edge.md); delete the key",
                })
                .optional()
                .meta({ description: "Retired with the instance targets: delete it." }),
        })
        .transform(({ nodePort: _retired, ...p }) => ({ ...p, fqdn: publicFqdn(p.host, ctx.domain) }));
    const shape =
        kind === "http"
            ? z.strictObject({ ...common, public: publicEndpoint.optional().meta({ description: "How the service is exposed on the load balancer; absent: in-cluster only." }) })
            : z.strictObject({ ...common, public: z.never({ error: "is not allowed on a worker: workers serve no traffic" }).optional() });
    return shape
        .superRefine(
            (s, c) => {
                const declared = (portName: string, path: PropertyKey[]): void => {
                    if (parsedCleanly(c, path) && !s.ports.some((p) => p.name === portName)) {
                        report(c, path, `names port ${JSON.stringify(portName)}, which ${s.name} does not declare (declared: ${s.ports.map((p) => p.name).join(", ")})`);
                    }
                };
                if (s.health && typeof s.health.port === "string") declared(s.health.port, ["health", "port"]);
                const endpoint = s.public as { port?: unknown } | undefined;
                if (endpoint && typeof endpoint.port === "string") declared(endpoint.port, ["public", "port"]);
            },
            { when: whenValid("name", "ports") },
        )
        .superRefine(
            (s, c) => {
                const storeKeys = new Set(s.stores.flatMap((store) => [...STORE_CONNECTIONS[store].configKeys, ...STORE_CONNECTIONS[store].secretKeys]));
                for (const key of Object.keys(s.workload.env)) {
                    if (storeKeys.has(key)) {
                        report(c, ["workload", "env", key], "is set by the data tier's connection ConfigMap/Secret and must not be overridden here");
                    }
                }
            },
            { when: whenValid("stores", "workload.env") },
        )
        .transform(({ image, ...s }) => ({ ...s, image: { repository: image.repository ?? s.name, tag: image.tag } }));
}

/** The service catalog for an environment and domain. */
export function servicesSchema(ctx: SchemaContext) {
    return z
        .array(z.discriminatedUnion("kind", [serviceSchema("http", ctx), serviceSchema("worker", ctx)]))
        .min(1)
        .superRefine(
            (services, c) => {
                const at = (i: number, key: string): string => `services[${i}].${key}`;
                const clean = (i: number, key: string): boolean => parsedCleanly(c, [i, ...key.split(".")]);
                reportDuplicates(
                    c,
                    services,
                    (s) => (clean(services.indexOf(s), "name") ? s.name : ""),
                    (i) => [i, "name"],
                    "service name",
                    (i) => at(i, "name"),
                );
                reportDuplicates(
                    c,
                    services,
                    (s) => (clean(services.indexOf(s), "image") && s.image?.repository ? s.image.repository : ""),
                    (i) => [i, "image", "repository"],
                    "repository",
                    (i) => at(i, "image.repository"),
                );
                reportDuplicates(
                    c,
                    services,
                    (s) => (clean(services.indexOf(s), "public") && s.public ? s.public.fqdn : ""),
                    (i) => [i, "public", "host"],
                    "host",
                    (i) => at(i, "public.host"),
                );
                services.forEach((service, i) => {
                    if (!clean(i, "calls")) return;
                    (service.calls ?? []).forEach((call, j) => {
                        const target = services.find((s) => s.name === call.service);
                        if (!target) {
                            report(c, [i, "calls", j, "service"], `names ${JSON.stringify(call.service)}, which is not in the catalog (${services.map((s) => s.name).join(", ")})`);
                        } else if (target.kind === "worker") {
                            // servicePlans (workloadSpec.ts) gives a worker no Service, and its NetworkPolicy admits no caller: the call could never connect.
                            report(
                                c,
                                [i, "calls", j, "service"],
                                `names ${target.name}, a worker: workers have no Service and take no calls (only kind: http services get a cluster Service for their called ports); remove the call or make ${target.name} kind: http`,
                            );
                        } else if (!Array.isArray(target.ports) || !target.ports.some((p) => p.name === call.port)) {
                            report(c, [i, "calls", j, "port"], `names port ${JSON.stringify(call.port)}, which ${target.name} does not declare`);
                        } else if (target.name === service.name) {
                            report(c, [i, "calls", j, "service"], "is the service itself");
                        }
                    });
                });
            },
            { when: (p) => Array.isArray(p.value) },
        )
        .meta({ description: "The service catalog: every service deployed, its ports, health, exposure, stores and calls." });
}

export type ServiceSpec = z.output<ReturnType<typeof servicesSchema>>[number];
export type PublicEndpoint = NonNullable<Extract<ServiceSpec, { kind: "http" }>["public"]>;

/** The top-level `workloads` section. */
export const workloadsSchema = z
    .strictObject({
        namespace: matching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lowercase letters, digits, '-', <= 63)")
            .refine((ns) => !RESERVED_NAMESPACES.includes(ns), {
                error: (i) => `must not be ${String(i.input)}: the workloads get a namespace of their own with Pod Security restricted enforced`,
            })
            .default(WORKLOADS_DEFAULTS.namespace)
            .meta({
                description: `The application namespace (default \`iam\`), a DNS label, not ${RESERVED_NAMESPACES.join(", ")}; Pod Security \`restricted\` is enforced in it.`,
            }),
    })
    .prefault({})
    .meta({ description: "Where the workloads run." });

export type WorkloadsConfig = z.output<typeof workloadsSchema>;

/**
 * Root rule: a draining target must not outlive the pods behind it. The load
 * balancer's deregistration delay must be shorter than each public service's
 * shutdown window (`terminationGracePeriodSeconds`, which contains the preStop
 * sleep: Kubernetes counts the grace period from the moment the hook starts).
 */
export function drainTimingsRule(root: { edge: { deregistrationDelaySeconds: number }; services: readonly ServiceSpec[] }, c: RefineContext): void {
    const delay = root.edge.deregistrationDelaySeconds;
    root.services.forEach((service, i) => {
        if (!service.public) return;
        const { preStopSleepSeconds, terminationGracePeriodSeconds } = service.workload.shutdown;
        if (delay >= terminationGracePeriodSeconds) {
            report(
                c,
                ["edge", "deregistrationDelaySeconds"],
                `(${delay}) must be shorter than services[${i}].workload.shutdown.terminationGracePeriodSeconds (${terminationGracePeriodSeconds}) of ${service.name}: ` +
                    `the pod's preStop sleep (${preStopSleepSeconds}) plus the grace after it must outlast the load balancer's draining`,
            );
        }
    });
}

/** The port number of a declared port name (validated to exist). */
export function portNumber(service: Pick<ServiceSpec, "name" | "ports">, portName: string): number {
    const found = service.ports.find((p) => p.name === portName);
    if (!found) {
        throw new Error(`${service.name} declares no port named ${portName}`);
    }
    return found.port;
}

/**
 * The container ports the load balancer reaches (each public service's public
 * port, by number), in catalog order without repeats: the access matrix's
 * `servicePorts`.
 */
export function publicServicePorts(services: readonly ServiceSpec[]): number[] {
    const ports = services.flatMap((s) => (s.public ? [portNumber(s, s.public.port)] : []));
    return ports.filter((port, i) => ports.indexOf(port) === i);
}

import { DATA_STORES, DataStore } from "../network/accessMatrixPlan";
import { Environment } from "../lib/defaults";
import { checkUnique, ConfigIssues, Fields, readString } from "../lib/reader";
import { readWorkload, WORKLOAD_KEYS, WorkloadConfig } from "./config";

/** A container port a service declares; probes and Services may use only these. */
export interface ServicePort {
    /** IANA service name (lowercase, <= 15 chars), unique within the service. */
    name: string;
    port: number;
}

/** How a service is exposed on the load balancer. */
export interface PublicEndpoint {
    /** Host label(s) in front of the stack's domain: `iam.api` serves `iam.api.<domain>`. */
    host: string;
    /** The full host name, `<host>.<domain>`. */
    fqdn: string;
    /**
     * The declared port (by name) the load balancer forwards to: its target
     * group registers the pods' IPs on this container port (IP targets, through
     * the AWS Load Balancer Controller's TargetGroupBinding; no NodePort).
     */
    port: string;
}

export interface ServiceCall {
    service: string;
    /** Port name on the called service. */
    port: string;
}

export interface ServiceSpec {
    /** DNS label, <= 40 characters; names the ECR repository and every Kubernetes object. */
    name: string;
    /** `http` serves requests; `worker` consumes work and has no Service. */
    kind: "http" | "worker";
    image: {
        /** ECR repository name; default: the service name. */
        repository: string;
        /** A release tag or a `sha256:` digest; never `latest` (deploys must be repeatable). */
        tag: string;
    };
    ports: ServicePort[];
    health: { path: string; port: string };
    public?: PublicEndpoint;
    /** Data stores this service connects to (drives NetworkPolicy egress and credentials). */
    stores: DataStore[];
    /** In-cluster calls to other services of the catalog (e.g. authz-server -> apiserver grpc). */
    calls: ServiceCall[];
    /** Workload settings (replicas, autoscaling, resources, rollout, shutdown, Pod Identity role, env): workloads/config.ts. */
    workload: WorkloadConfig;
}

export const SERVICE_KEYS = ["name", "kind", "image", "ports", "health", "public", "stores", "calls", "workload"] as const;

/** `public.nodePort` was released and then retired (IP targets): still recognised, so writing it gets a clear error. */
const RETIRED_NODE_PORT_KEY = "nodePort";
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/;
const HOST_PREFIX = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HEALTH_PATH = /^\/[A-Za-z0-9/_.~-]*$/;

export function readServices(f: Fields, key: string, domain: string, environment: Environment): ServiceSpec[] {
    const services = f.objectList(key, SERVICE_KEYS, (s) => readService(s, domain, environment), { minItems: 1 });
    const path = (i: number): string => `${f.at(key)}[${i}]`;
    checkUnique(services, (s) => s.name, (i) => `${path(i)}.name`, f.issues, "service name");
    checkUnique(services, (s) => s.image.repository, (i) => `${path(i)}.image.repository`, f.issues, "repository");
    checkUnique(services, (s) => s.public?.fqdn ?? "", (i) => `${path(i)}.public.host`, f.issues, "host");
    services.forEach((service, i) => checkCalls(service, services, `${path(i)}.calls`, f.issues));
    return services;
}

function readService(s: Fields, domain: string, environment: Environment): ServiceSpec {
    const name = s.string("name", { pattern: DNS_LABEL, expected: "a DNS label (lowercase letters, digits, '-')" });
    if (name.length > 40) {
        s.issues.add(s.at("name"), `must be at most 40 characters (it prefixes Kubernetes and AWS names), got ${name.length}`);
    }
    const kind = s.string("kind", { oneOf: ["http", "worker"] as const });
    const image = s.object("image", ["repository", "tag"], (i) => {
        const tag = i.string("tag");
        if (tag === "latest") {
            i.issues.add(i.at("tag"), "must not be `latest`: pin a release tag or a sha256 digest so a deploy is repeatable");
        } else if (tag !== "" && !TAG.test(tag) && !DIGEST.test(tag)) {
            i.issues.add(i.at("tag"), `must be an image tag or a sha256:<64 hex> digest, got ${JSON.stringify(tag)}`);
        }
        const repository = i.string("repository", { default: name, pattern: /^[a-z0-9]+([._/-][a-z0-9]+)*$/, expected: "an ECR repository name" });
        return { repository, tag };
    });
    const ports = s.objectList("ports", ["name", "port"], (p) => ({
        name: p.string("name", { pattern: PORT_NAME, expected: "an IANA port name (lowercase, <= 15 characters)" }),
        port: p.int("port", { min: 1, max: 65535 }),
    }), { minItems: 1 });
    checkUnique(ports, (p) => p.name, (i) => `${s.at("ports")}[${i}].name`, s.issues, "port name");
    checkUnique(ports, (p) => String(p.port), (i) => `${s.at("ports")}[${i}].port`, s.issues, "port");
    const declared = (portName: string, path: string): void => {
        if (portName !== "" && !ports.some((p) => p.name === portName)) {
            s.issues.add(path, `names port ${JSON.stringify(portName)}, which ${name || "the service"} does not declare (declared: ${ports.map((p) => p.name).join(", ")})`);
        }
    };
    const health = s.object("health", ["path", "port"], (h) => {
        const result = { path: h.string("path", { pattern: HEALTH_PATH, expected: "an absolute URL path like /healthz" }), port: h.string("port") };
        declared(result.port, h.at("port"));
        return result;
    });
    const publicEndpoint = s.optionalObject("public", ["host", "port", RETIRED_NODE_PORT_KEY], (p): PublicEndpoint => {
        const host = p.string("host", { pattern: HOST_PREFIX, expected: "host label(s) in front of the domain, like iam.api" });
        const port = p.string("port");
        declared(port, p.at("port"));
        if (p.has(RETIRED_NODE_PORT_KEY)) {
            // An error, not a warning: a stale value must not make anyone believe a NodePort is still open.
            p.issues.add(p.at(RETIRED_NODE_PORT_KEY), "is no longer used: the load balancer reaches the pods directly (IP targets registered by the AWS Load Balancer Controller, docs/edge.md); delete the key");
        }
        const fqdn = `${host}.${domain}`;
        if (fqdn.length > 253) {
            p.issues.add(p.at("host"), `makes a host name longer than 253 characters: ${fqdn}`);
        }
        return { host, fqdn, port };
    });
    if (publicEndpoint && kind === "worker") {
        s.issues.add(s.at("public"), "is not allowed on a worker: workers serve no traffic");
    }
    const stores = s.list("stores", (item, path) => readString(item, path, s.issues, {
        pattern: new RegExp(`^(${DATA_STORES.join("|")})$`),
        expected: `one of ${DATA_STORES.join(", ")}`,
    }) as DataStore, { default: [] });
    checkUnique(stores, (x) => x, (i) => `${s.at("stores")}[${i}]`, s.issues, "store");
    const calls = s.objectList("calls", ["service", "port"], (c) => ({ service: c.string("service"), port: c.string("port") }), { default: [] });
    const workload = s.object("workload", WORKLOAD_KEYS, (w) => readWorkload(w, kind, environment, stores), { optional: true });
    return { name, kind, image, ports, health, public: publicEndpoint, stores, calls, workload };
}

function checkCalls(service: ServiceSpec, all: readonly ServiceSpec[], path: string, issues: ConfigIssues): void {
    service.calls.forEach((call, i) => {
        const target = all.find((s) => s.name === call.service);
        if (!target) {
            issues.add(`${path}[${i}].service`, `names ${JSON.stringify(call.service)}, which is not in the catalog (${all.map((s) => s.name).join(", ")})`);
        } else if (!target.ports.some((p) => p.name === call.port)) {
            issues.add(`${path}[${i}].port`, `names port ${JSON.stringify(call.port)}, which ${target.name} does not declare`);
        } else if (target.name === service.name) {
            issues.add(`${path}[${i}].service`, "is the service itself");
        }
    });
}

/** The port number of a declared port name (validated to exist). */
export function portNumber(service: ServiceSpec, portName: string): number {
    const port = service.ports.find((p) => p.name === portName);
    if (!port) {
        throw new Error(`${service.name} declares no port named ${portName}`);
    }
    return port.port;
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

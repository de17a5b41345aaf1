/**
 * The access matrix inside the cluster, pure: the NetworkPolicies of the
 * application namespace for a service catalog. Default deny (ingress and
 * egress), then one allowance per flow the catalog declares:
 *
 *   - load balancer -> public port: from the public subnets (IP targets: the
 *     load balancer's nodes, which live there, connect to the pod IP directly,
 *     for requests and health checks alike; nothing else in the VPC does);
 *   - caller -> callee on each called port (`services[].calls`): the egress
 *     of the caller AND the ingress of the callee, by pod selector;
 *   - each service -> its data stores, each on its own port, to the network
 *     it lives in (managed: `STORE_PORTS` in the private subnets; external:
 *     its `port` in its `egressCidr`);
 *   - every pod -> kube-dns (UDP and TCP 53);
 *   - the schema Job (app/schemaJob.ts) -> MariaDB, on its port;
 *   - workloads with a Pod Identity role -> the node's Pod Identity agent
 *     (169.254.170.23, TCP 80) for credentials, and HTTPS anywhere (the AWS
 *     APIs, through NAT or the VPC endpoints).
 *
 * Kubelet probes need no rule: the VPC CNI's network policy agent always
 * allows traffic between a pod and its own node's IP.
 */
import type { DataStoresConfig } from "../data/schema";
import { portNumber, ServiceSpec } from "./schema";
import { DATA_STORES, DataStore, STORE_PORTS } from "../network/accessMatrixPlan";
import { WorkloadContext, workloadLabels } from "./workloadSpec";
import { SCHEMA_JOB_SELECTOR } from "../app/schemaJobPlan";

type Labels = Record<string, string>;

/** A peer: an address range, or pods (of this namespace, or of the namespaces selected). */
export type PolicyPeer = { ipBlock: { cidr: string } } | { podSelector: { matchLabels: Labels }; namespaceSelector?: { matchLabels: Labels } };

export interface PolicyPort {
    protocol: "TCP" | "UDP";
    /** The pod's port number (after the Service's DNAT), never a NodePort. */
    port: number;
}

interface Rule {
    peers: PolicyPeer[];
    ports: PolicyPort[];
}

export interface NetworkPolicyPlan {
    /** `metadata.name`, unique in the namespace. */
    name: string;
    /** Why the policy exists (becomes an annotation). */
    description: string;
    spec: {
        podSelector: { matchLabels?: Labels };
        policyTypes: ("Ingress" | "Egress")[];
        ingress?: { from: PolicyPeer[]; ports: PolicyPort[] }[];
        egress?: { to: PolicyPeer[]; ports: PolicyPort[] }[];
    };
}

/** Where a data store is reached: its networks and its one port. */
export interface StoreTarget {
    cidrs: readonly string[];
    port: number;
}

export interface NetworkPolicyContext {
    /**
     * The public subnets' CIDRs (`network.subnets.public`): where the load
     * balancer's nodes are, so the only sources of its requests and health
     * checks to the pods (IP targets).
     */
    loadBalancerCidrs: readonly string[];
    /** Where each store the catalog uses is reached (`storeTargets`). */
    stores: Partial<Record<DataStore, StoreTarget>>;
    /** The same labels context the workloads use, so selectors match their pods. */
    workload: WorkloadContext;
}

export const DNS_PEER: PolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

/**
 * Where a pod asks the node's EKS Pod Identity agent for its credentials
 * (a link-local address the agent listens on, host network, TCP 80): an
 * egress policy that does not allow it leaves the pod without credentials.
 */
export const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

const tcp = (port: number): PolicyPort => ({ protocol: "TCP", port });

/**
 * Each configured store's target: a managed store on its engine's port in the
 * private subnets (where the data tier puts it), an external one (the old VMs
 * during the migration) on its configured port in its `egressCidr`.
 */
export function storeTargets(dataStores: DataStoresConfig, privateSubnetCidrs: readonly string[]): Partial<Record<DataStore, StoreTarget>> {
    const targets: Partial<Record<DataStore, StoreTarget>> = {};
    for (const store of DATA_STORES) {
        const config = dataStores[store];
        if (config?.mode === "external") {
            targets[store] = { cidrs: [config.egressCidr], port: config.port };
        } else if (config) {
            targets[store] = { cidrs: privateSubnetCidrs, port: STORE_PORTS[store] };
        }
    }
    return targets;
}

export function networkPolicyPlans(catalog: readonly ServiceSpec[], context: NetworkPolicyContext): NetworkPolicyPlan[] {
    const selectorOf = (service: ServiceSpec): Labels => workloadLabels(service, context.workload).selector;
    const byName = new Map(catalog.map((s) => [s.name, s]));
    const plans: NetworkPolicyPlan[] = [
        {
            name: "default-deny-all",
            description: "Nothing reaches or leaves a pod of this namespace unless a policy below allows it",
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        {
            name: "allow-dns",
            description: "Every pod may resolve names with kube-dns (UDP and TCP 53)",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [DNS_PEER], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
            },
        },
    ];
    for (const service of catalog) {
        const ingress: Rule[] = [];
        if (service.public) {
            ingress.push({ peers: context.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(portNumber(service, service.public.port))] });
        }
        for (const caller of catalog) {
            const ports = caller.calls.filter((c) => c.service === service.name).map((c) => tcp(portNumber(service, c.port)));
            if (ports.length > 0) {
                ingress.push({ peers: [{ podSelector: { matchLabels: selectorOf(caller) } }], ports: dedupe(ports) });
            }
        }
        const egress: Rule[] = [];
        for (const target of new Set(service.calls.map((c) => c.service))) {
            const callee = byName.get(target);
            if (!callee) {
                throw new Error(`${service.name} calls ${target}, which is not in the catalog`);
            }
            const ports = service.calls.filter((c) => c.service === target).map((c) => tcp(portNumber(callee, c.port)));
            // The peer is exactly the callee's Service selector: the VPC CNI policy
            // controller then also allows the Service's ClusterIP.
            egress.push({ peers: [{ podSelector: { matchLabels: selectorOf(callee) } }], ports: dedupe(ports) });
        }
        for (const store of service.stores) {
            const target = context.stores[store];
            if (!target) {
                throw new Error(`${service.name} uses ${store}, which has no network target (dataStores.${store})`);
            }
            egress.push({ peers: target.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(target.port)] });
        }
        if (service.workload.podIdentity) {
            egress.push({ peers: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [tcp(80)] });
            egress.push({ peers: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] });
        }
        const podSelector = { matchLabels: selectorOf(service) };
        if (ingress.length > 0) {
            plans.push({
                name: `${service.name}-ingress`,
                description: `Who may reach ${service.name}: ${describe(ingress)}`,
                spec: { podSelector, policyTypes: ["Ingress"], ingress: ingress.map((r) => ({ from: r.peers, ports: r.ports })) },
            });
        }
        if (egress.length > 0) {
            plans.push({
                name: `${service.name}-egress`,
                description: `What ${service.name} may reach: ${describe(egress)}`,
                spec: { podSelector, policyTypes: ["Egress"], egress: egress.map((r) => ({ to: r.peers, ports: r.ports })) },
            });
        }
    }
    plans.push(...schemaJobPlans(catalog, context));
    return plans;
}

/**
 * The schema Job's pods (app/schemaJob.ts, created when a service uses
 * MariaDB) reach MariaDB on its port, and nothing else (DNS is allowed to
 * every pod above). Nothing reaches them.
 */
function schemaJobPlans(catalog: readonly ServiceSpec[], context: NetworkPolicyContext): NetworkPolicyPlan[] {
    const mariadb = context.stores.mariadb;
    if (!mariadb || !catalog.some((s) => s.stores.includes("mariadb"))) {
        return [];
    }
    const egress: Rule[] = [{ peers: mariadb.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(mariadb.port)] }];
    return [
        {
            name: "iam-schema-egress",
            description: `What the schema Job may reach: ${describe(egress)}`,
            spec: { podSelector: { matchLabels: { ...SCHEMA_JOB_SELECTOR } }, policyTypes: ["Egress"], egress: egress.map((r) => ({ to: r.peers, ports: r.ports })) },
        },
    ];
}

function dedupe(ports: readonly PolicyPort[]): PolicyPort[] {
    return ports.filter((p, i) => ports.findIndex((q) => q.protocol === p.protocol && q.port === p.port) === i);
}

function describe(rules: readonly Rule[]): string {
    return rules
        .map((r) => {
            const peers = r.peers.map((p) => ("ipBlock" in p ? p.ipBlock.cidr : (p.podSelector.matchLabels["app.kubernetes.io/name"] ?? "pods")));
            const ports = r.ports.map((p) => String(p.port));
            return `${[...new Set(peers)].join(", ")} on ${ports.join(", ")}`;
        })
        .join("; ");
}

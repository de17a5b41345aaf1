import { parseStackConfig, StackConfig } from "../config";
import { ServiceSpec } from "./schema";
import { rawStackConfig } from "../test/harness";
import { STORE_PORTS } from "../network/accessMatrixPlan";
import { DNS_PEER, NetworkPolicyPlan, networkPolicyPlans, PolicyPeer, storeTargets } from "./networkPolicyPlan";
import { servicePlans, workloadLabels } from "./workloadSpec";

function plansFor(config: StackConfig, catalog: readonly ServiceSpec[] = config.services): NetworkPolicyPlan[] {
    return networkPolicyPlans(catalog, {
        loadBalancerCidrs: config.network.subnets.public,
        stores: storeTargets(config.dataStores, config.network.subnets.private),
        workload: { stack: config.stack, partOf: "iam" },
    });
}

const plan = (plans: readonly NetworkPolicyPlan[], name: string): NetworkPolicyPlan => {
    const found = plans.find((p) => p.name === name);
    if (!found) {
        throw new Error(`no policy ${name} (have ${plans.map((p) => p.name).join(", ")})`);
    }
    return found;
};

/** Every (peer, port) a policy allows, as text: `10.20.0.0/16:TCP/8080`, `pod:iam-authz-server:TCP/8081`. */
function flows(rules: readonly { peers: PolicyPeer[]; ports: { protocol: string; port: number }[] }[]): string[] {
    return rules
        .flatMap((r) =>
            r.peers.flatMap((peer) =>
                r.ports.map((p) => {
                    const who =
                        "ipBlock" in peer ? peer.ipBlock.cidr : `pod:${peer.podSelector.matchLabels["app.kubernetes.io/name"] ?? JSON.stringify(peer.podSelector.matchLabels)}`;
                    return `${who}:${p.protocol}/${p.port}`;
                }),
            ),
        )
        .sort();
}
const ingressFlows = (p: NetworkPolicyPlan): string[] => flows((p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })));
const egressFlows = (p: NetworkPolicyPlan): string[] => flows((p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports })));

describe.each(["prod", "staging"])("the %s namespace's network policies", (stack) => {
    const config = parseStackConfig(rawStackConfig(stack));
    const plans = plansFor(config);
    const fromLb = (port: number): string[] => config.network.subnets.public.map((cidr) => `${cidr}:TCP/${port}`);
    const storeTo = (store: keyof typeof STORE_PORTS): string[] => config.network.subnets.private.map((cidr) => `${cidr}:TCP/${STORE_PORTS[store]}`);

    it("denies all ingress and egress by default, for every pod", () => {
        expect(plan(plans, "default-deny-all").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    it("lets every pod resolve names with kube-dns in kube-system, on UDP and TCP 53 only", () => {
        const dns = plan(plans, "allow-dns").spec;
        expect(dns.podSelector).toEqual({});
        expect(dns.policyTypes).toEqual(["Egress"]);
        expect(dns.egress).toEqual([
            {
                to: [DNS_PEER],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ]);
    });

    it("lets the load balancer (IP targets: from the public subnets, where its nodes are) reach each public port and nothing else", () => {
        expect(config.network.subnets.public).toHaveLength(config.network.availabilityZones.length);
        expect(ingressFlows(plan(plans, "iam-apiserver-ingress"))).toEqual([...fromLb(8080), "pod:iam-authz-server:TCP/8081"].sort());
        expect(ingressFlows(plan(plans, "iam-authz-server-ingress"))).toEqual(fromLb(9090));
        // Not the whole VPC: a pod or node elsewhere in it is no load balancer.
        expect(JSON.stringify(plans)).not.toContain(`"${config.network.cidr}"`);
    });

    it("allows authz-server -> apiserver gRPC on both sides, by the callee's exact Service selector", () => {
        const egress = plan(plans, "iam-authz-server-egress");
        expect(egressFlows(egress)).toEqual(["pod:iam-apiserver:TCP/8081", ...storeTo("redis")].sort());
        const apiserver = config.services.find((s) => s.name === "iam-apiserver") as ServiceSpec;
        const serviceSelector = workloadLabels(apiserver, { stack: config.stack, partOf: "iam" }).selector;
        const grpcPeer = (egress.spec.egress ?? []).flatMap((r) => r.to).find((p) => "podSelector" in p);
        expect(grpcPeer).toEqual({ podSelector: { matchLabels: serviceSelector } });
        const cluster = servicePlans(apiserver, config.services).find((p) => p.role === "cluster");
        expect(cluster?.ports.map((p) => p.port)).toEqual([8081]);
    });

    it("lets each service reach only its own stores, on their own ports, in the private subnets", () => {
        expect(egressFlows(plan(plans, "iam-apiserver-egress"))).toEqual([...storeTo("mariadb"), ...storeTo("redis")].sort());
        expect(egressFlows(plan(plans, "iam-pump-egress"))).toEqual([...storeTo("redis"), ...storeTo("mongodb")].sort());
        expect(egressFlows(plan(plans, "iam-watcher-egress"))).toEqual([...storeTo("mariadb"), ...storeTo("redis")].sort());
    });

    it("gives workers no ingress at all (kubelet probes come from the node, which the VPC CNI agent always allows)", () => {
        expect(plans.map((p) => p.name)).not.toContain("iam-pump-ingress");
        expect(plans.map((p) => p.name)).not.toContain("iam-watcher-ingress");
    });

    it("selects each service's pods by its own selector only", () => {
        for (const p of plans.filter((x) => !x.name.startsWith("iam-schema-") && (x.name.endsWith("-ingress") || x.name.endsWith("-egress")))) {
            const service = config.services.find((s) => p.name === `${s.name}-ingress` || p.name === `${s.name}-egress`) as ServiceSpec;
            expect(p.spec.podSelector).toEqual({ matchLabels: workloadLabels(service, { stack: config.stack, partOf: "iam" }).selector });
        }
    });
    it("lets the schema Job's pods reach MariaDB on its port and nothing else; nothing reaches them", () => {
        const job = plan(plans, "iam-schema-egress");
        expect(job.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "iam-schema" } });
        expect(job.spec.policyTypes).toEqual(["Egress"]);
        expect(egressFlows(job)).toEqual(storeTo("mariadb").sort());
        expect(plans.filter((p) => p.name.startsWith("iam-schema-")).map((p) => p.name)).toEqual(["iam-schema-egress"]);
    });
});

describe("network policies for other catalogs", () => {
    const config = parseStackConfig(rawStackConfig("prod"));

    it("allows every declared call on both sides, and the Pod Identity agent and HTTPS out for workloads with a role", () => {
        const [api, authz, pump] = config.services;
        const catalog: ServiceSpec[] = [
            api,
            authz,
            {
                ...pump,
                calls: [
                    { service: "iam-apiserver", port: "grpc" },
                    { service: "iam-authz-server", port: "https" },
                ],
                workload: { ...pump.workload, podIdentity: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } },
            },
        ];
        const plans = plansFor(config, catalog);
        expect(ingressFlows(plan(plans, "iam-apiserver-ingress"))).toEqual(
            [...config.network.subnets.public.map((c) => `${c}:TCP/8080`), "pod:iam-authz-server:TCP/8081", "pod:iam-pump:TCP/8081"].sort(),
        );
        expect(ingressFlows(plan(plans, "iam-authz-server-ingress"))).toEqual([...config.network.subnets.public.map((c) => `${c}:TCP/9090`), "pod:iam-pump:TCP/9443"].sort());
        expect(egressFlows(plan(plans, "iam-pump-egress"))).toEqual(
            expect.arrayContaining(["pod:iam-apiserver:TCP/8081", "pod:iam-authz-server:TCP/9443", "169.254.170.23/32:TCP/80", "0.0.0.0/0:TCP/443"]),
        );
        expect(egressFlows(plan(plans, "iam-apiserver-egress"))).not.toContain("0.0.0.0/0:TCP/443");
        expect(egressFlows(plan(plans, "iam-apiserver-egress"))).not.toContain("169.254.170.23/32:TCP/80");
    });

    it("sends an external store's traffic to its own network and port (the old VMs during the migration)", () => {
        const external = { mode: "external" as const, host: "10.0.1.20", port: 13306, credentialsSecretArn: "arn", egressCidr: "10.0.1.0/24", tls: false };
        const targets = storeTargets({ ...config.dataStores, mariadb: external }, config.network.subnets.private);
        expect(targets.mariadb).toEqual({ cidrs: ["10.0.1.0/24"], port: 13306 });
        expect(targets.redis).toEqual({ cidrs: config.network.subnets.private, port: 6379 });
        const plans = networkPolicyPlans(config.services, { loadBalancerCidrs: config.network.subnets.public, stores: targets, workload: { stack: "prod", partOf: "iam" } });
        expect(egressFlows(plan(plans, "iam-apiserver-egress"))).toEqual(["10.0.1.0/24:TCP/13306", ...config.network.subnets.private.map((c) => `${c}:TCP/6379`)].sort());
    });

    it("has only default deny and DNS for a catalog without public ports, calls or stores", () => {
        const [, , pump] = config.services;
        const plans = plansFor(config, [{ ...pump, stores: [] }]);
        expect(plans.map((p) => p.name)).toEqual(["default-deny-all", "allow-dns"]);
    });
});

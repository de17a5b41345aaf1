import { parseStackConfig } from "../config";
import { configProblems, rawStackConfig } from "../test/harness";
import { publicServicePorts } from "../workloads/schema";
import { AccessMatrixSpec, DATA_STORES, Flow, flowViolations, matrixRules, missingRequiredFlows, SecurityRule, STORE_PORTS, touchesExternalGroup } from "./accessMatrixPlan";

const WORLD = ["0.0.0.0/0", "::/0"];

describe.each(["prod", "staging"])("matrixRules on the %s stack's matrix", (stack) => {
    const config = parseStackConfig(rawStackConfig(stack));
    const servicePorts = publicServicePorts(config.services);
    const rules = matrixRules(config.accessMatrix, servicePorts);
    const ingress = rules.filter((r) => r.direction === "ingress");

    it("opens nothing to the world but the load balancer's 80 and 443", () => {
        const open = ingress.filter((r) => r.peer.kind === "cidr" && WORLD.includes(r.peer.cidr));
        expect(open.map((r) => `${r.securityGroup}:${r.fromPort}:${r.peer.kind === "cidr" ? r.peer.cidr : ""}`).sort()).toEqual([
            "loadBalancer:443:0.0.0.0/0",
            "loadBalancer:443:::/0",
            "loadBalancer:80:0.0.0.0/0",
            "loadBalancer:80:::/0",
        ]);
    });

    it("lets each store be reached on its own port only, and only from the app nodes", () => {
        for (const store of DATA_STORES) {
            const toStore = ingress.filter((r) => r.securityGroup === store);
            expect(toStore).toHaveLength(1);
            expect(toStore[0]).toMatchObject({ protocol: "tcp", fromPort: STORE_PORTS[store], toPort: STORE_PORTS[store], peer: { kind: "securityGroup", role: "appNodes" } });
        }
    });

    it("lets the load balancer reach exactly the public services' container ports on the app nodes, one rule each, both directions", () => {
        // The pods' ports (IP targets): 8080 for iam-apiserver, 9090 for iam-authz-server; no NodePort range.
        expect(servicePorts).toEqual([8080, 9090]);
        const fromLb = ingress.filter((r) => r.peer.kind === "securityGroup" && r.peer.role === "loadBalancer");
        expect(fromLb.map((r) => [r.securityGroup, r.fromPort, r.toPort])).toEqual(servicePorts.map((p) => ["appNodes", p, p]));
        const lbEgress = rules.filter((r) => r.securityGroup === "loadBalancer" && r.direction === "egress");
        expect(lbEgress.map((r) => [r.peer.kind === "securityGroup" ? r.peer.role : r.peer.cidr, r.fromPort])).toEqual(servicePorts.map((p) => ["appNodes", p]));
        expect(rules.some((r) => (r.fromPort ?? 0) >= 30000 && (r.fromPort ?? 0) <= 32767)).toBe(false);
    });

    it("describes every rule and names every rule uniquely", () => {
        expect(rules.every((r) => r.description.length > 0)).toBe(true);
        expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
    });

    it("allows no SSH when no admin CIDRs are configured", () => {
        expect(config.accessMatrix.adminCidrs).toEqual([]);
        expect(rules.filter((r) => r.fromPort === 22)).toEqual([]);
    });
});

describe("matrixRules", () => {
    const flow = (f: Partial<Flow>): Flow => ({ from: "appNodes", to: "mariadb", ports: [3306], description: "test", ...f });
    const build = (flows: Flow[], adminCidrs: string[] = []): SecurityRule[] => matrixRules({ adminCidrs, flows } as AccessMatrixSpec, [8080]);

    it("turns a flow between groups into an ingress on the target and an egress on the source", () => {
        const rules = build([flow({})]);
        expect(rules.map((r) => `${r.securityGroup}/${r.direction}`)).toEqual(["mariadb/ingress", "appNodes/egress"]);
    });

    it("opens SSH only from the configured admin CIDRs", () => {
        const rules = build([flow({ from: "admin", to: "appNodes", ports: [22] })], ["203.0.113.0/24"]);
        expect(rules).toEqual([expect.objectContaining({ securityGroup: "appNodes", direction: "ingress", fromPort: 22, peer: { kind: "cidr", cidr: "203.0.113.0/24" } })]);
    });

    it.each([
        [flow({ from: "internet", to: "appNodes", ports: [30080] }), /the internet may reach only the loadBalancer/],
        [flow({ from: "internet", to: "loadBalancer", ports: [80, 8080] }), /only ports 80 and 443 may be public, not 8080/],
        [flow({ to: "mariadb", ports: [3306, 6379] }), /mariadb may be reached only on its own port 3306/],
        [flow({ from: "loadBalancer", to: "redis", ports: [6379] }), /a data store is reachable only from appNodes/],
        [flow({ from: "loadBalancer", to: "appNodes", ports: [30000] }), /on `servicePorts` \(the pods' public ports, nothing wider\)/],
        [flow({ from: "appNodes", to: "appNodes", ports: ["servicePorts"] }), /`servicePorts` is only for loadBalancer -> appNodes/],
        [flow({ from: "loadBalancer", to: "appNodes", ports: ["all"] }), /`all` ports is allowed only between appNodes/],
        [flow({ from: "admin", to: "appNodes", ports: [22] }), /needs accessMatrix.adminCidrs/],
        [flow({ from: "mongodb", to: "appNodes", ports: [443] }), /a data store opens no connections/],
        [flow({ from: "loadBalancer", to: "internet", ports: [443] }), /only appNodes may open connections out of the VPC/],
        [flow({ to: "endpoints", ports: [80] }), /the VPC endpoints are reached only from appNodes, on 443/],
        [flow({ from: "endpoints", to: "appNodes", ports: [443] }), /the VPC endpoints open no connections/],
        [flow({ from: "appNodes", to: "controlPlane", ports: [10250] }), /the control plane is reached only from appNodes, on 443/],
        [flow({ from: "controlPlane", to: "mariadb", ports: [3306] }), /the control plane reaches only appNodes/],
        [flow({ from: "controlPlane", to: "appNodes", ports: ["all"] }), /the control plane reaches only appNodes, on listed ports/],
    ])("refuses a flow the matrix must never allow (%#)", (bad, message) => {
        expect(flowViolations(bad, []).join("\n")).toMatch(message);
        expect(() => build([bad])).toThrow(message);
    });
});

describe("the control plane in the matrix", () => {
    const flow = (f: Partial<Flow>): Flow => ({ from: "appNodes", to: "controlPlane", ports: [443], description: "test", ...f });

    it("adds only ingress rules to EKS's group (it keeps its own egress) and marks every rule that touches it", () => {
        const rules = matrixRules({ adminCidrs: [], flows: [flow({}), flow({ from: "controlPlane", to: "appNodes", ports: [10250] })] }, []);
        expect(rules.map((r) => `${r.securityGroup}/${r.direction}/${r.fromPort}`)).toEqual(["controlPlane/ingress/443", "appNodes/egress/443", "appNodes/ingress/10250"]);
        expect(rules.every(touchesExternalGroup)).toBe(true);
    });

    it("must list the API server and kubelet flows, or the nodes cannot work", () => {
        expect(missingRequiredFlows([])).toEqual([
            "needs { from: appNodes, to: controlPlane, ports: [443] }: without it nodes cannot join and pods cannot reach the API server",
            "needs { from: controlPlane, to: appNodes, ports: [10250] }: without it the control plane cannot reach the kubelets (logs, exec, metrics)",
        ]);
        expect(missingRequiredFlows([flow({}), flow({ from: "controlPlane", to: "appNodes", ports: [10250, 9443] })])).toEqual([]);
    });

    it("is checked in the stack config, by path", () => {
        const problems = configProblems("prod", (v) => {
            const matrix = v.accessMatrix as { flows: Flow[] };
            matrix.flows = matrix.flows.filter((f) => f.to !== "controlPlane");
        });
        expect(problems).toEqual([
            "accessMatrix.flows needs { from: appNodes, to: controlPlane, ports: [443] }: without it nodes cannot join and pods cannot reach the API server",
        ]);
    });
});

/**
 * The access matrix, pure: who may reach whom on which ports, and the
 * security-group rules that follow from it. No Pulumi here, so every rule can
 * be checked in a unit test.
 */
/** Roles that get a security group of their own (`endpoints`: the VPC interface endpoints). */
export const SECURITY_GROUP_ROLES = ["loadBalancer", "appNodes", "mariadb", "redis", "mongodb", "endpoints"] as const;
export type SecurityGroupRole = (typeof SECURITY_GROUP_ROLES)[number];

/**
 * A security group the matrix does not create: `controlPlane` is the one EKS
 * creates for the control plane's network interfaces (the cluster security
 * group). Its rules are built by the Cluster component, where that group
 * exists (`controlPlaneRules`); only ingress rules are added to it, because
 * EKS gives it an allow-all egress of its own.
 */
export const EXTERNAL_GROUPS = ["controlPlane"] as const;
export type ExternalGroup = (typeof EXTERNAL_GROUPS)[number];
/** Any security group a rule can sit on or name. */
export type GroupRole = SecurityGroupRole | ExternalGroup;

/** Peers without a security group: the internet and the admin CIDRs. */
export const CIDR_PEERS = ["internet", "admin"] as const;
export type CidrPeer = (typeof CIDR_PEERS)[number];
export type Peer = SecurityGroupRole | ExternalGroup | CidrPeer;
export const PEERS: readonly Peer[] = [...SECURITY_GROUP_ROLES, ...EXTERNAL_GROUPS, ...CIDR_PEERS];

export const DATA_STORES = ["mariadb", "redis", "mongodb"] as const;
export type DataStore = (typeof DATA_STORES)[number];

/** Each store listens on its engine's port and nothing else. */
export const STORE_PORTS: Record<DataStore, number> = { mariadb: 3306, redis: 6379, mongodb: 27017 };

/** The only ports the internet may reach, and only on the load balancer. */
export const PUBLIC_PORTS: readonly number[] = [80, 443];

/**
 * A port entry of a flow: a number, `servicePorts` (the container ports the
 * load balancer's IP targets listen on: each public service's public port,
 * from the service catalog) or `all` (every protocol and port; only between
 * app nodes, for pod and kubelet traffic).
 */
export type FlowPort = number | "servicePorts" | "all";

/**
 * A flow as the `accessMatrix` section declares it. Written out here rather
 * than inferred from network/schema.ts, which imports this planner (no import
 * cycle); schema.ts fails to compile when its parsed type and this one differ.
 */
export interface Flow {
    from: Peer;
    to: Peer;
    ports: FlowPort[];
    description: string;
}

/** The planner's input: the parsed `accessMatrix` section. */
export interface AccessMatrixSpec {
    adminCidrs: string[];
    flows: Flow[];
}

export type RulePeer = { kind: "securityGroup"; role: GroupRole } | { kind: "cidr"; cidr: string };

export interface SecurityRule {
    /** Stable, unique name suffix; renaming it replaces the rule. */
    name: string;
    securityGroup: GroupRole;
    direction: "ingress" | "egress";
    /** `tcp`, or `-1` for every protocol. */
    protocol: "tcp" | "-1";
    fromPort?: number;
    toPort?: number;
    peer: RulePeer;
    description: string;
}

export function isSecurityGroupRole(peer: string): peer is SecurityGroupRole {
    return (SECURITY_GROUP_ROLES as readonly string[]).includes(peer);
}

/** The HTTPS port the interface endpoints (and the EKS API) answer on. */
export const HTTPS_PORT = 443;

/**
 * Flows without which the nodes cannot work: the kubelet and the pods reach
 * the API server, the control plane reaches the kubelets (logs, exec, the
 * metrics-server's scrape path). Without the cluster security group on the
 * nodes nothing else opens them, so the matrix must list them.
 */
export const REQUIRED_FLOWS: readonly { from: Peer; to: Peer; port: number; why: string }[] = [
    { from: "appNodes", to: "controlPlane", port: HTTPS_PORT, why: "nodes cannot join and pods cannot reach the API server" },
    { from: "controlPlane", to: "appNodes", port: 10250, why: "the control plane cannot reach the kubelets (logs, exec, metrics)" },
];

/** One message per required flow the matrix lacks. */
export function missingRequiredFlows(flows: readonly Flow[]): string[] {
    return REQUIRED_FLOWS.filter((r) => !flows.some((f) => f.from === r.from && f.to === r.to && f.ports.includes(r.port))).map(
        (r) => `needs { from: ${r.from}, to: ${r.to}, ports: [${r.port}] }: without it ${r.why}`,
    );
}

/** Whether a rule sits on, or names, a group the matrix does not create (built by the Cluster component). */
export function touchesExternalGroup(rule: SecurityRule): boolean {
    const external = EXTERNAL_GROUPS as readonly string[];
    return external.includes(rule.securityGroup) || (rule.peer.kind === "securityGroup" && external.includes(rule.peer.role));
}

export function isDataStore(peer: string): peer is DataStore {
    return (DATA_STORES as readonly string[]).includes(peer);
}

/**
 * What the matrix may never allow, whatever the config says. Returns one
 * message per violation, phrased to follow the flow's path. Config validation
 * reports these with the path; `matrixRules` refuses to build rules from a
 * matrix that has any.
 */
export function flowViolations(flow: Flow, adminCidrs: readonly string[]): string[] {
    const problems: string[] = [];
    const numeric = flow.ports.filter((p): p is number => typeof p === "number");
    if (flow.from === flow.to && flow.from !== "appNodes") {
        problems.push(`${flow.from} -> ${flow.to}: only appNodes may talk to themselves`);
    }
    if (flow.to === "internet" || flow.to === "admin") {
        if (flow.from !== "appNodes") {
            problems.push(`${flow.from} -> ${flow.to}: only appNodes may open connections out of the VPC`);
        }
        if (flow.ports.some((p) => typeof p !== "number")) {
            problems.push(`${flow.from} -> ${flow.to}: egress out of the VPC must list numeric ports`);
        }
    }
    if (flow.from === "internet") {
        if (flow.to !== "loadBalancer") {
            problems.push(`internet -> ${flow.to}: the internet may reach only the loadBalancer`);
        }
        const wider = flow.ports.filter((p) => typeof p !== "number" || !PUBLIC_PORTS.includes(p));
        if (wider.length > 0) {
            problems.push(`internet -> ${flow.to}: only ports ${PUBLIC_PORTS.join(" and ")} may be public, not ${wider.join(", ")}`);
        }
    }
    if (flow.from === "admin") {
        if (flow.to !== "appNodes" || flow.ports.length !== 1 || flow.ports[0] !== 22) {
            problems.push(`admin -> ${flow.to}: admin CIDRs may reach only appNodes on port 22`);
        }
        if (adminCidrs.length === 0) {
            problems.push(`admin -> ${flow.to}: needs accessMatrix.adminCidrs (SSH is off unless admin CIDRs are configured)`);
        }
    }
    if (isDataStore(flow.to)) {
        const port = STORE_PORTS[flow.to];
        if (flow.from !== "appNodes") {
            problems.push(`${flow.from} -> ${flow.to}: a data store is reachable only from appNodes`);
        }
        if (flow.ports.length !== 1 || flow.ports[0] !== port) {
            problems.push(`${flow.from} -> ${flow.to}: ${flow.to} may be reached only on its own port ${port}`);
        }
    }
    if (isDataStore(flow.from)) {
        problems.push(`${flow.from} -> ${flow.to}: a data store opens no connections`);
    }
    if (flow.to === "endpoints" && (flow.from !== "appNodes" || flow.ports.length !== 1 || flow.ports[0] !== HTTPS_PORT)) {
        problems.push(`${flow.from} -> endpoints: the VPC endpoints are reached only from appNodes, on ${HTTPS_PORT}`);
    }
    if (flow.from === "endpoints") {
        problems.push(`endpoints -> ${flow.to}: the VPC endpoints open no connections`);
    }
    if (flow.to === "controlPlane" && (flow.from !== "appNodes" || flow.ports.length !== 1 || flow.ports[0] !== HTTPS_PORT)) {
        problems.push(`${flow.from} -> controlPlane: the control plane is reached only from appNodes, on ${HTTPS_PORT} (the API server)`);
    }
    if (flow.from === "controlPlane" && (flow.to !== "appNodes" || flow.ports.some((p) => typeof p !== "number"))) {
        problems.push(`controlPlane -> ${flow.to}: the control plane reaches only appNodes, on listed ports (kubelet, webhooks)`);
    }
    if (flow.to === "loadBalancer" && flow.from !== "internet") {
        problems.push(`${flow.from} -> loadBalancer: only the internet flow reaches the load balancer`);
    }
    if (flow.from === "loadBalancer" && (flow.to !== "appNodes" || flow.ports.some((p) => p !== "servicePorts"))) {
        problems.push(`loadBalancer -> ${flow.to}: the load balancer reaches only appNodes, on \`servicePorts\` (the pods' public ports, nothing wider)`);
    }
    if (flow.ports.includes("all") && !(flow.from === "appNodes" && flow.to === "appNodes")) {
        problems.push(`${flow.from} -> ${flow.to}: \`all\` ports is allowed only between appNodes`);
    }
    if (flow.ports.includes("servicePorts") && flow.from !== "loadBalancer") {
        problems.push(`${flow.from} -> ${flow.to}: \`servicePorts\` is only for loadBalancer -> appNodes`);
    }
    if (numeric.some((p) => p < 1 || p > 65535 || !Number.isInteger(p))) {
        problems.push(`${flow.from} -> ${flow.to}: ports must be 1-65535`);
    }
    return problems;
}

/**
 * Turns the matrix into security-group rules. A flow between two security
 * groups becomes an ingress rule on the target *and* an egress rule on the
 * source (both sides deny by default); a flow from a CIDR peer becomes an
 * ingress rule only, a flow to one an egress rule only. The internet is
 * both 0.0.0.0/0 and ::/0.
 *
 * `servicePorts` expands to one rule per port: never a range, so the load
 * balancer reaches nothing on the nodes (and their pods, which share the
 * nodes' security group under the VPC CNI) that no target group uses.
 *
 * Rules on or naming `controlPlane` (EKS's cluster security group) are in the
 * list too (`touchesExternalGroup`); the AccessMatrix component leaves them to
 * the Cluster component, which owns that group's id.
 */
export function matrixRules(matrix: AccessMatrixSpec, servicePorts: readonly number[]): SecurityRule[] {
    const violations = matrix.flows.flatMap((flow) => flowViolations(flow, matrix.adminCidrs));
    if (violations.length > 0) {
        throw new Error(`the access matrix allows what it must not:\n  - ${violations.join("\n  - ")}`);
    }
    const rules: SecurityRule[] = [];
    for (const flow of matrix.flows) {
        for (const range of expandPorts(flow.ports, servicePorts)) {
            const sources: RulePeer[] = peerTargets(flow.from, matrix.adminCidrs);
            const targets: RulePeer[] = peerTargets(flow.to, matrix.adminCidrs);
            for (const target of targets) {
                if (target.kind !== "securityGroup") {
                    continue;
                }
                for (const source of sources) {
                    rules.push(rule(target.role, "ingress", source, range, `${flow.description} (from ${flow.from})`));
                }
            }
            for (const source of sources) {
                // No egress rules on EKS's control-plane group: it keeps the allow-all egress EKS gives it.
                if (source.kind !== "securityGroup" || (EXTERNAL_GROUPS as readonly string[]).includes(source.role)) {
                    continue;
                }
                for (const target of targets) {
                    rules.push(rule(source.role, "egress", target, range, `${flow.description} (to ${flow.to})`));
                }
            }
        }
    }
    const seen = new Set<string>();
    return rules.filter((r) => {
        // A flow listed twice, or an appNodes self-flow (ingress and egress on the
        // same group), must not produce duplicate rules: AWS rejects those.
        const key = `${r.securityGroup}/${r.direction}/${r.name}`;
        if (seen.has(key)) {
            return false;
        }
        seen.add(key);
        return true;
    });
}

interface PortRange {
    protocol: "tcp" | "-1";
    fromPort?: number;
    toPort?: number;
    label: string;
}

function expandPorts(ports: readonly FlowPort[], servicePorts: readonly number[]): PortRange[] {
    return ports.flatMap((port): PortRange[] => {
        if (port === "all") {
            return [{ protocol: "-1", label: "all" }];
        }
        const numbers = port === "servicePorts" ? [...servicePorts] : [port];
        return numbers.map((n) => ({ protocol: "tcp", fromPort: n, toPort: n, label: String(n) }));
    });
}

function peerTargets(peer: Peer, adminCidrs: readonly string[]): RulePeer[] {
    if (peer === "internet") {
        return [
            { kind: "cidr", cidr: "0.0.0.0/0" },
            { kind: "cidr", cidr: "::/0" },
        ];
    }
    if (peer === "admin") {
        return adminCidrs.map((cidr) => ({ kind: "cidr", cidr }));
    }
    return [{ kind: "securityGroup", role: peer }];
}

function peerLabel(peer: RulePeer): string {
    if (peer.kind === "securityGroup") {
        return peer.role.toLowerCase();
    }
    if (peer.cidr === "0.0.0.0/0") {
        return "internet-ipv4";
    }
    if (peer.cidr === "::/0") {
        return "internet-ipv6";
    }
    return `cidr-${peer.cidr.replace(/[./:]/g, "-")}`;
}

function rule(group: GroupRole, direction: "ingress" | "egress", peer: RulePeer, range: PortRange, description: string): SecurityRule {
    return {
        name: `${group.toLowerCase()}-${direction === "ingress" ? "in" : "out"}-${peerLabel(peer)}-${range.label}`,
        securityGroup: group,
        direction,
        protocol: range.protocol,
        fromPort: range.fromPort,
        toPort: range.toPort,
        peer,
        description,
    };
}

/**
 * Reads what the program registered (not what the config says) and turns it
 * into the render's outputs: the access matrix as security-group rules, the
 * Kubernetes manifests, and counts by type.
 */
import { stringify } from "yaml";
import { mockId } from "../offline/mockRun";
import type { ResourceRecord, StackRun } from "../offline/records";
import { CLIENT_TLS, requiresTls } from "../app/profileRule";
import { DATA_STORES } from "../network/accessMatrixPlan";

/** A count with its noun: "1 replica", "2 replicas". */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
    return `${n} ${n === 1 ? noun : nouns}`;
}

export interface RegisteredRule {
    direction: "ingress" | "egress";
    /** The role of the security group the rule belongs to. */
    group: string;
    /** The other side: a role, or a CIDR. */
    peer: string;
    ports: string;
    description: string;
}

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

/** Every security-group rule the program registered, with groups named by their access-matrix role. */
export function registeredRules(run: StackRun): RegisteredRule[] {
    const roleById = new Map<string, string>();
    for (const group of run.resources.filter((r) => r.type === SECURITY_GROUP)) {
        const tags = (group.inputs.tags ?? {}) as Record<string, string>;
        roleById.set(mockId(group), tags["iam/role"] ?? group.name);
    }
    const roleOf = (id: unknown): string => roleById.get(String(id)) ?? String(id);
    return run.resources
        .filter((r) => r.type === INGRESS || r.type === EGRESS)
        .map((r) => {
            const i = r.inputs;
            const peer = i.referencedSecurityGroupId !== undefined ? roleOf(i.referencedSecurityGroupId) : String(i.cidrIpv4 ?? i.cidrIpv6 ?? i.prefixListId);
            const ports =
                i.ipProtocol === "-1"
                    ? "all"
                    : i.fromPort === i.toPort
                      ? `${String(i.ipProtocol)}/${String(i.fromPort)}`
                      : `${String(i.ipProtocol)}/${String(i.fromPort)}-${String(i.toPort)}`;
            return {
                direction: r.type === INGRESS ? "ingress" : "egress",
                group: roleOf(i.securityGroupId),
                peer,
                ports,
                description: String(i.description ?? ""),
            };
        });
}

/** The access matrix as a Markdown table: one row per ingress rule (who may reach whom). */
export function accessMatrixTable(rules: readonly RegisteredRule[]): string {
    const rows = rules.filter((r) => r.direction === "ingress").map((r) => `| ${r.peer} | ${r.group} | ${r.ports} | ${r.description} |`);
    return ["| from | to | ports | why |", "|---|---|---|---|", ...rows].join("\n");
}

/** Egress rules that leave the VPC's security groups (to a CIDR), as a Markdown table. */
export function egressTable(rules: readonly RegisteredRule[]): string {
    const rows = rules.filter((r) => r.direction === "egress" && isCidr(r.peer)).map((r) => `| ${r.group} | ${r.peer} | ${r.ports} | ${r.description} |`);
    return ["| from | to | ports | why |", "|---|---|---|---|", ...rows].join("\n");
}

function isCidr(peer: string): boolean {
    return peer.includes("/");
}

function peerName(peer: string): string {
    return peer === "0.0.0.0/0" || peer === "::/0" ? "internet" : peer;
}

/**
 * A Mermaid flowchart of who can reach whom, one edge per (from, to) with its
 * ports: every ingress rule, plus egress rules to CIDRs (out of the VPC);
 * egress between security groups mirrors an ingress rule and adds no edge.
 */
export function accessMermaid(rules: readonly RegisteredRule[]): string {
    const edges = new Map<string, Set<string>>();
    const flows = rules
        .filter((r) => r.direction === "ingress" || isCidr(r.peer))
        .map((r) => (r.direction === "ingress" ? { from: peerName(r.peer), to: r.group, ports: r.ports } : { from: r.group, to: peerName(r.peer), ports: r.ports }));
    for (const rule of flows) {
        const key = `${rule.from}|${rule.to}`;
        edges.set(key, new Set([...(edges.get(key) ?? []), rule.ports.replace("tcp/", "")]));
    }
    const node = (name: string): string => name.replace(/[^A-Za-z0-9]/g, "_");
    const lines = ["flowchart LR"];
    for (const [key, ports] of edges) {
        const [from, to] = key.split("|");
        lines.push(`  ${node(from)}["${from}"] -->|"${[...ports].join(", ")}"| ${node(to)}["${to}"]`);
    }
    return lines.join("\n");
}

/** The Kubernetes objects the program registered, as manifests (Helm releases and providers excluded). */
export function kubernetesManifests(run: StackRun): Record<string, unknown>[] {
    return (
        run.resources
            // Helm releases and YAML files (kubernetes:yaml/v2:ConfigFile, a URL the provider reads) are not objects themselves.
            .filter(
                (r) =>
                    r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && !r.type.startsWith("kubernetes:yaml/") && !r.type.startsWith("pulumi:providers"),
            )
            .map((r) => manifestOf(r))
    );
}

function manifestOf(record: ResourceRecord): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = record.inputs;
    return { apiVersion, kind, metadata, ...rest };
}

export function manifestsYaml(manifests: readonly Record<string, unknown>[]): string {
    return manifests.map((m) => stringify(m, { lineWidth: 0 })).join("---\n");
}

/** Resource counts by type, most first. */
export function countsByType(run: StackRun): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of run.resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The Markdown report of a stack: summary, access matrix table and diagram. */
export function stackReport(run: StackRun): string {
    const rules = registeredRules(run);
    return [
        `# Stack \`${run.stack}\` (${run.config.environment}, ${run.config.region})`,
        "",
        `Rendered offline under mocks from \`Pulumi.${run.stack}.yaml\`: ${plural(run.resources.length, "resource")}.`,
        "",
        "## Access matrix (security-group ingress rules as registered)",
        "",
        accessMatrixTable(rules),
        "",
        "## Egress out of the VPC (security-group egress rules to CIDRs)",
        "",
        egressTable(rules),
        "",
        "## Who can reach whom",
        "",
        "```mermaid",
        accessMermaid(rules),
        "```",
        "",
        "## Store transports (what each store requires, what its IAM client speaks)",
        "",
        ...storeTransports(run),
        "",
        "## Resources by type",
        "",
        "| type | count |",
        "|---|---|",
        ...countsByType(run).map(([type, n]) => `| \`${type}\` | ${n} |`),
        "",
    ].join("\n");
}

/**
 * Each store's transport as configured against what the IAM binaries'
 * client can speak (app/schema.ts): the place a reviewer sees the MariaDB
 * exception (docs/data.md, "MariaDB in transit").
 */
export function storeTransports(run: StackRun): string[] {
    const rows = DATA_STORES.flatMap((store) => {
        const config = run.config.dataStores[store] as { mode: "managed" | "external"; requireTls?: boolean; tls?: boolean } | undefined;
        if (!config) return [];
        // Managed Redis and DocumentDB always require TLS (data/redis.ts, data/documentdb.ts).
        const requires = config.mode === "managed" && store !== "mariadb" ? true : requiresTls(config);
        const client = CLIENT_TLS[store];
        const note = requires
            ? `TLS, verified (${client.why})`
            : client.tls
              ? "plain: the store does not require TLS"
              : `**plain, by exception**: ${client.why}; the VPC security groups and NetworkPolicies limit who reaches it (docs/data.md)`;
        return [`| ${store} | ${config.mode} | ${requires ? "yes" : "no"} | ${client.tls ? "yes" : "no"} | ${note} |`];
    });
    return ["| store | mode | requires TLS | client speaks TLS | transport |", "|---|---|---|---|---|", ...rows];
}

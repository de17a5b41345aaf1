/**
 * The architecture page of a stack, drawn from what the program registers
 * (never from the config or the design): the traffic path as a Mermaid
 * diagram, with each resource inside the component that owns it, the
 * components and what they hold, the access matrix from the registered
 * security-group rules, and the stack outputs. `npm run render` writes it to
 * out/<stack>/architecture.md.
 */
import type { CostEstimate } from "../guardrails/costModel";
import { usd } from "../guardrails/costReport";
import { STORE_CONNECTIONS } from "../data/storeConnection";
import { DATA_STORES, DataStore } from "../network/accessMatrixPlan";
import type { ResourceRecord, StackRun } from "../offline/records";
import { accessMatrixTable, egressTable, plural, registeredRules } from "./report";

const T = {
    record: "aws:route53/record:Record",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    binding: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    eksComponent: "eks:index:Cluster",
    eksCluster: "aws:eks/cluster:Cluster",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

/** The resource that holds each managed store, and how the diagram names it. */
const STORE_RESOURCES: Record<DataStore, { type: string; label: (r: ResourceRecord) => string }> = {
    mariadb: {
        type: "aws:rds/instance:Instance",
        label: (r) => `RDS MariaDB ${str(r.inputs.identifier)}<br/>${str(r.inputs.instanceClass)}${r.inputs.multiAz === true ? ", Multi-AZ" : ""}`,
    },
    redis: {
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        label: (r) => `ElastiCache ${str(r.inputs.engine)} ${str(r.inputs.replicationGroupId)}<br/>${str(r.inputs.nodeType)} x ${str(r.inputs.numCacheClusters)}`,
    },
    mongodb: { type: "aws:docdb/cluster:Cluster", label: (r) => `DocumentDB ${str(r.inputs.clusterIdentifier)}` },
};

function str(value: unknown): string {
    return value === undefined || value === null ? "" : String(value);
}

function obj(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function arr(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** Mermaid-safe label text (quotes would end the label). */
function text(label: string): string {
    return label.replace(/"/g, "#quot;");
}

class Diagram {
    private readonly ids = new Map<string, string>();
    private readonly groups = new Map<string, { title: string; nodes: string[] }>();
    private readonly edges: string[] = [];

    constructor(private readonly run: StackRun) {}

    /** Adds a node for a resource inside the subgraph of its top-level component; returns its id. */
    node(resource: ResourceRecord, label: string, shape: "box" | "round" | "db" = "box"): string {
        const existing = this.ids.get(resource.urn);
        if (existing) {
            return existing;
        }
        const id = `n${this.ids.size + 1}`;
        this.ids.set(resource.urn, id);
        const [open, close] = shape === "db" ? ["[(", ")]"] : shape === "round" ? ["(", ")"] : ["[", "]"];
        const component = topComponent(this.run, resource);
        const key = component?.urn ?? "";
        const group = this.groups.get(key) ?? { title: component ? `${component.name} (${component.type})` : "", nodes: [] };
        group.nodes.push(`${id}${open}"${text(label)}"${close}`);
        this.groups.set(key, group);
        return id;
    }

    has(resource: ResourceRecord): boolean {
        return this.ids.has(resource.urn);
    }

    edge(from: string, to: string, label?: string, dashed = false): void {
        const arrow = dashed ? "-.->" : "-->";
        const line = label ? `${from} ${arrow}|"${text(label)}"| ${to}` : `${from} ${arrow} ${to}`;
        if (!this.edges.includes(line)) {
            this.edges.push(line);
        }
    }

    render(extraNodes: string[]): string {
        const lines = ["flowchart LR", ...extraNodes.map((n) => `    ${n}`)];
        let sub = 0;
        for (const [key, group] of this.groups) {
            if (key === "") {
                lines.push(...group.nodes.map((n) => `    ${n}`));
                continue;
            }
            lines.push(`    subgraph g${++sub}["${text(group.title)}"]`, ...group.nodes.map((n) => `        ${n}`), "    end");
        }
        lines.push(...this.edges.map((e) => `    ${e}`));
        return lines.join("\n");
    }
}

/** The outermost component resource a resource sits in (undefined for top-level custom resources). */
export function topComponent(run: StackRun, resource: ResourceRecord): ResourceRecord | undefined {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    let top: ResourceRecord | undefined;
    let current = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (current) {
        if (!current.custom) {
            top = current;
        }
        current = current.parent ? byUrn.get(current.parent) : undefined;
    }
    return top;
}

function linked(run: StackRun, resource: ResourceRecord, property: string, type: string): ResourceRecord[] {
    const urns = resource.propertyDependencies[property] ?? [];
    return run.resources.filter((r) => r.type === type && urns.includes(r.urn));
}

function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** The Mermaid flowchart of the traffic path, as registered. */
export function trafficDiagram(run: StackRun): string {
    const d = new Diagram(run);
    const of = (type: string): ResourceRecord[] => run.resources.filter((r) => r.type === type);
    const internet = "internet((Internet))";
    let anyPublic = false;

    for (const lb of of(T.loadBalancer)) {
        const listeners = of(T.listener).filter((l) => linked(run, l, "loadBalancerArn", T.loadBalancer).includes(lb));
        const describe = listeners.map((l) => {
            const redirect = arr(l.inputs.defaultActions).some((a) => obj(a).type === "redirect");
            return `${str(l.inputs.protocol)} ${str(l.inputs.port)}${l.inputs.sslPolicy ? ` (${str(l.inputs.sslPolicy)})` : ""}${redirect ? " → 301 HTTPS" : ""}`;
        });
        const lbId = d.node(lb, [`ALB ${lb.name}`, ...describe].join("<br/>"));
        for (const record of of(T.record).filter((r) => linked(run, r, "aliases", T.loadBalancer).includes(lb))) {
            const recordId = d.node(record, `Route53 ${str(record.inputs.type)} ${str(record.inputs.name)}`, "round");
            d.edge("internet", recordId);
            d.edge(recordId, lbId, "alias");
            anyPublic = true;
        }
        for (const rule of of(T.listenerRule).filter((r) => listeners.some((l) => linked(run, r, "listenerArn", T.listener).includes(l)))) {
            const hosts = arr(rule.inputs.conditions).flatMap((c) => arr(obj(obj(c).hostHeader).values).map(str));
            for (const group of linked(run, rule, "actions", T.targetGroup)) {
                const groupId = d.node(
                    group,
                    `target group ${group.name}<br/>${str(group.inputs.targetType)} :${str(group.inputs.port)}, health ${str(obj(group.inputs.healthCheck).path)}`,
                );
                d.edge(lbId, groupId, hosts.length > 0 ? `host ${hosts.join(", ")}` : undefined);
            }
        }
    }

    const nodeGroups = of(T.nodeGroup);
    for (const cluster of [...of(T.eksComponent), ...of(T.eksCluster)].slice(0, 1)) {
        const version = str(cluster.inputs.version);
        const clusterId = d.node(cluster, `EKS ${str(cluster.inputs.name) || cluster.name}${version ? ` ${version}` : ""}`, "round");
        for (const nodeGroup of nodeGroups) {
            d.edge(clusterId, d.node(nodeGroup, nodeGroupLabel(nodeGroup)), "schedules pods on", true);
        }
    }
    const deployments = of(T.deployment);
    for (const service of of(T.service)) {
        const spec = obj(service.inputs.spec);
        const meta = obj(service.inputs.metadata);
        const serviceLabel = `Service ${str(meta.name)}<br/>${str(spec.type ?? "ClusterIP")} ${arr(spec.ports)
            .map((p) => str(obj(p).port))
            .join(", ")}`;
        const bindings = of(T.binding).filter(
            (b) => str(obj(obj(b.inputs.spec).serviceRef).name) === str(meta.name) && str(obj(b.inputs.metadata).namespace) === str(meta.namespace),
        );
        // A bound target group reaches the pods behind the Service directly (IP targets kept by the controller).
        for (const binding of bindings) {
            for (const group of linked(run, binding, "spec", T.targetGroup).filter((g) => d.has(g))) {
                d.edge(d.node(group, group.name), d.node(service, serviceLabel), `TargetGroupBinding: pod IPs :${str(obj(obj(binding.inputs.spec).serviceRef).port)}`);
            }
        }
        const serviceId = d.node(service, serviceLabel);
        for (const deployment of deployments) {
            const dm = obj(deployment.inputs.metadata);
            const labels = obj(obj(obj(obj(deployment.inputs.spec).template).metadata).labels);
            if (str(dm.namespace) === str(meta.namespace) && selects(obj(spec.selector), labels)) {
                d.edge(serviceId, d.node(deployment, deploymentLabel(run, deployment)));
            }
        }
    }

    for (const deployment of deployments) {
        // Workers have no Service: they are drawn all the same.
        d.node(deployment, deploymentLabel(run, deployment));
        const containers = arr(obj(obj(obj(deployment.inputs.spec).template).spec).containers);
        const configMaps = containers.flatMap((c) => arr(obj(c).envFrom).map((e) => str(obj(obj(e).configMapRef).name)));
        for (const store of DATA_STORES.filter((s) => configMaps.includes(STORE_CONNECTIONS[s].configMapName))) {
            const depId = d.node(deployment, deploymentLabel(run, deployment));
            const managed = of(STORE_RESOURCES[store].type)[0];
            if (managed) {
                d.edge(depId, d.node(managed, STORE_RESOURCES[store].label(managed), "db"));
                continue;
            }
            const external = of(T.egressRule).find((r) => r.name.endsWith(`-${store}-external`));
            if (external) {
                d.edge(depId, d.node(external, `external ${store}<br/>${str(external.inputs.cidrIpv4)}:${str(external.inputs.fromPort)}`, "db"), undefined, true);
            }
        }
    }

    const alarms = of(T.alarm);
    for (const topic of of(T.topic)) {
        const topicId = d.node(topic, `SNS ${str(topic.inputs.name)}${topic.inputs.kmsMasterKeyId ? " (KMS)" : ""}`, "round");
        if (alarms.length > 0) {
            d.edge(d.node(alarms[0], `${alarms.length} CloudWatch alarms`), topicId, "alarm + OK");
        }
    }
    return d.render(anyPublic ? [internet] : []);
}

function nodeGroupLabel(nodeGroup: ResourceRecord): string {
    const scaling = obj(nodeGroup.inputs.scalingConfig);
    return `node group ${str(obj(nodeGroup.inputs.labels)["iam/node-group"] ?? nodeGroup.name)}<br/>${str(nodeGroup.inputs.capacityType)} ${arr(nodeGroup.inputs.instanceTypes).map(str).join("/")}, ${str(scaling.minSize)}-${str(scaling.maxSize)} nodes`;
}

/** "1 replica", "3 replicas"; a Deployment without `replicas` runs the API server's default of 1. */
function replicasLabel(replicas: unknown): string {
    return typeof replicas === "number" ? plural(replicas, "replica") : "1 replica (default)";
}

function deploymentLabel(run: StackRun, deployment: ResourceRecord): string {
    const meta = obj(deployment.inputs.metadata);
    const hpa = run.resources.find(
        (r) => r.type === T.hpa && str(obj(obj(r.inputs.spec).scaleTargetRef).name) === str(meta.name) && str(obj(r.inputs.metadata).namespace) === str(meta.namespace),
    );
    const scale = hpa ? `HPA ${str(obj(hpa.inputs.spec).minReplicas)}-${str(obj(hpa.inputs.spec).maxReplicas)}` : replicasLabel(obj(deployment.inputs.spec).replicas);
    return `Deployment ${str(meta.namespace)}/${str(meta.name)}<br/>${scale}`;
}

/** Each component and what it holds, by resource type. */
export function componentTable(run: StackRun): string {
    const rows = run.resources
        .filter((r) => !r.custom && !r.type.startsWith("pulumi:"))
        .map((component) => {
            const children = new Map<string, number>();
            for (const child of run.resources.filter((r) => r.parent === component.urn && r.custom)) {
                children.set(child.type, (children.get(child.type) ?? 0) + 1);
            }
            const held = [...children].map(([type, n]) => `${n} \`${type.split(":").pop()}\``).join(", ");
            return `| ${component.name} | \`${component.type}\` | ${held || "(components only)"} |`;
        });
    return ["| component | type | resources it holds directly |", "|---|---|---|", ...rows].join("\n");
}

function outputsList(run: StackRun): string {
    return Object.entries(run.outputs)
        .map(([key, output]) => `- \`${key}\`${output.secret ? " (secret)" : ""}`)
        .join("\n");
}

export function architecturePage(run: StackRun, cost?: CostEstimate): string {
    const rules = registeredRules(run);
    const costSection = cost
        ? [
              "## Monthly cost",
              "",
              `About ${usd(cost.monthly.total)} a month on demand (${usd(cost.monthly.min)} – ${usd(cost.monthly.max)} with usage), prices as of ${cost.pricesAsOf}: the table by component, the chart and every assumption are in [cost.md](cost.md).`,
              "",
          ]
        : [];
    return [
        `# Architecture of stack \`${run.stack}\` (${run.config.environment}, ${run.config.region})`,
        "",
        `Drawn from the ${plural(run.resources.length, "resource")} the program registers for \`Pulumi.${run.stack}.yaml\` (offline render under mocks; regenerate with \`npm run render -- ${run.stack}\`).`,
        "",
        "## Traffic path",
        "",
        "```mermaid",
        trafficDiagram(run),
        "```",
        "",
        "## Components",
        "",
        componentTable(run),
        "",
        "## Access matrix (security-group ingress rules as registered)",
        "",
        accessMatrixTable(rules),
        "",
        "## Egress out of the VPC",
        "",
        egressTable(rules),
        "",
        "## Stack outputs",
        "",
        outputsList(run),
        "",
        ...costSection,
    ].join("\n");
}

/**
 * The architecture page on the real prod run: the diagram follows the
 * traffic path the program registers (Route53 -> ALB -> target group -> node
 * group -> Service -> Deployment -> store), draws only what exists, and the
 * page lists the access matrix and every stack output. `npm run render`
 * writes it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { architecturePage, trafficDiagram } from "../scripts/architecture";
import { writeRender } from "../scripts/render";
import { ofType, runStack, runVariant, StackRun, TEST_NOW } from "./harness";
import { EXTERNAL_MONGODB } from "./variants";

interface Graph {
    labels: Map<string, string>;
    edges: { from: string; to: string; label?: string }[];
}

/** Reads the flowchart back: node labels by id, and the edges. */
function parseMermaid(source: string): Graph {
    const labels = new Map<string, string>();
    const edges: Graph["edges"] = [];
    for (const raw of source.split("\n")) {
        const line = raw.trim();
        // `-->` and the dashed `-.->`, with or without a label.
        const edge = /^(\w+) -\.?->(?:\|"([^"]*)"\|)? (\w+)$/.exec(line);
        if (edge) {
            edges.push({ from: edge[1], to: edge[3], label: edge[2] });
            continue;
        }
        const node = /^(\w+)[[(]{1,2}"([^"]*)"[\])]{1,2}$/.exec(line);
        if (node) {
            labels.set(node[1], node[2]);
        }
    }
    labels.set("internet", "Internet");
    return { labels, edges };
}

/** The id of the one node whose label starts with `prefix`. */
function nodeId(graph: Graph, prefix: string): string {
    const ids = [...graph.labels].filter(([, label]) => label.startsWith(prefix)).map(([id]) => id);
    if (ids.length !== 1) {
        throw new Error(`expected one node labelled "${prefix}...", found ${ids.length}: ${[...graph.labels.values()].join(" | ")}`);
    }
    return ids[0];
}

function hasEdge(graph: Graph, from: string, to: string): boolean {
    return graph.edges.some((e) => e.from === from && e.to === to);
}

describe("the architecture page of prod", () => {
    let run: StackRun;
    let page: string;
    let graph: Graph;
    beforeAll(async () => {
        run = await runStack("prod");
        page = architecturePage(run);
        graph = parseMermaid(trafficDiagram(run));
    });

    it("is well-formed Mermaid: every edge joins declared nodes, every subgraph is closed", () => {
        const diagram = trafficDiagram(run);
        expect(diagram.startsWith("flowchart LR\n")).toBe(true);
        for (const edge of graph.edges) {
            expect(graph.labels.has(edge.from) && graph.labels.has(edge.to)).toBe(true);
        }
        expect((diagram.match(/^\s*subgraph /gm) ?? []).length).toBe((diagram.match(/^\s*end$/gm) ?? []).length);
        expect(page).toContain("```mermaid\nflowchart LR\n");
    });

    it("draws each public host's path from the internet to its pods", () => {
        const alb = ofType(run, "aws:lb/loadBalancer:LoadBalancer")[0];
        const albId = nodeId(graph, `ALB ${alb.name}`);
        expect(graph.labels.get(albId)).toContain("ELBSecurityPolicy-TLS13");
        const publicServices = run.config.services.filter((s) => s.public);
        expect(publicServices.length).toBe(2);
        for (const service of publicServices) {
            const endpoint = service.public;
            if (!endpoint) {
                continue;
            }
            const record = nodeId(graph, `Route53 A ${endpoint.fqdn}`);
            expect(hasEdge(graph, "internet", record) && hasEdge(graph, record, albId)).toBe(true);
            const group = graph.edges.find((e) => e.from === albId && e.label === `host ${endpoint.fqdn}`);
            expect(group).toBeDefined();
            const port = service.ports.find((p) => p.name === endpoint.port)?.port;
            expect(graph.labels.get(group?.to ?? "")).toContain(`ip :${port}`);
            // The target group reaches the pods behind the public Service through its binding: no node group, no NodePort.
            const publicService = nodeId(graph, `Service ${service.name}-public`);
            expect(graph.edges.filter((e) => e.from === group?.to).map((e) => [e.to, e.label])).toEqual([[publicService, `TargetGroupBinding: pod IPs :${port}`]]);
            expect(graph.labels.get(publicService)).toContain(`ClusterIP ${port}`);
            expect(hasEdge(graph, publicService, nodeId(graph, `Deployment ${run.config.workloads.namespace}/${service.name}`))).toBe(true);
        }
    });

    it("connects every workload to the managed stores it uses", () => {
        const stores = {
            mariadb: nodeId(graph, "RDS MariaDB iam-prod-mariadb"),
            redis: nodeId(graph, "ElastiCache redis iam-prod-redis"),
            mongodb: nodeId(graph, "DocumentDB iam-prod-docdb"),
        };
        for (const service of run.config.services) {
            const deployment = nodeId(graph, `Deployment ${run.config.workloads.namespace}/${service.name}`);
            const reached = Object.entries(stores)
                .filter(([, id]) => hasEdge(graph, deployment, id))
                .map(([store]) => store);
            expect([service.name, reached.sort()]).toEqual([service.name, [...service.stores].sort()]);
        }
    });

    it("shows the node groups, the cluster and the alarms' topic", () => {
        for (const nodeGroup of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
            expect(page).toContain(String((nodeGroup.inputs.labels as Record<string, string>)["iam/node-group"]));
        }
        expect(page).toContain(`EKS ${String(run.outputs.clusterName.value)}`);
        expect(page).toMatch(/\d+ CloudWatch alarms"\]\n[\s\S]*\|"alarm \+ OK"\|/);
    });

    it("lists the components and the access matrix as registered", () => {
        expect(page).toContain("| iam-edge | `iam:edge:Edge` |");
        expect(page).toContain("| 0.0.0.0/0 | loadBalancer | tcp/443 |");
        expect(page).toContain("| appNodes | mariadb | tcp/3306 |");
        expect(page).not.toMatch(/\| 0\.0\.0\.0\/0 \| (appNodes|mariadb|redis|mongodb) \|/);
    });

    it("lists every stack output", () => {
        const section = page.slice(page.indexOf("## Stack outputs"));
        for (const key of Object.keys(run.outputs)) {
            expect(section).toContain(`- \`${key}\``);
        }
        expect(section).toContain("- `kubeconfig` (secret)");
    });
});

describe("the architecture page draws only what exists", () => {
    it("shows an external MongoDB as external, and no DocumentDB", async () => {
        const run = await runVariant("staging-external-mongodb");
        const diagram = trafficDiagram(run);
        expect(diagram).not.toContain("DocumentDB");
        const graph = parseMermaid(diagram);
        const external = nodeId(graph, "external mongodb");
        expect(graph.labels.get(external)).toContain(`${EXTERNAL_MONGODB.egressCidr}:27017`);
        expect(hasEdge(graph, nodeId(graph, "Deployment iam/iam-pump"), external)).toBe(true);
    });
});

describe("npm run render", () => {
    // The command itself runs once, in test/render.test.ts; here its writer, on the prod run.
    it("writes out/<stack>/architecture.md", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "iam-architecture-"));
        try {
            const run = await runStack("prod");
            writeRender(run, path.join(out, "prod"), TEST_NOW);
            const page = fs.readFileSync(path.join(out, "prod", "architecture.md"), "utf8");
            expect(page).toMatch(/^# Architecture of stack `prod` \(prod, eu-west-1\)/);
            expect(page).toContain(`iam.api.${run.config.domain}`);
            // The monthly estimate the same render writes, linked from the page.
            expect(page).toMatch(/## Monthly cost\n\nAbout \$[\d,]+\.\d\d a month .*\[cost\.md\]\(cost\.md\)/);
            const cost = JSON.parse(fs.readFileSync(path.join(out, "prod", "cost.json"), "utf8")) as { monthly: { total: number } };
            expect(fs.readFileSync(path.join(out, "prod", "cost.md"), "utf8")).toContain(`# Monthly cost estimate: prod`);
            expect(cost.monthly.total).toBeGreaterThan(0);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
});

/**
 * The offline render as a user runs it. One real `npm run render -- staging`
 * in a child process proves the command works end to end; the rest calls the
 * render's own function in-process (same code, no second program load), on
 * the real stack files and on broken copies of them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { render, RENDER_FILES, USAGE } from "../scripts/render";
import { pemBlocks } from "../data/caBundle";
import { ciIdentitiesWarnings } from "../ci-identities/ciIdentitiesConfig";
import { exampleValueWarnings } from "../lib/configWarnings";
import { parseText } from "../offline/stackFile";
import { ciIdentitiesConfig, ciIdentitiesStacks } from "./ciIdentitiesHarness";
import { readRegistryStackFile } from "./registryHarness";
import { rawStackConfig, REPO_ROOT, STAND_IN_CA_BUNDLE_FILE, TEST_CA_BUNDLE_FILE, TEST_NOW } from "./harness";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-render-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Rendered {
    code: number;
    out: string;
    err: string;
}

/**
 * Runs the render in-process with IAM_STACK_DIR / IAM_RENDER_OUT set as given,
 * and the clock (IAM_NOW) pinned like every test's (TEST_NOW) unless given.
 */
async function renderInProcess(args: string[], env: { stackDir?: string; out?: string; now?: string } = {}): Promise<Rendered> {
    const saved = { stackDir: process.env.IAM_STACK_DIR, out: process.env.IAM_RENDER_OUT, now: process.env.IAM_NOW };
    const set = (key: string, value: string | undefined): void => {
        if (value === undefined) {
            delete process.env[key];
        } else {
            process.env[key] = value;
        }
    };
    set("IAM_STACK_DIR", env.stackDir);
    set("IAM_RENDER_OUT", env.out);
    set("IAM_NOW", env.now ?? TEST_NOW.toISOString());
    let out = "";
    let err = "";
    try {
        const code = await render(args, {
            out: (text) => {
                out += text;
            },
            err: (text) => {
                err += text;
            },
        });
        return { code, out, err };
    } finally {
        set("IAM_STACK_DIR", saved.stackDir);
        set("IAM_RENDER_OUT", saved.out);
        set("IAM_NOW", saved.now);
    }
}

/** A folder holding `Pulumi.<name>.yaml` with the given text; returns the folder. */
function stackDir(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(tmp, "stacks-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    return dir;
}

const stagingText = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8");

/**
 * One real `npm run render -- staging` in a child process: the staging file
 * with its secret set (as `pulumi config set --secret` writes it), on a day
 * within 60 days of 1.35's end of standard support. One program run covers
 * the command end to end, the secret placeholder, the dated warning and the
 * content of every file.
 */
describe("npm run render -- staging (a real child process)", () => {
    const out = path.join(tmp, "cli-out");
    const dir = path.join(out, "staging");
    const config = rawStackConfig("staging").values as {
        domain: string;
        registry: { account: string };
        services: {
            name: string;
            image: { tag: string };
            ports: { name: string; port: number }[];
            health: { path: string; port: string };
            public?: { port: string; nodePort: number };
            workload?: { replicas?: { max?: number } };
        }[];
    };
    let result: { status: number | null; stdout: string; stderr: string };
    let manifests: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> }[];
    beforeAll(() => {
        const text = `${stagingText.trimEnd()}\n  iam:alarmWebhookUrl:\n    secure: v1:c2FsdA==:Y2lwaGVydGV4dA==\n`;
        result = spawnSync("npm", ["run", "--silent", "render", "--", "staging"], {
            cwd: REPO_ROOT,
            // No IAM_RDS_CA_BUNDLE_FILE: the render takes the stand-in bundle (offline/standInCaBundle.pem).
            env: { ...process.env, IAM_STACK_DIR: stackDir("staging", text), IAM_RENDER_OUT: out, IAM_NOW: "2027-02-01", IAM_RDS_CA_BUNDLE_FILE: "" },
            encoding: "utf8",
        });
        manifests = parseAllDocuments(fs.readFileSync(path.join(dir, "manifests.yaml"), "utf8")).map((doc) => doc.toJS() as (typeof manifests)[number]);
    });
    const find = (kind: string, name: string): (typeof manifests)[number] => {
        const found = manifests.find((m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === "iam");
        if (!found) {
            throw new Error(`no ${kind} iam/${name} in manifests.yaml`);
        }
        return found;
    };

    it("succeeds and prints resource counts by type", () => {
        // Nothing but config warnings (the stack files keep the example domain, networks and account: test/configSchema.test.ts).
        expect(result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("warning: "))).toEqual([]);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/Rendered stack staging \(staging, eu-west-1\): \d+ resources/);
        expect(result.stdout).toMatch(/^\s+6\s+aws:ec2\/securityGroup:SecurityGroup$/m);
    });

    it("prints the warning of a Kubernetes version within 60 days of its end of standard support (IAM_NOW), and still renders", () => {
        expect(result.stderr).toMatch(/^warning: cluster\.version \(1\.35\): EKS standard support for 1\.35 ends on 2027-03-27 \(in 54 days\)/m);
        expect(result.status).toBe(0);
    });

    it("writes every file it names", () => {
        for (const file of RENDER_FILES) {
            expect(fs.statSync(path.join(dir, file)).size).toBeGreaterThan(0);
        }
        const page = fs.readFileSync(path.join(dir, "architecture.md"), "utf8");
        expect(page).toMatch(/^# Architecture of stack `staging` \(staging, eu-west-1\)/);
        expect(page).toContain(`iam.api.${config.domain}`);
    });

    it("hands the pods the labelled stand-in RDS CA bundle, not the tests' fixture, and says so", () => {
        expect(result.stdout).toContain(`RDS CA bundle: STAND-IN, not AWS's (${path.join("offline", "standInCaBundle.pem")})`);
        const bundle = find("ConfigMap", "rds-ca-bundle") as unknown as { data: Record<string, string> };
        const standIn = `${pemBlocks(fs.readFileSync(STAND_IN_CA_BUNDLE_FILE, "utf8")).join("\n")}\n`;
        expect(Object.values(bundle.data)).toEqual([standIn]);
        expect(Object.values(bundle.data)[0]).not.toContain(pemBlocks(fs.readFileSync(TEST_CA_BUNDLE_FILE, "utf8"))[0]);
    });

    it("gives a secure key a secret placeholder that the program uses", () => {
        const resources = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8")) as {
            type: string;
            name: string;
            inputs: Record<string, unknown>;
            secretPaths: string[];
        }[];
        const webhook = resources.find((r) => r.name === "iam-alarms-oncall-webhook");
        expect(webhook).toMatchObject({ inputs: { protocol: "https", endpoint: "[secret]" }, secretPaths: ["endpoint"] });
        const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        expect(vpc).toMatchObject({ name: "iam-network-vpc", inputs: { cidrBlock: "10.30.0.0/16" } });
    });

    it("writes the access matrix report with a table and a Mermaid diagram", () => {
        const report = fs.readFileSync(path.join(dir, "report.md"), "utf8");
        expect(report).toContain("| 0.0.0.0/0 | loadBalancer | tcp/443 |");
        expect(report).toContain("| appNodes | mariadb | tcp/3306 |");
        expect(report).toMatch(/```mermaid\nflowchart LR\n[\s\S]*internet\["internet"\] -->\|"80, 443"\| loadBalancer/);
    });

    it("writes the monthly estimate: cost.json with every line's assumption, cost.md with a table by component and a pie chart", () => {
        const cost = JSON.parse(fs.readFileSync(path.join(dir, "cost.json"), "utf8")) as {
            currency: string;
            region: string;
            pricesAsOf: string;
            monthly: { total: number; min: number; max: number };
            items: { resource: string; type: string; component: string; quantity: number; unit: string; unitPrice: number; monthly: number; assumption: string }[];
        };
        expect(cost).toMatchObject({ currency: "USD", region: "eu-west-1", pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
        expect(cost.monthly.min).toBeLessThanOrEqual(cost.monthly.total);
        expect(cost.monthly.max).toBeGreaterThanOrEqual(cost.monthly.total);
        for (const item of cost.items) {
            expect(Object.keys(item)).toEqual(expect.arrayContaining(["resource", "type", "component", "quantity", "unit", "unitPrice", "monthly", "assumption"]));
            expect(item.assumption.length).toBeGreaterThan(0);
        }
        const md = fs.readFileSync(path.join(dir, "cost.md"), "utf8");
        expect(md).toMatch(/```mermaid\npie showData title staging: USD a month by area\n/);
        expect(md).toMatch(/\| `iam:cluster:ManagedNodeGroup` \| \$[\d,]+\.\d\d \|/);
        expect(result.stdout).toMatch(/Monthly estimate: \$\d+\.\d\d on demand/);
    });

    it("marks the outputs that are mock values, and only those", () => {
        const doc = JSON.parse(fs.readFileSync(path.join(dir, "outputs.json"), "utf8")) as { note: string; outputs: Record<string, { mock: boolean; value: unknown }> };
        expect(doc.note).toMatch(/mock/);
        expect(doc.outputs.vpcId).toMatchObject({ mock: true, value: "iam-network-vpc-id" });
        expect(doc.outputs.certificateArn.mock).toBe(true);
        // Computed from config alone: what the real stack will output too.
        expect(doc.outputs.serviceUrls).toMatchObject({ mock: false, value: { "iam-apiserver": `https://iam.api.${config.domain}` } });
    });

    it("says 1 replica, not 1 replicas", () => {
        const page = fs.readFileSync(path.join(dir, "architecture.md"), "utf8");
        expect(page).toContain('Deployment cluster-headroom/headroom<br/>1 replica"');
        expect(page).not.toMatch(/\b1 replicas\b/);
    });

    it("has every object well-formed", () => {
        expect(manifests.length).toBeGreaterThan(20);
        for (const m of manifests) {
            expect(m.apiVersion).toBeTruthy();
            expect(m.kind).toBeTruthy();
            expect(m.metadata?.name).toBeTruthy();
        }
    });

    it("has each service's Deployment with its image, ports, probes, resources and security context", () => {
        for (const service of config.services) {
            const deployment = find("Deployment", service.name);
            const spec = deployment.spec as {
                selector: { matchLabels: Record<string, string> };
                template: { metadata: { labels: Record<string, string> }; spec: { containers: Record<string, unknown>[] } };
            };
            expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
            const container = spec.template.spec.containers[0];
            // The image the registry lookup found for the tag, pinned by digest.
            expect(container.image).toMatch(new RegExp(`^${String(config.registry.account)}\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/${service.name}@sha256:[0-9a-f]{64}$`));
            expect(container.ports).toEqual(service.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })));
            for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
                expect(container[probe]).toMatchObject({ httpGet: { path: service.health.path, port: service.health.port } });
            }
            expect(container.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
            expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        }
    });

    it("has each public service's Service, a TargetGroupBinding onto it, and the in-cluster Service a caller uses", () => {
        for (const service of config.services.filter((s) => s.public)) {
            const port = service.ports.find((p) => p.name === service.public?.port);
            expect(find("Service", `${service.name}-public`).spec).toMatchObject({
                type: "ClusterIP",
                ports: [{ name: service.public?.port, port: port?.port, targetPort: service.public?.port }],
            });
            const bindings = manifests.filter(
                (m) => m.kind === "TargetGroupBinding" && (m.spec as { serviceRef?: { name?: string } }).serviceRef?.name === `${service.name}-public`,
            );
            expect(bindings.map((b) => b.spec)).toEqual([expect.objectContaining({ targetType: "ip", serviceRef: { name: `${service.name}-public`, port: port?.port } })]);
        }
        // iam-authz-server calls the apiserver's gRPC port.
        expect(find("Service", "iam-apiserver").spec).toMatchObject({ type: "ClusterIP", ports: [{ name: "grpc", port: 8081, targetPort: "grpc" }] });
    });

    it("has a PDB for each Deployment, and an HPA or (a fixed count) spec.replicas", () => {
        const scaled: string[] = [];
        for (const service of config.services) {
            const spec = find("Deployment", service.name).spec as { selector: unknown; replicas?: number };
            const max = service.workload?.replicas?.max;
            const hpa = manifests.find((m) => m.kind === "HorizontalPodAutoscaler" && m.metadata.name === service.name);
            if (hpa) {
                scaled.push(service.name);
                expect(spec.replicas).toBeUndefined();
                expect(hpa.spec).toMatchObject({
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: service.name },
                    minReplicas: expect.any(Number),
                    ...(max !== undefined ? { maxReplicas: max } : {}),
                });
            } else {
                expect(spec.replicas).toBe(max);
            }
            expect(find("PodDisruptionBudget", service.name).spec).toMatchObject({ selector: spec.selector });
        }
        expect(scaled).toEqual(expect.arrayContaining(["iam-apiserver", "iam-authz-server"]));
    });

    it("has the NetworkPolicies: default deny, DNS, and each service's own rules", () => {
        expect(find("NetworkPolicy", "default-deny-all").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(find("NetworkPolicy", "allow-dns").spec).toMatchObject({
            policyTypes: ["Egress"],
            egress: [
                {
                    ports: [
                        { port: 53, protocol: "UDP" },
                        { port: 53, protocol: "TCP" },
                    ],
                },
            ],
        });
        expect(find("NetworkPolicy", "iam-apiserver-ingress").spec).toMatchObject({
            policyTypes: ["Ingress"],
            ingress: expect.arrayContaining([expect.objectContaining({ ports: [{ port: 8081, protocol: "TCP" }] })]),
        });
        for (const service of config.services) {
            expect(find("NetworkPolicy", `${service.name}-egress`).spec).toMatchObject({ policyTypes: ["Egress"], egress: expect.any(Array) });
        }
    });

    it("has the application namespace under the restricted Pod Security level", () => {
        const ns = manifests.find((m) => m.kind === "Namespace" && m.metadata.name === "iam");
        expect(ns?.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
    });
});

describe("the render refuses what it cannot render, without a stack trace", () => {
    const noTrace = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

    it("explains itself on --help", async () => {
        const result = await renderInProcess(["--help"]);
        expect(result).toMatchObject({ code: 0, out: USAGE, err: "" });
        expect(USAGE).toMatch(/^usage: npm run render -- <stack>/);
        for (const file of RENDER_FILES) {
            expect(USAGE).toContain(file);
        }
    });

    it.each([
        ["no stack", [], /^usage: npm run render -- <stack>[\s\S]*stacks here: prod, staging \(and registry, the registry project; ci-identities, the CI identities project\)\n$/],
        [
            "a misspelt stack",
            ["prdo"],
            /^no stack "prdo": there is no Pulumi\.prdo\.yaml; stacks here: prod, staging \(and registry, the registry project; ci-identities, the CI identities project\)\n$/,
        ],
        ["two stacks", ["prod", "staging"], /^usage: [\s\S]*stacks here: prod, staging \(and registry, the registry project; ci-identities, the CI identities project\)\n$/],
    ])("exits 2 on %s and lists the stacks that exist", async (_name, args, message) => {
        const result = await renderInProcess(args);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
        expect(result.out).toBe("");
    });

    it.each([
        ["a tab for indentation", "\tcidr: 10.30.0.0/16", /Tabs are not allowed as indentation/],
        ["an unclosed quote", '    cidr: "10.30.0.0/16', /Missing closing "quote/],
    ])("names the file and line of a YAML syntax error: %s", async (_name, typo, message) => {
        const lines = stagingText.split("\n");
        const at = lines.findIndex((l) => l.startsWith("    cidr: 10.30.0.0/16"));
        lines[at] = typo;
        const out = path.join(tmp, "yaml-out");
        const dir = stackDir("typo", lines.join("\n"));
        const result = await renderInProcess(["typo"], { stackDir: dir, out });
        expect(result.code).toBe(1);
        expect(result.err.startsWith(`${path.join(dir, "Pulumi.typo.yaml")}:${at + 1}:`)).toBe(true);
        expect(result.err).toMatch(message);
        expect(result.err.split("\n")).toHaveLength(2);
        noTrace(result.err);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("exits 1 naming IAM_RDS_CA_BUNDLE_FILE when it names no file, and writes nothing", async () => {
        const out = path.join(tmp, "no-ca-out");
        const saved = process.env.IAM_RDS_CA_BUNDLE_FILE;
        process.env.IAM_RDS_CA_BUNDLE_FILE = path.join(tmp, "missing-bundle.pem");
        try {
            const result = await renderInProcess(["staging"], { out });
            expect(result).toMatchObject({ code: 1, out: "" });
            expect(result.err).toBe(
                `IAM_RDS_CA_BUNDLE_FILE=${path.join(tmp, "missing-bundle.pem")}: no such file; point it at a downloaded copy of AWS's bundle (docs/data.md), or unset it to render with the stand-in\n`,
            );
            expect(fs.existsSync(out)).toBe(false);
        } finally {
            if (saved === undefined) {
                delete process.env.IAM_RDS_CA_BUNDLE_FILE;
            } else {
                process.env.IAM_RDS_CA_BUNDLE_FILE = saved;
            }
        }
    });

    it("exits 1 with every bad field and writes nothing", async () => {
        const doc = parseYaml(stagingText) as { config: Record<string, unknown> };
        (doc.config["iam:network"] as Record<string, unknown>).cidr = "10.300.0.0/16";
        doc.config["iam:domain"] = "not a domain";
        const out = path.join(tmp, "broken-out");
        const result = await renderInProcess(["broken"], { stackDir: stackDir("broken", JSON.stringify(doc)), out });
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/Invalid stack config \(2 problems\); nothing was created/);
        expect(result.err).toMatch(/- network\.cidr must be an IPv4 CIDR/);
        expect(result.err).toMatch(/- domain must be a lowercase DNS domain/);
        noTrace(result.err);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("checks secure keys as pulumi preview does: a misspelt secret is an unknown key", async () => {
        const text = `${stagingText.trimEnd()}\n  iam:alarmWebhookUrll:\n    secure: v1:c2FsdA==:Y2lwaGVydGV4dA==\n`;
        const out = path.join(tmp, "secure-out");
        const result = await renderInProcess(["secure"], { stackDir: stackDir("secure", text), out });
        expect(result.code).toBe(1);
        expect(result.err).toMatch(
            /Invalid stack config \(1 problem\); nothing was created:\n {2}- alarmWebhookUrll is not a known key \(allowed: [^)]*alarmWebhookUrl\): did you mean alarmWebhookUrl\?\n$/,
        );
        expect(fs.existsSync(out)).toBe(false);
    });

    it("refuses the on-call webhook in plain text, without showing it, and says how to set it encrypted", async () => {
        const text = `${stagingText.trimEnd()}\n  iam:alarmWebhookUrl: https://events.pagerduty.com/integration/plain-key-123/enqueue\n`;
        const out = path.join(tmp, "plaintext-out");
        const result = await renderInProcess(["plaintext"], { stackDir: stackDir("plaintext", text), out });
        expect(result.code).toBe(1);
        expect(result.err).toContain(
            "- alarmWebhookUrl is written in plain text in the stack file (the value is not shown): remove it and set it encrypted with pulumi config set --secret iam:alarmWebhookUrl '<value>'",
        );
        expect(result.err).not.toContain("plain-key-123");
        expect(fs.existsSync(out)).toBe(false);
    });
});

describe("npm run render -- registry", () => {
    const out = path.join(tmp, "out-registry");
    let result: Rendered;
    beforeAll(async () => {
        result = await renderInProcess(["registry"], { out });
    });

    it("renders the registry project's stack file (registry/Pulumi.shared.yaml) and prints its resources", () => {
        expect(result.code).toBe(0);
        expect(result.out).toMatch(/^Rendered registry stack shared: \d+ resources$/m);
        expect(result.out).toMatch(/^\s+4\s+aws:ecr\/repository:Repository$/m);
    });

    it("warns about the example accounts left in the file (the registry's and each pull account), by key", () => {
        // The committed file's example accounts are warned about so...
        expect(exampleValueWarnings({ account: 123456789012, pullAccounts: ["210987654321"] })).toEqual([
            "account (123456789012) is AWS's documentation account id: replace it with your own before deploying",
            "pullAccounts[0] (210987654321) is this repository's placeholder account id: replace it with your own before deploying",
        ]);
        // ...and the render prints exactly the warnings of the file's values (none once an operator set their own).
        const values = Object.fromEntries(
            Object.entries(readRegistryStackFile("shared"))
                .filter(([key]) => key.startsWith("iam-registry:"))
                .map(([key, text]) => [key.slice("iam-registry:".length), parseText(text)]),
        );
        expect(result.err).toBe(
            exampleValueWarnings(values)
                .map((w) => `warning: iam-registry:${w}\n`)
                .join(""),
        );
    });

    it("writes its resources and outputs: registry id, region, repository URLs", () => {
        const resources = JSON.parse(fs.readFileSync(path.join(out, "registry", "shared", "resources.json"), "utf8")) as { type: string; urn: string }[];
        expect(resources.filter((r) => r.type === "aws:ecr/repository:Repository").map((r) => r.urn)).toContain(
            "urn:pulumi:shared::iam-registry::iam:registry:Registry$aws:ecr/repository:Repository::iam-registry-iam-apiserver",
        );
        const outputs = JSON.parse(fs.readFileSync(path.join(out, "registry", "shared", "outputs.json"), "utf8")) as Record<string, { value: unknown }>;
        expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["registryId", "region", "repositoryUrls"]));
    });
});

describe("npm run render -- ci-identities", () => {
    const out = path.join(tmp, "out-ci-identities");
    let result: Rendered;
    beforeAll(async () => {
        result = await renderInProcess(["ci-identities"], { out });
    });

    it("renders every account's stack file of the CI identities project (ci-identities/Pulumi.<account>.yaml) offline, warning about its example values", () => {
        // The warnings of each file's values (the committed files' example repository, accounts and buckets; none for an operator's own).
        const warnings = ciIdentitiesStacks().flatMap((stack) => ciIdentitiesWarnings(ciIdentitiesConfig(stack)));
        expect(result.err.split("\n").filter((l) => l !== "")).toEqual(expect.arrayContaining(warnings.map((w) => `warning: ${w}`)));
        expect(result.err.split("\n").filter((l) => l !== "" && !l.startsWith("warning: iam-ci-identities:"))).toEqual([]);
        expect(result.code).toBe(0);
        expect(result.out).toMatch(/^Rendered ci-identities stack prod: \d+ resources$/m);
        expect(result.out).toMatch(/^Rendered ci-identities stack staging: \d+ resources$/m);
        expect(result.out).toMatch(/^\s+1\s+aws:iam\/openIdConnectProvider:OpenIdConnectProvider$/m);
    });

    it("writes each stack's roles and the repository variables the workflows read", () => {
        const resources = JSON.parse(fs.readFileSync(path.join(out, "ci-identities", "prod", "resources.json"), "utf8")) as { type: string; inputs: { name?: string } }[];
        expect(
            resources
                .filter((r) => r.type === "aws:iam/role:Role")
                .map((r) => r.inputs.name)
                .sort(),
        ).toEqual(["ci-iam-catalog-read", "ci-iam-deploy-prod", "ci-iam-image-push", "ci-iam-preview-prod"]);
        const outputs = JSON.parse(fs.readFileSync(path.join(out, "ci-identities", "staging", "outputs.json"), "utf8")) as Record<string, { value: unknown }>;
        expect(Object.keys(outputs.githubVariables.value as object)).toEqual([
            "AWS_REGION",
            "AWS_STAGING_DEPLOY_ROLE_ARN",
            "AWS_STAGING_PREVIEW_ROLE_ARN",
            "PULUMI_STAGING_BACKEND_URL",
        ]);
    });

    it("exits 2 for a stack file that does not exist", async () => {
        const missing = await renderInProcess(["ci-identities/nope"], { out });
        expect(missing.code).toBe(2);
        expect(missing.err).toMatch(/^no ci-identities stack file .*ci-identities\/Pulumi\.nope\.yaml\n$/);
    });
});

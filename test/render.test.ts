/**
 * The offline render as a user runs it: `npm run render -- <stack>` in a
 * child process, on the real stack file and on a broken copy of it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { REPO_ROOT, TEST_NOW } from "./harness";

function render(stack: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "scripts/render.ts", stack], {
        cwd: REPO_ROOT,
        // The clock pinned like every test's (test/harness.ts TEST_NOW) unless a test sets its own.
        env: { ...process.env, IAM_NOW: TEST_NOW.toISOString(), ...env },
        encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-render-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run render -- staging", () => {
    const out = path.join(tmp, "out");
    let result: ReturnType<typeof render>;
    beforeAll(() => {
        result = render("staging", { IAM_RENDER_OUT: out });
    });

    it("succeeds and prints resource counts by type", () => {
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/Rendered stack staging \(staging, eu-west-1\): \d+ resources/);
        expect(result.stdout).toMatch(/^\s+5\s+aws:ec2\/securityGroup:SecurityGroup$/m);
    });

    it("writes every resource with its type, name, parent and inputs", () => {
        const resources = JSON.parse(fs.readFileSync(path.join(out, "staging", "resources.json"), "utf8")) as { type: string; name: string; parent?: string; inputs: Record<string, unknown> }[];
        const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        expect(vpc).toMatchObject({ name: "iam-network-vpc", inputs: { cidrBlock: "10.30.0.0/16" } });
        expect(vpc?.parent).toMatch(/iam:network:Network::iam-network$/);
    });

    it("writes the access matrix report with a table and a Mermaid diagram", () => {
        const report = fs.readFileSync(path.join(out, "staging", "report.md"), "utf8");
        expect(report).toContain("| 0.0.0.0/0 | loadBalancer | tcp/443 |");
        expect(report).toContain("| appNodes | mariadb | tcp/3306 |");
        expect(report).toMatch(/```mermaid\nflowchart LR\n[\s\S]*internet\["internet"\] -->\|"80, 443"\| loadBalancer/);
    });

    it("writes the monthly estimate: cost.json with every line's assumption, cost.md with a table by component and a pie chart", () => {
        const cost = JSON.parse(fs.readFileSync(path.join(out, "staging", "cost.json"), "utf8")) as {
            currency: string; region: string; pricesAsOf: string; monthly: { total: number; min: number; max: number };
            items: { resource: string; type: string; component: string; quantity: number; unit: string; unitPrice: number; monthly: number; assumption: string }[];
        };
        expect(cost).toMatchObject({ currency: "USD", region: "eu-west-1", pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
        expect(cost.monthly.min).toBeLessThanOrEqual(cost.monthly.total);
        expect(cost.monthly.max).toBeGreaterThanOrEqual(cost.monthly.total);
        for (const item of cost.items) {
            expect(Object.keys(item)).toEqual(expect.arrayContaining(["resource", "type", "component", "quantity", "unit", "unitPrice", "monthly", "assumption"]));
            expect(item.assumption.length).toBeGreaterThan(0);
        }
        const md = fs.readFileSync(path.join(out, "staging", "cost.md"), "utf8");
        expect(md).toMatch(/```mermaid\npie showData title staging: USD a month by area\n/);
        expect(md).toMatch(/\| `iam:cluster:ManagedNodeGroup` \| \$[\d,]+\.\d\d \|/);
        expect(result.stdout).toMatch(/Monthly estimate: \$\d+\.\d\d on demand/);
    });

    it("writes the Kubernetes manifests as YAML documents", () => {
        const docs = parseAllDocuments(fs.readFileSync(path.join(out, "staging", "manifests.yaml"), "utf8"));
        expect(docs.length).toBeGreaterThan(20);
        for (const doc of docs) {
            const manifest = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
            expect(manifest.apiVersion).toBeTruthy();
            expect(manifest.kind).toBeTruthy();
            expect(manifest.metadata?.name).toBeTruthy();
        }
    });
});

describe("npm run render as of a later day (IAM_NOW)", () => {
    it("prints the warning of a Kubernetes version within 60 days of its end of standard support, and still renders", () => {
        const result = render("staging", { IAM_RENDER_OUT: path.join(tmp, "later"), IAM_NOW: "2027-02-01" });
        expect(result.status).toBe(0);
        expect(result.stderr).toMatch(/^warning: cluster\.version \(1\.35\): EKS standard support for 1\.35 ends on 2027-03-27 \(in 54 days\)/m);
    });
});

describe("npm run render on an invalid stack file", () => {
    it("exits 1 with every bad field and writes nothing", () => {
        const dir = path.join(tmp, "broken");
        fs.mkdirSync(dir, { recursive: true });
        const doc = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> };
        (doc.config["iam:network"] as Record<string, unknown>).cidr = "10.300.0.0/16";
        doc.config["iam:domain"] = "not a domain";
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), JSON.stringify(doc));
        const out = path.join(tmp, "broken-out");
        const result = render("broken", { IAM_STACK_DIR: dir, IAM_RENDER_OUT: out });
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/Invalid stack config \(2 problems\); nothing was created/);
        expect(result.stderr).toMatch(/- network\.cidr must be an IPv4 CIDR/);
        expect(result.stderr).toMatch(/- domain must be a lowercase DNS domain/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("explains its usage without a stack", () => {
        const result = render("", {});
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/usage: npm run render -- <stack>/);
    });
});

describe("npm run render -- registry", () => {
    const out = path.join(tmp, "out-registry");
    let result: ReturnType<typeof render>;
    beforeAll(() => {
        result = render("registry", { IAM_RENDER_OUT: out });
    });

    it("renders the registry project's stack file (registry/Pulumi.shared.yaml) and prints its resources", () => {
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/^Rendered registry stack shared: \d+ resources$/m);
        expect(result.stdout).toMatch(/^\s+4\s+aws:ecr\/repository:Repository$/m);
    });

    it("writes its resources and outputs: registry id, region, repository URLs", () => {
        const resources = JSON.parse(fs.readFileSync(path.join(out, "registry", "shared", "resources.json"), "utf8")) as { type: string; urn: string }[];
        expect(resources.filter((r) => r.type === "aws:ecr/repository:Repository").map((r) => r.urn)).toContain(
            "urn:pulumi:shared::iam-registry::iam:registry:Registry$aws:ecr/repository:Repository::iam-registry-iam-apiserver");
        const outputs = JSON.parse(fs.readFileSync(path.join(out, "registry", "shared", "outputs.json"), "utf8")) as Record<string, { value: unknown }>;
        expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["registryId", "region", "repositoryUrls"]));
    });
});

/**
 * docs/operations/runners.md against what the program really fetches at
 * preview and update time: every chart repository host of a Helm release in
 * prod, staging and their variants, the RDS truststore and its offline
 * override, the per-stack runner labels, and the links that lead a reader
 * there from the bootstrap and the guardrails. Reads the harness's shared runs.
 */
import * as fs from "fs";
import * as path from "path";
import { availableStacks, REPO_ROOT, runStack, runVariant, StackRun } from "./harness";
import { VariantName, VARIANTS } from "./variants";
import { CA_BUNDLE_FILE_ENV } from "../data/caBundle";
import { RDS_CA_BUNDLE } from "../data/catalog";

const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "operations", "runners.md"), "utf8");
const hostOf = (url: string): string => new URL(url.replace(/^oci:\/\//, "https://")).host;

let runs: StackRun[];
beforeAll(async () => {
    runs = [...(await Promise.all(availableStacks().map((s) => runStack(s)))), ...(await Promise.all(Object.keys(VARIANTS).map((v) => runVariant(v as VariantName))))];
});

describe("docs/operations/runners.md", () => {
    it("lists every host a Helm chart is fetched from (the runner must reach it at every preview and update)", () => {
        const releases = runs.flatMap((r) => r.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release"));
        const sources = releases.map((r) => {
            const chart = String(r.inputs.chart);
            const repo = (r.inputs.repositoryOpts as { repo?: string } | undefined)?.repo;
            return chart.startsWith("oci://") ? chart : String(repo);
        });
        const hosts = [...new Set(sources.map(hostOf))].sort();
        expect(hosts.length).toBeGreaterThanOrEqual(5);
        expect(hosts.filter((host) => !doc.includes(`\`${host}\``))).toEqual([]);
    });

    it("names the RDS truststore host and the variable that replaces it offline", () => {
        expect(doc).toContain(`\`${hostOf(RDS_CA_BUNDLE.url)}\``);
        expect(doc).toContain(RDS_CA_BUNDLE.url);
        expect(doc).toContain(CA_BUNDLE_FILE_ENV);
    });

    it("names each stack's runner label, AWS CLI v2 and the order from a public to a private endpoint", () => {
        for (const stack of availableStacks()) {
            expect(doc).toContain(`iam-deploy-${stack}`);
        }
        expect(doc).toMatch(/AWS CLI v2/);
        expect(doc).toMatch(/## The order for a new stack[\s\S]*publicAccessCidrs[\s\S]*privateAccessCidrs[\s\S]*publicAccessCidrs: \[\]/);
    });

    it.each(["docs/operations/bootstrap.md", "docs/guardrails.md", "README.md"])("is linked from %s", (file) => {
        expect(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")).toMatch(/\]\((\.\.\/|\.\/)?(docs\/)?(operations\/)?runners\.md(#[a-z0-9-]+)?\)/);
    });
});

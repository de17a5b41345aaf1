/**
 * `npm run render -- <stack>`: the offline render. Runs the program for the
 * stack's real config file under mocks (no cloud account, no Pulumi CLI) and
 * writes under out/<stack>/:
 *   resources.json  every resource: type, name, parent, inputs (secrets redacted), options
 *   manifests.yaml  the Kubernetes objects
 *   report.md       the access matrix as a table and a Mermaid diagram
 *   architecture.md the traffic path, components, access matrix, outputs and the monthly cost (scripts/architecture.ts)
 *   cost.json       the monthly on-demand estimate priced from the registered resources (guardrails/cost.ts)
 *   cost.md         that estimate by component, as a chart, and every line with its assumption
 * Exits 1 with every config problem when the stack config is invalid, and
 * with the list of missing images when the registry lacks one; prints
 * each config warning to stderr (`warning: <path> <message>`).
 * The clock is IAM_NOW or the real time (lib/clock.ts): `IAM_NOW=2027-03-01
 * npm run render -- prod` shows what the stack will say on that day.
 *
 * `npm run render -- registry` (or `registry/<stack>`) renders the registry
 * project's stack file instead (`registry/Pulumi.shared.yaml` by default)
 * into out/registry/<stack>/: resources.json and outputs.json.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../config";
import { clockNow } from "../lib/clock";
import { MissingImagesError } from "../registry/imageCheck";
import { REPO_ROOT, ResourceRecord, runStack, stackFile, TEST_SECRETS } from "../test/harness";
import { registryStackFile, runRegistryStack } from "../test/registryHarness";
import { estimateCost } from "../guardrails/cost";
import { costMarkdown } from "../guardrails/costReport";
import { architecturePage } from "./architecture";
import { countsByType, kubernetesManifests, manifestsYaml, stackReport } from "./report";

async function main(args: string[]): Promise<number> {
    const stack = args[0];
    if (!stack || args.length > 1) {
        process.stderr.write("usage: npm run render -- <stack>   (a stack with a Pulumi.<stack>.yaml, e.g. prod or staging; or registry for registry/Pulumi.shared.yaml)\n");
        return 2;
    }
    const registry = /^registry(?:\/(.+))?$/.exec(stack);
    if (registry) {
        return renderRegistry(registry[1] ?? "shared");
    }
    if (!fs.existsSync(stackFile(stack))) {
        process.stderr.write(`no stack config file ${stackFile(stack)}\n`);
        return 2;
    }
    // One clock for the config checks and the prices (extended support is billed by date).
    const now = clockNow();
    let run;
    try {
        // Secret config is ciphertext in the stack file; the render uses placeholders.
        run = await runStack(stack, { secrets: TEST_SECRETS, now });
    } catch (error) {
        if (error instanceof ConfigValidationError || error instanceof MissingImagesError) {
            process.stderr.write(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
    for (const warning of run.config.warnings) {
        process.stderr.write(`warning: ${warning}\n`);
    }
    // Priced before anything is written: a resource the price table lacks fails the render.
    const cost = estimateCost(run.resources, { region: run.config.region, now });
    const dir = path.join(process.env.IAM_RENDER_OUT ?? path.join(REPO_ROOT, "out"), stack);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "resources.json"), resourcesJson(run.resources));
    fs.writeFileSync(path.join(dir, "manifests.yaml"), manifestsYaml(kubernetesManifests(run)));
    fs.writeFileSync(path.join(dir, "report.md"), stackReport(run));
    fs.writeFileSync(path.join(dir, "architecture.md"), architecturePage(run, cost));
    fs.writeFileSync(path.join(dir, "outputs.json"), `${JSON.stringify(run.outputs, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "cost.json"), `${JSON.stringify(cost, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "cost.md"), costMarkdown(stack, cost));

    const counts = countsByType(run);
    process.stdout.write(`Rendered stack ${stack} (${run.config.environment}, ${run.config.region}): ${run.resources.length} resources\n`);
    for (const [type, n] of counts) {
        process.stdout.write(`  ${String(n).padStart(4)}  ${type}\n`);
    }
    process.stdout.write(`Wrote ${path.relative(process.cwd(), dir)}/{resources.json,manifests.yaml,report.md,architecture.md,outputs.json,cost.json,cost.md}\n`);
    process.stdout.write(`Monthly estimate: $${cost.monthly.total.toFixed(2)} on demand ($${cost.monthly.min.toFixed(2)}-$${cost.monthly.max.toFixed(2)} with usage), prices as of ${cost.pricesAsOf}\n`);
    return 0;
}

/** The records as resources.json holds them. */
function resourcesJson(records: readonly ResourceRecord[]): string {
    const resources = records.map(({ urn, type, name, parent, custom, inputs, secretPaths, dependencies, protect, retainOnDelete, ignoreChanges }) =>
        ({ type, name, urn, parent, custom, protect, retainOnDelete, ignoreChanges, secretPaths, dependencies, inputs }));
    return `${JSON.stringify(resources, null, 2)}\n`;
}

/** Renders a stack of the registry project (registry/Pulumi.<stack>.yaml) into out/registry/<stack>/. */
async function renderRegistry(stack: string): Promise<number> {
    if (!fs.existsSync(registryStackFile(stack))) {
        process.stderr.write(`no registry stack file ${registryStackFile(stack)}\n`);
        return 2;
    }
    let run;
    try {
        run = await runRegistryStack(stack);
    } catch (error) {
        if (error instanceof ConfigValidationError) {
            process.stderr.write(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
    const dir = path.join(process.env.IAM_RENDER_OUT ?? path.join(REPO_ROOT, "out"), "registry", stack);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "resources.json"), resourcesJson(run.resources));
    fs.writeFileSync(path.join(dir, "outputs.json"), `${JSON.stringify(run.outputs, null, 2)}\n`);
    const counts = new Map<string, number>();
    for (const r of run.resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    process.stdout.write(`Rendered registry stack ${stack}: ${run.resources.length} resources\n`);
    for (const [type, n] of [...counts].sort()) {
        process.stdout.write(`  ${String(n).padStart(4)}  ${type}\n`);
    }
    process.stdout.write(`Wrote ${path.relative(process.cwd(), dir)}/{resources.json,outputs.json}\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`render failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        process.exit(1);
    },
);

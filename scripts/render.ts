/**
 * `npm run render -- <stack>`: the offline render. Runs the program for the
 * stack's real config file under mocks (no cloud account, no Pulumi CLI) and
 * writes under out/<stack>/ the files listed in USAGE.
 * Exits 1 with every config problem when the stack config is invalid, and 2
 * on a usage error (no stack, an unknown stack); prints each config warning to
 * stderr (`warning: <path> <message>`). The clock is IAM_NOW or the real time
 * (lib/clock.ts): `IAM_NOW=2027-03-01 npm run render -- prod` shows what the
 * stack will say on that day. A stack whose images the registry lacks exits 1
 * with the list of missing images.
 *
 * `npm run render -- registry` (or `registry/<stack>`) renders the registry
 * project's stack file instead (`registry/Pulumi.shared.yaml` by default)
 * into out/registry/<stack>/: resources.json and outputs.json.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../config";
import { estimateCost } from "../guardrails/cost";
import type { CostEstimate } from "../guardrails/costModel";
import { costMarkdown } from "../guardrails/costReport";
import { clockNow } from "../lib/clock";
import { MissingImagesError } from "../registry/imageCheck";
import { availableStacks, REPO_ROOT, ResourceRecord, runStack, StackFileError, StackRun } from "../test/harness";
import { registryStackFile, runRegistryStack } from "../test/registryHarness";
import { architecturePage } from "./architecture";
import { countsByType, kubernetesManifests, manifestsYaml, plural, stackReport } from "./report";

export const USAGE = `usage: npm run render -- <stack>
       npm run render -- registry[/<stack>]   (the registry project: registry/Pulumi.shared.yaml)

Runs the program for Pulumi.<stack>.yaml under Pulumi mocks (no Pulumi CLI,
no AWS) and writes out/<stack>/ (IAM_RENDER_OUT=<dir> writes <dir>/<stack>/):
  resources.json   every resource: type, name, parent, inputs (secrets redacted), options
  manifests.yaml   the Kubernetes objects
  report.md        the access matrix as a table and a Mermaid diagram
  architecture.md  the traffic path, components, access matrix, outputs and the monthly cost
  outputs.json     the stack outputs; values that come from resources are mock values
  cost.json        the monthly on-demand estimate priced from the registered resources
  cost.md          that estimate by component, as a chart, with every line's assumption
Secure (secret) config keys get a placeholder value, so their names are checked
as pulumi preview checks them. Exits 1 with every config problem when the stack
file is invalid (nothing is written), 2 on a usage error; config warnings go to
stderr. IAM_NOW=<date> renders as of that day (support windows, prices).
`;

/** Where the render writes its lines; the CLI passes stdout and stderr. */
export interface RenderIo {
    out(text: string): void;
    err(text: string): void;
}

/** The files the render writes, by name. */
export const RENDER_FILES = ["resources.json", "manifests.yaml", "report.md", "architecture.md", "outputs.json", "cost.json", "cost.md"] as const;

/**
 * What `outputs.json` holds: each output with `mock: true` when its value came
 * from the mocks (ids, ARNs, endpoints AWS assigns), so nobody copies one as real.
 */
export function outputsDocument(run: StackRun): Record<string, unknown> {
    const mocked = new Set(run.mockedOutputs);
    return {
        note: `Rendered offline under mocks from Pulumi.${run.stack}.yaml. Values with "mock": true came from the mocks (ids, ARNs, endpoints), not from AWS; \`pulumi stack output\` shows the real ones.`,
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([key, o]) => [key, { mock: mocked.has(key), secret: o.secret, known: o.known, value: o.value }])),
    };
}

/**
 * Writes the render's files for a run into `dir` (emptied first); returns the
 * cost estimate as of `now`. Priced before anything is written: a resource the
 * price table lacks fails the render (guardrails/cost.ts).
 */
export function writeRender(run: StackRun, dir: string, now: Date): CostEstimate {
    const cost = estimateCost(run.resources, { region: run.config.region, now });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "resources.json"), resourcesJson(run.resources));
    fs.writeFileSync(path.join(dir, "manifests.yaml"), manifestsYaml(kubernetesManifests(run)));
    fs.writeFileSync(path.join(dir, "report.md"), stackReport(run));
    fs.writeFileSync(path.join(dir, "architecture.md"), architecturePage(run, cost));
    fs.writeFileSync(path.join(dir, "outputs.json"), `${JSON.stringify(outputsDocument(run), null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "cost.json"), `${JSON.stringify(cost, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "cost.md"), costMarkdown(run.stack, cost));
    return cost;
}

/** The records as resources.json holds them. */
function resourcesJson(records: readonly ResourceRecord[]): string {
    const resources = records.map(({ urn, type, name, parent, custom, inputs, secretPaths, dependencies, protect, retainOnDelete, ignoreChanges }) => ({
        type,
        name,
        urn,
        parent,
        custom,
        protect,
        retainOnDelete,
        ignoreChanges,
        secretPaths,
        dependencies,
        inputs,
    }));
    return `${JSON.stringify(resources, null, 2)}\n`;
}

/** Renders a stack of the registry project (registry/Pulumi.<stack>.yaml) into out/registry/<stack>/. */
async function renderRegistry(stack: string, io: RenderIo): Promise<number> {
    if (!fs.existsSync(registryStackFile(stack))) {
        io.err(`no registry stack file ${registryStackFile(stack)}\n`);
        return 2;
    }
    let run;
    try {
        run = await runRegistryStack(stack);
    } catch (error) {
        if (error instanceof ConfigValidationError || error instanceof StackFileError) {
            io.err(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
    for (const warning of run.warnings) {
        io.err(`warning: ${warning}\n`);
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
    io.out(`Rendered registry stack ${stack}: ${plural(run.resources.length, "resource")}\n`);
    for (const [type, n] of [...counts].sort()) {
        io.out(`  ${String(n).padStart(4)}  ${type}\n`);
    }
    io.out(`Wrote ${path.relative(process.cwd(), dir)}/{resources.json,outputs.json}\n`);
    return 0;
}

function stacksLine(): string {
    const stacks = availableStacks();
    return stacks.length > 0 ? `stacks here: ${stacks.join(", ")} (and registry, the registry project)` : "no Pulumi.<stack>.yaml here";
}

/** The render command: returns the exit code; writes only through `io`. */
export async function render(args: readonly string[], io: RenderIo): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        io.out(USAGE);
        return 0;
    }
    const stack = args[0];
    if (!stack || args.length > 1 || stack.startsWith("-")) {
        io.err(`${USAGE}\n${stacksLine()}\n`);
        return 2;
    }
    const registry = /^registry(?:\/(.+))?$/.exec(stack);
    if (registry) {
        return renderRegistry(registry[1] ?? "shared", io);
    }
    if (!availableStacks().includes(stack)) {
        io.err(`no stack ${JSON.stringify(stack)}: there is no Pulumi.${stack}.yaml; ${stacksLine()}\n`);
        return 2;
    }
    // One clock for the config checks and the prices (extended support is billed by date).
    const now = clockNow();
    let run: StackRun;
    try {
        // As `pulumi preview` runs it: the file's own keys, its secure ones with placeholders.
        run = await runStack(stack, { secrets: {}, now });
    } catch (error) {
        if (error instanceof ConfigValidationError || error instanceof StackFileError || error instanceof MissingImagesError) {
            io.err(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
    for (const warning of run.config.warnings) {
        io.err(`warning: ${warning}\n`);
    }
    const dir = path.join(process.env.IAM_RENDER_OUT ?? path.join(REPO_ROOT, "out"), stack);
    const cost = writeRender(run, dir, now);

    io.out(`Rendered stack ${stack} (${run.config.environment}, ${run.config.region}): ${plural(run.resources.length, "resource")}\n`);
    for (const [type, n] of countsByType(run)) {
        io.out(`  ${String(n).padStart(4)}  ${type}\n`);
    }
    io.out(`Wrote ${path.relative(process.cwd(), dir) || "."}/{${RENDER_FILES.join(",")}}\n`);
    io.out(
        `Monthly estimate: $${cost.monthly.total.toFixed(2)} on demand ($${cost.monthly.min.toFixed(2)}-$${cost.monthly.max.toFixed(2)} with usage), prices as of ${cost.pricesAsOf}\n`,
    );
    return 0;
}

if (require.main === module) {
    const io: RenderIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
    render(process.argv.slice(2), io).then(
        (code) => process.exit(code),
        (error: unknown) => {
            // A bug in the program, not in the stack file: the stack trace is the useful part.
            process.stderr.write(`render failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exit(1);
        },
    );
}

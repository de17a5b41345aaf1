/**
 * `npm run images -- <command>`: getting images into the registry, and
 * promoting what staging ran to prod.
 *
 *   push <tag> [repository...] [--dry-run] [--registry-stack shared]
 *       Logs Docker in to the registry (AWS CLI credentials for the
 *       registry's account), then tags and pushes the local images
 *       `<repository>:<tag>` (e.g. iam-apiserver:v1.9.0) to it: every
 *       repository of registry/Pulumi.<registry-stack>.yaml, or the ones named.
 *       --dry-run prints the commands instead of running them.
 *
 *   promote [--from staging] [--to prod] [--dry-run | --check]   (--check: exit 1 when the tags differ; writes nothing)
 *       Writes the image tags of Pulumi.<from>.yaml into Pulumi.<to>.yaml
 *       (only those lines change) and prints the changes; --dry-run only prints.
 *
 *   set-tag <tag> [--stack staging] [--dry-run]
 *       Sets every service's image tag in Pulumi.<stack>.yaml (a new release
 *       goes to staging first; the images workflow proposes it this way).
 *
 * The planning is pure and tested (registry/imagePushPlan.ts, registry/promotionPlan.ts).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../lib/reader";
import { commandLine, Command, pushCommands } from "../registry/imagePushPlan";
import { applyPromotion, imageTags, promotionChanges, unpromoted } from "../registry/promotionPlan";
import { parseRegistryConfig } from "../registry/registryProjectConfig";
import { REGISTRY_PROJECT_NAMESPACE } from "../registry/registryProjectSchema";
import { readRegistryStackFile } from "../offline/registryRun";

const ROOT = path.resolve(__dirname, "..");
const USAGE = `usage:
  npm run images -- push <tag> [repository...] [--dry-run] [--registry-stack shared]
  npm run images -- promote [--from staging] [--to prod] [--dry-run | --check]
  npm run images -- set-tag <tag> [--stack staging] [--dry-run]
`;

interface Parsed {
    positional: string[];
    flags: Record<string, string | true>;
}

function parseArgs(args: readonly string[]): Parsed {
    const positional: string[] = [];
    const flags: Record<string, string | true> = {};
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--dry-run" || arg === "--check") {
            flags[arg.slice(2)] = true;
        } else if (arg.startsWith("--")) {
            const value = args[i + 1];
            if (value === undefined || value.startsWith("--")) {
                throw new Error(`${arg} needs a value`);
            }
            flags[arg.slice(2)] = value;
            i++;
        } else {
            positional.push(arg);
        }
    }
    return { positional, flags };
}

function flag(parsed: Parsed, name: string, fallback: string): string {
    const value = parsed.flags[name];
    return typeof value === "string" ? value : fallback;
}

async function push(parsed: Parsed): Promise<number> {
    const [tag, ...only] = parsed.positional;
    if (!tag) {
        process.stderr.write(USAGE);
        return 2;
    }
    const stack = flag(parsed, "registry-stack", "shared");
    const config = readRegistryStackFile(stack);
    const prefix = `${REGISTRY_PROJECT_NAMESPACE}:`;
    const values = Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), parseText(v)]),
    );
    const registry = parseRegistryConfig({ stack, region: config["aws:region"], values });
    const commands = pushCommands({ registry, repositories: registry.repositories, tag, only });
    for (const command of commands) {
        process.stdout.write(`${parsed.flags["dry-run"] ? "" : "+ "}${commandLine(command)}\n`);
        if (!parsed.flags["dry-run"]) {
            const code = await run(command);
            if (code !== 0) {
                process.stderr.write(`failed (exit ${code}): ${commandLine(command)}\n`);
                return code;
            }
        }
    }
    return 0;
}

function promote(parsed: Parsed): number {
    const from = flag(parsed, "from", "staging");
    return retag(parsed, from, flag(parsed, "to", "prod"), imageTags(fs.readFileSync(path.join(ROOT, `Pulumi.${from}.yaml`), "utf8")));
}

function setTag(parsed: Parsed): number {
    const [tag] = parsed.positional;
    if (!tag) {
        process.stderr.write(USAGE);
        return 2;
    }
    const stack = flag(parsed, "stack", "staging");
    const current = imageTags(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
    return retag(parsed, `the tag ${tag}`, stack, Object.fromEntries(Object.keys(current).map((service) => [service, tag])));
}

/** Writes `source`'s tags into Pulumi.<to>.yaml for the services both name. */
function retag(parsed: Parsed, from: string, to: string, source: Record<string, string>): number {
    const targetFile = path.join(ROOT, `Pulumi.${to}.yaml`);
    const targetText = fs.readFileSync(targetFile, "utf8");
    const target = imageTags(targetText);
    const changes = promotionChanges(source, target);
    for (const service of unpromoted(source, target)) {
        process.stdout.write(`${to}: ${service} is not deployed by ${from}; its tag ${target[service]} stays\n`);
    }
    if (changes.length === 0) {
        process.stdout.write(`${to} already runs the tags ${from} runs: nothing to promote\n`);
        return 0;
    }
    for (const c of changes) {
        process.stdout.write(`${to}: ${c.service} ${c.from} -> ${c.to}\n`);
    }
    if (parsed.flags.check) {
        // The deploy workflow's gate: prod updates only to the tags staging verified.
        process.stderr.write(`${to} does not run the tags ${from} runs (above): merge the promotion pull request first\n`);
        return 1;
    }
    if (!parsed.flags["dry-run"]) {
        fs.writeFileSync(targetFile, applyPromotion(targetText, changes));
        process.stdout.write(`Wrote ${path.relative(process.cwd(), targetFile)}\n`);
    }
    return 0;
}

/** Runs one command with inherited output; a piped command's output feeds its standard input. */
function run(command: Command): Promise<number> {
    return new Promise((resolve) => {
        const child = spawn(command.argv[0], command.argv.slice(1), { stdio: [command.stdinFrom ? "pipe" : "inherit", "inherit", "inherit"] });
        if (command.stdinFrom) {
            const feeder = spawn(command.stdinFrom[0], command.stdinFrom.slice(1), { stdio: ["inherit", "pipe", "inherit"] });
            feeder.stdout.pipe(child.stdin as NodeJS.WritableStream);
            feeder.on("error", () => resolve(127));
            feeder.on("close", (code) => {
                if (code !== 0) {
                    child.kill();
                    resolve(code ?? 1);
                }
            });
        }
        child.on("error", () => resolve(127));
        child.on("close", (code) => resolve(code ?? 1));
    });
}

function parseText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

async function main(args: string[]): Promise<number> {
    const [command, ...rest] = args;
    const parsed = parseArgs(rest);
    if (command === "push") {
        return push(parsed);
    }
    if (command === "promote") {
        return promote(parsed);
    }
    if (command === "set-tag") {
        return setTag(parsed);
    }
    process.stderr.write(USAGE);
    return 2;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof ConfigValidationError || error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
    },
);

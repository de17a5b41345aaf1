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
 * `--help` prints this usage and exits 0; a usage error exits 2 with the
 * usage, an unknown stack names the stacks there are, a moving tag (latest,
 * ...) is refused. The stack files are read from IAM_STACK_DIR when set (tests).
 *
 * The planning is pure and tested (registry/imagePushPlan.ts, registry/promotionPlan.ts).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../lib/reader";
import { commandLine, Command, pushCommands } from "../registry/imagePushPlan";
import { applyPromotion, imageTags, promotionChanges, tagProblem, unpromoted } from "../registry/promotionPlan";
import { parseRegistryConfig } from "../registry/registryProjectConfig";
import { REGISTRY_PROJECT_NAMESPACE } from "../registry/registryProjectSchema";
import { readRegistryStackFile } from "../offline/registryRun";
import { availableStacks, stackFile } from "../offline/stackFile";

export const USAGE = `usage:
  npm run images -- push <tag> [repository...] [--dry-run] [--registry-stack shared]
      log Docker in to the registry, tag and push the local <repository>:<tag> images
  npm run images -- promote [--from staging] [--to prod] [--dry-run | --check]
      write the image tags of Pulumi.<from>.yaml into Pulumi.<to>.yaml (--check: exit 1 when they differ, writing nothing)
  npm run images -- set-tag <tag> [--stack staging] [--dry-run]
      set every service's image tag in Pulumi.<stack>.yaml (a release tag or a sha256 digest, never latest)
  npm run images -- --help
--dry-run prints what would run or change and writes nothing.
`;

/** Where the command writes; the CLI passes stdout and stderr. */
export interface ImagesIo {
    out(text: string): void;
    err(text: string): void;
}

/** Thrown for a usage error (exit 2). */
class UsageError extends Error {}

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
                throw new UsageError(`${arg} needs a value`);
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

async function push(parsed: Parsed, io: ImagesIo): Promise<number> {
    const [tag, ...only] = parsed.positional;
    if (!tag) {
        throw new UsageError("push needs a tag");
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
        io.out(`${parsed.flags["dry-run"] ? "" : "+ "}${commandLine(command)}\n`);
        if (!parsed.flags["dry-run"]) {
            const code = await run(command);
            if (code !== 0) {
                io.err(`failed (exit ${code}): ${commandLine(command)}\n`);
                return code;
            }
        }
    }
    return 0;
}

/** The text of Pulumi.<stack>.yaml; an unknown stack is a usage error naming the stacks there are. */
function stackText(option: string, stack: string): string {
    const stacks = availableStacks();
    if (!stacks.includes(stack)) {
        throw new UsageError(`${option} ${stack}: no stack ${JSON.stringify(stack)} (there is no Pulumi.${stack}.yaml); stacks here: ${stacks.join(", ") || "none"}`);
    }
    return fs.readFileSync(stackFile(stack), "utf8");
}

function promote(parsed: Parsed, io: ImagesIo): number {
    const from = flag(parsed, "from", "staging");
    const to = flag(parsed, "to", "prod");
    const source = imageTags(stackText("--from", from));
    stackText("--to", to);
    return retag(parsed, io, from, to, source);
}

function setTag(parsed: Parsed, io: ImagesIo): number {
    const [tag] = parsed.positional;
    if (!tag) {
        throw new UsageError("set-tag needs a tag");
    }
    const problem = tagProblem(tag);
    if (problem) {
        io.err(`set-tag: ${problem}; nothing was written\n`);
        return 1;
    }
    const stack = flag(parsed, "stack", "staging");
    const current = imageTags(stackText("--stack", stack));
    return retag(parsed, io, `the tag ${tag}`, stack, Object.fromEntries(Object.keys(current).map((service) => [service, tag])));
}

/** Writes `source`'s tags into Pulumi.<to>.yaml for the services both name. */
function retag(parsed: Parsed, io: ImagesIo, from: string, to: string, source: Record<string, string>): number {
    const targetFile = stackFile(to);
    const targetText = fs.readFileSync(targetFile, "utf8");
    const target = imageTags(targetText);
    const changes = promotionChanges(source, target);
    for (const service of unpromoted(source, target)) {
        io.out(`${to}: ${service} is not deployed by ${from}; its tag ${target[service]} stays\n`);
    }
    if (changes.length === 0) {
        io.out(`${to} already runs the tags ${from} runs: nothing to promote\n`);
        return 0;
    }
    for (const c of changes) {
        io.out(`${to}: ${c.service} ${c.from} -> ${c.to}\n`);
    }
    if (parsed.flags.check) {
        // The deploy workflow's gate: prod updates only to the tags staging verified.
        process.stderr.write(`${to} does not run the tags ${from} runs (above): merge the promotion pull request first\n`);
        return 1;
    }
    if (!parsed.flags["dry-run"]) {
        fs.writeFileSync(targetFile, applyPromotion(targetText, changes));
        io.out(`Wrote ${path.relative(process.cwd(), targetFile)}\n`);
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

/** The command: returns the exit code; writes only through `io` (and the files it is asked to change). */
export async function images(args: readonly string[], io: ImagesIo): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        io.out(USAGE);
        return 0;
    }
    const [command, ...rest] = args;
    try {
        const parsed = parseArgs(rest);
        if (command === "push") {
            return await push(parsed, io);
        }
        if (command === "promote") {
            return promote(parsed, io);
        }
        if (command === "set-tag") {
            return setTag(parsed, io);
        }
        throw new UsageError(command === undefined ? "no command" : `unknown command ${JSON.stringify(command)}`);
    } catch (error) {
        if (error instanceof UsageError) {
            io.err(`${error.message}\n${USAGE}`);
            return 2;
        }
        if (error instanceof ConfigValidationError) {
            io.err(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
}

if (require.main === module) {
    images(process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
        },
    );
}

/**
 * npm run verify -- <stack> [--outputs <file>] [--json] [--wait <duration>] [--soak [<duration>]]
 *
 * Checks a deployed stack from the outside in (verify/): DNS, TLS, health,
 * target health, the IAM API end to end, the cluster, security-group drift
 * against the access matrix, alarms. One line per check, a summary last,
 * exit 1 when any check fails. Reads the stack's outputs from
 * `pulumi stack output --json --show-secrets` (or `--outputs <file>`), AWS
 * with the caller's credentials (SDK v3 default chain), the cluster through
 * the stack's kubeconfig (`@kubernetes/client-node`, which runs its
 * `aws eks get-token`).
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DocDBClient } from "@aws-sdk/client-docdb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { spawnSync } from "child_process";
import { promises as dns } from "dns";
import * as fs from "fs";
import type * as https from "https";
import * as path from "path";
import { clockNow } from "../lib/clock";
import { availableStacks } from "../offline/stackFile";
import { soak } from "../verify/alarms";
import { KubeReader, VerifyContext } from "../verify/context";
import { httpsKubeReader } from "../verify/kubeReader";
import { parseOutputs, VerifyOutputs } from "../verify/outputs";
import { formatReport, parseDuration, runChecks, VerifyReport } from "../verify/run";

export const USAGE = `usage: npm run verify -- <stack> [--outputs <file>] [--json] [--wait <duration>] [--soak [<duration>]]

Checks the deployed stack <stack>: DNS, TLS, /healthz and target health, the
IAM API end to end (login, secret, policy, authz allow and deny, clean-up),
the cluster (rollouts, restarts, HPAs, NodePools, ExternalSecrets, schema Job),
security groups against the access matrix, public data stores, alarms.

  --outputs <file>   the stack outputs as JSON (default: pulumi stack output --json --show-secrets --stack <stack>)
  --json             also write out/<stack>/verify.json and verify.md
  --wait <duration>  retry rollouts, target health and syncs until they hold or this time is up (90s, 10m)
  --soak [duration]  after a green run, watch the alarms stay OK this long (default: the stack's verify.soakMinutes)
  --help             this text

Exit 0 when every check passed, 1 when one failed, 2 on a usage error.
`;

export interface VerifyIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

export interface VerifyDeps {
    /** The stack's outputs when no --outputs file is given (default: the Pulumi CLI). */
    stackOutputs?: (stack: string) => unknown;
    /** Builds the context for the outputs (default: real AWS, DNS, Kubernetes). */
    context?: (outputs: VerifyOutputs) => Promise<VerifyContext>;
    /** Where `--json` writes (default: IAM_VERIFY_OUT or out/). */
    outDir?: string;
}

interface Parsed {
    stack?: string;
    outputs?: string;
    json: boolean;
    waitMs: number;
    soak?: string | true;
    help: boolean;
}

function parseArgs(args: readonly string[]): Parsed {
    const parsed: Parsed = { json: false, waitMs: 0, help: false };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const value = (): string => {
            const next = args[++i];
            if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value`);
            return next;
        };
        if (arg === "--help" || arg === "-h") parsed.help = true;
        else if (arg === "--json") parsed.json = true;
        else if (arg === "--outputs") parsed.outputs = value();
        else if (arg === "--wait") parsed.waitMs = parseDuration(value());
        else if (arg === "--soak") parsed.soak = args[i + 1] !== undefined && /^\d/.test(args[i + 1]) ? String(parseDuration(args[++i])) : true;
        else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
        else if (parsed.stack === undefined) parsed.stack = arg;
        else throw new Error(`one stack at a time, got ${parsed.stack} and ${arg}`);
    }
    return parsed;
}

function pulumiOutputs(stack: string): unknown {
    const run = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error || run.status !== 0) {
        throw new Error(`pulumi stack output --stack ${stack} failed: ${run.error?.message ?? run.stderr.trim()} (or give the outputs with --outputs <file>)`);
    }
    return JSON.parse(run.stdout) as unknown;
}

/**
 * The part of `@kubernetes/client-node`'s KubeConfig verify uses (its
 * dist/config.d.ts at 1.3.0). Named here, not imported: the package's types
 * are about 800 declaration files, and loading them added a fifth to every
 * type check of `npm test` for four methods.
 */
interface KubeConfigApi {
    loadFromString(config: string): void;
    getCurrentCluster(): { server: string } | null;
    applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}
/** A variable, so the type checker does not load the package (see KubeConfigApi). */
const KUBERNETES_CLIENT = "@kubernetes/client-node";

/** The Kubernetes API through the stack's kubeconfig; `@kubernetes/client-node` (ESM-only) loads only here, in real runs. */
async function kubeReader(kubeconfig: VerifyOutputs["kubeconfig"]): Promise<KubeReader> {
    const k8s = (await import(KUBERNETES_CLIENT)) as { KubeConfig: new () => KubeConfigApi };
    const kc = new k8s.KubeConfig();
    kc.loadFromString(typeof kubeconfig === "string" ? kubeconfig : JSON.stringify(kubeconfig));
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig output names no cluster server");
    return httpsKubeReader(server, (options) => kc.applyToHTTPSOptions(options));
}

async function realContext(outputs: VerifyOutputs): Promise<VerifyContext> {
    const region = outputs.verify.region;
    return {
        outputs,
        aws: {
            elbv2: new ElasticLoadBalancingV2Client({ region }),
            // Route53 is global: the SDK signs it for us-east-1 whatever the region.
            route53: new Route53Client({ region }),
            secrets: new SecretsManagerClient({ region }),
            ec2: new EC2Client({ region }),
            cloudwatch: new CloudWatchClient({ region }),
            rds: new RDSClient({ region }),
            docdb: new DocDBClient({ region }),
        },
        kube: await kubeReader(outputs.kubeconfig),
        now: () => clockNow(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        resolve4: (host) => dns.resolve4(host),
        dial: (host, scheme) => ({ address: host, port: scheme === "https" ? 443 : 80 }),
    };
}

function markdown(report: VerifyReport): string {
    const rows = report.results.map((r) => `| ${r.ok ? "✅" : "❌"} | \`${r.check}\` | ${r.subject} | ${r.detail.replace(/\|/g, "\\|")} |`);
    return [`**${report.summary}** (${report.at})`, "", "| | check | subject | seen |", "|---|---|---|---|", ...rows, ""].join("\n");
}

/** The command: returns the exit code. */
export async function verify(args: readonly string[], io: VerifyIo, deps: VerifyDeps = {}): Promise<number> {
    let parsed: Parsed;
    try {
        parsed = parseArgs(args);
    } catch (error) {
        io.err(`${(error as Error).message}\n${USAGE}`);
        return 2;
    }
    if (parsed.help) {
        io.out(USAGE);
        return 0;
    }
    if (!parsed.stack) {
        io.err(USAGE);
        return 2;
    }
    const stack = parsed.stack;
    // Without --outputs the stack is read from the Pulumi CLI: a name with no stack file is a typo, said before anything runs.
    const stacks = availableStacks();
    if (!parsed.outputs && !stacks.includes(stack)) {
        io.err(`verify: no stack ${stack} (no Pulumi.${stack}.yaml here); stacks: ${stacks.join(", ")}\n`);
        return 2;
    }
    let ctx: VerifyContext;
    try {
        const raw = parsed.outputs ? (JSON.parse(fs.readFileSync(parsed.outputs, "utf8")) as unknown) : (deps.stackOutputs ?? pulumiOutputs)(stack);
        const outputs = parseOutputs(raw, parsed.outputs ?? `stack ${stack}`);
        ctx = await (deps.context ?? realContext)(outputs);
    } catch (error) {
        io.err(`verify ${stack}: ${(error as Error).message}\n`);
        return 1;
    }
    const progress = (line: string): void => io.err(`${line}\n`);
    const report = await runChecks(ctx, { stack, waitMs: parsed.waitMs, progress });
    if (report.ok && parsed.soak !== undefined) {
        const minutes = parsed.soak === true ? ctx.outputs.verify.soakMinutes : Number(parsed.soak) / 60_000;
        const soaked = await soak(ctx, minutes, progress);
        report.results.push(soaked);
        if (!soaked.ok) {
            report.ok = false;
            report.failed += 1;
            report.summary = `verify ${stack}: alarms did not stay OK for the ${minutes}-minute soak`;
        } else {
            report.passed += 1;
            report.summary = `verify ${stack}: all ${report.results.length} checks passed, alarms OK for ${minutes} minutes`;
        }
    }
    io.out(formatReport(report));
    if (parsed.json) {
        const dir = path.join(deps.outDir ?? process.env.IAM_VERIFY_OUT ?? "out", stack);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "verify.json"), JSON.stringify(report, null, 2) + "\n");
        fs.writeFileSync(path.join(dir, "verify.md"), markdown(report));
    }
    return report.ok ? 0 : 1;
}

if (require.main === module) {
    verify(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exit(1);
        },
    );
}

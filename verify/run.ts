/**
 * Runs every check group against a live stack: all of them, never stopping
 * at the first failure; with a wait, the groups that converge (rollouts,
 * target health, syncs) are retried until they hold or the time is up, with
 * a progress line each round. The report is one line per check and a
 * summary last.
 */
import { alarmChecks } from "./alarms";
import { clusterChecks } from "./cluster";
import { CheckResult, errorText, fail, VerifyContext } from "./context";
import { dnsChecks } from "./dns";
import { healthChecks, targetChecks } from "./health";
import { iamApiChecks } from "./iamApi";
import { networkChecks } from "./network";
import { tlsChecks } from "./tls";

export interface CheckGroup {
    name: string;
    /** Converges after an update (retried under `--wait`). */
    converging: boolean;
    run: (ctx: VerifyContext) => Promise<CheckResult[]>;
}

/** In report order: from the outside in. */
export const CHECK_GROUPS: readonly CheckGroup[] = [
    { name: "dns", converging: true, run: dnsChecks },
    { name: "tls", converging: false, run: tlsChecks },
    { name: "health", converging: true, run: healthChecks },
    { name: "targets", converging: true, run: targetChecks },
    { name: "iam", converging: false, run: iamApiChecks },
    { name: "cluster", converging: true, run: clusterChecks },
    { name: "network", converging: false, run: networkChecks },
    { name: "alarms", converging: true, run: alarmChecks },
];

export interface VerifyReport {
    stack: string;
    /** When the run ended (the context's clock). */
    at: string;
    ok: boolean;
    passed: number;
    failed: number;
    results: CheckResult[];
    /** The summary line, also the last line printed. */
    summary: string;
}

async function runGroup(group: CheckGroup, ctx: VerifyContext): Promise<CheckResult[]> {
    try {
        return await group.run(ctx);
    } catch (error) {
        return [fail(group.name, group.name, `the check itself failed: ${errorText(error)}`)];
    }
}

export interface RunOptions {
    stack: string;
    /** Retry converging groups this long (ms); 0: one pass. */
    waitMs: number;
    /** Seconds between retries under a wait. */
    retryMs?: number;
    groups?: readonly CheckGroup[];
    progress: (line: string) => void;
}

export function formatResult(r: CheckResult): string {
    return `${r.ok ? "PASS" : "FAIL"}  ${r.check.padEnd(22)} ${r.subject}: ${r.detail}`;
}

export async function runChecks(ctx: VerifyContext, options: RunOptions): Promise<VerifyReport> {
    const groups = options.groups ?? CHECK_GROUPS;
    const byGroup = new Map<string, CheckResult[]>();
    // Every group at once: they read different things, and one slow group does not hold the others.
    await Promise.all(groups.map(async (g) => byGroup.set(g.name, await runGroup(g, ctx))));
    const deadline = ctx.now().getTime() + options.waitMs;
    const retry = options.retryMs ?? 15_000;
    for (;;) {
        const pending = groups.filter((g) => g.converging && (byGroup.get(g.name) ?? []).some((r) => !r.ok));
        const left = deadline - ctx.now().getTime();
        if (pending.length === 0 || left <= 0) break;
        const waiting = pending.map((g) => `${g.name} (${(byGroup.get(g.name) ?? []).filter((r) => !r.ok).length} failing)`);
        options.progress(`waiting for ${waiting.join(", ")}: ${Math.ceil(left / 1000)}s left`);
        await ctx.sleep(Math.min(retry, left));
        await Promise.all(pending.map(async (g) => byGroup.set(g.name, await runGroup(g, ctx))));
    }
    const results = groups.flatMap((g) => byGroup.get(g.name) ?? []);
    const failed = results.filter((r) => !r.ok);
    const summary =
        failed.length === 0
            ? `verify ${options.stack}: all ${results.length} checks passed`
            : `verify ${options.stack}: ${failed.length} of ${results.length} checks failed (${[...new Set(failed.map((r) => r.check))].join(", ")})`;
    return { stack: options.stack, at: ctx.now().toISOString(), ok: failed.length === 0, passed: results.length - failed.length, failed: failed.length, results, summary };
}

/** The report as printed: one line per check, the summary last. */
export function formatReport(report: VerifyReport): string {
    return [...report.results.map(formatResult), report.summary].join("\n") + "\n";
}

/** `10m`, `90s`, `1h`, `30` (minutes) to milliseconds; throws with the accepted forms. */
export function parseDuration(text: string): number {
    const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
    if (!match) {
        throw new Error(`a duration is a number with s, m or h (90s, 10m, 1h), got ${JSON.stringify(text)}`);
    }
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "m"] as number;
    return Number(match[1]) * unit;
}

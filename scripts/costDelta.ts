/**
 * `npx ts-node --transpile-only scripts/costDelta.ts <base cost.json> <head cost.json> <stack>`:
 * prints the pull-request comment section for one stack (Markdown): the
 * head's monthly estimate, its change against the base branch's, and exactly
 * the lines that changed (guardrails/costDelta.ts). Both files come from the
 * same `npm run render -- <stack>` on each branch. A base file that does not
 * exist (a base branch from before the estimate, or a base that fails to
 * render) is reported as "no estimate on the base branch"; a missing head
 * file exits 1.
 */
import * as fs from "fs";
import { costDelta } from "../guardrails/costDelta";
import type { CostEstimate } from "../guardrails/costModel";
import { costDeltaMarkdown } from "../guardrails/costReport";
import { helpRequested } from "./cli";

function read(file: string): CostEstimate | undefined {
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as CostEstimate) : undefined;
}

export const USAGE = `usage: npx ts-node --transpile-only scripts/costDelta.ts <base cost.json> <head cost.json> <stack>
Prints the pull-request comment section for one stack: the head's monthly estimate and
what changed against the base's (both from npm run render -- <stack>).
`;

/** Where the command writes: the process's streams, or a test's collectors. */
export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The command: its exit code for `args`. */
export function main(args: readonly string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): number {
    if (helpRequested(args)) {
        io.out(USAGE);
        return 0;
    }
    if (args.length !== 3) {
        io.err(USAGE);
        return 2;
    }
    const [baseFile, headFile, stack] = args;
    const head = read(headFile);
    if (!head) {
        io.err(`no estimate at ${headFile}: run \`npm run render -- ${stack}\` on the head first\n`);
        return 1;
    }
    io.out(costDeltaMarkdown(stack, costDelta(read(baseFile), head), head));
    return 0;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}

/**
 * Rewrites every example value of the committed stack files (the ones
 * docs/operations/bootstrap.md tells an operator to replace) with other valid
 * values, consistently across the files, in a copy of the repository: the
 * suite must pass there too, or it would block the first real deploy.
 *
 *   rm -rf /tmp/iam-swapped && cp -r . /tmp/iam-swapped
 *   npx ts-node --transpile-only scripts/swapExampleValues.ts /tmp/iam-swapped
 *   (cd /tmp/iam-swapped && npx jest)
 */
import * as fs from "fs";
import * as path from "path";
import { CliIo, helpRequested, runCli } from "./cli";

/** The stack files an operator edits, relative to the repository root. */
export const STACK_FILES = ["Pulumi.prod.yaml", "Pulumi.staging.yaml", "registry/Pulumi.shared.yaml", "ci-identities/Pulumi.prod.yaml", "ci-identities/Pulumi.staging.yaml"];

/** Example value -> the operator's value; applied in this order (the repository before its owner, the bucket before the domain). */
export const SWAPS: readonly [RegExp, string][] = [
    [/123456789012/g, "111111111111"],
    [/210987654321/g, "222222222222"],
    [/example-org\/iam-infra/g, "acme/iam-platform"],
    [/example-org-pulumi-state-/g, "acme-pulumi-state-"],
    [/example-org/g, "acme"],
    [/\bexample\.com\b/g, "iam-test.net"],
    [/203\.0\.113\.0\/24/g, "8.8.4.0/24"],
];

/** The text with every example value swapped. */
export function swapExampleValues(text: string): string {
    return SWAPS.reduce((out, [pattern, value]) => out.replace(pattern, value), text);
}

export const USAGE = `usage: npx ts-node --transpile-only scripts/swapExampleValues.ts <copy of the repository>
Rewrites the example values of ${STACK_FILES.join(", ")} in that copy, in place.
`;

export function main(args: readonly string[], io: CliIo): number {
    if (helpRequested(args)) {
        io.out(USAGE);
        return 0;
    }
    if (args.length !== 1) {
        io.err(USAGE);
        return 2;
    }
    const root = path.resolve(args[0]);
    if (root === path.resolve(__dirname, "..")) {
        io.err(`refusing to rewrite the repository itself: give a copy\n${USAGE}`);
        return 2;
    }
    for (const file of STACK_FILES) {
        const full = path.join(root, file);
        if (!fs.existsSync(full)) {
            io.err(`no ${full}: give a copy of the repository\n`);
            return 1;
        }
        const text = fs.readFileSync(full, "utf8");
        const swapped = swapExampleValues(text);
        fs.writeFileSync(full, swapped);
        io.out(`${file}: ${text === swapped ? "unchanged" : "swapped"}\n`);
    }
    return 0;
}

if (require.main === module) {
    runCli(main);
}

/**
 * Runs the environment program (stack.ts) for one stack file under Pulumi
 * mocks (offline/mockRun.ts) and returns what it registered: `npm run render`
 * and the tests (test/harness.ts, with the tests' pinned clock, secrets and CA
 * fixture) use it. No Pulumi CLI, no provider plugins, no AWS.
 *
 * `preview: true` runs it the way a new stack's `pulumi preview` does: every
 * computed output is unknown, so code that needs a value before it exists
 * fails here first.
 */
import { loadRdsCaBundle, CA_BUNDLE_FILE_ENV } from "../data/caBundle";
import type { StackConfig } from "../config";
import { clockNow } from "../lib/clock";
import { offlineCaBundle } from "./caBundle";
import { runUnderMocks, serialised } from "./mockRun";
import type { StackRun } from "./records";
import { parseText, PROJECT, readStackFile } from "./stackFile";

export interface RunOptions {
    preview?: boolean;
    /** Changes the parsed `iam:*` values before the run (for bad-input tests and variants). */
    edit?: (values: Record<string, unknown>) => void;
    /**
     * Secret config values by key (without namespace), on top of the stack file's
     * own `secure:` keys (which get `secretPlaceholder`); default none, as
     * `pulumi preview` runs the file.
     */
    secrets?: Readonly<Record<string, string>>;
    /** The clock the config loader and the CA check see; default `clockNow()` (IAM_NOW or the real time). */
    now?: Date;
    /** The RDS CA bundle file; default `offlineCaBundle()` (IAM_RDS_CA_BUNDLE_FILE, else the stand-in). */
    caBundleFile?: string;
}

/** Runs the program for a stack file; runs are serialised (the Pulumi runtime is global). */
export function runProgram(stack: string, options: RunOptions = {}): Promise<StackRun> {
    return serialised(() => runProgramNow(stack, options));
}

/** `runProgram` without the queue: only for a caller that runs nothing else meanwhile (the tests' global setup). */
export async function runProgramNow(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const preview = options.preview ?? false;
    const now = options.now ?? clockNow();
    const caBundleFile = options.caBundleFile ?? offlineCaBundle().file;
    const { config, secretKeys: fileSecretKeys } = readStackFile(stack);
    if (options.edit) {
        const values: Record<string, unknown> = {};
        for (const [key, text] of Object.entries(config)) {
            if (key.startsWith(`${PROJECT}:`)) {
                values[key.slice(PROJECT.length + 1)] = parseText(text);
                delete config[key];
            }
        }
        options.edit(values);
        for (const [key, value] of Object.entries(values)) {
            if (value !== undefined) {
                config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
            }
        }
    }
    const secrets = options.secrets ?? {};
    const secretKeys = [...new Set([...fileSecretKeys, ...Object.keys(secrets).map((k) => `${PROJECT}:${k}`)])];
    for (const [key, value] of Object.entries(secrets)) {
        config[`${PROJECT}:${key}`] = value;
    }

    let stackConfig: StackConfig | undefined;
    const { resources, outputs, mockedOutputs } = await runUnderMocks({ project: PROJECT, stack, preview, config, secretKeys }, async () => {
        // Loaded here, not at the top: a test served a shared run never loads the program, and
        // one whose config is invalid stops at the config, as index.ts does, before the program loads.
        const { loadStackConfig } = await import("../stackConfig");
        stackConfig = loadStackConfig(now);
        const { deployEnvironment } = await import("../stack");
        // No internet here: the bundle comes from a file, checked like the fetched one.
        return deployEnvironment(stackConfig, { rdsCaBundle: (region) => loadRdsCaBundle(region, { [CA_BUNDLE_FILE_ENV]: caBundleFile }, now), now });
    });
    return { stack, preview, config: stackConfig as StackConfig, resources, outputs, mockedOutputs };
}

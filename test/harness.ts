/**
 * The tests' way into the offline runner (offline/): runs the whole program
 * in-process under Pulumi mocks for one real stack config file, and records
 * every resource it registers (offline/records.ts). This file adds only what
 * is the tests' own: the pinned clock (TEST_NOW), the secret values
 * (TEST_SECRETS), the fixture CA, config-problem helpers, and the runs
 * test/globalSetup.ts makes once and every test file shares.
 *
 * Everything the offline runner exports is re-exported here, so tests import
 * it from `../test/harness` as they always have.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigValidationError, parseStackConfig, RawStackConfig } from "../config";
import { runProgram, runProgramNow, type RunOptions } from "../offline/run";
import type { StackRun } from "../offline/records";
import { REPO_ROOT, STAND_IN_SECRETS, stackFileConfig } from "../offline/stackFile";
import { VariantName, VARIANTS } from "./variants";

export { STAND_IN_CA_BUNDLE_FILE, offlineCaBundle } from "../offline/caBundle";
export type { OfflineCaBundle } from "../offline/caBundle";
export { mockId, registeredWithMonitor, runUnderMocks, serialised, settledRegistrations } from "../offline/mockRun";
export type { MockRunSetup } from "../offline/mockRun";
export { ofType, onlyOfType, resource, SECRET, transitiveDependencies, UNKNOWN } from "../offline/records";
export type { ResolvedOutput, ResourceRecord, StackRun } from "../offline/records";
export type { RunOptions } from "../offline/run";
export { availableStacks, PROJECT, readStackFile, REPO_ROOT, secretPlaceholder, StackFileError, stackFile } from "../offline/stackFile";

/** A CA made for the tests in the shape of an Amazon RDS regional CA (test/fixtures: not AWS's). */
export const TEST_CA_BUNDLE_FILE = path.join(REPO_ROOT, "test", "fixtures", "rds-ca-bundle.test.pem");

/**
 * The day every test runs on (the injectable clock, lib/clock.ts): the day
 * after EKS standard support for 1.34 ended. Pinned so the suite gives the
 * same verdict next year; a test of another day passes its own `now`.
 */
export const TEST_NOW = new Date("2026-12-03T00:00:00Z");

/**
 * Values for the stack's secret config keys: the stack files hold only
 * ciphertext (`pulumi config set --secret`), so tests use these (the offline
 * runner's stand-ins, offline/stackFile.ts).
 */
export const TEST_SECRETS: Record<string, string> = { ...STAND_IN_SECRETS };

/**
 * The stack file as `parseStackConfig` takes it (pure: no Pulumi runtime), with
 * the test secrets; for config validation tests.
 */
export function rawStackConfig(stack: string, secrets: Record<string, string> = TEST_SECRETS, now: Date = TEST_NOW): RawStackConfig {
    return stackFileConfig(stack, secrets, now);
}

/**
 * The config problems of a stack file after `edit` changes its parsed `iam:*`
 * values (pure: no run); [] when it is valid.
 */
export function configProblems(stack: string, edit: (values: Record<string, unknown>) => void, now: Date = TEST_NOW): string[] {
    const raw = rawStackConfig(stack, TEST_SECRETS, now);
    edit(raw.values);
    try {
        parseStackConfig(raw);
        return [];
    } catch (error) {
        if (error instanceof ConfigValidationError) {
            return [...error.problems];
        }
        throw error;
    }
}

/** The offline runner's options with the tests' defaults: TEST_SECRETS, TEST_NOW, the fixture CA. */
function withTestDefaults(options: RunOptions): RunOptions {
    return { ...options, secrets: options.secrets ?? TEST_SECRETS, now: options.now ?? TEST_NOW, caBundleFile: options.caBundleFile ?? TEST_CA_BUNDLE_FILE };
}

/**
 * Runs the program for a stack (offline/run.ts) with the tests' defaults; runs
 * are serialised (the Pulumi runtime is global). Under jest, a stack file run
 * as it is (no `edit`, no `secrets`, no `now`) comes from the run
 * test/globalSetup.ts made once for the whole `npm test`, so test files share
 * one run per stack and mode instead of each running the program again.
 */
export function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const cached = readSharedRun(stack, options);
    if (cached) {
        return Promise.resolve(cached);
    }
    return runProgram(stack, withTestDefaults(options));
}

/**
 * The run of a named variant of a stack file (test/variants.ts): under jest,
 * the one test/globalSetup.ts made; otherwise (or when that run failed) a run
 * of the edit here.
 */
export function runVariant(name: VariantName): Promise<StackRun> {
    const { stack, edit } = VARIANTS[name];
    const shared = readSharedRun(stack, {}, name);
    return shared ? Promise.resolve(shared) : runStack(stack, { edit });
}

const SHARED_RUNS_ENV = "IAM_HARNESS_RUNS";

function sharedRunFile(dir: string, stack: string, preview: boolean, variant?: VariantName): string {
    return path.join(dir, `${variant ? `variant.${variant}` : stack}${preview ? ".preview" : ""}.json`);
}

/** Runs every stack file of the repository, normally and as a preview, and every variant (test/variants.ts), once, into a folder for all test workers. */
export async function shareStandardRuns(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-harness-"));
    const stacks = fs.readdirSync(REPO_ROOT).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
    for (const stack of stacks) {
        for (const preview of [false, true]) {
            await shareRun(sharedRunFile(dir, stack, preview), () => runProgramNow(stack, withTestDefaults({ preview })));
        }
    }
    for (const [name, { stack, edit }] of Object.entries(VARIANTS)) {
        await shareRun(sharedRunFile(dir, stack, false, name as VariantName), () => runProgramNow(stack, withTestDefaults({ edit })));
    }
    process.env[SHARED_RUNS_ENV] = dir;
    return dir;
}

/** Runs `run` and writes what it recorded to `file`; a run that fails is not shared (each test that needs it fails with the real error). */
async function shareRun(file: string, run: () => Promise<StackRun>): Promise<void> {
    try {
        const { resources, outputs, mockedOutputs } = await run();
        fs.writeFileSync(file, JSON.stringify({ resources, outputs, mockedOutputs }));
    } catch {
        // Not shared: see above.
    }
}

function readSharedRun(stack: string, options: RunOptions, variant?: VariantName): StackRun | undefined {
    const dir = process.env[SHARED_RUNS_ENV];
    if (!dir || process.env.JEST_WORKER_ID === undefined || options.edit || options.secrets || options.now || options.caBundleFile || process.env.IAM_STACK_DIR) {
        return undefined;
    }
    const preview = options.preview ?? false;
    const file = sharedRunFile(dir, stack, preview, variant);
    if (!fs.existsSync(file)) {
        return undefined;
    }
    let run = sharedRunsRead.get(file);
    if (!run) {
        const { resources, outputs, mockedOutputs } = JSON.parse(fs.readFileSync(file, "utf8")) as Pick<StackRun, "resources" | "outputs" | "mockedOutputs">;
        const raw = rawStackConfig(stack);
        if (variant) {
            VARIANTS[variant].edit(raw.values);
        }
        run = { stack, preview, config: parseStackConfig(raw), resources, outputs, mockedOutputs };
        sharedRunsRead.set(file, run);
    }
    return run;
}

/** The shared runs this test file has read, by file: every caller gets the same object, so a test must not change a run it did not make. */
const sharedRunsRead = new Map<string, StackRun>();

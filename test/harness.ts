/**
 * Runs the whole program in-process under Pulumi mocks, for one real stack
 * config file, and records every resource it registers: type, name, parent,
 * inputs, options and dependencies. Tests assert on the records; `npm run
 * render` writes them out. No Pulumi CLI, no provider plugins, no AWS.
 *
 * `preview: true` runs it the way a new stack's `pulumi preview` does: every
 * computed output is unknown, so code that needs a value before it exists
 * fails here first.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as Pulumi from "@pulumi/pulumi";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { CA_BUNDLE_FILE_ENV, loadRdsCaBundle } from "../data/caBundle";
import { ConfigValidationError, parseStackConfig, RawStackConfig, StackConfig } from "../config";
import { VariantName, VARIANTS } from "./variants";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** Where `Pulumi.<stack>.yaml` files are read from: the repository, unless IAM_STACK_DIR says otherwise (render tests). */
export function stackFile(stack: string): string {
    return path.join(process.env.IAM_STACK_DIR ?? REPO_ROOT, `Pulumi.${stack}.yaml`);
}
export const PROJECT = "iam";
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
 * ciphertext (`pulumi config set --secret`), so tests and the render use these.
 */
export const TEST_SECRETS: Record<string, string> = {
    alarmWebhookUrl: "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
};

export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    /** The parent's URN; the stack itself has none. */
    parent?: string;
    custom: boolean;
    /** The inputs as the program gave them; secret values are replaced by "[secret]". */
    inputs: Record<string, unknown>;
    /** Dotted paths of inputs that were Pulumi secrets. */
    secretPaths: string[];
    /** URNs this resource waits for (explicit `dependsOn` and every input's resources). */
    dependencies: string[];
    /** For each input property, the URNs of the resources its value came from (how policies link resources). */
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    deleteBeforeReplace: boolean;
    /** The provider reference (`urn::id`), when one is set. */
    provider?: string;
    /** The providers handed to a (remote) component by package (`aws` -> `urn::id`). */
    providers: Record<string, string>;
}

export interface StackRun {
    stack: string;
    preview: boolean;
    config: StackConfig;
    resources: ResourceRecord[];
    outputs: Record<string, ResolvedOutput>;
    /**
     * The outputs whose values come from resources (ids, ARNs, endpoints):
     * offline, those are what the mocks answered, not what AWS will. The others
     * are computed from config alone.
     */
    mockedOutputs: string[];
}

export interface ResolvedOutput {
    known: boolean;
    secret: boolean;
    value: unknown;
}

export const UNKNOWN = "<computed>";
export const SECRET = "[secret]";

/**
 * A stack file that cannot be read as config: missing, not YAML, or without a
 * `config:` mapping. The message names the file (and the line, for YAML); the
 * render prints it as it is, without a stack trace.
 */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the stack folder, sorted. */
export function availableStacks(): string[] {
    const dir = path.dirname(stackFile("x"));
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir)
        .flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
        .sort();
}

/**
 * The value a `secure:` key of the stack file gets in an offline run: the stack
 * file holds only ciphertext, and without the stack's passphrase or KMS key
 * the real value cannot be had. A known secret key gets its TEST_SECRETS value
 * (so its format checks pass); any other gets a plain placeholder, which the
 * config validation then reports as an unknown key, as `pulumi preview` would.
 */
export function secretPlaceholder(key: string): string {
    return TEST_SECRETS[key] ?? "placeholder-for-a-secure-value";
}

/** Parsed stack file texts: config tests read the same file hundreds of times, and YAML parsing was a tenth of the suite's CPU. */
const yamlCache = new Map<string, unknown>();

/** The text parsed as YAML: a fresh copy each time (callers change what they get); a syntax error is thrown each time. */
function parsedYaml(text: string): unknown {
    if (!yamlCache.has(text)) {
        yamlCache.set(text, parseYaml(text));
    }
    return structuredClone(yamlCache.get(text));
}

/**
 * Reads `Pulumi.<stack>.yaml` into Pulumi's runtime config form (`ns:key` -> text).
 * `secure:` values get a placeholder (`secretPlaceholder`) and are listed in
 * `secretKeys`, so the run sees every key the file sets, as `pulumi preview` does.
 */
export function readStackFile(stack: string): { config: Record<string, string>; secretKeys: string[] } {
    const file = stackFile(stack);
    const relative = path.relative(process.cwd(), file);
    const shown = relative && !relative.startsWith("..") ? relative : file;
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no stack config file ${shown}`);
    }
    let doc: unknown;
    try {
        doc = parsedYaml(fs.readFileSync(file, "utf8"));
    } catch (error) {
        if (error instanceof YAMLParseError) {
            const at = error.linePos?.[0];
            const where = at ? `${shown}:${at.line}:${at.col}` : shown;
            // The yaml library's message repeats the position and quotes the line with a caret; keep the words.
            throw new StackFileError(`${where}: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
        }
        throw error;
    }
    const root = (doc ?? {}) as { config?: unknown };
    if (typeof root !== "object" || Array.isArray(root) || (root.config !== undefined && (typeof root.config !== "object" || root.config === null || Array.isArray(root.config)))) {
        throw new StackFileError(`${shown}: expected a mapping with a config: mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries((root.config ?? {}) as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (isSecure(value)) {
            secretKeys.push(fullKey);
            config[fullKey] = secretPlaceholder(fullKey.slice(fullKey.indexOf(":") + 1));
            continue;
        }
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { config, secretKeys };
}

/**
 * The stack file as `parseStackConfig` takes it (pure: no Pulumi runtime), with
 * the test secrets; for config validation tests.
 */
export function rawStackConfig(stack: string, secrets: Record<string, string> = TEST_SECRETS, now: Date = TEST_NOW): RawStackConfig {
    const { config, secretKeys } = readStackFile(stack);
    const values: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(config)) {
        if (key.startsWith(`${PROJECT}:`)) {
            values[key.slice(PROJECT.length + 1)] = parseText(text);
        }
    }
    for (const [key, value] of Object.entries(secrets)) {
        values[key] = value;
    }
    const secret = [...secretKeys.filter((k) => k.startsWith(`${PROJECT}:`)).map((k) => k.slice(PROJECT.length + 1)), ...Object.keys(secrets)];
    return { stack, region: config["aws:region"], values, now, secretKeys: secret };
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

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

export interface RunOptions {
    preview?: boolean;
    /** Changes the parsed `iam:*` values before the run (for bad-input tests). */
    edit?: (values: Record<string, unknown>) => void;
    /**
     * Secret config values by key (without namespace), on top of the stack file's
     * own `secure:` keys (which get `secretPlaceholder`); default TEST_SECRETS.
     * The render passes {} to run the file as `pulumi preview` would.
     */
    secrets?: Record<string, string>;
    /** The clock the config loader sees; default TEST_NOW. The render passes the real one (or IAM_NOW). */
    now?: Date;
}

let queue: Promise<unknown> = Promise.resolve();
/** The Pulumi SDK, once a run has loaded it. */
let sdk: typeof Pulumi | undefined;

/**
 * Runs the program for a stack; runs are serialised (the Pulumi runtime is global).
 * Under jest, a stack file run as it is (no `edit`, no `secrets`) comes from the
 * run test/globalSetup.ts made once for the whole `npm test`, so test files share
 * one run per stack and mode instead of each running the program again.
 */
export function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const cached = readSharedRun(stack, options);
    if (cached) {
        return Promise.resolve(cached);
    }
    return serialised(() => runStackNow(stack, options));
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

async function runStackNow(stack: string, options: RunOptions): Promise<StackRun> {
    const preview = options.preview ?? false;
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
    const secrets = options.secrets ?? TEST_SECRETS;
    const secretKeys = [...new Set([...fileSecretKeys, ...Object.keys(secrets).map((k) => `${PROJECT}:${k}`)])];
    for (const [key, value] of Object.entries(secrets)) {
        config[`${PROJECT}:${key}`] = value;
    }

    let stackConfig: StackConfig | undefined;
    const { resources, outputs, mockedOutputs } = await runUnderMocks({ project: PROJECT, stack, preview, config, secretKeys }, async () => {
        // Loaded here, not at the top: a test served a shared run never loads the program, and
        // one whose config is invalid stops at the config, as index.ts does, before the program loads.
        const { loadStackConfig } = await import("../stackConfig");
        stackConfig = loadStackConfig(options.now ?? TEST_NOW);
        const { deployEnvironment } = await import("../stack");
        // The fixture CA (not AWS's: no internet here), checked like the real one.
        return deployEnvironment(stackConfig, { rdsCaBundle: (region) => loadRdsCaBundle(region, { [CA_BUNDLE_FILE_ENV]: TEST_CA_BUNDLE_FILE }, options.now ?? TEST_NOW) });
    });
    return { stack, preview, config: stackConfig as StackConfig, resources, outputs, mockedOutputs };
}

/** What one program run under mocks needs: its project and stack, the mode, and the config (`ns:key` -> text). */
export interface MockRunSetup {
    project: string;
    stack: string;
    preview: boolean;
    config: Record<string, string>;
    secretKeys: string[];
}

/**
 * Runs `program` under Pulumi mocks with `setup`'s project, stack and config,
 * and records every registration. Shared by the environment program and the
 * registry project (test/registryHarness.ts). Not serialised: call it through
 * `serialised`.
 */
export async function runUnderMocks(
    setup: MockRunSetup,
    program: () => Promise<object>,
): Promise<{ resources: ResourceRecord[]; outputs: Record<string, ResolvedOutput>; mockedOutputs: string[] }> {
    const restore = plainStackTraces();
    try {
        return await runProgramUnderMocks(setup, program);
    } finally {
        restore();
    }
}

/**
 * Pulumi takes a stack trace for every promise it makes and every resource it
 * registers (`new Error().stack`: leak reports, and the source positions the
 * CLI shows). Under ts-node and jest, source-map-support maps every frame of
 * each: that was most of a mocked run's CPU time; and V8 collecting the frames
 * at all was the largest single cost left. During a run, errors carry no
 * frames (their messages are whole; nothing the harness records or a test
 * asserts uses frames), unless IAM_HARNESS_STACK_TRACES is set, to debug a
 * failing run: then Pulumi's message-less bookkeeping traces stay empty and
 * other errors keep V8's own (unmapped) frames. Returns the function that
 * restores the previous settings.
 */
const STACK_TRACES_ENV = "IAM_HARNESS_STACK_TRACES";

function plainStackTraces(): () => void {
    const saved = Error.prepareStackTrace;
    const savedLimit = Error.stackTraceLimit;
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
        const head = String(error);
        return error.message === "" && error.name === "Error" ? head : `${head}${frames.map((frame) => `\n    at ${String(frame)}`).join("")}`;
    };
    if (!process.env[STACK_TRACES_ENV]) {
        Error.stackTraceLimit = 0;
    }
    return () => {
        Error.prepareStackTrace = saved;
        Error.stackTraceLimit = savedLimit;
    };
}

async function runProgramUnderMocks(
    setup: MockRunSetup,
    program: () => Promise<object>,
): Promise<{ resources: ResourceRecord[]; outputs: Record<string, ResolvedOutput>; mockedOutputs: string[] }> {
    const { project, stack, preview } = setup;
    const resources: ResourceRecord[] = [];
    // The SDK and the mocks are loaded by the first run, not at the top: a test
    // that reads only stack files or shared runs loads no cloud SDK.
    const [pulumi, { mockCall, mockOutputs }] = await Promise.all([import("@pulumi/pulumi"), import("./mocks")]);
    sdk = pulumi;
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({
                id: preview ? undefined : mockId(args),
                state: preview ? { ...args.inputs } : { ...args.inputs, ...mockOutputs(args, stack) },
            }),
            call: (args) => mockCall(args, preview),
        },
        project,
        stack,
        preview,
    );
    pulumi.runtime.setAllConfig(setup.config, setup.secretKeys);
    recordRegistrations(pulumi, resources);
    const outputs = await program();
    const resolved = await resolveOutputs(pulumi, outputs);
    await waitForRegistrations();
    return { resources, ...resolved };
}

/** Runs `run` after every run started before it: the Pulumi runtime is global, so runs never overlap. */
export function serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
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
            await shareRun(sharedRunFile(dir, stack, preview), () => runStackNow(stack, { preview }));
        }
    }
    for (const [name, { stack, edit }] of Object.entries(VARIANTS)) {
        await shareRun(sharedRunFile(dir, stack, false, name as VariantName), () => runStackNow(stack, { edit }));
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
    if (!dir || process.env.JEST_WORKER_ID === undefined || options.edit || options.secrets || options.now || process.env.IAM_STACK_DIR) {
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

function parseText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The parts of the mock monitor's register request the records need. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getProvider(): string;
    getProvidersMap(): { forEach(cb: (value: string, key: string) => void): void };
}
type RegisterCallback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface MonitorWithRegister {
    registerResource(req: RegisterRequest, callback: RegisterCallback): Promise<void>;
}

/** Wraps the mock monitor so every registration is recorded with its options and dependencies. */
function recordRegistrations(pulumi: typeof Pulumi, resources: ResourceRecord[]): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            if (!err && response) {
                const secretPaths: string[] = [];
                const dependencies = new Set(req.getDependenciesList());
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((value, key) => {
                    propertyDependencies[key] = value.getUrnsList();
                    value.getUrnsList().forEach((urn) => dependencies.add(urn));
                });
                resources.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    inputs: decode(req.getObject()?.toJavaScript() ?? {}, "", secretPaths) as Record<string, unknown>,
                    secretPaths,
                    dependencies: [...dependencies],
                    propertyDependencies,
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                    ignoreChanges: req.getIgnorechangesList(),
                    replaceOnChanges: req.getReplaceonchangesList(),
                    deleteBeforeReplace: req.getDeletebeforereplace(),
                    provider: req.getProvider() || undefined,
                    providers: providersOf(req),
                });
            }
            callback(err, response);
        });
}

function providersOf(req: RegisterRequest): Record<string, string> {
    const providers: Record<string, string> = {};
    req.getProvidersMap().forEach((ref, pkg) => {
        providers[pkg] = ref;
    });
    return providers;
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns the wire form of inputs into plain data: secrets redacted (paths noted), unknowns marked. */
function decode(value: unknown, at: string, secretPaths: string[]): unknown {
    if (value === UNKNOWN_VALUE) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map((item, i) => decode(item, `${at}[${i}]`, secretPaths));
    }
    if (typeof value === "object" && value !== null) {
        const obj = value as Record<string, unknown>;
        const sig = obj[SIG_KEY];
        if (sig === SECRET_SIG) {
            secretPaths.push(at);
            return SECRET;
        }
        if (sig === RESOURCE_SIG) {
            return { $resource: obj.urn };
        }
        if (sig === OUTPUT_SIG) {
            if (obj.secret) {
                secretPaths.push(at);
                return SECRET;
            }
            return "value" in obj ? decode(obj.value, at, secretPaths) : UNKNOWN;
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decode(v, at === "" ? k : `${at}.${k}`, secretPaths)]));
    }
    return value;
}

interface OutputInternals {
    allResources?: () => Promise<Set<unknown>>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

async function resolveOutputs(pulumi: typeof Pulumi, outputs: object): Promise<{ outputs: Record<string, ResolvedOutput>; mockedOutputs: string[] }> {
    const result: Record<string, ResolvedOutput> = {};
    const mockedOutputs: string[] = [];
    for (const [key, value] of Object.entries(outputs)) {
        const output = pulumi.output(value as Pulumi.Input<unknown>) as unknown as OutputInternals;
        const [known, secret, resolved, from] = await Promise.all([output.isKnown, output.isSecret, output.promise(true), output.allResources?.() ?? Promise.resolve(new Set())]);
        result[key] = { known, secret, value: known ? resolved : UNKNOWN };
        if (from.size > 0) {
            mockedOutputs.push(key);
        }
    }
    return { outputs: result, mockedOutputs };
}

/** Waits until the mock monitor has answered every registration the program made. */
async function waitForRegistrations(): Promise<void> {
    const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/**
 * How many resources the last run registered with the mock monitor, counted
 * once every registration it started has been answered: a resource created
 * just before the program failed is counted too (registration is asynchronous).
 */
export async function settledRegistrations(): Promise<number> {
    await waitForRegistrations().catch(() => undefined);
    return registeredWithMonitor();
}

/**
 * How many resources the current (or last) run registered with the mock
 * monitor, counted by the monitor itself: 0 after a run that failed on config.
 */
export function registeredWithMonitor(): number {
    const monitor = sdk?.runtime.getMonitor() as unknown as { resources?: Map<string, unknown> } | undefined;
    return monitor?.resources?.size ?? 0;
}

/** The physical id the mocks give a resource (a preview run has none). */
export function mockId(resource: { name: string }): string {
    return `${resource.name}-id`;
}

/** The records of one type. */
export function ofType(run: StackRun, type: string): ResourceRecord[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one record of a type in a run; throws when there is none or more than one. */
export function onlyOfType(run: StackRun, type: string): ResourceRecord {
    const found = ofType(run, type);
    if (found.length !== 1) {
        throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ") || "none"}`);
    }
    return found[0];
}

/** The one record of a type and name; throws when it is not there. */
export function resource(run: StackRun, type: string, name: string): ResourceRecord {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        const names = ofType(run, type).map((r) => r.name);
        throw new Error(`no ${type} named ${name} (have: ${names.join(", ") || "none"})`);
    }
    return found;
}

/** Every URN a resource waits for, directly or through other resources (components expanded). */
export function transitiveDependencies(run: StackRun, urn: string): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of run.resources) {
        if (r.parent) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
        }
    }
    const seen = new Set<string>();
    const stack = [...(byUrn.get(urn)?.dependencies ?? [])];
    while (stack.length > 0) {
        const next = stack.pop() as string;
        if (seen.has(next)) {
            continue;
        }
        seen.add(next);
        stack.push(...(byUrn.get(next)?.dependencies ?? []));
        // Waiting for a component means waiting for everything inside it.
        stack.push(...(children.get(next) ?? []));
    }
    return seen;
}

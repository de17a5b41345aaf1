/**
 * Runs a program in-process under Pulumi mocks and records every resource it
 * registers: type, name, parent, inputs, options and dependencies
 * (offline/records.ts). No Pulumi CLI, no provider plugins, no AWS. Shared by
 * the environment program (offline/run.ts) and the registry project
 * (offline/registryRun.ts); the mocked providers' answers are offline/mocks.ts.
 */
import type * as Pulumi from "@pulumi/pulumi";
import { type ResolvedOutput, type ResourceRecord, SECRET, UNKNOWN } from "./records";

let queue: Promise<unknown> = Promise.resolve();
/** The Pulumi SDK, once a run has loaded it. */
let sdk: typeof Pulumi | undefined;

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
 * registry project (offline/registryRun.ts). Not serialised: call it through
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
 * frames (their messages are whole; nothing a run records or a test
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

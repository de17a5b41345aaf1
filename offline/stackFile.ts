/**
 * Reads a stack file, `Pulumi.<stack>.yaml`, the way `pulumi preview` hands it
 * to the program: `ns:key` -> text, `secure:` values replaced (the file holds
 * only ciphertext). Used by the offline runner (offline/run.ts), the render
 * and the tests. Pure but for the file read: no Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { RawStackConfig } from "../config";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const PROJECT = "iam";

/** Where `Pulumi.<stack>.yaml` files are read from: the repository, unless IAM_STACK_DIR says otherwise (render tests). */
export function stackFile(stack: string): string {
    return path.join(process.env.IAM_STACK_DIR ?? REPO_ROOT, `Pulumi.${stack}.yaml`);
}

/**
 * Stand-in values for the stack's known secret config keys, in the format
 * their checks want: the stack files hold only ciphertext (`pulumi config set
 * --secret`), so an offline run (the render, the tests) uses these.
 */
export const STAND_IN_SECRETS: Readonly<Record<string, string>> = {
    alarmWebhookUrl: "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
};

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
 * the real value cannot be had. A known secret key gets its STAND_IN_SECRETS
 * value (so its format checks pass); any other gets a plain placeholder, which
 * the config validation then reports as an unknown key, as `pulumi preview` would.
 */
export function secretPlaceholder(key: string): string {
    return STAND_IN_SECRETS[key] ?? "placeholder-for-a-secure-value";
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
 * The stack file as `parseStackConfig` takes it (pure: no Pulumi runtime),
 * with `secrets` set on top of its values, as of `now`.
 */
export function stackFileConfig(stack: string, secrets: Readonly<Record<string, string>>, now: Date): RawStackConfig {
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
    // The keys that are secrets: the file's `secure:` keys and the ones given here (a plaintext secret key is refused).
    const secret = [...secretKeys.filter((k) => k.startsWith(`${PROJECT}:`)).map((k) => k.slice(PROJECT.length + 1)), ...Object.keys(secrets)];
    return { stack, region: config["aws:region"], values, now, secretKeys: secret };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

/** A config text as the value it stands for: JSON when it parses, else the text. */
export function parseText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * A separate project's stack file (registry/, ci-identities/) in Pulumi's
 * runtime config form (`ns:key` -> text): keys without a namespace belong to
 * `namespace`; `edit` changes that namespace's parsed values first.
 */
export function projectStackConfig(file: string, namespace: string, edit?: (values: Record<string, unknown>) => void): Record<string, string> {
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const prefix = `${namespace}:`;
    const values: Record<string, unknown> = {};
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc?.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${prefix}${key}`;
        if (fullKey.startsWith(prefix)) {
            values[fullKey.slice(prefix.length)] = value;
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    edit?.(values);
    for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) {
            config[`${prefix}${key}`] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return config;
}

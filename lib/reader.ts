/**
 * A small typed reader for structured stack config.
 *
 * Every read records a problem (by the field's path) instead of throwing, and
 * returns a placeholder, so one pass over the whole config collects *every*
 * bad field; `loadStackConfig` throws once at the end with the full list.
 */

/**
 * Collects config problems and warnings, each prefixed with the path of the field.
 *
 * - `add`: a problem. The loader throws once with every problem, before
 *   anything is created.
 * - `warn`: a warning. The config is still valid and the program runs; the
 *   loaded config carries the list (`StackConfig.warnings`), index.ts logs
 *   each with `pulumi.log.warn` (every preview and update shows it) and
 *   `npm run render` prints them. Use it for what will become a problem
 *   later (a version near its end of support) or a choice worth a second
 *   look; the message says what to do, like a problem's.
 */
export class ConfigIssues {
    readonly list: string[] = [];
    readonly warnings: string[] = [];

    add(path: string, message: string): void {
        this.list.push(`${path} ${message}`);
    }

    /** Records a warning: `path` then `message`, as for `add`. */
    warn(path: string, message: string): void {
        this.warnings.push(`${path} ${message}`);
    }

    get count(): number {
        return this.list.length;
    }
}

/** Thrown when the stack config is invalid; `problems` lists every bad field by path. */
export class ConfigValidationError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was created:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigValidationError";
    }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Renders a config value for an error message, short. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface StringOptions<T extends string> {
    /** Used when the key is absent. Without a default the key is required. */
    default?: T;
    oneOf?: readonly T[];
    pattern?: RegExp;
    /** What the pattern allows, in words, for the error message. */
    expected?: string;
}

interface IntOptions {
    default?: number;
    min?: number;
    max?: number;
}

/**
 * The fields of one config object at `path`. Unknown keys are reported (a typo
 * such as `minsize` must not be silently ignored).
 */
export class Fields {
    private readonly raw: Record<string, unknown>;

    private constructor(
        raw: Record<string, unknown>,
        readonly path: string,
        readonly issues: ConfigIssues,
    ) {
        this.raw = raw;
    }

    /** Reads `value` as an object whose keys must all be in `known`. */
    static of(value: unknown, path: string, issues: ConfigIssues, known: readonly string[]): Fields {
        if (!isPlainObject(value)) {
            issues.add(path, `must be an object, got ${show(value)}`);
            return new Fields({}, path, issues);
        }
        for (const key of Object.keys(value)) {
            if (!known.includes(key)) {
                issues.add(`${join(path, key)}`, `is not a known key (allowed: ${known.join(", ")})`);
            }
        }
        return new Fields(value, path, issues);
    }

    /** The path of a child key, for error messages. */
    at(key: string): string {
        return join(this.path, key);
    }

    has(key: string): boolean {
        return this.raw[key] !== undefined && this.raw[key] !== null;
    }

    value(key: string): unknown {
        return this.raw[key];
    }

    string<T extends string = string>(key: string, options: StringOptions<T> = {}): T {
        const value = this.raw[key];
        const path = this.at(key);
        if (value === undefined || value === null) {
            if (options.default !== undefined) {
                return options.default;
            }
            this.issues.add(path, `is required${options.oneOf ? ` (one of: ${options.oneOf.join(", ")})` : ""}`);
            return (options.default ?? "") as T;
        }
        if (typeof value !== "string") {
            this.issues.add(path, `must be a string, got ${show(value)}`);
            return (options.default ?? "") as T;
        }
        if (options.oneOf && !options.oneOf.includes(value as T)) {
            this.issues.add(path, `must be one of ${options.oneOf.join(", ")}, got ${show(value)}`);
            return options.default ?? options.oneOf[0];
        }
        if (options.pattern && !options.pattern.test(value)) {
            this.issues.add(path, `must be ${options.expected ?? `a string matching ${options.pattern}`}, got ${show(value)}`);
        }
        return value as T;
    }

    optionalString(key: string, options: Omit<StringOptions<string>, "default"> = {}): string | undefined {
        return this.has(key) ? this.string(key, options) : undefined;
    }

    int(key: string, options: IntOptions = {}): number {
        return readInt(this.raw[key], this.at(key), this.issues, options);
    }

    optionalInt(key: string, options: Omit<IntOptions, "default"> = {}): number | undefined {
        return this.has(key) ? this.int(key, options) : undefined;
    }

    bool(key: string, defaultValue: boolean): boolean {
        const value = this.raw[key];
        if (value === undefined || value === null) {
            return defaultValue;
        }
        if (typeof value !== "boolean") {
            this.issues.add(this.at(key), `must be true or false, got ${show(value)}`);
            return defaultValue;
        }
        return value;
    }

    /** A required (or defaulted) nested object. */
    object<T>(key: string, known: readonly string[], read: (fields: Fields) => T, options: { optional?: boolean } = {}): T {
        const value = this.raw[key];
        if ((value === undefined || value === null) && options.optional) {
            return read(Fields.of({}, this.at(key), this.issues, known));
        }
        return read(Fields.of(value, this.at(key), this.issues, known));
    }

    /** A nested object that may be absent (`undefined` then). */
    optionalObject<T>(key: string, known: readonly string[], read: (fields: Fields) => T): T | undefined {
        return this.has(key) ? read(Fields.of(this.raw[key], this.at(key), this.issues, known)) : undefined;
    }

    /** A list; `read` is called for each item with its own path (`key[3]`). */
    list<T>(key: string, read: (item: unknown, path: string) => T, options: { default?: T[]; minItems?: number; maxItems?: number } = {}): T[] {
        const value = this.raw[key];
        const path = this.at(key);
        if (value === undefined || value === null) {
            if (options.default !== undefined) {
                return options.default;
            }
            this.issues.add(path, "is required (a list)");
            return [];
        }
        if (!Array.isArray(value)) {
            this.issues.add(path, `must be a list, got ${show(value)}`);
            return options.default ?? [];
        }
        if (options.minItems !== undefined && value.length < options.minItems) {
            this.issues.add(path, `must have at least ${options.minItems} item${options.minItems === 1 ? "" : "s"}, got ${value.length}`);
        }
        if (options.maxItems !== undefined && value.length > options.maxItems) {
            this.issues.add(path, `must have at most ${options.maxItems} items, got ${value.length}`);
        }
        return value.map((item, index) => read(item, `${path}[${index}]`));
    }

    /** A list of objects with known keys. */
    objectList<T>(key: string, known: readonly string[], read: (fields: Fields) => T, options: { default?: T[]; minItems?: number } = {}): T[] {
        return this.list(key, (item, path) => read(Fields.of(item, path, this.issues, known)), options);
    }

    /** A map of string to string (labels, tags). */
    stringMap(key: string, options: { keyPattern?: RegExp; expected?: string } = {}): Record<string, string> {
        const value = this.raw[key];
        if (value === undefined || value === null) {
            return {};
        }
        if (!isPlainObject(value)) {
            this.issues.add(this.at(key), `must be a map of strings, got ${show(value)}`);
            return {};
        }
        const result: Record<string, string> = {};
        for (const [k, v] of Object.entries(value)) {
            if (typeof v !== "string") {
                this.issues.add(`${this.at(key)}.${k}`, `must be a string, got ${show(v)}`);
                continue;
            }
            if (options.keyPattern && !options.keyPattern.test(k)) {
                this.issues.add(`${this.at(key)}.${k}`, `is not a valid key: must be ${options.expected ?? `matching ${options.keyPattern}`}`);
                continue;
            }
            result[k] = v;
        }
        return result;
    }
}

/** Reads a whole number within bounds, recording a problem otherwise. */
export function readInt(value: unknown, path: string, issues: ConfigIssues, options: IntOptions = {}): number {
    const fallback = options.default ?? options.min ?? 0;
    if (value === undefined || value === null) {
        if (options.default !== undefined) {
            return options.default;
        }
        issues.add(path, "is required (a whole number)");
        return fallback;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) {
        issues.add(path, `must be a whole number, got ${show(value)}`);
        return fallback;
    }
    if (options.min !== undefined && value < options.min) {
        issues.add(path, `(${value}) must be >= ${options.min}${options.max !== undefined ? ` and <= ${options.max}` : ""}`);
    } else if (options.max !== undefined && value > options.max) {
        issues.add(path, `(${value}) must be <= ${options.max}${options.min !== undefined ? ` and >= ${options.min}` : ""}`);
    }
    return value;
}

/** Reads a string item of a list. */
export function readString(value: unknown, path: string, issues: ConfigIssues, options: { pattern?: RegExp; expected?: string } = {}): string {
    if (typeof value !== "string") {
        issues.add(path, `must be a string, got ${show(value)}`);
        return "";
    }
    if (options.pattern && !options.pattern.test(value)) {
        issues.add(path, `must be ${options.expected ?? `matching ${options.pattern}`}, got ${show(value)}`);
    }
    return value;
}

/** Records a problem for every value that occurs more than once. */
export function checkUnique<T>(items: readonly T[], keyOf: (item: T) => string, pathOf: (index: number) => string, issues: ConfigIssues, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
        const key = keyOf(item);
        if (key === "") {
            return;
        }
        const first = seen.get(key);
        if (first !== undefined) {
            issues.add(pathOf(index), `duplicates ${what} ${show(key)} already used at ${pathOf(first)}`);
        } else {
            seen.set(key, index);
        }
    });
}

function join(path: string, key: string): string {
    return path === "" ? key : `${path}.${key}`;
}

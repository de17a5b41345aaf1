/**
 * The building blocks every area's config schema (`<area>/schema.ts`) is made
 * of, and the one place their problems are worded: a per-parse error map for
 * the generic cases (wrong type, missing, not one of, out of range, unknown
 * key) and a formatter that prints each zod issue as `path message`, the way
 * the config has always reported (`cluster.nodeGroups[0].minSize (1) must be
 * at least 2 in prod`). Domain rules carry their own message where they are
 * declared. Pure: no Pulumi, no area.
 */
import { z } from "zod";
import { closest, distance } from "fastest-levenshtein";
import { CIDR_STRICT_PATTERN, parseCidr } from "./cidr";
import { show } from "./reader";

/** `a.b[2].c` from a zod issue path. Root keys keep their namespace (`aws:region`). */
export function issuePath(path: readonly PropertyKey[], base = ""): string {
    return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), base);
}

/**
 * `did you mean x?` when `value` is a near miss of one of `candidates` (a
 * typo, a wrong case), otherwise "". Near: at most a third of the word differs.
 */
export function didYouMean(value: string, candidates: readonly string[]): string {
    if (candidates.length === 0) {
        return "";
    }
    const caseMatch = candidates.find((c) => c.toLowerCase() === value.toLowerCase());
    const best = caseMatch ?? closest(value, [...candidates]);
    const allowed = Math.max(1, Math.floor(Math.max(value.length, best.length) / 3));
    // Two letters swapped (`mdoe`) is one slip, though Levenshtein counts two.
    const swapped = value.length === best.length && [...value].sort().join("") === [...best].sort().join("") && distance(value, best) === 2;
    return caseMatch !== undefined || swapped || distance(value, best) <= allowed ? `did you mean ${best}?` : "";
}

const KNOWN_KEYS_NOTE = "is not a known key (allowed: ";

function objectKeys(inst: unknown): string[] {
    const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
    return shape ? Object.keys(shape) : [];
}

function typeName(input: unknown): string {
    return Array.isArray(input) ? "list" : input === null ? "null" : typeof input;
}

/**
 * The generic wording, for every parse of the stack config. Returns undefined
 * where a schema's own `error` should stand (zod then uses it).
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
    const input = issue.input;
    switch (issue.code) {
        case "invalid_type": {
            const expected = issue.expected as string;
            const what: Record<string, string> = {
                string: "a string",
                int: "a whole number",
                number: "a number",
                boolean: "true or false",
                array: "a list",
                object: "an object",
                record: "a map",
                map: "a map",
            };
            const format = issue.inst?._zod as { def?: { format?: string }; bag?: { format?: string } } | undefined;
            const intWanted = expected === "int" || format?.def?.format === "safeint" || format?.bag?.format === "safeint";
            if (input === undefined) {
                return intWanted ? "is required (a whole number)" : expected === "array" ? "is required (a list)" : "is required";
            }
            return `must be ${intWanted ? "a whole number" : (what[expected] ?? expected)}, got ${show(input)}`;
        }
        case "invalid_value": {
            const values = issue.values.map(String);
            if (input === undefined) {
                return `is required (one of: ${values.join(", ")})`;
            }
            const hint = typeof input === "string" ? didYouMean(input, values) : "";
            return `must be one of ${values.join(", ")}, got ${show(input)}${hint ? `: ${hint}` : ""}`;
        }
        case "unrecognized_keys":
            return `${KNOWN_KEYS_NOTE}${objectKeys(issue.inst).join(", ")})`;
        case "too_small":
            if (issue.origin === "array") {
                return `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}, got ${(input as unknown[]).length}`;
            }
            if (issue.origin === "string") {
                return `must not be empty`;
            }
            return `(${show(input)}) must be >= ${issue.minimum}`;
        case "too_big":
            if (issue.origin === "array") {
                return `must have at most ${issue.maximum} items, got ${(input as unknown[]).length}`;
            }
            if (issue.origin === "string") {
                return `must be at most ${issue.maximum} characters, got ${String(input).length}`;
            }
            return `(${show(input)}) must be <= ${issue.maximum}`;
        case "invalid_union":
            if (issue.note === "No matching discriminator" && typeof input === "object" && input !== null) {
                const key = issue.discriminator ?? "";
                const options = ((issue.options ?? []) as unknown[]).filter((o): o is string => typeof o === "string");
                const got = (input as Record<string, unknown>)[key];
                const hint = typeof got === "string" ? didYouMean(got, options) : "";
                return `must be one of ${options.join(", ")}, got ${show(got)}${hint ? `: ${hint}` : ""}`;
            }
            return `is not valid, got a ${typeName(input)}`;
        case "invalid_format":
            return `must be ${issue.format}, got ${show(input)}`;
        default:
            return undefined;
    }
};

/** One line per problem, `path message`; an unknown key gets a line of its own, with a suggestion when one is near. */
export function formatIssues(error: z.ZodError, base = ""): string[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            const start = issue.message.indexOf(KNOWN_KEYS_NOTE);
            const allowed = start < 0 ? [] : issue.message.slice(start + KNOWN_KEYS_NOTE.length, -1).split(", ");
            return issue.keys.map((key) => {
                const hint = didYouMean(key, allowed);
                return `${issuePath([...issue.path, key], base)} ${issue.message}${hint ? `: ${hint}` : ""}`;
            });
        }
        return [`${issuePath(issue.path, base)} ${issue.message}`];
    });
}

/** What `when` sees: the value parsed so far and the issues found under it (paths relative to it). */
interface Payload {
    value: unknown;
    issues: readonly { path?: readonly PropertyKey[] }[];
}

function related(a: readonly PropertyKey[] | undefined, b: readonly PropertyKey[]): boolean {
    if (a === undefined) {
        return true;
    }
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
        if (a[i] !== b[i]) {
            return false;
        }
    }
    return true;
}

/**
 * A `when` for a refinement that reads only some fields: it runs when those
 * fields parsed cleanly, whatever else is wrong, and never on values the user
 * did not write correctly (so `maxSize: nine` reports one problem, not also
 * `minSize (3) must be <= maxSize`). Paths are dotted, relative to the object.
 */
export function whenValid(...paths: string[]): (payload: Payload) => boolean {
    const split = paths.map((p) => p.split("."));
    return (payload) => payload.value !== undefined && !payload.issues.some((issue) => split.some((p) => related(issue.path, p)));
}

/** A refinement context, as `.superRefine` passes it. */
export type RefineContext = z.core.$RefinementCtx;

/** Adds a custom issue at `path` (relative to the refined value). */
export function report(ctx: RefineContext, path: PropertyKey[], message: string): void {
    ctx.addIssue({ code: "custom", path, message });
}

/** Reports every value that occurs more than once (the first occurrence is the original). */
export function reportDuplicates<T>(
    ctx: RefineContext,
    items: readonly T[],
    keyOf: (item: T) => string,
    pathOf: (index: number) => PropertyKey[],
    what: string,
    display: (index: number) => string = (i) => issuePath(pathOf(i)),
): void {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
        const key = keyOf(item);
        if (key === "") {
            return;
        }
        const first = seen.get(key);
        if (first !== undefined) {
            report(ctx, pathOf(index), `duplicates ${what} ${show(key)} already used at ${display(first)}`);
        } else {
            seen.set(key, index);
        }
    });
}

/** A whole number in `[min, max]`, worded `(v) must be >= min and <= max`. */
export function wholeNumber(min: number, max: number): z.ZodInt {
    return z
        .int()
        .min(min, { error: (issue) => `(${show(issue.input)}) must be >= ${min} and <= ${max}`, abort: true })
        .max(max, { error: (issue) => `(${show(issue.input)}) must be <= ${max} and >= ${min}`, abort: true });
}

/** A string matching `pattern`, worded `must be <expected>, got "<value>"`. */
export function matching(pattern: RegExp, expected: string): z.ZodString {
    return z.string().regex(pattern, { error: (issue) => `must be ${expected}, got ${show(issue.input)}`, abort: true });
}

/** A map of string to string (labels, tags, env). */
export function stringMap(keyPattern: RegExp, expected: string): z.ZodRecord<z.ZodString, z.ZodString> {
    return z.record(z.string().regex(keyPattern, { error: `is not a valid key: must be ${expected}` }), z.string());
}

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The retention periods, as the config descriptions give them. */
export const LOG_RETENTION_CHOICES = `one of ${LOG_RETENTION_DAYS.join(", ")}`;

/** A CloudWatch Logs retention in days; `wording` ends the message (`must be a CloudWatch Logs retention`). */
export function logRetention(wording: string): z.ZodInt {
    return wholeNumber(1, 3653).refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: (issue) => `(${show(issue.input)}) must be ${wording}: ${LOG_RETENTION_DAYS.join(", ")}`,
    });
}

/**
 * True when no problem was found so far at or under `path` (relative to the
 * refined value), nor at any object above it: a rule that reads only some
 * items of a list checks each item with this and skips the broken ones.
 */
export function parsedCleanly(ctx: RefineContext, path: readonly PropertyKey[]): boolean {
    return !ctx.issues.some((issue) => related(issue.path, path));
}

/**
 * An IPv4 CIDR's text of the right shape (`CIDR_STRICT_PATTERN`, which the
 * JSON Schema carries as `pattern`), with parseCidr's wording; `abort`: a
 * malformed text gets this one message, not also the refinements after it.
 */
export function cidrText(): z.ZodString {
    return z.string().regex(CIDR_STRICT_PATTERN, {
        abort: true,
        error: (issue) => {
            const problem = parseCidr(String(issue.input));
            return `${typeof problem === "string" ? problem : "must be an IPv4 CIDR like 10.0.0.0/16"}, got ${show(issue.input)}`;
        },
    });
}

/** A CIDR string (`10.0.0.0/16`) no wider than /`widest`; `what` names its use in the message. */
export function cidrString(widest = 0, what = ""): z.ZodString {
    return cidrText().superRefine((text, ctx) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") {
            report(ctx, [], `${cidr}, got ${show(text)}`);
        } else if (cidr.prefix < widest) {
            report(ctx, [], `(${text}) is too wide for ${what}: use /${widest} or narrower (never the whole internet)`);
        }
    });
}

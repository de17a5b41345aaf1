/**
 * The config problem list and the error that carries it: every problem is a
 * line `path message`; `loadStackConfig` throws once with the full list.
 * The stack config itself is read by zod schemas (lib/configSchema.ts).
 */

/** Thrown when the stack config is invalid; `problems` lists every bad field by path. */
export class ConfigValidationError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was created:\n` + problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigValidationError";
    }
}

/** Renders a config value for an error message, short. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

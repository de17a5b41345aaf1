/**
 * The bridge from zod schemas to the config reader, while the hand-written
 * sections are converted (issue 14): a new config section is declared once as
 * a zod schema and read here, so its problems join the same list, each by its
 * YAML path (`cluster.karpenter.nodePools[0].limits.cpu must be ...`).
 * Pure: no Pulumi.
 */
import { z } from "zod";
import { ConfigIssues } from "./reader";

/** `a.b[2].c` from a base path and a zod issue path. */
export function issuePath(base: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), base);
}

/** One line per zod issue, in the reader's wording: the path, then what is wrong. */
export function formatZodIssues(base: string, error: z.ZodError): string[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((key) => `${issuePath(base, [...issue.path, key])} is not a known key`);
        }
        return [`${issuePath(base, issue.path)} ${issue.message}`];
    });
}

/**
 * Parses `value` (the raw YAML at `path`) with `schema`; records every problem
 * in `issues` and returns undefined when there is one. The caller's config is
 * then invalid as a whole (`loadStackConfig` throws with the full list), so
 * undefined never reaches a component.
 */
export function readSection<S extends z.ZodType>(value: unknown, path: string, issues: ConfigIssues, schema: S): z.output<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) {
        return result.data;
    }
    for (const line of formatZodIssues(path, result.error)) {
        const space = line.indexOf(" ");
        issues.add(line.slice(0, space), line.slice(space + 1));
    }
    return undefined;
}

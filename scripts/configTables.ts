/**
 * The config tables of the docs, pure: a JSON Schema (generated from the zod
 * config schema by scripts/schema.ts) turned into rows of key, type, default
 * and description, the tables of docs/config-reference.md, and the generated
 * blocks of the area docs (`<!-- config:<block>:begin -->` ...
 * `<!-- config:<block>:end -->`), each holding the rows of the sections that
 * area owns. No file access here: scripts/schema.ts reads and writes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface Row {
    key: string;
    type: string;
    byDefault: string;
    description: string;
}

function typeOf(schema: JsonObject, defs: JsonObject): string {
    if (typeof schema.$ref === "string") {
        const def = defs[schema.$ref.replace("#/$defs/", "")];
        return isObject(def) ? typeOf(def, defs) : "object";
    }
    const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
    if (Array.isArray(options)) {
        return [...new Set(options.filter(isObject).map((o) => typeOf(o, defs)))].join(" or ");
    }
    if (isObject(schema.not) && Object.keys(schema.not).length === 0) return "not allowed";
    if (Array.isArray(schema.enum)) return (schema.enum as Json[]).map((v) => `\`${String(v)}\``).join(", ");
    if (schema.const !== undefined) return `\`${String(schema.const)}\``;
    if (schema.type === "array" && isObject(schema.items)) return `list of ${typeOf(schema.items, defs)}`;
    if (schema.type === "object" && schema.propertyNames !== undefined) return "map";
    const range = [
        schema.minimum !== undefined && Number(schema.minimum) > -1e15 ? `>= ${schema.minimum}` : "",
        schema.maximum !== undefined && Number(schema.maximum) < 1e15 ? `<= ${schema.maximum}` : "",
    ]
        .filter(Boolean)
        .join(", ");
    return `${String(schema.type ?? "any")}${range ? ` (${range})` : ""}`;
}

/** A row while the rows are collected: its default as each variant of a union has it (variant label, cell). */
interface Draft extends Row {
    defaults: [string, string][];
}

/** The label of one variant of a union: its discriminator's value (`http`, `worker`), or "". */
function labelOf(variant: JsonObject): string {
    const discriminator = Object.values(isObject(variant.properties) ? variant.properties : {}).find((p) => isObject(p) && p.const !== undefined) as JsonObject | undefined;
    return discriminator ? String(discriminator.const) : "";
}

function collect(schema: JsonObject, key: string, defs: JsonObject, variant: string): Draft[] {
    const target = typeof schema.$ref === "string" ? (defs[schema.$ref.replace("#/$defs/", "")] as JsonObject) : schema;
    const cell = (text: Json | undefined): string => (text === undefined || text === null ? "" : String(text).replace(/\|/g, "\\|").replace(/\n/g, " "));
    const byDefault = schema.default === undefined ? "" : `\`${JSON.stringify(schema.default)}\``;
    const out: Draft[] = [{ key, type: typeOf(schema, defs), byDefault, description: cell(schema.description ?? target.description), defaults: [] }];
    // A union's discriminator has no default in the variants that must name it (`mode: external`): nothing to show for those.
    if (byDefault !== "" || schema.const === undefined) out[0].defaults.push([variant, byDefault]);
    const item = target.type === "array" && isObject(target.items) ? target.items : undefined;
    const variants = (o: JsonObject): JsonObject[] => [o, ...(((o.oneOf ?? o.anyOf) as Json[] | undefined) ?? []).filter(isObject)];
    const objects: [JsonObject, string][] = [
        ...variants(target).map((o): [JsonObject, string] => [o, key]),
        ...(item ? variants(item).map((o): [JsonObject, string] => [o, `${key}[]`]) : []),
    ];
    for (const [object, prefix] of objects) {
        if (!isObject(object.properties)) continue;
        const label = labelOf(object) || variant;
        for (const [child, childSchema] of Object.entries(object.properties)) {
            if (!isObject(childSchema)) continue;
            for (const row of collect(childSchema, `${prefix}.${child}`, defs, label)) {
                const seen = out.find((r) => r.key === row.key);
                if (!seen) {
                    out.push(row);
                    continue;
                }
                const types = seen.type.split(" or ");
                seen.type = [...types, ...row.type.split(" or ").filter((t) => !types.includes(t))].join(" or ");
                seen.defaults.push(...row.defaults);
                seen.description ||= row.description;
            }
        }
    }
    return out;
}

/**
 * The rows of one key and everything under it (object fields, list items,
 * each variant of a union), depth first. A field the variants of a union
 * share is one row: its types joined with "or", and its default given per
 * variant where they differ (`http \`15\`, worker \`0\``).
 */
export function rows(schema: JsonObject, key: string, defs: JsonObject): Row[] {
    return collect(schema, key, defs, "").map(({ defaults, ...row }) => {
        const cells = defaults.filter(([, cell], i) => defaults.findIndex(([, other]) => other === cell) === i);
        const labelled = cells.every(([label]) => label !== "") && new Set(cells.map(([label]) => label)).size === cells.length;
        const byDefault =
            cells.length <= 1 ? (cells[0]?.[1] ?? "") : cells.map(([label, cell]) => (labelled ? `${label} ${cell || "none"}` : cell || "none")).join(labelled ? ", " : " or ");
        return { ...row, byDefault };
    });
}

/** The rows of every key of a stack file's JSON Schema (`properties.config.properties`), in file order. */
export function fileRows(schema: JsonObject): Row[] {
    const config = (schema.properties as JsonObject).config as JsonObject;
    const defs = (schema.$defs as JsonObject | undefined) ?? {};
    return Object.entries(config.properties as JsonObject).flatMap(([key, section]) => (isObject(section) ? rows(section, key, defs) : []));
}

/**
 * The rows of the schema both environments accept, with each default as the
 * environments write it: where they differ (the merged schema has none), the
 * default cell names each, e.g. "prod `true`, staging `false`".
 */
export function withEnvironmentDefaults(merged: Row[], byEnvironment: Record<string, Row[]>): Row[] {
    const defaults = Object.entries(byEnvironment).map(([environment, envRows]) => [environment, new Map(envRows.map((r) => [r.key, r.byDefault]))] as const);
    return merged.map((row) => {
        const cells = defaults.map(([environment, byKey]) => [environment, byKey.get(row.key) ?? ""] as const);
        if (row.byDefault !== "" || cells.every(([, cell]) => cell === cells[0][1])) return row;
        return { ...row, byDefault: cells.map(([environment, cell]) => `${environment} ${cell || "none"}`).join(", ") };
    });
}

/** A markdown table of rows. */
export function table(tableRows: Row[]): string[] {
    return ["| key | type | default | description |", "|---|---|---|---|", ...tableRows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.byDefault} | ${r.description} |`)];
}

/** The section (top-level key) a row belongs to: `iam:edge.waf.enabled` -> `iam:edge`. */
export function sectionOf(key: string): string {
    return key.split(/[.[]/)[0];
}

/** True when `key` is `prefix` or lies under it (`prefix.`, `prefix[]`). */
export function under(key: string, prefix: string): boolean {
    return key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);
}

/** What a generated block of an area doc holds: the rows under `include`, minus those under `exclude`, of the environment stacks' keys or (`from`) the registry project's. */
export interface AreaBlock {
    include: string[];
    exclude?: string[];
    from?: "registryProject" | "ciIdentities";
}

/**
 * Every generated block, by name, and the doc that must hold it. A doc may
 * hold several blocks (foundation.md: one per section it explains); each
 * config key is in exactly one block (test/stackSchema.test.ts checks).
 */
export const AREA_BLOCKS: Record<string, AreaBlock & { doc: string }> = {
    foundation: { doc: "docs/foundation.md", include: ["aws:region", "iam:environment", "iam:accountId", "iam:domain", "iam:tags"] },
    network: { doc: "docs/foundation.md", include: ["iam:network"] },
    accessMatrix: { doc: "docs/foundation.md", include: ["iam:accessMatrix"] },
    registry: { doc: "docs/foundation.md", include: ["iam:registry"] },
    services: { doc: "docs/foundation.md", include: ["iam:services"], exclude: ["iam:services[].workload"] },
    cluster: { doc: "docs/cluster.md", include: ["iam:cluster"] },
    edge: { doc: "docs/edge.md", include: ["iam:edge"] },
    data: { doc: "docs/data.md", include: ["iam:dataStores"] },
    workloads: { doc: "docs/workloads.md", include: ["iam:workloads"] },
    workload: { doc: "docs/workloads.md", include: ["iam:services[].workload"] },
    application: { doc: "docs/workloads.md", include: ["iam:application"] },
    alarms: { doc: "docs/guardrails.md", include: ["iam:alarms", "iam:alarmWebhookUrl"] },
    verify: { doc: "docs/verify.md", include: ["iam:verify"] },
    "registry-project": { doc: "docs/registry.md", include: ["aws:region", "iam-registry"], from: "registryProject" },
    "ci-identities": { doc: "docs/ci-identities.md", include: ["aws:region", "iam-ci-identities"], from: "ciIdentities" },
};

/** The rows of a block, in schema order. */
export function blockRows(all: Row[], block: AreaBlock): Row[] {
    const matches = (key: string, prefixes: string[] = []): boolean => prefixes.some((p) => under(key, p) || key.startsWith(`${p}:`));
    return all.filter((r) => matches(r.key, block.include) && !matches(r.key, block.exclude));
}

const BEGIN = /<!-- config:([\w-]+):begin -->\n/g;
const end = (name: string): string => `<!-- config:${name}:end -->`;
const NOTE = "<!-- Generated by `npm run schema` from the config schema: edit the key's `.meta({ description })` there, not this table. -->";

/** The names of the generated blocks a doc holds, in order. */
export function blockNames(doc: string): string[] {
    return [...doc.matchAll(BEGIN)].map((m) => m[1]);
}

/**
 * The doc with each generated block's content replaced by `render(name)`
 * (a table, with a note saying where it comes from). Throws on a block
 * without its end marker or one `render` does not know.
 */
export function withBlocks(doc: string, render: (name: string) => string[] | undefined): string {
    let out = "";
    let at = 0;
    for (const match of doc.matchAll(BEGIN)) {
        const name = match[1];
        const start = (match.index ?? 0) + match[0].length;
        const close = doc.indexOf(end(name), start);
        if (start < at || close < 0) throw new Error(`config:${name}:begin has no ${end(name)} before the next block`);
        const content = render(name);
        if (!content) throw new Error(`config:${name} is not a known block (scripts/configTables.ts AREA_BLOCKS)`);
        out += `${doc.slice(at, start)}${[NOTE, ...content].join("\n")}\n`;
        at = close;
    }
    return out + doc.slice(at);
}

/**
 * Pure. Reads the option keys a marmotedu/iam binary takes from its config
 * file out of the Go source: the `mapstructure` tags of its options struct
 * and of every struct that struct holds, as viper's `Unmarshal` decodes them
 * (pkg/app/app.go: `viper.Unmarshal(a.options)`, which decodes with
 * mitchellh/mapstructure). The rules the decoder follows, and so this reader:
 *
 * - a field's key is its `mapstructure` tag name; an untagged field matches
 *   its own name case-insensitively, so its key is the lower-cased name
 *   (`RedisOptions.Port` has only a json tag: the key is `redis.port`);
 * - a tag `-` is never decoded;
 * - a struct-typed field is a section: its fields' keys go under its key;
 * - `map[string]T` is a section of any name (`pumps.<name>.type`), written
 *   `*` in a key; `map[string]interface{}` is free-form (`pumps.*.meta`);
 * - an embedded (anonymous) struct is flattened (`,squash`, or decoded into
 *   separately, as the mongo pump does with `BaseMongoConf`).
 *
 * No Go toolchain: the source is gofmt-formatted, one field per line, which
 * is all this reads. `scripts/iamContract.ts` feeds it from `git show`; the
 * test feeds it small fixtures.
 */

/** The Go files of one package directory, as `{ path, text }`. */
export interface GoSource {
    /** Every non-test `.go` file directly in `dir` (a path in the repository, e.g. `internal/pkg/options`). */
    files(dir: string): ReadonlyArray<{ path: string; text: string }>;
}

export interface GoField {
    name: string;
    /** The Go type as written (`*genericoptions.RedisOptions`, `map[string]PumpConfig`). */
    type: string;
    /** The `mapstructure` tag's name, when there is one. */
    tag?: string;
    squash: boolean;
    embedded: boolean;
}

interface GoPackage {
    structs: Map<string, GoField[]>;
    /** Per file: import alias -> package directory in the module (internal imports only). */
    imports: Map<string, Map<string, string>>;
    /** Struct name -> file it is declared in. */
    fileOf: Map<string, string>;
    /** Struct name -> field name -> a literal default from its `New...()` constructor. */
    defaults: Map<string, Map<string, string | number | boolean>>;
}

/** What a binary reads: its keys, `*` standing for any map key, and the literal defaults found. */
export interface OptionKeys {
    keys: string[];
    /** Keys whose value is a free-form map (anything may follow them). */
    freeMaps: string[];
    defaults: Record<string, string | number | boolean>;
}

const MODULE = "github.com/marmotedu/iam/";

/** The `mapstructure` tag of a struct tag string: its name and whether it squashes. */
export function mapstructureTag(tag: string): { name?: string; squash: boolean } {
    const match = /(?:^|\s)mapstructure:"([^"]*)"/.exec(tag);
    if (!match) {
        return { squash: false };
    }
    const [name, ...opts] = match[1].split(",");
    return { name: name === "" ? undefined : name, squash: opts.includes("squash") };
}

/** The struct declarations of one Go file: name -> fields. */
export function parseStructs(text: string): Map<string, GoField[]> {
    const structs = new Map<string, GoField[]>();
    for (const match of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
        const fields: GoField[] = [];
        for (const raw of match[2].split("\n")) {
            const line = raw.replace(/\s*\/\/.*$/, "").trim();
            if (line === "") continue;
            const tagMatch = /`([^`]*)`\s*$/.exec(line);
            const body = (tagMatch ? line.slice(0, tagMatch.index) : line).trim();
            const parts = body.split(/\s+/);
            const tag = mapstructureTag(tagMatch ? tagMatch[1] : "");
            if (parts.length === 1) {
                // Embedded: `BaseMongoConf` or `*pkg.Type`.
                const type = parts[0];
                fields.push({ name: type.replace(/^\*/, "").replace(/^\w+\./, ""), type, tag: tag.name, squash: true, embedded: true });
            } else {
                for (const name of parts[0].split(",").filter((n) => n !== "")) {
                    fields.push({ name, type: parts.slice(1).join(" "), tag: tag.name, squash: tag.squash, embedded: false });
                }
            }
        }
        structs.set(match[1], fields);
    }
    return structs;
}

/** The module-internal imports of a Go file: alias (or last path element) -> directory. */
export function parseImports(text: string): Map<string, string> {
    const imports = new Map<string, string>();
    const block = /^import \(\n([\s\S]*?)^\)/m.exec(text);
    const lines = block ? block[1].split("\n") : [...text.matchAll(/^import (.*)$/gm)].map((m) => m[1]);
    for (const line of lines) {
        const m = /^\s*(\w+\s+)?"([^"]+)"/.exec(line);
        if (m && m[2].startsWith(MODULE)) {
            const dir = m[2].slice(MODULE.length);
            imports.set(m[1] ? m[1].trim() : dir.slice(dir.lastIndexOf("/") + 1), dir);
        }
    }
    return imports;
}

const LITERAL = /^\s*(\w+):\s*("(?:[^"\\]|\\.)*"|-?\d+|true|false),\s*(\/\/.*)?$/;

/**
 * Literal field defaults set by constructors: in a `func New...` whose body
 * returns `&T{...}` or builds `T{...}`, every `Field: <string|int|bool>,`
 * line of a field T has. Computed defaults (`defaults.Mode`) are left out.
 */
export function parseDefaults(text: string, structs: ReadonlyMap<string, GoField[]>): Map<string, Map<string, string | number | boolean>> {
    const defaults = new Map<string, Map<string, string | number | boolean>>();
    for (const fn of text.matchAll(/^func New\w*\([^)]*\) \*?(\w+) \{\n([\s\S]*?)^\}/gm)) {
        const type = fn[1];
        const fields = structs.get(type);
        if (!fields) continue;
        const names = new Set(fields.map((f) => f.name));
        const found = defaults.get(type) ?? new Map<string, string | number | boolean>();
        for (const line of fn[2].split("\n")) {
            const m = LITERAL.exec(line);
            if (m && names.has(m[1]) && !found.has(m[1])) {
                const value = m[2];
                found.set(m[1], value.startsWith('"') ? (JSON.parse(value) as string) : value === "true" ? true : value === "false" ? false : Number(value));
            }
        }
        defaults.set(type, found);
    }
    return defaults;
}

/** Reads the option keys of the struct `root` in package `dir`, following the types it holds into other packages of the module. */
export function optionKeys(source: GoSource, dir: string, root: string): OptionKeys {
    const packages = new Map<string, GoPackage>();
    const load = (pkgDir: string): GoPackage => {
        const known = packages.get(pkgDir);
        if (known) return known;
        const pkg: GoPackage = { structs: new Map(), imports: new Map(), fileOf: new Map(), defaults: new Map() };
        for (const file of source.files(pkgDir)) {
            const structs = parseStructs(file.text);
            pkg.imports.set(file.path, parseImports(file.text));
            for (const [name, fields] of structs) {
                pkg.structs.set(name, fields);
                pkg.fileOf.set(name, file.path);
            }
        }
        for (const file of source.files(pkgDir)) {
            for (const [name, values] of parseDefaults(file.text, pkg.structs)) {
                pkg.defaults.set(name, new Map([...(pkg.defaults.get(name) ?? []), ...values]));
            }
        }
        packages.set(pkgDir, pkg);
        return pkg;
    };

    /** The struct a type names, or undefined for a leaf (`string`, `time.Duration`, an external type). */
    const resolve = (pkgDir: string, structName: string, type: string): { dir: string; name: string } | undefined => {
        const bare = type.replace(/^[*]/, "");
        const pkg = load(pkgDir);
        const qualified = /^(\w+)\.(\w+)$/.exec(bare);
        if (qualified) {
            const target = pkg.imports.get(pkg.fileOf.get(structName) ?? "")?.get(qualified[1]);
            if (!target) return undefined;
            return load(target).structs.has(qualified[2]) ? { dir: target, name: qualified[2] } : undefined;
        }
        return /^\w+$/.test(bare) && pkg.structs.has(bare) ? { dir: pkgDir, name: bare } : undefined;
    };

    const keys: string[] = [];
    const freeMaps: string[] = [];
    const defaults: Record<string, string | number | boolean> = {};
    const walk = (pkgDir: string, structName: string, prefix: string, seen: readonly string[]): void => {
        const id = `${pkgDir}.${structName}`;
        if (seen.includes(id)) {
            throw new Error(`${id}: a struct that holds itself; the key set would be infinite`);
        }
        const pkg = load(pkgDir);
        const fields = pkg.structs.get(structName) ?? [];
        const literalDefaults = pkg.defaults.get(structName);
        for (const field of fields) {
            if (field.tag === "-") continue;
            const key = field.embedded || field.squash ? prefix.replace(/\.$/, "") : `${prefix}${field.tag ?? field.name.toLowerCase()}`;
            const map = /^map\[string\](.+)$/.exec(field.type);
            if (map) {
                const value = map[1];
                if (value === "interface{}" || value === "any") {
                    freeMaps.push(`${key}.*`);
                    continue;
                }
                const target = resolve(pkgDir, structName, value);
                if (target) walk(target.dir, target.name, `${key}.*.`, [...seen, id]);
                else keys.push(`${key}.*`);
                continue;
            }
            const target = field.type.startsWith("[]") ? undefined : resolve(pkgDir, structName, field.type);
            if (target) {
                walk(target.dir, target.name, key === "" ? "" : `${key}.`, [...seen, id]);
            } else {
                keys.push(key);
                const value = literalDefaults?.get(field.name);
                if (value !== undefined) defaults[key] = value;
            }
        }
    };
    walk(dir, root, "", []);
    return { keys: [...new Set(keys)].sort(), freeMaps: [...new Set(freeMaps)].sort(), defaults: sortKeys(defaults) };
}

/** The names of a Go `iota` enum of `type` in `text`, by value (`const ( A T = iota; B )`). */
export function iotaEnum(text: string, type: string): Record<string, number> {
    const block = new RegExp(`^const \\(\\n([\\s\\S]*?)^\\)`, "gm");
    for (const match of text.matchAll(block)) {
        const names = match[1]
            .split("\n")
            .map((l) => l.replace(/\/\/.*$/, "").trim())
            .filter((l) => l !== "");
        if (names.length > 0 && new RegExp(`^\\w+\\s+${type}\\s*=\\s*iota$`).test(names[0])) {
            return Object.fromEntries(names.map((l, i) => [l.split(/\s+/)[0], i]));
        }
    }
    throw new Error(`no iota enum of type ${type}`);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

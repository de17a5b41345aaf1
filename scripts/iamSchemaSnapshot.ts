/**
 * `npm run iam-schema -- <iam git dir> [tag]`: writes app/iamSchema.<tag>.json,
 * the IAM database schema of a marmotedu/iam release as statements that only
 * create what is absent, from the release's own `configs/iam.sql` (read with
 * `git --git-dir=<dir> show <tag>:configs/iam.sql`; default tag v1.6.3, the
 * one the stack pins).
 *
 * Upstream's file is a mysqldump: each table starts with `DROP TABLE IF
 * EXISTS` and the `admin` user is inserted with a published bcrypt hash. The
 * snapshot keeps the definitions and turns them around:
 *
 * - `CREATE TABLE IF NOT EXISTS`, tables ordered so each foreign key's table
 *   exists first (no `FOREIGN_KEY_CHECKS=0`); the dump's `AUTO_INCREMENT=<n>`
 *   counters are left out;
 * - no DROP, TRUNCATE, LOCK, DISABLE KEYS or session SET (the Job writes its own);
 * - seed rows as `INSERT IGNORE` (a row that exists is kept as it is);
 * - triggers as `CREATE TRIGGER IF NOT EXISTS` (MariaDB >= 10.1.4), without
 *   the dump's `DEFINER` and schema name (the Job's user and database), each
 *   with the `sql_mode` the dump created it under;
 * - the published admin hash, which the schema Job replaces only where the
 *   admin row still has it (app/schemaJobPlan.ts).
 *
 * Any other statement stops the script: a new release that adds a view, a
 * routine or an ALTER needs a decision here, not a silent pass. The database
 * itself is the stack's (`dataStores.mariadb.database`), created by the Job
 * when absent, so the dump's `CREATE DATABASE iam` and `USE` are not kept.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { IamSchemaSnapshot, SchemaStatement } from "../app/schemaJobPlan";

export const IAM_SCHEMA_PATH = "configs/iam.sql";
export const IAM_SCHEMA_TAG = "v1.6.3";

const CREATE_TABLE = /^CREATE TABLE `(\w+)` \(([\s\S]*)\n\)([^)]*)$/;
const TRIGGER =
    /^\/\*!50003 CREATE\*\/\s+\/\*!50017 DEFINER=[^*]*\*\/\s+\/\*!50003 TRIGGER\s+(?:`\w+`\.)?`(\w+)`\s+(BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)\s+ON\s+`(\w+)`\s+FOR EACH ROW\s+([\s\S]*\bEND)\s*\*\/$/;
const INSERT = /^INSERT INTO `(\w+)` VALUES /;
const SQL_MODE = /^\/\*!\d+ SET (?:@OLD_SQL_MODE=@@SQL_MODE, )?sql_mode\s*=\s*'([^']*)'\s*\*\/$/i;
const ADMIN_HASH = /'admin',\d+,'admin','(\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53})'/;
/** What the dump has that the snapshot leaves out on purpose. */
const SKIPPED = [
    /^CREATE DATABASE\b/,
    /^USE `\w+`$/,
    /^DROP TABLE IF EXISTS `\w+`$/,
    /^(LOCK TABLES `\w+` WRITE|UNLOCK TABLES)$/,
    /^\/\*!40000 ALTER TABLE `\w+` (DISABLE|ENABLE) KEYS \*\/$/,
    /^\/\*!\d+ SET [^;]*\*\/$/,
];

/** The dump's statements, split on the delimiter in effect (`DELIMITER ;;` blocks hold triggers), without comment lines. */
export function splitDump(dump: string): string[] {
    const statements: string[] = [];
    let delimiter = ";";
    let current: string[] = [];
    for (const raw of dump.split("\n")) {
        const line = raw.replace(/\s+$/, "");
        if (current.length === 0 && (line === "" || line.startsWith("--"))) {
            continue;
        }
        const change = /^DELIMITER (\S+)$/.exec(line);
        if (change && current.length === 0) {
            delimiter = change[1];
            continue;
        }
        current.push(line);
        if (line.endsWith(delimiter)) {
            const text = current.join("\n");
            statements.push(text.slice(0, text.length - delimiter.length).trim());
            current = [];
        }
    }
    if (current.join("").trim() !== "") {
        throw new Error(`the dump ends inside a statement: ${current.join("\n").slice(0, 120)}`);
    }
    return statements;
}

/** Orders tables so that every table a foreign key references comes first (stable otherwise). */
function byForeignKeys(tables: { name: string; references: string[] }[]): string[] {
    const placed: string[] = [];
    const remaining = [...tables];
    while (remaining.length > 0) {
        const next = remaining.findIndex((t) => t.references.every((r) => r === t.name || placed.includes(r)));
        if (next < 0) {
            throw new Error(`foreign keys form a cycle or name a table the dump does not create: ${remaining.map((t) => `${t.name} -> ${t.references.join(", ")}`).join("; ")}`);
        }
        placed.push(remaining[next].name);
        remaining.splice(next, 1);
    }
    return placed;
}

/** The snapshot of a dump (pure). Throws on any statement it does not know how to make create-only. */
export function iamSchemaSnapshot(dump: string, source: { tag: string; repository?: string; path?: string }): IamSchemaSnapshot {
    const tables: { name: string; references: string[]; sql: string }[] = [];
    const seeds: SchemaStatement[] = [];
    const triggers: SchemaStatement[] = [];
    const dropped: string[] = [];
    let sqlMode = "";
    let tableSqlMode: string | undefined;
    for (const statement of splitDump(dump)) {
        const mode = SQL_MODE.exec(statement);
        if (mode) {
            sqlMode = mode[1];
        }
        const drop = /^DROP TABLE IF EXISTS `(\w+)`$/.exec(statement);
        if (drop) {
            dropped.push(drop[1]);
        }
        const table = CREATE_TABLE.exec(statement);
        const trigger = TRIGGER.exec(statement);
        const insert = INSERT.exec(statement);
        if (table) {
            tableSqlMode ??= sqlMode;
            const options = table[3].replace(/\s+AUTO_INCREMENT=\d+/, "");
            const references = [...table[2].matchAll(/REFERENCES `(\w+)`/g)].map((m) => m[1]);
            tables.push({ name: table[1], references, sql: `CREATE TABLE IF NOT EXISTS \`${table[1]}\` (${table[2]}\n)${options}` });
        } else if (trigger) {
            const [, name, timing, event, on, body] = trigger;
            const sql = `CREATE TRIGGER IF NOT EXISTS \`${name}\` ${timing} ${event} ON \`${on}\` FOR EACH ROW\n${body}`;
            triggers.push({ kind: "trigger", name, sql, sqlMode });
        } else if (insert) {
            seeds.push({ kind: "seed", name: insert[1], sql: statement.replace(/^INSERT INTO /, "INSERT IGNORE INTO ") });
        } else if (!SKIPPED.some((pattern) => pattern.test(statement))) {
            throw new Error(`${source.tag}: a statement the snapshot does not know how to make create-only (decide in scripts/iamSchemaSnapshot.ts): ${statement.slice(0, 160)}`);
        }
    }
    const created = tables.map((t) => t.name);
    const lost = dropped.filter((name) => !created.includes(name));
    if (lost.length > 0) {
        throw new Error(`${source.tag}: the dump drops ${lost.join(", ")} without creating it again`);
    }
    const adminHash = seeds.map((s) => ADMIN_HASH.exec(s.sql)?.[1]).find((h) => h !== undefined);
    if (!adminHash) {
        throw new Error(`${source.tag}: no admin user with a bcrypt hash among the seed rows`);
    }
    const order = byForeignKeys(tables);
    const byName = new Map(tables.map((t) => [t.name, t]));
    return {
        generatedBy: "npm run iam-schema (scripts/iamSchemaSnapshot.ts); do not edit",
        source: {
            repository: source.repository ?? "marmotedu/iam",
            tag: source.tag,
            path: source.path ?? IAM_SCHEMA_PATH,
            sha256: createHash("sha256").update(dump).digest("hex"),
        },
        tables: order,
        publishedAdminHash: adminHash,
        sqlMode: tableSqlMode ?? "",
        statements: [...order.map((name): SchemaStatement => ({ kind: "table", name, sql: (byName.get(name) as { sql: string }).sql })), ...seeds, ...triggers],
    };
}

/** Where the snapshot of a tag is written. */
export function snapshotFile(tag: string): string {
    return path.resolve(__dirname, "..", "app", `iamSchema.${tag}.json`);
}

/** Reads `configs/iam.sql` at `tag` from a clone of marmotedu/iam. */
export function readDump(gitDir: string, tag: string): string {
    return execFileSync("git", [`--git-dir=${gitDir}`, "show", `${tag}:${IAM_SCHEMA_PATH}`], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
}

if (require.main === module) {
    const [gitDir, tag = IAM_SCHEMA_TAG] = process.argv.slice(2);
    if (!gitDir) {
        console.error("usage: npm run iam-schema -- <git dir of a marmotedu/iam clone> [tag]   (e.g. git clone --bare https://github.com/marmotedu/iam iam.git)");
        process.exit(2);
    }
    const snapshot = iamSchemaSnapshot(readDump(gitDir, tag), { tag });
    fs.writeFileSync(snapshotFile(tag), `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), snapshotFile(tag))}: ${snapshot.tables.length} tables, ${snapshot.statements.length} statements`);
}

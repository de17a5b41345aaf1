import { execFileSync } from "child_process";
import * as fs from "fs";
import { APP_DB_PASSWORD_VERSION_ANNOTATION, IAM_SCHEMA, IamSchemaSnapshot, jobScript, schemaJobPlan, schemaJobSpec, schemaSql } from "./schemaJobPlan";
import { SCHEMA_JOB_DEFAULTS, SCHEMA_JOB_IMAGE_DEFAULT } from "./schema";
import { splitDump } from "../scripts/iamSchemaSnapshot";

const config = { image: SCHEMA_JOB_IMAGE_DEFAULT, deadlineSeconds: SCHEMA_JOB_DEFAULTS.deadlineSeconds };
const sql = schemaSql();
/** The SQL's statements, split as the client does (on the delimiter in effect; `DELIMITER ;;` around triggers). */
const statements = splitDump(sql);

describe("the schema SQL creates only what is absent", () => {
    it("never drops, truncates, deletes, renames or alters: each statement is a create-if-absent, an insert-ignore, the one UPDATE, a SET or a SELECT", () => {
        const kinds = statements.map(
            (s) =>
                /^(CREATE TABLE IF NOT EXISTS|CREATE TRIGGER IF NOT EXISTS|INSERT IGNORE INTO|UPDATE `user`|SET NAMES|SET SESSION|SET @iam_stmt|PREPARE iam_stmt|EXECUTE iam_stmt|DEALLOCATE PREPARE|SELECT)(?=\s|;|$)/.exec(
                    s,
                )?.[1] ?? s,
        );
        expect(new Set(kinds)).toEqual(
            new Set([
                "SET NAMES",
                "SET SESSION",
                "CREATE TABLE IF NOT EXISTS",
                "INSERT IGNORE INTO",
                "CREATE TRIGGER IF NOT EXISTS",
                "UPDATE `user`",
                "SELECT",
                // The application user's statements, built and prepared (see below).
                "SET @iam_stmt",
                "PREPARE iam_stmt",
                "EXECUTE iam_stmt",
                "DEALLOCATE PREPARE",
            ]),
        );
        expect(sql).not.toMatch(/\bDROP\s+(TABLE|DATABASE|SCHEMA|TRIGGER|INDEX|VIEW)\b/i);
        expect(sql).not.toMatch(/\bTRUNCATE\b/i);
        expect(sql).not.toMatch(/\bALTER\s+TABLE\b[^;]*\bDROP\b/i);
    });

    it("creates every table and trigger only IF NOT EXISTS, a foreign key's table first", () => {
        const creates = statements.filter((s) => /^CREATE\b/i.test(s));
        expect(creates.length).toBe(IAM_SCHEMA.tables.length + 2);
        for (const create of creates) {
            expect(create).toMatch(/^CREATE (TABLE|TRIGGER) IF NOT EXISTS `\w+`/);
        }
        const order = creates.filter((c) => c.startsWith("CREATE TABLE")).map((c) => /`(\w+)`/.exec(c)?.[1]);
        expect(order).toEqual(IAM_SCHEMA.tables);
        expect(order.indexOf("user")).toBeLessThan(order.indexOf("policy"));
        expect(order.indexOf("user")).toBeLessThan(order.indexOf("secret"));
        expect(new Set(order)).toEqual(new Set(["user", "secret", "policy", "policy_audit"]));
        expect(sql).not.toMatch(/DEFINER|`iam`\./);
    });

    it("inserts the seed rows with IGNORE, so an existing row is kept as it is", () => {
        const inserts = statements.filter((s) => /^INSERT\b/i.test(s));
        expect(inserts.length).toBeGreaterThan(0);
        for (const insert of inserts) {
            expect(insert).toMatch(/^INSERT IGNORE INTO /);
        }
    });

    it("replaces the admin password only where the admin row still has the published hash, and only with a bcrypt hash", () => {
        const updates = statements.filter((s) => /^UPDATE\b/i.test(s));
        expect(updates).toEqual([
            "UPDATE `user` SET `password` = @admin_hash WHERE `name` = 'admin' AND `password` = '$2a$10$WnQD2DCfWVhlGmkQ8pdLkesIGPf9KJB7N1mhSOqulbgN7ZMo44Mv2' AND @admin_hash REGEXP '^\\\\$2[aby]\\\\$[0-9]{2}\\\\$[./A-Za-z0-9]{53}$'",
        ]);
        // Strict mode for the UPDATE: a NULL hash is an error, never an empty password.
        expect(sql.indexOf("SET SESSION sql_mode = 'STRICT_ALL_TABLES';")).toBeLessThan(sql.indexOf("UPDATE `user`"));
        expect(IAM_SCHEMA.statements.find((s) => s.kind === "seed")?.sql).toContain(IAM_SCHEMA.publishedAdminHash);
    });

    it("is the snapshot of the pinned release (and regenerates to the same file from its source, when a clone is here)", () => {
        expect(IAM_SCHEMA.source).toMatchObject({ repository: "marmotedu/iam", tag: "v1.6.3", path: "configs/iam.sql" });
        const gitDir = process.env.IAM_SOURCE_GIT_DIR ?? "/work/.mirror/marmotedu+iam/repo";
        if (!fs.existsSync(gitDir)) {
            return;
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the script is loaded only when its source is here
        const { iamSchemaSnapshot, readDump } = require("../scripts/iamSchemaSnapshot") as typeof import("../scripts/iamSchemaSnapshot");
        expect(iamSchemaSnapshot(readDump(gitDir, "v1.6.3"), { tag: "v1.6.3" })).toEqual(IAM_SCHEMA);
        expect(execFileSync("git", [`--git-dir=${gitDir}`, "show", "v1.6.3:configs/iam.sql"], { encoding: "utf8" })).toContain("DROP TABLE IF EXISTS `user`");
    });
});

/**
 * The statements the prepared ones run, as MariaDB builds them: `SET @iam_stmt = CONCAT(...)`
 * evaluated with `@app_password` and the current database (only what the SQL uses: string
 * literals, QUOTE(@app_password), DATABASE()).
 */
function preparedStatements(password: string, database: string): string[] {
    return statements
        .filter((s) => s.startsWith("SET @iam_stmt = CONCAT("))
        .map((s) => {
            const args = s.slice("SET @iam_stmt = CONCAT(".length, -1);
            const parts = args.match(/'(?:[^']|'')*'|QUOTE\(@app_password\)|DATABASE\(\)/g) ?? [];
            expect(parts.join(", ")).toBe(args);
            return parts.map((p) => (p === "QUOTE(@app_password)" ? `'${password}'` : p === "DATABASE()" ? database : p.slice(1, -1).replace(/''/g, "'"))).join("");
        });
}

describe("the schema SQL's application user", () => {
    const password = "Abc123Def456Ghi789Jkl012Mno345Pq";

    it("is created where absent, its password set from the session variable on every run, granted only DML on the IAM database", () => {
        expect(preparedStatements(password, "iam")).toEqual([
            `CREATE USER IF NOT EXISTS 'iam_app'@'%' IDENTIFIED BY '${password}'`,
            `ALTER USER 'iam_app'@'%' IDENTIFIED BY '${password}'`,
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `iam`.* TO 'iam_app'@'%'",
        ]);
        // Each built statement is prepared, executed and dropped, in that order.
        const built = statements.findIndex((s) => s.startsWith("SET @iam_stmt = CONCAT("));
        expect(statements.slice(built, built + 4).slice(1)).toEqual(["PREPARE iam_stmt FROM @iam_stmt", "EXECUTE iam_stmt", "DEALLOCATE PREPARE iam_stmt"]);
        // After the tables exist; the password variable is dropped after use.
        expect(sql.indexOf("CREATE USER IF NOT EXISTS")).toBeGreaterThan(sql.lastIndexOf("CREATE TABLE IF NOT EXISTS"));
        expect(statements).toContain("SET @iam_stmt = NULL, @app_password = NULL");
    });

    it("grants nothing more: no other GRANT, no ALL, no GRANT OPTION, no SUPER, no global or mysql.* privileges", () => {
        expect(sql.match(/\bGRANT\b/g)).toHaveLength(1);
        expect(sql).not.toMatch(/\bALL\s+PRIVILEGES\b|\bGRANT\s+ALL\b|WITH\s+GRANT\s+OPTION|\bSUPER\b|\bON\s+\*\.\*/i);
        expect(sql).not.toMatch(/\bGRANT\b[^;]*\b(CREATE|DROP|ALTER|INDEX|TRIGGER|EXECUTE|FILE|PROCESS|RELOAD)\b/);
    });

    it("never prints the password: no SELECT reads it, and the script only feeds it to the client on stdin", () => {
        const selects = statements.filter((s) => /^SELECT\b/.test(s));
        expect(selects.length).toBeGreaterThan(0);
        expect(selects.filter((s) => /@app_password|@iam_stmt/.test(s))).toEqual([]);
        const script = jobScript();
        const uses = script.split("\n").filter((l) => l.includes("APP_DB_PASSWORD") && !/^\s*#/.test(l));
        expect(uses).toHaveLength(3);
        expect(uses[0]).toMatch(/^\[ -n "\$\(printenv APP_DB_PASSWORD \|\| true\)" \] \|\| fail "APP_DB_PASSWORD is empty/);
        expect(uses[1]).toMatch(/^printf '%s' "\$APP_DB_PASSWORD" \| grep -Eq '\^\[A-Za-z0-9\]\{16,\}\$' \|\| fail "APP_DB_PASSWORD is not/);
        expect(uses[2]).toMatch(/^\{ printf "SET @admin_hash = '%s';\\nSET @app_password = '%s';\\n" "\$ADMIN_PASSWORD_HASH" "\$APP_DB_PASSWORD"; cat .*\} \| mariadb "\$@" /);
        expect(script).not.toMatch(/echo[^\n]*APP_DB_PASSWORD|set -x/);
    });
});

describe("the schema Job", () => {
    const plan = schemaJobPlan(config);
    const spec = schemaJobSpec(plan, config, "version-1");
    const pod = (spec.template as unknown as { spec: Record<string, unknown> }).spec;
    const container = (pod.containers as Record<string, unknown>[])[0] as Record<string, never>;

    it("has the same name on every run of the same release and config (Pulumi sees no change; nothing runs again)", () => {
        expect(schemaJobPlan({ ...config }).jobName).toBe(plan.jobName);
        expect(plan.jobName).toMatch(/^iam-schema-[0-9a-f]{10}$/);
        expect(plan.configMapName).toBe(plan.jobName);
    });

    it("gets a new name for a new release, image or deadline (Jobs are immutable)", () => {
        const next: IamSchemaSnapshot = { ...IAM_SCHEMA, source: { ...IAM_SCHEMA.source, tag: "v1.7.0" } };
        expect(schemaJobPlan(config, next).jobName).not.toBe(plan.jobName);
        expect(schemaJobPlan({ ...config, image: config.image.replace(/@sha256:.*/, `@sha256:${"0".repeat(64)}`) }).jobName).not.toBe(plan.jobName);
        expect(schemaJobPlan({ ...config, deadlineSeconds: 900 }).jobName).not.toBe(plan.jobName);
    });

    it("runs under Pod Security restricted: non-root, no escalation, no capabilities, RuntimeDefault seccomp, read-only root", () => {
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: "RuntimeDefault" } });
        expect(container.securityContext).toEqual({
            runAsNonRoot: true,
            runAsUser: 999,
            runAsGroup: 999,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.restartPolicy).toBe("Never");
    });

    it("has requests, limits, a deadline, bounded retries, no TTL, and an image pinned by digest", () => {
        expect(container.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
        expect(spec.activeDeadlineSeconds).toBe(config.deadlineSeconds);
        expect(spec.backoffLimit).toBe(2);
        expect(spec).not.toHaveProperty("ttlSecondsAfterFinished");
        expect(container.image).toMatch(/^public\.ecr\.aws\/docker\/library\/mariadb:[\w.-]+@sha256:[0-9a-f]{64}$/);
        expect(container.terminationMessagePolicy).toBe("FallbackToLogsOnError");
    });

    it("reads MariaDB's endpoint and credentials from the data tier's ConfigMap and Secret, the admin hash from its Secret", () => {
        expect(container.envFrom).toEqual([{ configMapRef: { name: "mariadb-endpoint" } }, { secretRef: { name: "mariadb-credentials" } }]);
        expect(JSON.stringify(container.env)).toContain('"secretKeyRef":{"name":"iam-admin-password-hash","key":"ADMIN_PASSWORD_HASH"}');
    });

    it("reads the application user's password from its Secret, and runs again for a new password (its version annotates the pod template, which a Job cannot change)", () => {
        expect(container.env).toContainEqual({ name: "APP_DB_PASSWORD", valueFrom: { secretKeyRef: { name: "iam-app-db-password", key: "APP_DB_PASSWORD" } } });
        expect((spec.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations).toEqual({ [APP_DB_PASSWORD_VERSION_ANNOTATION]: "version-1" });
        // The password is in neither the ConfigMap nor the Job's name.
        expect(JSON.stringify(plan)).not.toMatch(/APP_DB_PASSWORD'|version-1/);
    });

    it("says what failed, in one line, and never passes the password on the command line", () => {
        const script = jobScript();
        expect(script).toContain('fail() { echo "iam-schema: FAILED: $*" >&2; exit 1; }');
        for (const key of ["MARIADB_HOST", "MARIADB_PORT", "MARIADB_DATABASE", "MARIADB_USERNAME", "MARIADB_PASSWORD", "ADMIN_PASSWORD_HASH", "APP_DB_PASSWORD"]) {
            expect(script).toContain(`fail "${key} is empty`);
        }
        expect(script).toContain("ERROR 1419 means the parameter group needs log_bin_trust_function_creators=1");
        expect(script).toContain('export MYSQL_PWD="$MARIADB_PASSWORD"');
        expect(script).not.toMatch(/--password/);
        expect(script).toContain("--ssl --ssl-verify-server-cert");
    });
});

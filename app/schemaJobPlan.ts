/**
 * The schema Job, pure: the SQL it runs (from the create-only snapshot of
 * the pinned release, app/iamSchema.<tag>.json), its shell script, its names
 * (a hash of everything the pod runs, so a new release is a new Job and the
 * same release is the same Job) and its Kubernetes spec. `SchemaJob`
 * (schemaJob.ts) maps these one-to-one onto resources.
 */
import { createHash } from "crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import snapshotV163 from "./iamSchema.v1.6.3.json";
import type { SchemaJobConfig } from "./schema";
import { RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "../data/storeConnection";
import { restrictedContainer } from "../lib/podSecurity";

export interface SchemaStatement {
    kind: "table" | "seed" | "trigger";
    /** The table (table, seed) or trigger name. */
    name: string;
    /** The statement, without its final delimiter. */
    sql: string;
    /** Triggers: the `sql_mode` the dump created it under (a trigger keeps the mode it was created with). */
    sqlMode?: string;
}

/** What scripts/iamSchemaSnapshot.ts writes from a release's `configs/iam.sql`. */
export interface IamSchemaSnapshot {
    generatedBy: string;
    source: { repository: string; tag: string; path: string; sha256: string };
    /** The tables, in creation order (a foreign key's table first). */
    tables: string[];
    /** The bcrypt hash upstream publishes for `admin` (its password is in the project's docs). */
    publishedAdminHash: string;
    /** Session `sql_mode` of the dump's table and seed statements. */
    sqlMode: string;
    statements: SchemaStatement[];
}

/** The schema of the release the stack pins (marmotedu/iam v1.6.3). */
export const IAM_SCHEMA: IamSchemaSnapshot = snapshotV163 as IamSchemaSnapshot;

/** The Secret with the generated admin password's bcrypt hash (the Job's only input that is not the store's). */
export const ADMIN_HASH_SECRET = { name: "iam-admin-password-hash", key: "ADMIN_PASSWORD_HASH" } as const;
/** The admin user upstream seeds. */
export const ADMIN_USER = "admin";

/**
 * The MariaDB user iam-apiserver and iam-watcher log in as (app/appDbUser.ts),
 * from any host (pods have no fixed address; the security groups and
 * NetworkPolicies decide who reaches MariaDB).
 */
export const APP_DB_USER = "iam_app";
/**
 * What it may do: rows of the IAM database only. marmotedu/iam v1.6.3 runs
 * no DDL: internal/apiserver/store/mysql/mysql.go leaves `migrateDatabase`
 * commented out; the stores and iam-watcher's clean and task watchers
 * (internal/watcher/watcher/{clean,task}) select, insert, update and delete
 * (`delete from policy_audit where deletedAt < ?`). The schema's triggers
 * (policy -> policy_audit) run with their definer's rights, the master user
 * who created them (scripts/iamSchemaSnapshot.ts drops the dump's DEFINER),
 * so the user needs no TRIGGER privilege.
 */
export const APP_DB_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;
/** The Secret with the application user's password (schemaJob.ts writes it from `AppDbUser`). */
export const APP_DB_PASSWORD_SECRET = { name: "iam-app-db-password", key: "APP_DB_PASSWORD" } as const;
/** The pod template's annotation with the password's Secrets Manager version: a new password is a new pod template, so a new Job run. */
export const APP_DB_PASSWORD_VERSION_ANNOTATION = "iam/app-db-password-version";

/** The Job's pod labels; the NetworkPolicy that lets it reach MariaDB selects `SCHEMA_JOB_SELECTOR`. */
export const SCHEMA_JOB_SELECTOR = { "app.kubernetes.io/name": "iam-schema" } as const;
export const SCHEMA_JOB_LABELS: Record<string, string> = {
    ...SCHEMA_JOB_SELECTOR,
    "app.kubernetes.io/component": "schema",
    "app.kubernetes.io/part-of": "iam",
    "app.kubernetes.io/managed-by": "pulumi",
};

/**
 * Non-root, as Pod Security restricted requires: 999, the `mysql` user the
 * official MariaDB image creates. Any non-root uid would do: the client needs
 * no passwd entry (HOME is /tmp) and reads only world-readable files.
 */
export const MARIADB_IMAGE_USER = 999;
/** Retries of a failed pod: a transient connection error gets two more tries; a broken statement fails the same way each time. */
export const SCHEMA_JOB_BACKOFF_LIMIT = 2;
/** Where the ConfigMap (schema.sql, run.sh) is mounted. */
export const SCHEMA_MOUNT = "/etc/iam-schema";

const BCRYPT = "^\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$";
/** The application password as the script accepts it: letters and digits (no quoting), at least 16. */
const APP_PASSWORD = "^[A-Za-z0-9]{16,}$";

/** A statement with its delimiter: triggers (with `;` inside BEGIN..END) in a `DELIMITER ;;` block, as the client requires. */
function terminated(statement: SchemaStatement): string {
    if (statement.kind !== "trigger") {
        return `${statement.sql};`;
    }
    return [`SET SESSION sql_mode = '${statement.sqlMode ?? ""}';`, "DELIMITER ;;", `${statement.sql};;`, "DELIMITER ;"].join("\n");
}

/** A statement built in SQL and run as a prepared statement (the password and database name are not literals of the file). */
function prepared(expression: string): string[] {
    return [`SET @iam_stmt = ${expression};`, "PREPARE iam_stmt FROM @iam_stmt;", "EXECUTE iam_stmt;", "DEALLOCATE PREPARE iam_stmt;"];
}

/**
 * The application user's statements: created where absent, its password set
 * to `@app_password` on every run (the Secret's: a rotated password takes
 * effect here), DML on the current database only. `IDENTIFIED BY` takes only
 * a literal, so the statements are built with QUOTE() and prepared (MariaDB
 * 10.6.2+ prepares CREATE USER, ALTER USER and GRANT; the stack runs 11.4).
 * Nothing here prints the password; `SET @iam_stmt = NULL` drops the text.
 */
export function appUserSql(): string[] {
    const user = `'${APP_DB_USER}'@'%'`;
    const q = (sql: string) => `'${sql.replace(/'/g, "''")}'`;
    return [
        `-- The application user ${APP_DB_USER} (app/appDbUser.ts): created where absent, its password the Secret's, DML on this database only.`,
        ...prepared(`CONCAT(${q(`CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY `)}, QUOTE(@app_password))`),
        ...prepared(`CONCAT(${q(`ALTER USER ${user} IDENTIFIED BY `)}, QUOTE(@app_password))`),
        ...prepared(`CONCAT(${q(`GRANT ${APP_DB_PRIVILEGES.join(", ")} ON \``)}, DATABASE(), ${q(`\`.* TO ${user}`)})`),
        "SET @iam_stmt = NULL, @app_password = NULL;",
        `SELECT CONCAT('iam-schema: application user ${APP_DB_USER}: password set from the Secret ${APP_DB_PASSWORD_SECRET.name}, ${APP_DB_PRIVILEGES.join(", ")} on ', DATABASE());`,
    ];
}

/**
 * The SQL file the Job feeds the client, after `SET @admin_hash = '<hash>';`
 * and `SET @app_password = '<password>';`.
 * Creates what is absent (every statement is `IF NOT EXISTS` or `IGNORE`),
 * then replaces the published admin hash with the generated one only where
 * the admin row still has the published one, and prints what it did.
 */
export function schemaSql(snapshot: IamSchemaSnapshot = IAM_SCHEMA): string {
    const { repository, tag, path } = snapshot.source;
    return [
        `-- The IAM schema of ${repository} ${tag} (${path}), create-only: app/iamSchema.${tag}.json, app/schemaJobPlan.ts.`,
        "-- Creates only what is absent; never drops, truncates or alters a table. Safe to run again.",
        "SET NAMES utf8mb4;",
        `SET SESSION sql_mode = '${snapshot.sqlMode}';`,
        ...snapshot.statements.map(terminated),
        "-- The published admin password: replaced only where the admin row still has the published hash, with a well-formed hash.",
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES';",
        `UPDATE \`user\` SET \`password\` = @admin_hash WHERE \`name\` = '${ADMIN_USER}' AND \`password\` = '${snapshot.publishedAdminHash}' AND @admin_hash REGEXP '${BCRYPT.replace(/\\/g, "\\\\")}';`,
        "SELECT IF(ROW_COUNT() = 1, 'iam-schema: admin password: replaced the published one with the generated one', 'iam-schema: admin password: left as it is (not the published one)');",
        ...appUserSql(),
        `SELECT CONCAT('iam-schema: tables present: ', COUNT(*), ' of ${snapshot.tables.length}') FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${snapshot.tables.map((t) => `'${t}'`).join(", ")});`,
        "",
    ].join("\n");
}

/**
 * The Job's script (POSIX sh, in the MariaDB image): checks its inputs, creates
 * the database when absent, runs schema.sql in one client session (the client
 * stops at the first error and names its line), and says what failed in one
 * line starting `iam-schema: FAILED`, which is also the pod's termination
 * message (`FallbackToLogsOnError`).
 */
export function jobScript(snapshot: IamSchemaSnapshot = IAM_SCHEMA): string {
    const endpoint = STORE_CONNECTIONS.mariadb;
    return [
        "#!/bin/sh",
        `# iam-schema: the IAM schema of ${snapshot.source.repository} ${snapshot.source.tag}, created where absent (app/schemaJobPlan.ts).`,
        "set -eu",
        'fail() { echo "iam-schema: FAILED: $*" >&2; exit 1; }',
        ...[...endpoint.configKeys.filter((k) => !k.startsWith("MARIADB_TLS")), ...endpoint.secretKeys, ADMIN_HASH_SECRET.key, APP_DB_PASSWORD_SECRET.key].map(
            (key) =>
                `[ -n "$(printenv ${key} || true)" ] || fail "${key} is empty: it comes from ${key === ADMIN_HASH_SECRET.key ? `the Secret ${ADMIN_HASH_SECRET.name}` : key === APP_DB_PASSWORD_SECRET.key ? `the Secret ${APP_DB_PASSWORD_SECRET.name}` : endpoint.secretKeys.includes(key) ? `the Secret ${endpoint.secretName} (External Secrets: kubectl describe externalsecret ${endpoint.secretName})` : `the ConfigMap ${endpoint.configMapName}`}"`,
        ),
        'case "$MARIADB_DATABASE" in *[!A-Za-z0-9_]*) fail "MARIADB_DATABASE ($MARIADB_DATABASE) is not a plain database name";; esac',
        `printf '%s' "$ADMIN_PASSWORD_HASH" | grep -Eq '${BCRYPT}' || fail "${ADMIN_HASH_SECRET.key} is not a bcrypt hash (the Secret ${ADMIN_HASH_SECRET.name})"`,
        `printf '%s' "$${APP_DB_PASSWORD_SECRET.key}" | grep -Eq '${APP_PASSWORD}' || fail "${APP_DB_PASSWORD_SECRET.key} is not 16 or more letters and digits (the Secret ${APP_DB_PASSWORD_SECRET.name})"`,
        'set -- --host="$MARIADB_HOST" --port="$MARIADB_PORT" --user="$MARIADB_USERNAME" --batch --skip-column-names --connect-timeout=10',
        'if [ "${MARIADB_TLS:-false}" = true ]; then',
        '    set -- "$@" --ssl --ssl-verify-server-cert',
        '    if [ -n "${MARIADB_TLS_CA_FILE:-}" ]; then set -- "$@" --ssl-ca="$MARIADB_TLS_CA_FILE"; fi',
        "else",
        '    set -- "$@" --skip-ssl',
        "fi",
        // The password never appears in the process list.
        'export MYSQL_PWD="$MARIADB_PASSWORD"',
        'echo "iam-schema: ${MARIADB_USERNAME}@${MARIADB_HOST}:${MARIADB_PORT}, database ${MARIADB_DATABASE}, TLS ${MARIADB_TLS:-false}"',
        'mariadb "$@" -e "CREATE DATABASE IF NOT EXISTS \\`$MARIADB_DATABASE\\` DEFAULT CHARACTER SET utf8mb4" ||',
        '    fail "could not reach ${MARIADB_HOST}:${MARIADB_PORT} or create database ${MARIADB_DATABASE} (the client\'s error is above: a timeout is the network or NetworkPolicy, 1045 the credentials, 2026 TLS)"',
        // printf is a shell builtin: neither value reaches a process's command line.
        `{ printf "SET @admin_hash = '%s';\\nSET @app_password = '%s';\\n" "$ADMIN_PASSWORD_HASH" "$${APP_DB_PASSWORD_SECRET.key}"; cat ${SCHEMA_MOUNT}/schema.sql; } | mariadb "$@" --database="$MARIADB_DATABASE" ||`,
        `    fail "a statement of schema.sql failed (the client's error above names its line, counting the two SET lines first: kubectl get configmap -l app.kubernetes.io/name=iam-schema -o yaml); ERROR 1419 means the parameter group needs log_bin_trust_function_creators=1"`,
        'echo "iam-schema: done"',
        "",
    ].join("\n");
}

export interface SchemaJobPlan {
    /** The immutable ConfigMap with `schema.sql` and `run.sh`. */
    configMapName: string;
    data: { "schema.sql": string; "run.sh": string };
    /** The Job's name: `iam-schema-<hash>` of the SQL, script, image and deadline. */
    jobName: string;
}

/**
 * Names from a hash of everything the pod runs: the same release and config
 * give the same Job (Pulumi sees no change, nothing runs again); a new
 * release, image or deadline gives a new Job (Jobs are immutable), which runs
 * once, before the apiserver rolls out.
 */
export function schemaJobPlan(config: SchemaJobConfig, snapshot: IamSchemaSnapshot = IAM_SCHEMA): SchemaJobPlan {
    const data = { "schema.sql": schemaSql(snapshot), "run.sh": jobScript(snapshot) };
    const hash = createHash("sha256")
        .update(JSON.stringify({ data, image: config.image, deadlineSeconds: config.deadlineSeconds }))
        .digest("hex")
        .slice(0, 10);
    return { configMapName: `iam-schema-${hash}`, data, jobName: `iam-schema-${hash}` };
}

/**
 * The Job's spec: one pod, Pod Security restricted (non-root as the image's
 * `mysql` user, no privilege escalation, no capabilities, RuntimeDefault
 * seccomp, read-only root), requests and limits, a deadline and retries.
 * No `ttlSecondsAfterFinished`: a finished Job stays, so Pulumi finds it as
 * it left it and never creates it again. The endpoint and credentials come
 * from the data tier's ConfigMap and Secret (`STORE_CONNECTIONS.mariadb`),
 * the RDS CA bundle from its ConfigMap, the admin hash from `ADMIN_HASH_SECRET`,
 * the application user's password from `APP_DB_PASSWORD_SECRET`. `passwordVersion`
 * (its Secrets Manager version) annotates the pod template: a new password
 * is a new template, which the Kubernetes provider replaces the Job for.
 */
export function schemaJobSpec(plan: SchemaJobPlan, config: SchemaJobConfig, passwordVersion: pulumi.Input<string>): k8s.types.input.batch.v1.JobSpec {
    const endpoint = STORE_CONNECTIONS.mariadb;
    const user = MARIADB_IMAGE_USER;
    return {
        backoffLimit: SCHEMA_JOB_BACKOFF_LIMIT,
        activeDeadlineSeconds: config.deadlineSeconds,
        template: {
            metadata: { labels: SCHEMA_JOB_LABELS, annotations: { [APP_DB_PASSWORD_VERSION_ANNOTATION]: passwordVersion } },
            spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: { runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "schema",
                        image: config.image,
                        imagePullPolicy: "IfNotPresent",
                        command: ["/bin/sh", `${SCHEMA_MOUNT}/run.sh`],
                        envFrom: [{ configMapRef: { name: endpoint.configMapName } }, { secretRef: { name: endpoint.secretName } }],
                        env: [
                            { name: ADMIN_HASH_SECRET.key, valueFrom: { secretKeyRef: { name: ADMIN_HASH_SECRET.name, key: ADMIN_HASH_SECRET.key } } },
                            { name: APP_DB_PASSWORD_SECRET.key, valueFrom: { secretKeyRef: { name: APP_DB_PASSWORD_SECRET.name, key: APP_DB_PASSWORD_SECRET.key } } },
                            { name: "HOME", value: "/tmp" },
                        ],
                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                        securityContext: {
                            ...restrictedContainer(),
                            runAsUser: user,
                            runAsGroup: user,
                        },
                        // The last lines of the log (the `iam-schema: FAILED` line) become the termination message.
                        terminationMessagePolicy: "FallbackToLogsOnError",
                        volumeMounts: [
                            { name: "schema", mountPath: SCHEMA_MOUNT, readOnly: true },
                            { name: RDS_CA_BUNDLE_MOUNT.volumeName, mountPath: RDS_CA_BUNDLE_MOUNT.mountPath, readOnly: true },
                            { name: "tmp", mountPath: "/tmp" },
                        ],
                    },
                ],
                volumes: [
                    { name: "schema", configMap: { name: plan.configMapName } },
                    { name: RDS_CA_BUNDLE_MOUNT.volumeName, configMap: { name: RDS_CA_BUNDLE_MOUNT.configMapName } },
                    { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                ],
            },
        },
    };
}

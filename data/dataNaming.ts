/**
 * AWS identifiers of the data stores, pure. They are pinned explicitly (not
 * auto-named) because an identifier change replaces the store: deriving them
 * from the stack name alone keeps them stable for the life of the stack, makes
 * them known at preview (alarms and runbooks can name them), and keeps prod
 * and staging apart when they share an account.
 */
import { DataStore } from "../network/accessMatrixPlan";

/** ElastiCache replication group ids are at most 40 characters; `-redis` takes 6. */
export const MAX_IDENTIFIER_PREFIX_LENGTH = 34;

/** `iam-<stack>`, lowercased, every run of other characters turned into one hyphen. */
export function dataIdentifierPrefix(stack: string): string {
    return `iam-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/-+$/g, "");
}

const SUFFIX: Record<DataStore, string> = { mariadb: "mariadb", redis: "redis", mongodb: "docdb" };

/** The RDS instance id, ElastiCache replication group id or DocumentDB cluster id of a store. */
export function storeIdentifier(prefix: string, store: DataStore): string {
    return `${prefix}-${SUFFIX[store]}`;
}

/** DocumentDB instance ids: `<cluster>-1`, `<cluster>-2`, ... (instance 1 is created first and becomes the writer). */
export function documentDbInstanceIdentifiers(prefix: string, count: number): string[] {
    return Array.from({ length: count }, (_, i) => `${storeIdentifier(prefix, "mongodb")}-${i + 1}`);
}

/**
 * RDS, ElastiCache and DocumentDB identifier rules: a letter first, then
 * letters, digits and single hyphens, no trailing hyphen, at most `max`.
 */
export function isValidIdentifier(id: string, max: number): boolean {
    return id.length <= max && /^[a-z]([a-z0-9]|-(?!-))*[a-z0-9]$/.test(id);
}

/** The parameter group family of a MariaDB major.minor (`11.4` -> `mariadb11.4`). */
export function mariadbParameterFamily(engineVersion: string): string {
    const [major, minor] = engineVersion.split(".");
    return `mariadb${major}.${minor}`;
}

/** The cluster parameter group family of a DocumentDB version (`5.0.0` -> `docdb5.0`). */
export function documentDbParameterFamily(engineVersion: string): string {
    const [major, minor] = engineVersion.split(".");
    return `docdb${major}.${minor}`;
}

/**
 * Data-store lines of the estimate: RDS instances (Multi-AZ bills the
 * instance and its storage twice), ElastiCache nodes, DocumentDB instances,
 * storage and I/O, and the Secrets Manager secrets RDS and DocumentDB create
 * for a managed master password. Pure: no cloud SDK.
 */
import { fixed, HOURS_PER_MONTH, rangeText, scale, USAGE } from "./costModel";
import type { CostItem, CostRecord } from "./costModel";
import type { Pricer, PricingContext } from "./pricer";

const hours = fixed(HOURS_PER_MONTH);

/** RDS and DocumentDB keep a managed master password in a Secrets Manager secret the program never registers. */
function managedPasswordSecret(record: CostRecord, ctx: PricingContext): CostItem[] {
    return record.inputs.manageMasterUserPassword === true
        ? [ctx.line(record, "managed master password secret", "secretsmanager.secret", fixed(1), "secret-months", "one secret the service creates for manageMasterUserPassword")]
        : [];
}

/** Logs a database exports to CloudWatch (log groups the service creates). */
function exportedLogs(record: CostRecord, ctx: PricingContext, key: string): CostItem[] {
    const types = (record.inputs[key] as string[] | undefined) ?? [];
    if (types.length === 0) return [];
    const gb = scale(USAGE.logGb.databaseExportPerType, types.length);
    return [
        ctx.line(
            record,
            "exported logs ingested",
            "cloudwatch.logs.ingest",
            gb,
            "GB",
            `${types.join(", ")} logs: ${rangeText(gb, "GB")} a month (USAGE.logGb.databaseExportPerType)`,
        ),
    ];
}

const rdsInstance: Pricer = (record, ctx) => {
    const engine = String(record.inputs.engine);
    const cls = String(record.inputs.instanceClass);
    const multiAz = record.inputs.multiAz === true;
    const copies = multiAz ? 2 : 1;
    const storageType = String(record.inputs.storageType ?? "gp2");
    const allocated = Number(record.inputs.allocatedStorage ?? 0);
    const ceiling = Number(record.inputs.maxAllocatedStorage ?? allocated) || allocated;
    const az = multiAz ? "Multi-AZ: a primary and a standby, each billed" : "Single-AZ";
    return [
        ctx.line(record, "instance hours", `rds.${engine}:${cls}`, scale(hours, copies), "hours", `${copies} × 730 hours of ${cls} (${az})`, `RDS ${engine} instance class ${cls}`),
        ctx.line(
            record,
            "storage",
            `rds.${storageType}`,
            { min: allocated * copies, expected: allocated * copies, max: ceiling * copies },
            "GB-month",
            `${allocated} GB ${storageType} allocated${ceiling > allocated ? `, storage autoscaling up to ${ceiling} GB` : ""}${multiAz ? ", × 2 for the standby" : ""}; backups up to the database's size are free`,
            `RDS storage type ${storageType}`,
        ),
        ...managedPasswordSecret(record, ctx),
        ...exportedLogs(record, ctx, "enabledCloudwatchLogsExports"),
    ];
};

const replicationGroup: Pricer = (record, ctx) => {
    const type = String(record.inputs.nodeType);
    const groups = Number(record.inputs.numNodeGroups ?? 1);
    const nodes = record.inputs.numCacheClusters !== undefined ? Number(record.inputs.numCacheClusters) : groups * (Number(record.inputs.replicasPerNodeGroup ?? 0) + 1);
    return [ctx.line(record, "node hours", `elasticache:${type}`, scale(hours, nodes), "hours", `${nodes} nodes × 730 hours of ${type}`, `ElastiCache node type ${type}`)];
};

const cacheCluster: Pricer = (record, ctx) => {
    if (record.inputs.replicationGroupId !== undefined) return []; // a member of a replication group, priced there
    const type = String(record.inputs.nodeType);
    const nodes = Number(record.inputs.numCacheNodes ?? 1);
    return [ctx.line(record, "node hours", `elasticache:${type}`, scale(hours, nodes), "hours", `${nodes} nodes × 730 hours of ${type}`, `ElastiCache node type ${type}`)];
};

const docdbInstance: Pricer = (record, ctx) => {
    const cls = String(record.inputs.instanceClass);
    return [ctx.line(record, "instance hours", `docdb:${cls}`, hours, "hours", `730 hours of ${cls}`, `DocumentDB instance class ${cls}`)];
};

const docdbCluster: Pricer = (record, ctx) => [
    ctx.line(
        record,
        "storage",
        "docdb.storage",
        USAGE.docdbStorageGb,
        "GB-month",
        `${rangeText(USAGE.docdbStorageGb, "GB")} in the cluster volume (USAGE.docdbStorageGb; one copy billed, replication across zones included)`,
    ),
    ctx.line(
        record,
        "I/O",
        "docdb.io",
        USAGE.docdbMillionIos,
        "million I/Os",
        `${rangeText(USAGE.docdbMillionIos, "million")} I/O requests a month (USAGE.docdbMillionIos; Standard storage)`,
    ),
    ...managedPasswordSecret(record, ctx),
    ...exportedLogs(record, ctx, "enabledCloudwatchLogsExports"),
];

const secret: Pricer = (record, ctx) => [
    ctx.line(record, "secret", "secretsmanager.secret", fixed(1), "secret-months", "one secret a month (API calls: $0.05 per 10,000, not modelled)"),
];

/** Data-store pricers by type token. */
export const dataPricers: Record<string, Pricer> = {
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:elasticache/cluster:Cluster": cacheCluster,
    "aws:docdb/clusterInstance:ClusterInstance": docdbInstance,
    "aws:docdb/cluster:Cluster": docdbCluster,
    "aws:secretsmanager/secret:Secret": secret,
};

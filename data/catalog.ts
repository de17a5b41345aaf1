/**
 * Dated facts of the data tier that change with time, each with its source:
 * the RDS CA bundle, the engine versions each store accepts and the
 * credential-sync charts it installs. Pure data. A version outside the engine
 * lists is refused by the config loader (data/config.ts) before anything is
 * created; the defaults (data/defaults.ts DATA_STORE_DEFAULTS.*.engineVersion)
 * must be in them (data/catalog.test.ts). Changing a store's engine version is
 * an in-place engine upgrade (prod applies it in the maintenance window),
 * never a replacement.
 */
import type { ChartPin } from "../cluster/catalog";

/**
 * The Amazon RDS certificate bundle: every root and intermediate CA that signs
 * RDS and DocumentDB server certificates, for every commercial region (one
 * file, so a region added later needs no change). AWS rotates and extends it;
 * the program fetches it on every `pulumi preview`/`up` (data/caBundle.ts), so
 * a rotation reaches the pods with the next deploy. Checked 2026-12-03 against
 * the RDS User Guide ("Using SSL/TLS to encrypt a connection to a DB
 * instance", certificate bundles by AWS Region) and the DocumentDB Developer
 * Guide ("Connecting programmatically", TLS enabled), which both name this URL.
 */
export const RDS_CA_BUNDLE = {
    asOf: "2026-12-03",
    url: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
    /** Every certificate's subject CN starts with this; one of them names the stack's region. */
    subjectPrefix: "Amazon RDS",
} as const;

/** The day these tables were last compared with their sources. */
export const DATA_CATALOG_AS_OF = "2026-12-03";

/** A list of accepted engine versions and the command that lists them. */
export interface EngineVersions {
    /** Accepted versions, oldest first. */
    versions: readonly string[];
    /** Where the list comes from. */
    source: string;
}

/**
 * RDS for MariaDB major.minor versions in standard support, pinned to
 * major.minor so AWS's automatic minor (patch) upgrades never show as a diff.
 */
export const MARIADB_ENGINE_VERSIONS: EngineVersions = {
    versions: ["10.11", "11.4", "11.8"],
    source: "aws rds describe-db-engine-versions --engine mariadb --query 'DBEngineVersions[].EngineVersion'; RDS for MariaDB release calendar (docs.aws.amazon.com/AmazonRDS/latest/MariaDBReleaseNotes/mariadb-release-calendar.html)",
};

/** ElastiCache engines and the major.minor versions accepted for each. */
export const REDIS_ENGINE_VERSIONS: { readonly redis: EngineVersions; readonly valkey: EngineVersions } = {
    redis: {
        versions: ["7.1"],
        source: "aws elasticache describe-cache-engine-versions --engine redis --query 'CacheEngineVersions[].EngineVersion'",
    },
    valkey: {
        versions: ["7.2", "8.0", "8.1"],
        source: "aws elasticache describe-cache-engine-versions --engine valkey --query 'CacheEngineVersions[].EngineVersion'",
    },
};

/** DocumentDB engine versions (AWS patches them in place without changing the version string). */
export const DOCUMENTDB_ENGINE_VERSIONS: EngineVersions = {
    versions: ["5.0.0", "8.0.0"],
    source: "aws docdb describe-db-engine-versions --engine docdb --query 'DBEngineVersions[].EngineVersion'",
};

/** A Helm chart the data tier installs: the same shape as the cluster's chart pins. */
export type DataChartPin = ChartPin;

/**
 * The charts that bring rotating store credentials into the cluster:
 * External Secrets Operator (Secrets Manager -> Kubernetes Secrets) and
 * Stakater Reloader (rolls the pods when a Secret or the CA bundle changes).
 * `dataStores.credentialsSync.*ChartVersion` overrides a pin per stack; a new
 * version upgrades the Helm release in place.
 */
export const CREDENTIAL_SYNC_CHARTS = {
    externalSecrets: {
        repo: "https://charts.external-secrets.io",
        chart: "external-secrets",
        version: "2.6.0",
        released: "2026-06-07",
        checked: "2026-12-03",
        source: "https://charts.external-secrets.io/index.yaml; release helm-chart-2.6.0 (github.com/external-secrets/external-secrets/releases)",
    },
    reloader: {
        repo: "https://stakater.github.io/stakater-charts",
        chart: "reloader",
        version: "2.2.14",
        checked: "2026-12-03",
        source: "https://stakater.github.io/stakater-charts/index.yaml (chart-v2.2.x releases of github.com/stakater/Reloader; 2.2.9 was published 2026-03-06)",
    },
} as const satisfies Record<string, DataChartPin>;

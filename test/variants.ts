/**
 * Named edits of the stack files that several tests (or one expensive test
 * file) assert on. test/globalSetup.ts runs each once, in the process that
 * has already loaded the program for the stack files themselves (a run there
 * costs a fraction of a second; loading the program in a test file costs
 * more than a run), and `runVariant` hands every test file the same result
 * without loading the program. Outside jest, `runVariant` runs the edit.
 *
 * A variant is one edit, named for what it changes; the tests that read it
 * say what they expect of it. Edits that fail config validation stay in
 * their tests (they stop before the program loads).
 */
import { clusterAutoscalerMode } from "./clusterAutoscalerMode";

type Values = Record<string, unknown>;
const section = (v: Values, key: string): Values => v[key] as Values;

export interface Variant {
    stack: string;
    /** Changes the parsed `iam:*` values of the stack file. */
    edit: (values: Values) => void;
}

/** The external MongoDB of the staging variant (data/storeCredentials.test.ts, test/architecture.test.ts). */
export const EXTERNAL_MONGODB = {
    mode: "external",
    host: "mongo.legacy.internal",
    port: 27017,
    tls: false,
    database: "analytics",
    credentialsSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam/legacy-mongodb-AbCdEf",
    credentialsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    egressCidr: "10.0.2.0/24",
} as const;

/** The external Redis without TLS of the staging variant (app/redisTlsProxy.test.ts: no proxy then). */
export const EXTERNAL_REDIS = {
    mode: "external",
    host: "redis.legacy.internal",
    port: 6379,
    tls: false,
    credentialsSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam/legacy-redis-AbCdEf",
    egressCidr: "10.0.2.0/24",
} as const;

/** The external MariaDB of the prod variant (data/dataTier.test.ts). */
export const EXTERNAL_MARIADB = {
    mode: "external",
    host: "10.0.1.10",
    port: 3306,
    database: "iam",
    tls: false, // the IAM binaries' MySQL client cannot speak TLS (docs/data.md)
    credentialsSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam/legacy-mariadb-AbCdEf",
    egressCidr: "10.0.1.0/24",
} as const;

export const VARIANTS = {
    /** Both stack files back on the cluster-autoscaler (test/clusterAutoscalerMode.ts): that mode stays tested. */
    "prod-cluster-autoscaler": { stack: "prod", edit: (v) => clusterAutoscalerMode("prod", v) },
    "staging-cluster-autoscaler": { stack: "staging", edit: (v) => clusterAutoscalerMode("staging", v) },
    /** The API's private endpoint opened to one more network. */
    "prod-private-access": {
        stack: "prod",
        edit: (v) => {
            section(v, "cluster").privateAccessCidrs = ["10.0.0.0/16"];
        },
    },
    /** iam-pump with a Pod Identity role. */
    "prod-pump-pod-identity": {
        stack: "prod",
        edit: (v) => {
            const pump = (v.services as Values[])[2];
            pump.workload = { ...(pump.workload as object), podIdentity: { policyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] } };
        },
    },
    "staging-external-mongodb": {
        stack: "staging",
        edit: (v) => {
            section(v, "dataStores").mongodb = { ...EXTERNAL_MONGODB };
        },
    },
    "staging-external-redis": {
        stack: "staging",
        edit: (v) => {
            section(v, "dataStores").redis = { ...EXTERNAL_REDIS };
        },
    },
    "prod-external-mariadb": {
        stack: "prod",
        edit: (v) => {
            section(v, "dataStores").mariadb = { ...EXTERNAL_MARIADB };
        },
    },
    /** Staging mid-migration: the old Nginx pair (in the peered legacy network) takes 30% of iam.api. */
    "staging-legacy": {
        stack: "staging",
        edit: (v) => {
            section(v, "edge").legacy = { backends: ["10.0.1.10", "10.0.1.11"], weightPercent: 30, hosts: [`iam.api.${String(v.domain)}`] };
        },
    },
    "staging-interface-endpoints": {
        stack: "staging",
        edit: (v) => {
            section(v, "network").endpoints = { interface: true };
        },
    },
    "staging-waf-count-only": {
        stack: "staging",
        edit: (v) => {
            section(v, "edge").waf = { mode: "block", rateLimitPerIp: 500, countOnly: { common: true, rateLimit: true } };
        },
    },
    "staging-waf-off": {
        stack: "staging",
        edit: (v) => {
            section(v, "edge").waf = { enabled: false };
        },
    },
    "staging-guardduty": {
        stack: "staging",
        edit: (v) => {
            section(v, "cluster").guardDuty = { runtimeMonitoring: true, addonVersion: "v1.10.0-eksbuild.2" };
        },
    },
    /** Staging one Kubernetes minor up (1.35 -> 1.36): the upgrade guide's first step, as the stack file would read after it. */
    "staging-kubernetes-1.36": {
        stack: "staging",
        edit: (v) => {
            section(v, "cluster").version = "1.36";
        },
    },
    "prod-peer-gateway": {
        stack: "prod",
        edit: (v) => {
            section(v, "network").peerGateway = { vpcPeeringConnectionId: "pcx-0123456789abcdef0" };
        },
    },
    /** An image release: iam-authz-server's tag bumped (v1.6.3 -> v1.6.4), nothing else (workloads/imageRelease.test.ts). */
    "prod-authz-server-release": {
        stack: "prod",
        edit: (v) => {
            const authz = (v.services as Values[]).find((s) => s.name === "iam-authz-server") as Values;
            authz.image = { ...(authz.image as object), tag: "v1.6.4" };
        },
    },
} satisfies Record<string, Variant>;

export type VariantName = keyof typeof VARIANTS;

/**
 * The data tier as the program registers it for the real prod and staging
 * stack files: what each store is given, that none waits for the cluster,
 * that the Redis token stays secret, and what an external store becomes.
 */
import { ConfigValidationError } from "../config";
import { mockAutoName } from "./mocks";
import { ofType, onlyOfType, registeredWithMonitor, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies, UNKNOWN } from "../test/harness";
import { EXTERNAL_MARIADB } from "../test/variants";

const RDS = "aws:rds/instance:Instance";
const RDS_PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const RDS_SUBNETS = "aws:rds/subnetGroup:SubnetGroup";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const REDIS_SUBNETS = "aws:elasticache/subnetGroup:SubnetGroup";
const DOCDB = "aws:docdb/cluster:Cluster";
const DOCDB_INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";
const DOCDB_PARAMS = "aws:docdb/clusterParameterGroup:ClusterParameterGroup";
const DOCDB_SUBNETS = "aws:docdb/subnetGroup:SubnetGroup";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const SUBNET = "aws:ec2/subnet:Subnet";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
/** What the mocked RandomPassword answers: it must never appear in any input in clear. */
const MOCK_TOKEN = "mockAuthToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR";

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

const only = onlyOfType;
const privateSubnetIds = (run: StackRun): string[] =>
    ofType(run, SUBNET)
        .filter((s) => s.name.includes("-private-"))
        .map((s) => `${s.name}-id`)
        .sort();
const securityGroupId = (role: string): string => `iam-access-${role.toLowerCase()}-id`;
const isStoreResource = (r: ResourceRecord): boolean => /^aws:(rds|elasticache|docdb)\//.test(r.type);

/** Everything a resource waits for: its own dependencies and its ancestor components' (a component's `dependsOn` holds its children back too). */
function waitsFor(run: StackRun, urn: string): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const all = new Set<string>();
    for (let at: string | undefined = urn; at !== undefined; at = byUrn.get(at)?.parent) {
        transitiveDependencies(run, at).forEach((dep) => all.add(dep));
    }
    return all;
}

describe.each(["prod", "staging"])("%s data stores", (stack) => {
    const isProd = stack === "prod";

    it("MariaDB: pinned engine, encrypted gp3 that autoscales, private, backups, RDS-managed password", () => {
        const run = runs[stack];
        const config = run.config.dataStores.mariadb;
        if (config?.mode !== "managed") {
            throw new Error("the stack files manage MariaDB");
        }
        const db = only(run, RDS);
        expect(db.inputs).toMatchObject({
            identifier: `iam-${stack}-mariadb`,
            engine: "mariadb",
            engineVersion: config.engineVersion,
            storageType: "gp3",
            storageEncrypted: true,
            allocatedStorage: config.allocatedStorageGb,
            maxAllocatedStorage: config.maxAllocatedStorageGb,
            multiAz: isProd,
            publiclyAccessible: false,
            port: 3306,
            manageMasterUserPassword: true,
            backupRetentionPeriod: config.backupRetentionDays,
            deletionProtection: isProd,
            skipFinalSnapshot: !isProd,
            autoMinorVersionUpgrade: true,
            vpcSecurityGroupIds: [securityGroupId("mariadb")],
        });
        expect(db.inputs.maxAllocatedStorage as number).toBeGreaterThan(db.inputs.allocatedStorage as number);
        expect(db.inputs.backupRetentionPeriod as number).toBeGreaterThanOrEqual(isProd ? 7 : 1);
        expect(db.inputs.password).toBeUndefined();
        expect(db.inputs.passwordWo).toBeUndefined();
        if (isProd) {
            expect(db.inputs.finalSnapshotIdentifier).toBe("iam-prod-mariadb-final-5eed1234");
        }
        const params = only(run, RDS_PARAMS);
        expect(params.inputs.family).toBe(`mariadb${config.engineVersion}`);
        expect(db.inputs.parameterGroupName).toBe(mockAutoName(params.name));
        const byName = Object.fromEntries((params.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
        expect(byName).toMatchObject({ character_set_server: "utf8mb4", collation_server: "utf8mb4_unicode_ci", character_set_client: "utf8mb4" });
        const subnets = only(run, RDS_SUBNETS);
        expect([...(subnets.inputs.subnetIds as string[])].sort()).toEqual(privateSubnetIds(run));
        expect(db.inputs.dbSubnetGroupName).toBe(mockAutoName(subnets.name));
    });

    it("MariaDB: does not require TLS, which the IAM binaries cannot speak (require_secure_transport written 0, as RDS reads it back; docs/data.md), applied without a reboot", () => {
        const run = runs[stack];
        const [group] = ofType(run, RDS_PARAMS);
        const parameters = group.inputs.parameters as { name: string; value: string }[];
        expect(parameters).toContainEqual({ name: "require_secure_transport", value: "0", applyMethod: "immediate" });
        expect(parameters).toContainEqual(expect.objectContaining({ name: "character_set_server", value: "utf8mb4" }));
    });

    it(`${isProd ? "keeps" : "deletes"} a replaced parameter group (prod defers engine changes to the maintenance window)`, () => {
        const run = runs[stack];
        const groups = [...ofType(run, RDS_PARAMS), ...ofType(run, DOCDB_PARAMS)];
        expect(groups).toHaveLength(2);
        expect(groups.map((g) => g.retainOnDelete)).toEqual([isProd, isProd]);
    });

    it("publishes a new Redis token to Secrets Manager only after ElastiCache accepted it", () => {
        const run = runs[stack];
        const version = ofType(run, SECRET_VERSION).find((v) => v.name.includes("redis"));
        expect(version?.dependencies).toContain(only(run, REDIS).urn);
    });

    it("Redis: replication group in private subnets, encrypted at rest and in transit, AUTH token, snapshots kept", () => {
        const run = runs[stack];
        const config = run.config.dataStores.redis;
        if (config?.mode !== "managed") {
            throw new Error("the stack files manage Redis");
        }
        const group = only(run, REDIS);
        expect(group.inputs).toMatchObject({
            replicationGroupId: `iam-${stack}-redis`,
            engine: config.engine,
            engineVersion: config.engineVersion,
            numCacheClusters: config.nodes,
            automaticFailoverEnabled: isProd,
            multiAzEnabled: isProd,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: "[secret]",
            authTokenUpdateStrategy: "ROTATE",
            snapshotRetentionLimit: config.snapshotRetentionDays,
            port: 6379,
            securityGroupIds: [securityGroupId("redis")],
        });
        expect(group.inputs.snapshotRetentionLimit as number).toBeGreaterThanOrEqual(1);
        expect(group.secretPaths).toContain("authToken");
        const subnets = only(run, REDIS_SUBNETS);
        expect([...(subnets.inputs.subnetIds as string[])].sort()).toEqual(privateSubnetIds(run));
        expect(group.inputs.subnetGroupName).toBe(mockAutoName(subnets.name));
    });

    it("DocumentDB: encrypted cluster, TLS on, backups, instances in private subnets, DocumentDB-managed password", () => {
        const run = runs[stack];
        const config = run.config.dataStores.mongodb;
        if (config?.mode !== "managed") {
            throw new Error("the stack files manage MongoDB");
        }
        const cluster = only(run, DOCDB);
        expect(cluster.inputs).toMatchObject({
            clusterIdentifier: `iam-${stack}-docdb`,
            engine: "docdb",
            engineVersion: config.engineVersion,
            storageEncrypted: true,
            manageMasterUserPassword: true,
            backupRetentionPeriod: config.backupRetentionDays,
            deletionProtection: isProd,
            skipFinalSnapshot: !isProd,
            port: 27017,
            vpcSecurityGroupIds: [securityGroupId("mongodb")],
        });
        expect(cluster.inputs.masterPassword).toBeUndefined();
        expect(cluster.inputs.availabilityZones).toBeUndefined();
        const params = only(run, DOCDB_PARAMS);
        expect(params.inputs.parameters).toEqual([expect.objectContaining({ name: "tls", value: "enabled" })]);
        expect(cluster.inputs.dbClusterParameterGroupName).toBe(mockAutoName(params.name));
        const subnets = only(run, DOCDB_SUBNETS);
        expect([...(subnets.inputs.subnetIds as string[])].sort()).toEqual(privateSubnetIds(run));
        expect(cluster.inputs.dbSubnetGroupName).toBe(mockAutoName(subnets.name));
        const instances = ofType(run, DOCDB_INSTANCE);
        expect(instances).toHaveLength(config.instances);
        expect(instances.length).toBeGreaterThanOrEqual(isProd ? 2 : 1);
        expect(instances.map((i) => i.inputs.identifier)).toEqual(instances.map((_, n) => `iam-${stack}-docdb-${n + 1}`));
        expect(instances.every((i) => i.inputs.clusterIdentifier === `${cluster.name}-id`)).toBe(true);
    });

    it("gives each store its own security group and no other", () => {
        const run = runs[stack];
        const groupsOf = (r: ResourceRecord): unknown => r.inputs.vpcSecurityGroupIds ?? r.inputs.securityGroupIds;
        expect(groupsOf(only(run, RDS))).toEqual([securityGroupId("mariadb")]);
        expect(groupsOf(only(run, REDIS))).toEqual([securityGroupId("redis")]);
        expect(groupsOf(only(run, DOCDB))).toEqual([securityGroupId("mongodb")]);
    });

    it(`${isProd ? "protects" : "does not protect"} the stateful resources`, () => {
        const run = runs[stack];
        // The Redis token's secret (the schema Job's admin password secret is app/app.test.ts's).
        const stateful = [only(run, RDS), only(run, REDIS), only(run, DOCDB), resource(run, SECRET, "iam-data-redis-auth")];
        expect(stateful.map((r) => [r.name, r.protect])).toEqual(stateful.map((r) => [r.name, isProd]));
        // DocumentDB instances hold no data (the cluster volume does), so scaling them down stays a config change.
        expect(ofType(run, DOCDB_INSTANCE).every((i) => !i.protect)).toBe(true);
    });

    it("creates no store resource that waits for the cluster (they are built in parallel with it)", () => {
        const run = runs[stack];
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const stores = run.resources.filter(isStoreResource);
        expect(stores.length).toBeGreaterThan(0);
        // Everything a store may wait for: the network, the access matrix and the data tier itself.
        const allowed = /^(aws:ec2\/|aws:vpc\/|aws:rds\/|aws:elasticache\/|aws:docdb\/|aws:secretsmanager\/|random:|iam:network:|iam:data:)/;
        for (const store of stores) {
            const types = [...waitsFor(run, store.urn)].map((urn) => byUrn.get(urn)?.type ?? urn);
            expect({ store: store.name, waitsFor: types.filter((type) => !allowed.test(type)) }).toEqual({ store: store.name, waitsFor: [] });
            expect(types.some((type) => /eks|kubernetes|iam:cluster/i.test(type))).toBe(false);
        }
        // And it does wait for what it needs: its subnets and its security group.
        const db = only(run, RDS);
        const dbDeps = [...waitsFor(run, db.urn)].map((urn) => byUrn.get(urn)?.name);
        expect(dbDeps).toEqual(expect.arrayContaining(["iam-access-mariadb", `iam-network-private-${run.config.network.availabilityZones[0]}`]));
    });

    it("keeps the Redis token secret end to end: never in clear in any input", () => {
        const run = runs[stack];
        const version = resource(run, SECRET_VERSION, "iam-data-redis-auth");
        expect(version.secretPaths).toContain("secretString");
        expect(version.inputs.secretString).toBe("[secret]");
        for (const r of run.resources) {
            expect(JSON.stringify(r.inputs)).not.toContain(MOCK_TOKEN);
        }
    });

    it("outputs each store's endpoint and credentials secret ARN, and no password", () => {
        const run = runs[stack];
        const endpoints = run.outputs.dataStoreEndpoints;
        expect(endpoints.known).toBe(true);
        expect(endpoints.value).toEqual({
            mariadb: { host: `iam-${stack}-mariadb.c0abc123xyz.eu-west-1.rds.amazonaws.com`, port: 3306 },
            redis: { host: `master.iam-${stack}-redis.abc123.euw1.cache.amazonaws.com`, port: 6379 },
            mongodb: { host: `iam-${stack}-docdb.cluster-c0abc123xyz.eu-west-1.docdb.amazonaws.com`, port: 27017 },
        });
        const arns = run.outputs.dataStoreCredentialSecretArns.value as Record<string, string>;
        expect(Object.keys(arns).sort()).toEqual(["mariadb", "mongodb", "redis"]);
        expect(Object.values(arns).every((arn) => arn.startsWith("arn:aws:secretsmanager:eu-west-1:"))).toBe(true);
        expect(JSON.stringify(run.outputs)).not.toContain(MOCK_TOKEN);
    });
});

describe("an external store (migration from the old VMs)", () => {
    let run: StackRun;
    const arn = EXTERNAL_MARIADB.credentialsSecretArn;
    beforeAll(async () => {
        run = await runVariant("prod-external-mariadb");
    });

    it("creates no RDS resource, and lets the app nodes reach exactly its network on its port", () => {
        expect(ofType(run, RDS)).toHaveLength(0);
        expect(ofType(run, RDS_PARAMS)).toHaveLength(0);
        const rule = resource(run, EGRESS, "iam-data-mariadb-external");
        expect(rule.inputs).toMatchObject({ securityGroupId: securityGroupId("appNodes"), ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIpv4: "10.0.1.0/24" });
    });

    it("hands on the configured endpoint and secret, and still manages the other stores", () => {
        expect((run.outputs.dataStoreEndpoints.value as Record<string, unknown>).mariadb).toEqual({ host: "10.0.1.10", port: 3306 });
        expect((run.outputs.dataStoreCredentialSecretArns.value as Record<string, string>).mariadb).toBe(arn);
        expect(ofType(run, REDIS)).toHaveLength(1);
        expect(ofType(run, DOCDB)).toHaveLength(1);
    });
});

describe("bad data store config", () => {
    it("is rejected with the field named before any resource is created", async () => {
        const failure = await runStack("prod", {
            edit: (values) => {
                const stores = values.dataStores as Record<string, Record<string, unknown>>;
                stores.mariadb = {
                    mode: "external",
                    port: 3306,
                    database: "iam",
                    tls: true,
                    credentialsSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf",
                    egressCidr: "10.0.1.0/24",
                };
                stores.redis.snapshotRetentionDays = 90;
                stores.mongodb.engineVersion = "3.6.0";
            },
        }).then(
            () => undefined,
            (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(ConfigValidationError);
        expect((failure as ConfigValidationError).problems).toEqual([
            "dataStores.mariadb.host is required",
            "dataStores.redis.snapshotRetentionDays (90) must be <= 35 and >= 1",
            'dataStores.mongodb.engineVersion must be a supported DocumentDB version (5.0.0, 8.0.0), got "3.6.0"',
        ]);
        expect(registeredWithMonitor()).toBe(0);
    });
});

describe("a new stack's preview", () => {
    it("plans every store with unknown endpoints, without failing", async () => {
        const preview = await runStack("prod", { preview: true });
        expect(ofType(preview, RDS)).toHaveLength(1);
        expect(ofType(preview, REDIS)).toHaveLength(1);
        expect(ofType(preview, DOCDB_INSTANCE).length).toBeGreaterThanOrEqual(2);
        expect(preview.outputs.dataStoreEndpoints.value).toBe(UNKNOWN);
        // The Kubernetes side is planned too: endpoint ConfigMaps and ExternalSecrets for every store.
        expect(ofType(preview, "kubernetes:external-secrets.io/v1:ExternalSecret").filter((e) => e.parent?.includes("iam:data:StoreCredentials"))).toHaveLength(3);
        expect(ofType(preview, "kubernetes:core/v1:ConfigMap").filter((c) => /-endpoint$/.test((c.inputs.metadata as { name: string }).name))).toHaveLength(3);
    });
});

describe("MariaDB boolean parameters", () => {
    const BOOLEAN_WORDS = /^(ON|OFF|TRUE|FALSE|YES|NO)$/i;
    const params = (run: StackRun): { name: string; value: string }[] => ofType(run, RDS_PARAMS).flatMap((g) => g.inputs.parameters as { name: string; value: string }[]);

    it("are written 1/0, as RDS reads them back (ON/OFF would show a change on every preview)", async () => {
        const prod = await runStack("prod");
        const staging = await runStack("staging");
        expect(params(prod)).toContainEqual(expect.objectContaining({ name: "require_secure_transport", value: "0" }));
        for (const run of [staging, prod]) {
            expect(params(run).filter((p) => BOOLEAN_WORDS.test(p.value))).toEqual([]);
        }
    });
});

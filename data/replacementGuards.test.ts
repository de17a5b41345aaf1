/**
 * The inputs that make AWS replace a store (a new, empty database) hold the
 * values the stacks were released with. Checked against the provider's
 * force-new arguments: RDS instance (identifier, engine, username, dbName,
 * storageEncrypted, kmsKeyId, availabilityZone), ElastiCache replication group
 * (replicationGroupId, subnetGroupName, atRestEncryptionEnabled, kmsKeyId,
 * port; transitEncryptionEnabled was force-new before Terraform AWS provider
 * 5.47 and is pinned here too), DocumentDB cluster (clusterIdentifier, engine,
 * masterUsername, storageEncrypted, kmsKeyId, dbSubnetGroupName,
 * availabilityZones). The TLS, endpoint and node-egress hardening changes none.
 */
import { mockAutoName } from "./mocks";
import { ofType, ResourceRecord, runStack } from "../test/harness";

const pick = (r: ResourceRecord, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, r.inputs[k]]));

describe.each(["prod", "staging"])("the %s stores' replacement-triggering inputs", (stack) => {
    it("are the released values", async () => {
        const run = await runStack(stack);
        const [db] = ofType(run, "aws:rds/instance:Instance");
        expect(pick(db, ["identifier", "engine", "username", "dbName", "storageEncrypted", "kmsKeyId", "availabilityZone"])).toEqual({
            identifier: `iam-${stack}-mariadb`,
            engine: "mariadb",
            username: "iam_admin",
            dbName: "iam",
            storageEncrypted: true,
            kmsKeyId: undefined,
            availabilityZone: undefined,
        });
        const [redis] = ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup");
        expect(pick(redis, ["replicationGroupId", "subnetGroupName", "atRestEncryptionEnabled", "kmsKeyId", "port", "transitEncryptionEnabled"])).toEqual({
            replicationGroupId: `iam-${stack}-redis`,
            subnetGroupName: mockAutoName("iam-data-redis-subnets"),
            atRestEncryptionEnabled: true,
            kmsKeyId: undefined,
            port: 6379,
            transitEncryptionEnabled: true,
        });
        const [docdb] = ofType(run, "aws:docdb/cluster:Cluster");
        expect(pick(docdb, ["clusterIdentifier", "engine", "masterUsername", "storageEncrypted", "kmsKeyId", "dbSubnetGroupName", "availabilityZones"])).toEqual({
            clusterIdentifier: `iam-${stack}-docdb`,
            engine: "docdb",
            masterUsername: "iamadmin",
            storageEncrypted: true,
            kmsKeyId: undefined,
            dbSubnetGroupName: mockAutoName("iam-data-mongodb-subnets"),
            availabilityZones: undefined,
        });
        // Protected in prod: Pulumi refuses a replacement whatever the diff says.
        expect([db, redis, docdb].map((r) => r.protect)).toEqual([stack === "prod", stack === "prod", stack === "prod"]);
    });
});

import { parseStackConfig, StackConfig } from "../config";
import { configProblems, rawStackConfig } from "../test/harness";
import { durationSeconds } from "./schema";

type Values = Record<string, unknown>;

/** Parses a real stack file after `edit` changes its `dataStores` (and anything else). */
function parse(stack: string, edit: (values: Values) => void = () => undefined): StackConfig {
    const raw = rawStackConfig(stack);
    const values = JSON.parse(JSON.stringify(raw.values)) as Values;
    edit(values);
    return parseStackConfig({ ...raw, values });
}

/** The problems a config edit produces (empty when it parses). */

const stores = (values: Values): Record<string, Record<string, unknown>> => values.dataStores as Record<string, Record<string, unknown>>;

const EXTERNAL_MARIADB = {
    mode: "external",
    host: "10.0.1.10",
    port: 3306,
    database: "iam",
    tls: false,
    credentialsSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam/legacy-mariadb-AbCdEf",
    egressCidr: "10.0.1.0/24",
};

describe.each(["prod", "staging"])("the %s stack's dataStores", (stack) => {
    const config = parse(stack);

    it("configures exactly the stores the services use, all managed", () => {
        expect(config.dataStores.mariadb?.mode).toBe("managed");
        expect(config.dataStores.redis?.mode).toBe("managed");
        expect(config.dataStores.mongodb?.mode).toBe("managed");
        expect(config.dataStores.identifierPrefix).toBe(`iam-${stack}`);
    });

    it("rejects an external store without an endpoint, naming the field", () => {
        const found = configProblems(stack, (v) => {
            stores(v).mariadb = { ...EXTERNAL_MARIADB, host: undefined, port: undefined };
        });
        expect(found).toEqual(expect.arrayContaining(["dataStores.mariadb.host is required", "dataStores.mariadb.port is required (a whole number)"]));
    });

    it("rejects backup retention outside 1-35 days", () => {
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb.backupRetentionDays = 40;
            }),
        ).toEqual(["dataStores.mariadb.backupRetentionDays (40) must be <= 35 and >= 1"]);
        expect(
            configProblems(stack, (v) => {
                stores(v).mongodb.backupRetentionDays = 0;
            }),
        ).toEqual(["dataStores.mongodb.backupRetentionDays (0) must be >= 1 and <= 35"]);
        expect(
            configProblems(stack, (v) => {
                stores(v).redis.snapshotRetentionDays = 36;
            }),
        ).toEqual(["dataStores.redis.snapshotRetentionDays (36) must be <= 35 and >= 1"]);
    });

    it("rejects unsupported engine versions, listing the supported ones", () => {
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb.engineVersion = "10.4";
            }),
        ).toEqual(['dataStores.mariadb.engineVersion must be a supported RDS for MariaDB major.minor version (10.11, 11.4, 11.8), got "10.4"']);
        expect(
            configProblems(stack, (v) => {
                stores(v).redis.engineVersion = "6.2";
            }),
        ).toEqual(['dataStores.redis.engineVersion must be a supported ElastiCache redis major.minor version (7.1), got "6.2"']);
        expect(
            configProblems(stack, (v) => {
                stores(v).redis.engine = "valkey";
            }),
        ).toEqual(['dataStores.redis.engineVersion must be a supported ElastiCache valkey major.minor version (7.2, 8.0, 8.1), got "7.1"']);
        expect(
            configProblems(stack, (v) => {
                stores(v).mongodb.engineVersion = "4.0.0";
            }),
        ).toEqual(['dataStores.mongodb.engineVersion must be a supported DocumentDB version (5.0.0, 8.0.0), got "4.0.0"']);
    });

    it("requires storage headroom for autoscaling", () => {
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb.maxAllocatedStorageGb = stores(v).mariadb.allocatedStorageGb;
            })[0],
        ).toMatch(/^dataStores\.mariadb\.maxAllocatedStorageGb \(\d+\) must be at least 10% above allocatedStorageGb/);
    });

    it("accepts an external store in a peered network and rejects one outside it", () => {
        const external = parse(stack, (v) => {
            stores(v).mariadb = EXTERNAL_MARIADB;
        });
        expect(external.dataStores.mariadb).toMatchObject({ mode: "external", host: "10.0.1.10", port: 3306, egressCidr: "10.0.1.0/24" });
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb = { ...EXTERNAL_MARIADB, egressCidr: "192.168.0.0/24" };
            }),
        ).toEqual(["dataStores.mariadb.egressCidr (192.168.0.0/24) must lie inside one of network.peerCidrs (10.0.0.0/16): external stores live in a peered network"]);
    });

    it("validates an external store's secret reference: a Secrets Manager ARN in the stack's region", () => {
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb = { ...EXTERNAL_MARIADB, credentialsSecretArn: "iam/legacy-mariadb" };
            }),
        ).toEqual(['dataStores.mariadb.credentialsSecretArn must be a Secrets Manager secret ARN, got "iam/legacy-mariadb"']);
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb = { ...EXTERNAL_MARIADB, credentialsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:iam/legacy-AbCdEf" };
            }),
        ).toEqual(["dataStores.mariadb.credentialsSecretArn must be in the stack's region eu-west-1 (External Secrets reads one region), got us-east-1"]);
    });

    it("does not take managed keys in external mode (or external keys in managed mode)", () => {
        expect(
            configProblems(stack, (v) => {
                stores(v).mariadb = { ...EXTERNAL_MARIADB, instanceClass: "db.r6g.large" };
            })[0],
        ).toMatch(/^dataStores\.mariadb\.instanceClass is not a known key/);
        expect(
            configProblems(stack, (v) => {
                stores(v).redis.host = "redis.old";
            })[0],
        ).toMatch(/^dataStores\.redis\.host is not a known key/);
    });

    it("requires an explicit tls choice for an external Redis", () => {
        expect(
            configProblems(stack, (v) => {
                const { database, tls, ...redis } = EXTERNAL_MARIADB;
                void database;
                void tls;
                stores(v).redis = { ...redis, port: 6379 };
            }),
        ).toEqual(["dataStores.redis.tls is required for an external store (true or false: whether clients must use TLS)"]);
    });

    it("ties the stores to the service catalog both ways", () => {
        expect(
            configProblems(stack, (v) => {
                delete stores(v).mongodb;
            }),
        ).toEqual(["services[2].stores[1] (iam-pump) uses mongodb, but dataStores.mongodb is not configured"]);
        expect(
            configProblems(stack, (v) => {
                const services = v.services as Array<{ stores?: string[] }>;
                services[2].stores = ["redis"];
            }),
        ).toEqual(["dataStores.mongodb is configured but no service uses it (services[].stores): remove it or add it to a service"]);
    });

    it("validates the credentials sync settings", () => {
        expect(config.dataStores.credentialsSync).toEqual({ refreshInterval: "1m", externalSecretsChartVersion: "2.6.0", reloaderChartVersion: "2.2.14" });
        expect(
            configProblems(stack, (v) => {
                stores(v).credentialsSync = { refreshInterval: "5s" };
            }),
        ).toEqual(["dataStores.credentialsSync.refreshInterval (5s) must be between 30s and 24h"]);
        expect(
            configProblems(stack, (v) => {
                stores(v).credentialsSync = { externalSecretsChartVersion: "latest" };
            }),
        ).toEqual(['dataStores.credentialsSync.externalSecretsChartVersion must be an exact chart version like 1.2.3, got "latest"']);
    });
});

describe("prod-only rules", () => {
    it("prod requires Multi-AZ, failover, two DocumentDB instances and a week of backups", () => {
        expect(
            configProblems("prod", (v) => {
                stores(v).mariadb.multiAz = false;
                stores(v).mariadb.backupRetentionDays = 3;
                stores(v).redis.nodes = 1;
                stores(v).mongodb.instances = 1;
            }),
        ).toEqual([
            "dataStores.mariadb.multiAz must be true in prod: a single-AZ database goes down with its zone",
            "dataStores.mariadb.backupRetentionDays (3) must be >= 7 in prod",
            "dataStores.redis.nodes (1) must be >= 2 in prod: automatic failover needs a replica in another zone",
            "dataStores.mongodb.instances (1) must be >= 2 in prod: a reader in another zone takes over when the writer fails",
        ]);
    });

    it("staging allows a single zone, one node, one instance and short retention", () => {
        const staging = parse("staging");
        expect(staging.dataStores.mariadb).toMatchObject({ multiAz: false, backupRetentionDays: 3 });
        expect(staging.dataStores.redis).toMatchObject({ nodes: 1 });
        expect(staging.dataStores.mongodb).toMatchObject({ instances: 1 });
    });

    it("reserved and malformed user names are rejected", () => {
        expect(
            configProblems("prod", (v) => {
                stores(v).mongodb.masterUsername = "admin";
            }),
        ).toEqual(['dataStores.mongodb.masterUsername must not be a reserved user name (admin, root, serviceadmin), got "admin"']);
        expect(
            configProblems("prod", (v) => {
                stores(v).mongodb.masterUsername = "iam_admin";
            })[0],
        ).toMatch(/^dataStores\.mongodb\.masterUsername must be a DocumentDB user name/);
    });
});

describe("durationSeconds", () => {
    it("reads s, m and h and rejects anything else", () => {
        expect(durationSeconds("30s")).toBe(30);
        expect(durationSeconds("5m")).toBe(300);
        expect(durationSeconds("24h")).toBe(86400);
        expect(durationSeconds("1d")).toBeUndefined();
        expect(durationSeconds("0m")).toBeUndefined();
    });
});

describe("MariaDB TLS (dataStores.mariadb.requireTls)", () => {
    const mariadb = (config: StackConfig) => {
        const db = config.dataStores.mariadb;
        if (db?.mode !== "managed") {
            throw new Error("the stack files manage MariaDB");
        }
        return db;
    };

    it("is not required in either stack: the IAM binaries' MySQL client cannot speak TLS", () => {
        expect(mariadb(parse("prod")).requireTls).toBe(false);
        expect(mariadb(parse("staging")).requireTls).toBe(false);
    });

    it("is refused while a service uses MariaDB, naming the client that cannot speak it (managed and external)", () => {
        const why = "pkg/db/mysql.go builds the DSN %s:%s@tcp(%s)/%s?charset=utf8&parseTime=%t&loc=%s, with no tls parameter; docs/data.md";
        expect(
            configProblems("prod", (v) => {
                stores(v).mariadb.requireTls = true;
            }),
        ).toEqual([
            `dataStores.mariadb.requireTls must be false while iam-apiserver uses mariadb (services[0].stores[0]): its client cannot speak TLS (${why})`,
            `dataStores.mariadb.requireTls must be false while iam-watcher uses mariadb (services[3].stores[0]): its client cannot speak TLS (${why})`,
        ]);
        expect(
            configProblems("staging", (v) => {
                stores(v).mariadb = { ...EXTERNAL_MARIADB, tls: true };
            }),
        ).toContain(`dataStores.mariadb.tls must be false while iam-apiserver uses mariadb (services[0].stores[0]): its client cannot speak TLS (${why})`);
    });

    it("needs an explicit tls choice for an external MariaDB too", () => {
        const { tls, ...withoutTls } = EXTERNAL_MARIADB;
        void tls;
        expect(
            configProblems("staging", (v) => {
                stores(v).mariadb = withoutTls;
            }),
        ).toEqual(["dataStores.mariadb.tls is required for an external store (true or false: whether clients must use TLS)"]);
    });
});

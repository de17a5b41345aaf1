import { DATA_STORES } from "../network/accessMatrixPlan";
import { credentialsReloadAnnotations, RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "./storeConnection";
import { credentialKeys, endpointConfigData } from "./storeEndpoint";

describe("endpointConfigData", () => {
    it("fills exactly the contract's ConfigMap keys for every store", () => {
        for (const store of DATA_STORES) {
            const data = endpointConfigData(store, { host: "db.internal", port: 1234, tls: true, trust: "rdsCaBundle", database: "iam" });
            expect(Object.keys(data).sort()).toEqual([...STORE_CONNECTIONS[store].configKeys].sort());
        }
    });

    it("writes ports and TLS as strings the apps parse", () => {
        expect(endpointConfigData("redis", { host: "master.redis", port: 6379, tls: true, trust: "systemRoots" })).toEqual({
            REDIS_HOST: "master.redis",
            REDIS_PORT: "6379",
            REDIS_TLS: "true",
            REDIS_TLS_VERIFY: "true",
            REDIS_TLS_CA_FILE: "",
        });
        expect(endpointConfigData("mongodb", { host: "docdb", port: 27017, tls: false, trust: "systemRoots", database: "analytics" })).toEqual({
            MONGODB_HOST: "docdb",
            MONGODB_PORT: "27017",
            MONGODB_TLS: "false",
            MONGODB_TLS_VERIFY: "false",
            MONGODB_TLS_CA_FILE: "",
            MONGODB_DATABASE: "analytics",
        });
    });

    it("tells a client of RDS or DocumentDB to verify the server against the mounted RDS CA bundle", () => {
        expect(endpointConfigData("mariadb", { host: "db", port: 3306, tls: true, trust: "rdsCaBundle", database: "iam" })).toMatchObject({
            MARIADB_TLS: "true",
            MARIADB_TLS_VERIFY: "true",
            MARIADB_TLS_CA_FILE: RDS_CA_BUNDLE_MOUNT.file,
        });
        // No CA file without TLS: a client must not read a CA it will not use as "TLS on".
        expect(endpointConfigData("mariadb", { host: "db", port: 3306, tls: false, trust: "rdsCaBundle", database: "iam" })).toMatchObject({
            MARIADB_TLS: "false",
            MARIADB_TLS_VERIFY: "false",
            MARIADB_TLS_CA_FILE: "",
        });
    });

    it("refuses to write a ConfigMap missing a contract key", () => {
        expect(() => endpointConfigData("mariadb", { host: "db", port: 3306, tls: false, trust: "rdsCaBundle" })).toThrow(/no value for MARIADB_DATABASE/);
    });
});

describe("credentialKeys", () => {
    it("maps every contract Secret key to the secret's username or password", () => {
        expect(credentialKeys("mariadb")).toEqual([
            { secretKey: "MARIADB_USERNAME", property: "username" },
            { secretKey: "MARIADB_PASSWORD", property: "password" },
        ]);
        expect(credentialKeys("redis")).toEqual([{ secretKey: "REDIS_PASSWORD", property: "password" }]);
        for (const store of DATA_STORES) {
            expect(credentialKeys(store).map((k) => k.secretKey)).toEqual(STORE_CONNECTIONS[store].secretKeys);
        }
    });
});

describe("credentialsReloadAnnotations", () => {
    it("names the store Secrets and ConfigMaps a Deployment reads, and nothing for a store-less one", () => {
        expect(credentialsReloadAnnotations(["mariadb", "redis"])).toEqual({
            "secret.reloader.stakater.com/reload": "mariadb-credentials,redis-credentials",
            "configmap.reloader.stakater.com/reload": "mariadb-endpoint,redis-endpoint,rds-ca-bundle",
        });
        expect(credentialsReloadAnnotations([])).toEqual({});
    });
});

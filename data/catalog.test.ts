/**
 * The data catalog's invariants: every list is dated and sourced, the
 * defaults are accepted versions, and every chart is pinned exactly.
 */
import { DATA_STORE_DEFAULTS } from "./defaults";
import { CREDENTIAL_SYNC_CHARTS, DATA_CATALOG_AS_OF, DOCUMENTDB_ENGINE_VERSIONS, EngineVersions, MARIADB_ENGINE_VERSIONS, REDIS_ENGINE_VERSIONS } from "./catalog";

const lists: [string, EngineVersions][] = [
    ["mariadb", MARIADB_ENGINE_VERSIONS],
    ["redis", REDIS_ENGINE_VERSIONS.redis],
    ["valkey", REDIS_ENGINE_VERSIONS.valkey],
    ["docdb", DOCUMENTDB_ENGINE_VERSIONS],
];

/** Numeric comparison of dotted versions. */
function compare(a: string, b: string): number {
    const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0) {
            return d;
        }
    }
    return 0;
}

describe("the data catalog", () => {
    it("is dated", () => {
        expect(DATA_CATALOG_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it.each(lists)("lists %s versions oldest first, unique, each list with its source command", (_engine, list) => {
        expect(list.versions.length).toBeGreaterThan(0);
        expect([...list.versions].sort(compare)).toEqual(list.versions);
        expect(new Set(list.versions).size).toBe(list.versions.length);
        expect(list.source).toMatch(/^aws (rds|elasticache|docdb) describe-/);
    });

    it("pins MariaDB and Redis/Valkey to major.minor (AWS's patch upgrades must not show as a diff)", () => {
        for (const version of [...MARIADB_ENGINE_VERSIONS.versions, ...REDIS_ENGINE_VERSIONS.redis.versions, ...REDIS_ENGINE_VERSIONS.valkey.versions]) {
            expect(version).toMatch(/^\d+\.\d+$/);
        }
    });

    it("accepts every default engine version", () => {
        expect(MARIADB_ENGINE_VERSIONS.versions).toContain(DATA_STORE_DEFAULTS.mariadb.engineVersion);
        expect(REDIS_ENGINE_VERSIONS[DATA_STORE_DEFAULTS.redis.engine].versions).toContain(DATA_STORE_DEFAULTS.redis.engineVersion);
        expect(DOCUMENTDB_ENGINE_VERSIONS.versions).toContain(DATA_STORE_DEFAULTS.mongodb.engineVersion);
    });

    it("pins every credential-sync chart exactly, from its real repository, with the day it was checked", () => {
        for (const chart of Object.values(CREDENTIAL_SYNC_CHARTS)) {
            expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
            expect(chart.repo).toMatch(/^https:\/\//);
            expect(chart.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(chart.checked <= DATA_CATALOG_AS_OF).toBe(true);
            expect(chart.source).toContain(chart.repo);
        }
    });
});

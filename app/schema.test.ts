/**
 * The application profile's rule on the real stack files: env keys mean
 * something to the binary they are given to, the catalog's services are
 * binaries whose config file can be rendered, and an image tag that is no
 * release of marmotedu/iam is a warning (forks have their own tags).
 */
import { parseStackConfig } from "../config";
import { configProblems, rawStackConfig } from "../test/harness";
import { IAM_RELEASES, PINNED_RELEASE } from "./catalog";
import { envOption } from "./iamContract";

type Service = { name: string; image: { tag: string }; ports: { name: string; port: number }[]; workload?: { env?: Record<string, string> } };
const services = (values: Record<string, unknown>): Service[] => values.services as Service[];
const byName = (values: Record<string, unknown>, name: string): Service => {
    const found = services(values).find((s) => s.name === name);
    if (!found) throw new Error(`no ${name}`);
    return found;
};

describe("workload.env of an IAM binary", () => {
    it("maps an env name to the option viper reads (prefix, upper case, '.' and '-' as '_')", () => {
        expect(envOption("iam-apiserver", "IAM_APISERVER_LOG_LEVEL")).toBe("log.level");
        expect(envOption("iam-authz-server", "IAM_AUTHZ_SERVER_ANALYTICS_POOL_SIZE")).toBe("analytics.pool-size");
        expect(envOption("iam-apiserver", "LOG_LEVEL")).toBeUndefined();
        expect(envOption("iam-pump", "IAM_APISERVER_LOG_LEVEL")).toBeUndefined();
    });

    it("refuses a key no option of the binary reads, naming the prefix it would need", () => {
        expect(
            configProblems("prod", (v) => {
                byName(v, "iam-apiserver").workload = { env: { LOG_LEVEL: "info" } };
            }),
        ).toEqual([
            "services[0].workload.env.LOG_LEVEL is read by no iam-apiserver option (v1.6.3): the binary reads only IAM_APISERVER_<OPTION> variables, e.g. IAM_APISERVER_LOG_LEVEL for log.level",
        ]);
    });

    it("refuses a key that would override what the config file wires from the stack", () => {
        expect(
            configProblems("staging", (v) => {
                byName(v, "iam-authz-server").workload = { env: { IAM_AUTHZ_SERVER_RPCSERVER: "localhost:8081" } };
            }),
        ).toEqual([
            "services[1].workload.env.IAM_AUTHZ_SERVER_RPCSERVER would override rpcserver, which the config file sets from the stack (docs/workloads.md): change the stack's config instead",
        ]);
    });

    it("takes the staging file's log-level overrides", () => {
        const staging = parseStackConfig(rawStackConfig("staging"));
        expect(staging.services.map((s) => Object.keys(s.workload.env))).toEqual([["IAM_APISERVER_LOG_LEVEL"], ["IAM_AUTHZ_SERVER_LOG_LEVEL"], [], []]);
    });
});

describe("the catalog's services", () => {
    it("must be IAM binaries with a port for each listener", () => {
        expect(
            configProblems("prod", (v) => {
                const authz = byName(v, "iam-authz-server");
                authz.ports = authz.ports.filter((p) => p.name !== "https");
            }),
        ).toEqual(["services[1] (iam-authz-server) declares no port named https: iam-authz-server binds its secure listener there"]);
        expect(
            configProblems("staging", (v) => {
                byName(v, "iam-watcher").name = "iam-cron";
            }),
        ).toContain("services[3] (iam-cron) is not an IAM binary of v1.6.3 (iam-apiserver, iam-authz-server, iam-pump, iam-watcher): no config file can be rendered for it");
    });
});

describe("image.tag", () => {
    it("is a release of marmotedu/iam in both stack files: no warning", () => {
        for (const stack of ["prod", "staging"]) {
            const config = parseStackConfig(rawStackConfig(stack));
            expect(config.services.map((s) => s.image.tag)).toEqual(Array(4).fill(PINNED_RELEASE));
            expect(config.warnings.filter((w) => w.includes("image.tag"))).toEqual([]);
        }
        expect(IAM_RELEASES[IAM_RELEASES.length - 1]).toEqual({ tag: PINNED_RELEASE, date: "2023-12-05" });
    });

    it("warns, without refusing, on a tag that is no release (a fork's)", () => {
        const raw = rawStackConfig("prod");
        (raw.values.services as Service[])[2].image = { tag: "v1.8.0" };
        const config = parseStackConfig(raw);
        expect(config.warnings).toContain(
            "services[2].image.tag (v1.8.0) is not a release of marmotedu/iam (app/catalog.ts, as of 2023-12-05: v1.6.3 is the latest); the config files follow the v1.6.3 contract",
        );
    });
});

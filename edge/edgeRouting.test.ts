import { LegacyMigration } from "./schema";
import { ServiceSpec } from "../workloads/schema";
import { defaultWorkloadConfig } from "../workloads/workloadSchema";
import {
    aliasRecordTypes,
    certificateNames,
    forwardPlan,
    ipTargetAvailabilityZone,
    listenerRulePriorities,
    publicRoutes,
    TARGET_GROUP_NAME_MAX,
    targetGroupResourceName,
} from "./edgeRouting";

function service(name: string, host?: string, port = 8080): ServiceSpec {
    return {
        name,
        kind: host ? "http" : "worker",
        image: { repository: name, tag: "v1" },
        ports: [{ name: "http", port }],
        health: { path: `/${name}/healthz`, port: "http" },
        public: host ? { host, fqdn: `${host}.example.com`, port: "http" } : undefined,
        stores: [],
        calls: [],
        workload: defaultWorkloadConfig(host ? "http" : "worker", "staging"),
    } as ServiceSpec;
}

const catalog = [service("api", "iam.api", 8080), service("pump"), service("authz", "iam.authz", 9090)];
const legacy = (weightPercent: number, hosts: string[]): LegacyMigration => ({
    backends: ["10.0.1.10"],
    port: 80,
    protocol: "HTTP",
    weightPercent,
    hosts,
    healthCheckPath: "/healthz",
});

describe("publicRoutes", () => {
    it("routes every public service of the catalog, and no worker", () => {
        const routes = publicRoutes(catalog);
        expect(routes.map((r) => [r.service, r.fqdn, r.targetPort, r.healthPath])).toEqual([
            ["api", "iam.api.example.com", 8080, "/api/healthz"],
            ["authz", "iam.authz.example.com", 9090, "/authz/healthz"],
        ]);
    });

    it("keeps a host's rule priority when another host joins the catalog", () => {
        const before = publicRoutes(catalog);
        const after = publicRoutes([...catalog, service("admin", "iam.admin", 7000)]);
        for (const route of before) {
            expect(after.find((r) => r.service === route.service)?.priority).toBe(route.priority);
        }
    });

    it("gives unique rule priorities that do not move when the catalog is reordered", () => {
        const routes = publicRoutes(catalog);
        const reordered = publicRoutes([...catalog].reverse());
        expect(new Set(routes.map((r) => r.priority)).size).toBe(routes.length);
        for (const route of routes) {
            expect(reordered.find((r) => r.service === route.service)?.priority).toBe(route.priority);
            expect(route.priority).toBeGreaterThanOrEqual(1);
            expect(route.priority).toBeLessThanOrEqual(50000);
        }
    });

    it("marks only the migrating hosts with the legacy weight", () => {
        const routes = publicRoutes(catalog, legacy(30, ["iam.authz.example.com"]));
        expect(routes.map((r) => r.legacyWeightPercent)).toEqual([undefined, 30]);
    });
});

describe("listenerRulePriorities", () => {
    it("gives every host a distinct priority in 1-50000, even for many hosts", () => {
        const hosts = Array.from({ length: 2000 }, (_, i) => `h${i}.example.com`);
        const priorities = [...listenerRulePriorities(hosts).values()];
        expect(new Set(priorities).size).toBe(hosts.length);
        expect(priorities.every((p) => Number.isInteger(p) && p >= 1 && p <= 50000)).toBe(true);
    });
});

describe("certificateNames", () => {
    it("names every routed host once: the shortest as subject, the rest as SANs", () => {
        const names = certificateNames(publicRoutes(catalog));
        expect(names).toEqual({ domainName: "iam.api.example.com", subjectAlternativeNames: ["iam.authz.example.com"] });
    });

    it("does not change the subject when the catalog is reordered (that would replace the certificate)", () => {
        const routes = publicRoutes(catalog);
        expect(certificateNames([...routes].reverse())).toEqual(certificateNames(routes));
    });

    it("refuses a certificate without names", () => {
        expect(() => certificateNames([])).toThrow(/at least one public host/);
    });
});

describe("forwardPlan", () => {
    it("forwards only to the cluster when not migrating", () => {
        expect(forwardPlan(publicRoutes(catalog)[0])).toEqual([{ target: "service", weight: 1 }]);
    });

    it.each([0, 10, 50, 100])("splits %i%% to legacy and the rest to the cluster", (weight) => {
        const [route] = publicRoutes(catalog, legacy(weight, ["iam.api.example.com"]));
        const plan = forwardPlan(route);
        expect(plan).toEqual([
            { target: "service", weight: 100 - weight },
            { target: "legacy", weight },
        ]);
        expect(plan.every((t) => t.weight >= 0 && t.weight <= 999)).toBe(true);
    });
});

describe("aliasRecordTypes", () => {
    it("is A alone for IPv4, A and AAAA for dualstack", () => {
        expect(aliasRecordTypes(false)).toEqual(["A"]);
        expect(aliasRecordTypes(true)).toEqual(["A", "AAAA"]);
    });
});

describe("ipTargetAvailabilityZone", () => {
    it("is `all` for an address outside the VPC and unset inside it", () => {
        expect(ipTargetAvailabilityZone("10.0.1.10", "10.20.0.0/16")).toBe("all");
        expect(ipTargetAvailabilityZone("10.20.3.4", "10.20.0.0/16")).toBeUndefined();
    });

    it("rejects what is not an address", () => {
        expect(() => ipTargetAvailabilityZone("10.0.1", "10.20.0.0/16")).toThrow(/not an IPv4 address/);
    });
});

describe("targetGroupResourceName", () => {
    it("keeps names that leave room for Pulumi's random suffix", () => {
        expect(targetGroupResourceName("iam-edge", "iam-apiserver")).toBe("iam-edge-iam-apiserver");
    });

    it("shortens longer names to fit, keeping them distinct and stable", () => {
        const long = ["iam-authz-server", "iam-authz-server-canary", "a-service-name-of-forty-characters-long"];
        const names = long.map((key) => targetGroupResourceName("iam-edge", key));
        for (const name of names) {
            // AWS allows 32 characters; Pulumi appends "-" and 7 random characters.
            expect(name.length + 8).toBeLessThanOrEqual(32);
            expect(name.length).toBeLessThanOrEqual(TARGET_GROUP_NAME_MAX);
            expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        }
        expect(new Set(names).size).toBe(long.length);
        expect(long.map((key) => targetGroupResourceName("iam-edge", key))).toEqual(names);
    });
});

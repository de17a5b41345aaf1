import { ALARM_DEFAULTS } from "./schema";
import { alarmSpecs, AlarmSpec, AlarmTargets, isMetricMath, MetricMath } from "./alarmSpecs";

const everything: AlarmTargets<string> = {
    loadBalancer: { arnSuffix: "app/alb/1", targetGroups: { "iam-apiserver": "targetgroup/api/1", "iam-authz-server": "targetgroup/authz/2" } },
    mariadb: { instanceIdentifier: "iam-prod-mariadb", replicaIdentifiers: ["iam-prod-mariadb-replica"] },
    redis: { memberClusterIds: ["iam-prod-redis-001", "iam-prod-redis-002"] },
    docdb: { instanceIdentifiers: ["iam-prod-docdb-1", "iam-prod-docdb-2"] },
    cluster: { name: "iam-prod", namespace: "iam", workloads: ["iam-apiserver", "iam-pump"] },
};
const specs = alarmSpecs(everything, ALARM_DEFAULTS.thresholds);
const byKey = (key: string, list: AlarmSpec<string>[] = specs): AlarmSpec<string> => {
    const found = list.find((s) => s.key === key);
    if (!found) {
        throw new Error(`no alarm ${key} (have ${list.map((s) => s.key).join(", ")})`);
    }
    return found;
};
const math = (spec: AlarmSpec<string>): MetricMath<string> => {
    if (!isMetricMath(spec.watch)) {
        throw new Error(`${spec.key} is not metric math`);
    }
    return spec.watch;
};

describe("alarmSpecs", () => {
    it("covers the load balancer, every target group, every store node and every workload", () => {
        expect(specs.map((s) => s.key)).toEqual([
            "alb-5xx-rate",
            "iam-apiserver-unhealthy-targets",
            "iam-apiserver-no-healthy-targets",
            "iam-apiserver-response-time",
            "iam-authz-server-unhealthy-targets",
            "iam-authz-server-no-healthy-targets",
            "iam-authz-server-response-time",
            "mariadb-cpu",
            "mariadb-free-storage",
            "mariadb-replica-1-lag",
            "redis-1-cpu",
            "redis-1-evictions",
            "redis-1-replication-lag",
            "redis-2-cpu",
            "redis-2-evictions",
            "redis-2-replication-lag",
            "docdb-1-cpu",
            "docdb-1-replica-lag",
            "docdb-2-cpu",
            "docdb-2-replica-lag",
            "cluster-failed-nodes",
            "iam-apiserver-restarts",
            "iam-pump-restarts",
        ]);
    });

    it("creates no alarm for what the stack does not have (external stores, no cluster)", () => {
        const keys = alarmSpecs({ loadBalancer: { arnSuffix: "app/alb/1", targetGroups: {} } }, ALARM_DEFAULTS.thresholds).map((s) => s.key);
        expect(keys).toEqual(["alb-5xx-rate"]);
        expect(alarmSpecs({}, ALARM_DEFAULTS.thresholds)).toEqual([]);
    });

    it("alarms on the 5xx rate, not the count, and only above the minimum traffic", () => {
        const spec = byKey("alb-5xx-rate");
        const watch = math(spec);
        expect(watch.expression).toBe("IF(requests >= 50, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)");
        expect(Object.values(watch.metrics).map((m) => [m.metricName, m.stat, m.dimensions])).toEqual([
            ["RequestCount", "Sum", { LoadBalancer: "app/alb/1" }],
            ["HTTPCode_ELB_5XX_Count", "Sum", { LoadBalancer: "app/alb/1" }],
            ["HTTPCode_Target_5XX_Count", "Sum", { LoadBalancer: "app/alb/1" }],
        ]);
        expect(spec).toMatchObject({ comparison: "GreaterThanThreshold", threshold: 5, treatMissingData: "notBreaching" });
    });

    it("references only the metrics it declares, under ids CloudWatch accepts", () => {
        for (const spec of specs.filter((s) => isMetricMath(s.watch))) {
            const watch = math(spec);
            const ids = Object.keys(watch.metrics);
            for (const id of ids) {
                expect(id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
            }
            const referenced = watch.expression.match(/\b[A-Za-z][A-Za-z0-9_]*\b/g) ?? [];
            for (const word of referenced) {
                // Upper case: a function (IF, FILL, DIFF); anything else must be a declared metric.
                expect(ids.includes(word) || /^[A-Z]+$/.test(word)).toBe(true);
            }
        }
    });

    it("treats missing data deliberately: no targets is an outage, no traffic is not", () => {
        expect(byKey("iam-apiserver-no-healthy-targets")).toMatchObject({ treatMissingData: "breaching", comparison: "LessThanThreshold", threshold: 1 });
        expect(byKey("iam-apiserver-unhealthy-targets").treatMissingData).toBe("notBreaching");
        expect(byKey("iam-apiserver-response-time").treatMissingData).toBe("notBreaching");
        expect(byKey("mariadb-cpu").treatMissingData).toBe("missing");
        expect(byKey("redis-1-evictions").treatMissingData).toBe("notBreaching");
        expect(byKey("docdb-1-replica-lag").treatMissingData).toBe("notBreaching");
        expect(byKey("iam-pump-restarts").treatMissingData).toBe("notBreaching");
        for (const spec of specs) {
            expect(spec.datapointsToAlarm).toBeLessThanOrEqual(spec.evaluationPeriods);
        }
    });

    it("watches per-target-group metrics with both dimensions ALB metrics need", () => {
        const watch = byKey("iam-authz-server-response-time").watch;
        expect(watch).toMatchObject({ metricName: "TargetResponseTime", stat: "p95", dimensions: { TargetGroup: "targetgroup/authz/2", LoadBalancer: "app/alb/1" } });
    });

    it("turns thresholds from config into the units CloudWatch reports", () => {
        const custom = alarmSpecs(everything, { ...ALARM_DEFAULTS.thresholds, rdsFreeStorageGiB: 20, replicaLagSeconds: 45, alb5xxMinRequests: 200 });
        expect(byKey("mariadb-free-storage", custom).threshold).toBe(20 * 1024 ** 3);
        expect(byKey("docdb-2-replica-lag", custom).threshold).toBe(45_000);
        expect(byKey("redis-2-replication-lag", custom).threshold).toBe(45);
        expect(math(byKey("alb-5xx-rate", custom)).expression).toMatch(/^IF\(requests >= 200,/);
    });

    it("counts a stopped RDS replication (lag -1) as over the threshold", () => {
        expect(math(byKey("mariadb-replica-1-lag")).expression).toBe("IF(lag < 0, 31, lag)");
    });

    it("watches the Redis thread, per node", () => {
        expect(byKey("redis-2-cpu").watch).toMatchObject({
            namespace: "AWS/ElastiCache",
            metricName: "EngineCPUUtilization",
            dimensions: { CacheClusterId: "iam-prod-redis-002" },
        });
    });

    it("alarms on new restarts of each workload, not on its lifetime count", () => {
        const spec = byKey("iam-pump-restarts");
        const watch = math(spec);
        expect(watch.expression).toBe("DIFF(restarts)");
        expect(watch.metrics.restarts).toMatchObject({
            namespace: "ContainerInsights",
            metricName: "pod_number_of_container_restarts",
            dimensions: { ClusterName: "iam-prod", Namespace: "iam", PodName: "iam-pump" },
        });
        expect(spec).toMatchObject({ comparison: "GreaterThanOrEqualToThreshold", threshold: 3 });
    });

    it("gives every alarm a unique key", () => {
        expect(new Set(specs.map((s) => s.key)).size).toBe(specs.length);
    });
});

/**
 * The alarms that wake someone, pure: which metric, statistic, period,
 * threshold and evaluation window each alarm uses, and how it treats a gap
 * in the data. `T` is the type of the dimension values (plain strings in
 * tests, Pulumi inputs in the component), so the whole table is testable
 * without Pulumi.
 */
import { AlarmThresholds } from "./schema";

export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";
export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

export interface MetricRef<T> {
    namespace: string;
    metricName: string;
    /** Dimension values: fixed names, or values only known once resources exist (`T`). */
    dimensions: Record<string, T | string>;
    /** `Average`, `Maximum`, `Minimum`, `Sum`, or a percentile like `p95`. */
    stat: string;
    /** Seconds. */
    period: number;
}

/** Metric math: named metrics and one expression over them that the alarm watches. */
export interface MetricMath<T> {
    metrics: Record<string, MetricRef<T>>;
    expression: string;
    label: string;
}

export interface AlarmSpec<T> {
    /** Stable suffix of the resource and alarm names, e.g. `alb-5xx-rate`. */
    key: string;
    /** What broke and what to look at first (shown in the notification). */
    description: string;
    watch: MetricRef<T> | MetricMath<T>;
    comparison: Comparison;
    threshold: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    treatMissingData: TreatMissingData;
}

/** What the alarms watch; each part is absent when the stack does not create that thing. */
export interface AlarmTargets<T> {
    loadBalancer?: {
        arnSuffix: T;
        /** Target-group ARN suffix by service name. */
        targetGroups: Record<string, T>;
    };
    mariadb?: { instanceIdentifier: T; replicaIdentifiers: T[] };
    redis?: { memberClusterIds: T[] };
    docdb?: { instanceIdentifiers: T[] };
    /** The WAF web ACL in front of the load balancer, and the blocked requests in 5 minutes that page. */
    waf?: { webAclName: T; region: string; blockedRequestsThreshold: number };
    cluster?: {
        name: T;
        /** The application namespace and the workloads (Deployment names) in it. */
        namespace: string;
        workloads: string[];
    };
}

export function isMetricMath<T>(watch: MetricRef<T> | MetricMath<T>): watch is MetricMath<T> {
    return "expression" in watch;
}

const GIB = 1024 ** 3;
const ALB = "AWS/ApplicationELB";

/** A stable, readable key part from a name (`iam-apiserver` stays, anything else becomes `-`). */
export function keyPart(name: string): string {
    return name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
}

function albAlarms<T>(lb: NonNullable<AlarmTargets<T>["loadBalancer"]>, t: AlarmThresholds): AlarmSpec<T>[] {
    const sum = (metricName: string): MetricRef<T> => ({ namespace: ALB, metricName, dimensions: { LoadBalancer: lb.arnSuffix }, stat: "Sum", period: 300 });
    const specs: AlarmSpec<T>[] = [
        {
            key: "alb-5xx-rate",
            description: `More than ${t.alb5xxPercent}% of requests to the load balancer answered 5xx (its own and the targets') in 2 of 3 five-minute periods. Check the target groups' health and the pods' logs.`,
            watch: {
                metrics: { requests: sum("RequestCount"), elb5xx: sum("HTTPCode_ELB_5XX_Count"), target5xx: sum("HTTPCode_Target_5XX_Count") },
                // Below the minimum volume a handful of errors is not a rate worth waking for;
                // FILL: a period without any 5xx publishes no 5xx datapoint at all.
                expression: `IF(requests >= ${t.alb5xxMinRequests}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
                label: "5xx responses, % of requests",
            },
            comparison: "GreaterThanThreshold",
            threshold: t.alb5xxPercent,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            // No requests at all publishes no data: nothing failed.
            treatMissingData: "notBreaching",
        },
    ];
    for (const [service, arnSuffix] of Object.entries(lb.targetGroups)) {
        const dims = { TargetGroup: arnSuffix, LoadBalancer: lb.arnSuffix };
        const key = keyPart(service);
        specs.push(
            {
                key: `${key}-unhealthy-targets`,
                description: `${service}: more than ${t.unhealthyTargets} target(s) failed the load balancer's health check for 5 minutes. Check the pods' readiness, their TargetGroupBinding (kubectl get targetgroupbindings -n <namespace>) and the load balancer controller.`,
                watch: { namespace: ALB, metricName: "UnHealthyHostCount", dimensions: dims, stat: "Maximum", period: 60 },
                comparison: "GreaterThanThreshold",
                threshold: t.unhealthyTargets,
                // Five minutes, so a node being replaced (deregistered and drained) does not page.
                evaluationPeriods: 5,
                datapointsToAlarm: 5,
                // The ALB publishes 0 while targets are registered; a gap means no targets, which the next alarm covers.
                treatMissingData: "notBreaching",
            },
            {
                key: `${key}-no-healthy-targets`,
                description: `${service}: no healthy target for 3 minutes; the load balancer answers 503. Check the node groups' instances and the target-group attachments.`,
                watch: { namespace: ALB, metricName: "HealthyHostCount", dimensions: dims, stat: "Minimum", period: 60 },
                comparison: "LessThanThreshold",
                threshold: 1,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                // No datapoint means no registered target at all: that is the outage itself.
                treatMissingData: "breaching",
            },
            {
                key: `${key}-response-time`,
                description: `${service}: p95 response time above ${t.targetResponseTimeSeconds}s for 15 minutes. Check the pods' CPU, the HPA and the data stores' latency.`,
                watch: { namespace: ALB, metricName: "TargetResponseTime", dimensions: dims, stat: "p95", period: 300 },
                comparison: "GreaterThanThreshold",
                threshold: t.targetResponseTimeSeconds,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                // No requests, no response times: not slow.
                treatMissingData: "notBreaching",
            },
        );
    }
    return specs;
}

/** CPU of a database-like resource: sustained 15 minutes; a gap means the metric stopped, not that CPU is high. */
function cpuAlarm<T>(key: string, what: string, namespace: string, metricName: string, dimensions: Record<string, T | string>, threshold: number): AlarmSpec<T> {
    return {
        key,
        description: `${what}: ${metricName} above ${threshold}% for 15 minutes. Check slow queries and connection counts; scale the instance class if it is load.`,
        watch: { namespace, metricName, dimensions, stat: "Average", period: 300 },
        comparison: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "missing",
    };
}

function lagAlarm<T>(key: string, what: string, watch: MetricRef<T> | MetricMath<T>, threshold: number, unit: string): AlarmSpec<T> {
    return {
        key,
        description: `${what}: replication lag above ${threshold}${unit} for 5 minutes. Reads from it are stale; check the writer's load and the replica's health.`,
        watch,
        comparison: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // Only replicas publish lag: the primary/writer's gap is not a fault.
        treatMissingData: "notBreaching",
    };
}

function dataAlarms<T>(targets: AlarmTargets<T>, t: AlarmThresholds): AlarmSpec<T>[] {
    const specs: AlarmSpec<T>[] = [];
    if (targets.mariadb) {
        const dims = { DBInstanceIdentifier: targets.mariadb.instanceIdentifier };
        specs.push(cpuAlarm("mariadb-cpu", "RDS MariaDB", "AWS/RDS", "CPUUtilization", dims, t.rdsCpuPercent), {
            key: "mariadb-free-storage",
            description: `RDS MariaDB: less than ${t.rdsFreeStorageGiB} GiB of storage free for 10 minutes: storage autoscaling is at its ceiling or cannot keep up. Raise maxAllocatedStorageGb.`,
            watch: { namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions: dims, stat: "Minimum", period: 300 },
            comparison: "LessThanThreshold",
            threshold: t.rdsFreeStorageGiB * GIB,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            treatMissingData: "missing",
        });
        targets.mariadb.replicaIdentifiers.forEach((replica, i) => {
            specs.push(
                lagAlarm(
                    `mariadb-replica-${i + 1}-lag`,
                    `RDS MariaDB read replica ${i + 1}`,
                    {
                        metrics: { lag: { namespace: "AWS/RDS", metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: replica }, stat: "Maximum", period: 60 } },
                        // RDS reports -1 when replication has stopped: count that as over the threshold.
                        expression: `IF(lag < 0, ${t.replicaLagSeconds + 1}, lag)`,
                        label: "replica lag, seconds (-1: replication stopped)",
                    },
                    t.replicaLagSeconds,
                    "s",
                ),
            );
        });
    }
    targets.redis?.memberClusterIds.forEach((member, i) => {
        const n = i + 1;
        const dims = { CacheClusterId: member };
        specs.push(
            cpuAlarm(`redis-${n}-cpu`, `ElastiCache node ${n}`, "AWS/ElastiCache", "EngineCPUUtilization", dims, t.redisCpuPercent),
            {
                key: `redis-${n}-evictions`,
                description: `ElastiCache node ${n}: more than ${t.redisEvictions} keys evicted in 5 minutes: memory is full and keys (including queued analytics) are being dropped. Scale the node type.`,
                watch: { namespace: "AWS/ElastiCache", metricName: "Evictions", dimensions: dims, stat: "Sum", period: 300 },
                comparison: "GreaterThanThreshold",
                threshold: t.redisEvictions,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                treatMissingData: "notBreaching",
            },
            lagAlarm(
                `redis-${n}-replication-lag`,
                `ElastiCache node ${n}`,
                { namespace: "AWS/ElastiCache", metricName: "ReplicationLag", dimensions: dims, stat: "Maximum", period: 60 },
                t.replicaLagSeconds,
                "s",
            ),
        );
    });
    targets.docdb?.instanceIdentifiers.forEach((instance, i) => {
        const n = i + 1;
        const dims = { DBInstanceIdentifier: instance };
        specs.push(
            cpuAlarm(`docdb-${n}-cpu`, `DocumentDB instance ${n}`, "AWS/DocDB", "CPUUtilization", dims, t.docdbCpuPercent),
            // DocumentDB reports replica lag in milliseconds.
            lagAlarm(
                `docdb-${n}-replica-lag`,
                `DocumentDB instance ${n}`,
                { namespace: "AWS/DocDB", metricName: "DBInstanceReplicaLag", dimensions: dims, stat: "Maximum", period: 60 },
                t.replicaLagSeconds * 1000,
                "ms",
            ),
        );
    });
    return specs;
}

function clusterAlarms<T>(cluster: NonNullable<AlarmTargets<T>["cluster"]>, t: AlarmThresholds): AlarmSpec<T>[] {
    const specs: AlarmSpec<T>[] = [
        {
            key: "cluster-failed-nodes",
            description: `More than ${t.failedNodes} EKS node(s) report a failing node condition (NotReady, pressure) for 10 minutes. Check the node group and the kubelet.`,
            watch: { namespace: "ContainerInsights", metricName: "cluster_failed_node_count", dimensions: { ClusterName: cluster.name }, stat: "Maximum", period: 300 },
            comparison: "GreaterThanThreshold",
            threshold: t.failedNodes,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            // A gap means the CloudWatch agent stopped reporting, not that nodes failed; the ALB alarms still see an outage.
            treatMissingData: "missing",
        },
    ];
    for (const workload of cluster.workloads) {
        specs.push({
            key: `${keyPart(workload)}-restarts`,
            description: `${workload}: ${t.podRestarts} or more container restarts within 15 minutes (crash loop, OOM kill or failing liveness probe). Check \`kubectl -n ${cluster.namespace} describe pods\` and the logs.`,
            watch: {
                // Container Insights publishes each pod's cumulative restart count under its
                // workload's name (PodName is the controller's name); the alarm watches the increase.
                metrics: {
                    restarts: {
                        namespace: "ContainerInsights",
                        metricName: "pod_number_of_container_restarts",
                        dimensions: { ClusterName: cluster.name, Namespace: cluster.namespace, PodName: workload },
                        stat: "Maximum",
                        period: 900,
                    },
                },
                expression: "DIFF(restarts)",
                label: "new container restarts in 15 minutes",
            },
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: t.podRestarts,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            // No pods reporting (scaled to zero, or none yet) is not a crash loop.
            treatMissingData: "notBreaching",
        });
    }
    return specs;
}

/**
 * A spike of requests WAF blocked: an attack under way, or a rule (new, or
 * out of count-only mode) blocking real clients. Either way someone looks.
 */
function wafAlarm<T>(waf: NonNullable<AlarmTargets<T>["waf"]>): AlarmSpec<T> {
    return {
        key: "waf-blocked-requests",
        description: `AWS WAF blocked more than ${waf.blockedRequestsThreshold} requests in 5 minutes. Check the WAF logs (log group aws-waf-logs-*): which rule, which clients; if real users are blocked, set that group count-only (edge.waf.countOnly) and redeploy.`,
        watch: { namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { WebACL: waf.webAclName, Region: waf.region, Rule: "ALL" }, stat: "Sum", period: 300 },
        comparison: "GreaterThanThreshold",
        threshold: waf.blockedRequestsThreshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        // No blocked request publishes no data point: quiet, not broken.
        treatMissingData: "notBreaching",
    };
}

/** Every alarm for what the stack has, in a stable order. */
export function alarmSpecs<T>(targets: AlarmTargets<T>, thresholds: AlarmThresholds): AlarmSpec<T>[] {
    return [
        ...(targets.loadBalancer ? albAlarms(targets.loadBalancer, thresholds) : []),
        ...(targets.waf ? [wafAlarm(targets.waf)] : []),
        ...dataAlarms(targets, thresholds),
        ...(targets.cluster ? clusterAlarms(targets.cluster, thresholds) : []),
    ];
}

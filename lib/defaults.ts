/**
 * Every default of the stack config, in one place. `prod` and `staging`
 * differ only where a line here says so; everything else is in the stack
 * config files.
 */

export const ENVIRONMENTS = ["prod", "staging"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface EnvironmentDefaults {
    /** One NAT gateway per zone survives a zone outage; one shared is cheaper. */
    natGateways: "perAz" | "single";
    /** Stateful resources get `protect` (and deletion protection where AWS has it). */
    protectStatefulResources: boolean;
    /** The fewest availability zones the environment may span. */
    minZones: number;
    /**
     * Every workload's HPA minimum by default, and the lowest one allowed:
     * in prod two pods (in two zones) survive a node drain or a zone outage.
     */
    minReplicas: number;
}

export const ENVIRONMENT_DEFAULTS: Record<Environment, EnvironmentDefaults> = {
    prod: { natGateways: "perAz", protectStatefulResources: true, minZones: 3, minReplicas: 2 },
    staging: { natGateways: "single", protectStatefulResources: false, minZones: 2, minReplicas: 1 },
};

export const NETWORK_DEFAULTS = {
    /** /19 per zone: the VPC CNI gives each pod a VPC address, so private subnets are large. */
    privateSubnetPrefix: 19,
    /** /22 per zone: only the load balancer's and NAT gateways' interfaces live here. */
    publicSubnetPrefix: 22,
    /** VPC flow logs (every accepted and rejected connection): the audit trail of the access matrix. */
    flowLogs: { prod: true, staging: false },
    flowLogRetentionDays: 90,
} as const;

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const REGISTRY_DEFAULTS = {
    untaggedImageExpiryDays: 7,
    keepTaggedImages: 30,
} as const;

/**
 * Workload defaults by service kind. Values a stack changes go in the
 * service's `workload:` block; the replica floor per environment is
 * `ENVIRONMENT_DEFAULTS[env].minReplicas`.
 */
export const WORKLOAD_DEFAULTS = {
    maxReplicas: 6,
    targetCpuUtilization: 70,
    /** Wait this long at a lower recommendation before scaling down (the HPA's own default is 300). */
    scaleDownStabilizationSeconds: 300,
    cpu: "250m",
    /** The memory limit defaults to the request: memory cannot be throttled, only OOM-killed. */
    memory: "256Mi",
    /** One extra pod at a time for small fleets, a quarter of the fleet for large ones. */
    maxSurge: "25%",
    minReadySeconds: 10,
    revisionHistoryLimit: 5,
    progressDeadlineSeconds: 600,
    /** How long a slow-starting pod gets before the kubelet restarts it. */
    startupTimeoutSeconds: 120,
    /** The distroless `nonroot` user and group. */
    runAsUser: 65532,
    runAsGroup: 65532,
    /** The writable /tmp every pod gets (the root filesystem is read-only). */
    tmpSizeLimit: "128Mi",
    /** Soft zone spread: the node groups span every zone, so a hard one can leave pods Pending. */
    zoneSpread: "preferred",
    http: {
        /** Long enough for every node's kube-proxy to drop the pod from the Service before it stops accepting. */
        preStopSleepSeconds: 15,
        terminationGracePeriodSeconds: 60,
    },
    worker: {
        /** Workers receive no traffic: SIGTERM at once, then the grace period to finish the job in hand. */
        preStopSleepSeconds: 0,
        terminationGracePeriodSeconds: 120,
    },
} as const;

export const WORKLOADS_DEFAULTS = {
    /** The application namespace every workload (and its store connections) lives in. */
    namespace: "iam",
} as const;

/** Probe timings (not config: they follow from the startup timeout and each other). */
export const PROBE_TIMINGS = {
    startup: { periodSeconds: 5, timeoutSeconds: 3 },
    /** Out of the load balancer quickly (15 s of failures). */
    readiness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    /** Restart only after a minute of failures with a longer timeout, so a busy pod is not killed. */
    liveness: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
} as const;

export const EDGE_DEFAULTS = {
    /** Seconds an idle client connection stays open on the load balancer (AWS default 60). */
    idleTimeoutSeconds: 60,
    /**
     * Seconds a deregistering target keeps serving in-flight requests. Must stay
     * shorter than the pods' preStop sleep plus grace (cross-checked by the workloads config).
     */
    deregistrationDelaySeconds: 30,
    /** TLS 1.3 with TLS 1.2 fallback; the API default (ELBSecurityPolicy-2016-08) still allows TLS 1.0. */
    tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200" },
    /** Access logs are on in prod (an audit trail), off in staging (cost). */
    accessLogsEnabled: { prod: true, staging: false },
    accessLogRetentionDays: 90,
    /** ACM's default quota of names on one certificate. */
    maxCertificateNames: 10,
    legacy: { port: 80, protocol: "HTTP", healthCheckPath: "/healthz" },
} as const;

/**
 * Data store defaults (RDS MariaDB, ElastiCache Redis/Valkey, DocumentDB).
 * The accepted engine versions and the credential-sync chart versions are
 * dated facts in data/catalog.ts; the default versions here must be in those
 * lists (data/catalog.test.ts).
 */
export const DATA_STORE_DEFAULTS = {
    mariadb: {
        /** One of data/catalog.ts MARIADB_ENGINE_VERSIONS; the patch level follows AWS's minor upgrades. */
        engineVersion: "11.4",
        database: "iam",
        masterUsername: "iam_admin",
        /** gp3's floor; below 400 GiB gp3 gives a 3,000 IOPS baseline. */
        minStorageGb: 20,
        maxStorageGb: 65536,
        /** Daily backup and weekly maintenance windows (UTC), not overlapping each other or the other stores'. */
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:04:00-sun:05:00",
    },
    redis: {
        /** Redis OSS by default (what the old VMs ran); Valkey is the drop-in, cheaper successor. */
        engine: "redis",
        engineVersion: "7.1",
        maxNodes: 6,
        /** Bump `authTokenVersion` to rotate the token; the replication group accepts old and new until the next rotation. */
        authTokenVersion: 1,
        snapshotWindow: "03:00-04:00",
        maintenanceWindow: "sun:05:00-sun:06:00",
    },
    mongodb: {
        /** One of data/catalog.ts DOCUMENTDB_ENGINE_VERSIONS. */
        engineVersion: "5.0.0",
        database: "iam_analytics",
        /** DocumentDB user names are letters and digits only. */
        masterUsername: "iamadmin",
        maxInstances: 16,
        backupWindow: "02:30-03:30",
        maintenanceWindow: "sun:04:30-sun:05:30",
    },
    /** RDS and DocumentDB keep 1-35 days of automated backups; ElastiCache 0-35 days of snapshots. */
    maxBackupRetentionDays: 35,
    credentialsSync: {
        /** How often External Secrets re-reads Secrets Manager: the longest a rotated password stays stale in the cluster. */
        refreshInterval: "1m",
        // The chart versions are dated facts: data/catalog.ts CREDENTIAL_SYNC_CHARTS.
    },
} as const;

export interface DataStoreEnvironmentDefaults {
    /** MariaDB Multi-AZ (a standby in another zone); required in prod. */
    multiAz: boolean;
    /** Fewest days of automated backups (RDS, DocumentDB) and Redis snapshots. */
    minBackupRetentionDays: number;
    backupRetentionDays: number;
    /** Redis nodes (a primary and replicas); two or more give automatic failover across zones. */
    minRedisNodes: number;
    /** DocumentDB instances (a writer and readers in other zones). */
    minDocumentDbInstances: number;
    /** Take a final snapshot when a store is deleted. */
    finalSnapshot: boolean;
    /** Apply changes at once (true) or in the next maintenance window (false). */
    applyImmediately: boolean;
    /** Days a deleted Secrets Manager secret can still be restored. */
    secretRecoveryWindowDays: number;
}

export const DATA_STORE_ENVIRONMENT_DEFAULTS: Record<Environment, DataStoreEnvironmentDefaults> = {
    prod: {
        multiAz: true,
        minBackupRetentionDays: 7,
        backupRetentionDays: 14,
        minRedisNodes: 2,
        minDocumentDbInstances: 2,
        finalSnapshot: true,
        applyImmediately: false,
        secretRecoveryWindowDays: 30,
    },
    staging: {
        multiAz: false,
        minBackupRetentionDays: 1,
        backupRetentionDays: 3,
        minRedisNodes: 1,
        minDocumentDbInstances: 1,
        finalSnapshot: false,
        applyImmediately: true,
        secretRecoveryWindowDays: 7,
    },
};

/** Cluster defaults (cluster/config.ts); the Kubernetes version has none: it is pinned in each stack file. */
export const CLUSTER_DEFAULTS = {
    /** Control-plane logs sent to CloudWatch; these three are also the minimum allowed. */
    logTypes: ["api", "audit", "authenticator"],
    logRetentionDays: 90,
    /** Kubernetes Service addresses: outside the VPC and every peer network. */
    serviceCidr: "172.20.0.0/16",
    /** 1: pods (not on the host network) cannot reach the instance metadata service and so not the node role. */
    metadataHopLimit: 1,
    nodeGroup: {
        capacityType: "ON_DEMAND",
        amiType: "AL2023_x86_64_STANDARD",
        diskSizeGiB: 50,
        /** Nodes replaced at a time during a node group update (AMI, launch template, version). */
        maxUnavailable: 1,
    },
    headroom: { replicas: 1, cpu: "500m", memory: "1Gi" },
} as const;

/** Alarm thresholds (config `alarms.thresholds.*`); each alarm's period and evaluation are in guardrails/alarmSpecs.ts. */
export interface AlarmThresholds {
    /** Load-balancer 5xx responses (ALB and targets), in percent of requests over 5 minutes. */
    alb5xxPercent: number;
    /** Below this many requests in 5 minutes the 5xx rate is not judged (one error in three requests is not an outage). */
    alb5xxMinRequests: number;
    /** Unhealthy targets a target group may have for 5 minutes before it alarms. */
    unhealthyTargets: number;
    /** p95 target response time, seconds, over 5 minutes for 15. */
    targetResponseTimeSeconds: number;
    rdsCpuPercent: number;
    /** Free RDS storage, GiB (storage autoscaling should grow it first; this fires when it cannot). */
    rdsFreeStorageGiB: number;
    /** Replication lag of read replicas (RDS, ElastiCache, DocumentDB), seconds. */
    replicaLagSeconds: number;
    /** ElastiCache EngineCPUUtilization (the Redis thread), percent. */
    redisCpuPercent: number;
    /** Keys evicted in 5 minutes: Redis holds the pump's queue, so any eviction may lose data. */
    redisEvictions: number;
    docdbCpuPercent: number;
    /** New container restarts of one workload within 15 minutes. */
    podRestarts: number;
    /** Nodes failing a node condition (Container Insights `cluster_failed_node_count`) for 10 minutes. */
    failedNodes: number;
}

export const ALARM_DEFAULTS: { thresholds: AlarmThresholds; containerLogs: boolean } = {
    thresholds: {
        alb5xxPercent: 5,
        alb5xxMinRequests: 50,
        unhealthyTargets: 0,
        targetResponseTimeSeconds: 1,
        rdsCpuPercent: 80,
        rdsFreeStorageGiB: 10,
        replicaLagSeconds: 30,
        redisCpuPercent: 80,
        redisEvictions: 0,
        docdbCpuPercent: 80,
        podRestarts: 3,
        failedNodes: 0,
    },
    containerLogs: true,
};

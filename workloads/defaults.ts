/**
 * Workload defaults: what every Deployment gets unless its `workload:` block
 * says otherwise, and the probe timings that follow from them. Read by the
 * workloads schema (workloads/schema.ts) and the workload planner.
 */

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

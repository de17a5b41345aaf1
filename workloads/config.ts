/**
 * The `workload:` block of a catalog entry (replicas, autoscaling, resources,
 * rollout, shutdown, Pod Identity role, env, user) and the top-level `workloads:` section
 * (the application namespace). Read with the `Fields` reader: every problem
 * is reported by its path, defaults come from lib/defaults.ts.
 */
import { STORE_CONNECTIONS } from "../data/storeConnection";
import { DataStore } from "../network/accessMatrixPlan";
import { Environment, ENVIRONMENT_DEFAULTS, WORKLOAD_DEFAULTS, WORKLOADS_DEFAULTS } from "../lib/defaults";
import { checkUnique, ConfigIssues, Fields, readString, show } from "../lib/reader";

export interface WorkloadConfig {
    /** HPA bounds. `min` defaults to the environment's floor (2 in prod, 1 in staging) and may not go below it. */
    replicas: { min: number; max: number };
    autoscaling: {
        /** Average CPU use, in percent of the request, the HPA keeps (default 70). */
        targetCpuUtilization: number;
        /** Average memory use, in percent of the request; no memory target when absent. */
        targetMemoryUtilization?: number;
        /** How long the HPA waits at a lower recommendation before it removes pods (default 300). */
        scaleDownStabilizationSeconds: number;
    };
    /**
     * Requests (CPU default 250m, memory default 256Mi) and the memory limit
     * (default: the memory request). No CPU limit: see docs/workloads.md.
     */
    resources: { cpu: string; memory: string; memoryLimit: string };
    rollout: {
        /** Extra pods during a rollout: a count >= 1 or a percentage (default 25%); never 0, as maxUnavailable is 0. */
        maxSurge: number | string;
        /** A new pod must stay ready this long before it counts as available (default 10). */
        minReadySeconds: number;
        /** Old ReplicaSets kept for `kubectl rollout undo` (default 5). */
        revisionHistoryLimit: number;
        /** A rollout that makes no progress this long is reported failed (default 600). */
        progressDeadlineSeconds: number;
    };
    shutdown: {
        /** The pod keeps serving this long after it is told to stop, while it leaves every Service (0: no preStop hook; workers). */
        preStopSleepSeconds: number;
        /** The whole shutdown window, preStop sleep included; must be longer than the sleep. */
        terminationGracePeriodSeconds: number;
    };
    /** The time a pod gets to pass its first health check before it is restarted (default 120). */
    startupTimeoutSeconds: number;
    /** An IAM role for the pods (EKS Pod Identity), with these managed policies; none when absent. */
    podIdentity?: { policyArns: string[] };
    /** Non-secret environment variables, delivered in a ConfigMap. Credentials never go here. */
    env: Record<string, string>;
    /** The fixed non-root user and group the containers run as (default 65532, distroless `nonroot`). */
    runAsUser: number;
    runAsGroup: number;
    /**
     * Spread over zones: `preferred` (default) schedules a pod even when the
     * spread cannot be kept; `required` leaves it Pending instead. Use
     * `required` only with one node group per zone: cluster-autoscaler cannot
     * add a node in a chosen zone to a node group that spans several.
     */
    zoneSpread: "required" | "preferred";
}

export const WORKLOAD_KEYS = ["replicas", "autoscaling", "resources", "rollout", "shutdown", "startupTimeoutSeconds", "podIdentity", "env", "runAsUser", "runAsGroup", "zoneSpread"] as const;

/** The top-level `workloads:` section. */
export interface WorkloadsConfig {
    /** The application namespace (default `iam`); Pod Security `restricted` is enforced in it. */
    namespace: string;
}

export const WORKLOADS_KEYS = ["namespace"] as const;

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CPU = /^([1-9]\d*m|\d+(\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d*(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const PERCENT = /^([1-9]\d?|100)%$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;
const POLICY_ARN = /^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function readWorkloads(f: Fields): WorkloadsConfig {
    const namespace = f.string("namespace", { default: WORKLOADS_DEFAULTS.namespace, pattern: DNS_LABEL, expected: "a DNS label (lowercase letters, digits, '-', <= 63)" });
    if (RESERVED_NAMESPACES.includes(namespace)) {
        f.issues.add(f.at("namespace"), `must not be ${namespace}: the workloads get a namespace of their own with Pod Security restricted enforced`);
    }
    return { namespace };
}

/**
 * Reads one service's `workload:` block (absent: all defaults). `kind` picks
 * the shutdown defaults; `stores` are the service's data stores, whose
 * connection keys `env` must not shadow.
 */
export function readWorkload(f: Fields, kind: "http" | "worker", environment: Environment, stores: readonly DataStore[]): WorkloadConfig {
    const floor = ENVIRONMENT_DEFAULTS[environment].minReplicas;
    const replicas = f.object("replicas", ["min", "max"], (r) => {
        const min = r.int("min", { default: floor, min: 1, max: 1000 });
        const max = r.int("max", { default: Math.max(WORKLOAD_DEFAULTS.maxReplicas, min), min: 1, max: 1000 });
        if (min < floor) {
            r.issues.add(r.at("min"), `(${min}) must be >= ${floor} in ${environment}: one pod is down during every node drain or zone outage`);
        }
        if (min > max) {
            r.issues.add(r.at("min"), `(${min}) must be <= max (${max})`);
        }
        return { min, max };
    }, { optional: true });
    const autoscaling = f.object("autoscaling", ["targetCpuUtilization", "targetMemoryUtilization", "scaleDownStabilizationSeconds"], (a) => ({
        targetCpuUtilization: a.int("targetCpuUtilization", { default: WORKLOAD_DEFAULTS.targetCpuUtilization, min: 10, max: 100 }),
        targetMemoryUtilization: a.optionalInt("targetMemoryUtilization", { min: 10, max: 100 }),
        scaleDownStabilizationSeconds: a.int("scaleDownStabilizationSeconds", { default: WORKLOAD_DEFAULTS.scaleDownStabilizationSeconds, min: 0, max: 3600 }),
    }), { optional: true });
    const resources = f.object("resources", ["cpu", "memory", "memoryLimit"], (r) => {
        const cpu = r.string("cpu", { default: WORKLOAD_DEFAULTS.cpu, pattern: CPU, expected: "a CPU quantity like 250m or 1.5" });
        const memory = r.string("memory", { default: WORKLOAD_DEFAULTS.memory, pattern: MEMORY, expected: "a memory quantity like 256Mi or 1Gi" });
        const memoryLimit = r.string("memoryLimit", { default: memory, pattern: MEMORY, expected: "a memory quantity like 512Mi or 1Gi" });
        if (CPU.test(cpu) && cpuMillis(cpu) === 0) {
            r.issues.add(r.at("cpu"), "must be more than 0: the HPA's CPU target is a percentage of it");
        }
        if (MEMORY.test(memory) && MEMORY.test(memoryLimit) && memoryBytes(memoryLimit) < memoryBytes(memory)) {
            r.issues.add(r.at("memoryLimit"), `(${memoryLimit}) must be >= memory (${memory})`);
        }
        return { cpu, memory, memoryLimit };
    }, { optional: true });
    const rollout = f.object("rollout", ["maxSurge", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"], (r) => {
        const minReadySeconds = r.int("minReadySeconds", { default: WORKLOAD_DEFAULTS.minReadySeconds, min: 0, max: 600 });
        const progressDeadlineSeconds = r.int("progressDeadlineSeconds", { default: WORKLOAD_DEFAULTS.progressDeadlineSeconds, min: 60, max: 3600 });
        if (progressDeadlineSeconds <= minReadySeconds) {
            r.issues.add(r.at("progressDeadlineSeconds"), `(${progressDeadlineSeconds}) must be > minReadySeconds (${minReadySeconds})`);
        }
        return {
            maxSurge: readMaxSurge(r),
            minReadySeconds,
            revisionHistoryLimit: r.int("revisionHistoryLimit", { default: WORKLOAD_DEFAULTS.revisionHistoryLimit, min: 1, max: 50 }),
            progressDeadlineSeconds,
        };
    }, { optional: true });
    const shutdown = f.object("shutdown", ["preStopSleepSeconds", "terminationGracePeriodSeconds"], (s) => {
        const defaults = WORKLOAD_DEFAULTS[kind];
        const preStopSleepSeconds = s.int("preStopSleepSeconds", { default: defaults.preStopSleepSeconds, min: kind === "http" ? 1 : 0, max: 300 });
        const terminationGracePeriodSeconds = s.int("terminationGracePeriodSeconds", { default: Math.max(defaults.terminationGracePeriodSeconds, preStopSleepSeconds + 1), min: 1, max: 3600 });
        if (terminationGracePeriodSeconds <= preStopSleepSeconds) {
            s.issues.add(s.at("terminationGracePeriodSeconds"), `(${terminationGracePeriodSeconds}) must be > preStopSleepSeconds (${preStopSleepSeconds}): the grace period includes the sleep, and in-flight work needs time after it`);
        }
        return { preStopSleepSeconds, terminationGracePeriodSeconds };
    }, { optional: true });
    const startupTimeoutSeconds = f.int("startupTimeoutSeconds", { default: WORKLOAD_DEFAULTS.startupTimeoutSeconds, min: 10, max: 3600 });
    const podIdentity = f.optionalObject("podIdentity", ["policyArns"], (i) => {
        const policyArns = i.list("policyArns", (item, path) => readString(item, path, i.issues, { pattern: POLICY_ARN, expected: "an IAM policy ARN like arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }), { minItems: 1, maxItems: 10 });
        // Attachments are named after the policy name, so two ARNs with one name would collide.
        checkUnique(policyArns, (arn) => arn.slice(arn.lastIndexOf("/") + 1), (n) => `${i.at("policyArns")}[${n}]`, i.issues, "policy name");
        return { policyArns };
    });
    const env = f.stringMap("env", { keyPattern: ENV_NAME, expected: "an environment variable name (letters, digits, '_', not starting with a digit)" });
    const storeKeys = new Set(stores.flatMap((s) => [...STORE_CONNECTIONS[s].configKeys, ...STORE_CONNECTIONS[s].secretKeys]));
    for (const key of Object.keys(env)) {
        if (storeKeys.has(key)) {
            f.issues.add(`${f.at("env")}.${key}`, "is set by the data tier's connection ConfigMap/Secret and must not be overridden here");
        } else if (SECRET_LOOKING.test(key)) {
            f.issues.add(`${f.at("env")}.${key}`, "looks like a credential: credentials come only from Secrets, never from stack config in plain text");
        }
    }
    const runAsUser = f.int("runAsUser", { default: WORKLOAD_DEFAULTS.runAsUser, min: 1, max: 2147483647 });
    const runAsGroup = f.int("runAsGroup", { default: WORKLOAD_DEFAULTS.runAsGroup, min: 1, max: 2147483647 });
    const zoneSpread = f.string("zoneSpread", { default: WORKLOAD_DEFAULTS.zoneSpread, oneOf: ["required", "preferred"] as const });
    return { replicas, autoscaling, resources, rollout, shutdown, startupTimeoutSeconds, podIdentity, env, runAsUser, runAsGroup, zoneSpread };
}

function readMaxSurge(r: Fields): number | string {
    if (!r.has("maxSurge")) {
        return WORKLOAD_DEFAULTS.maxSurge;
    }
    const value = r.value("maxSurge");
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 100) {
        return value;
    }
    if (typeof value === "string" && PERCENT.test(value)) {
        return value;
    }
    r.issues.add(r.at("maxSurge"), `must be a pod count 1-100 or a percentage 1%-100% (never 0: maxUnavailable is 0, so a rollout needs a surge), got ${show(value)}`);
    return WORKLOAD_DEFAULTS.maxSurge;
}

/** A CPU quantity (validated) in millicores. */
export function cpuMillis(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

const MEMORY_UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A memory quantity (validated) in bytes. */
export function memoryBytes(quantity: string): number {
    const match = /^(\d+)([A-Za-z]*)$/.exec(quantity);
    if (!match) {
        throw new Error(`not a memory quantity: ${quantity}`);
    }
    return Number(match[1]) * MEMORY_UNITS[match[2]];
}

/**
 * A draining target must not outlive the pods behind it: the load balancer's
 * deregistration delay (how long it keeps in-flight requests on a leaving
 * target) must be shorter than each public service's shutdown window. The
 * window is `terminationGracePeriodSeconds`, which already contains the
 * preStop sleep (Kubernetes counts the grace period from the moment the hook
 * starts), so "preStop sleep + grace after it" is exactly that number.
 */
export function checkDrainTimings(deregistrationDelaySeconds: number, services: readonly { name: string; public?: unknown; workload: WorkloadConfig }[], issues: ConfigIssues): void {
    services.forEach((service, i) => {
        if (!service.public) {
            return;
        }
        const { preStopSleepSeconds, terminationGracePeriodSeconds } = service.workload.shutdown;
        if (deregistrationDelaySeconds >= terminationGracePeriodSeconds) {
            issues.add(
                "edge.deregistrationDelaySeconds",
                `(${deregistrationDelaySeconds}) must be shorter than services[${i}].workload.shutdown.terminationGracePeriodSeconds (${terminationGracePeriodSeconds}) of ${service.name}: ` +
                    `the pod's preStop sleep (${preStopSleepSeconds}) plus the grace after it must outlast the load balancer's draining`,
            );
        }
    });
}

/** Every workload default for a kind in an environment (for code and tests that build a `ServiceSpec` by hand). */
export function defaultWorkloadConfig(kind: "http" | "worker", environment: Environment): WorkloadConfig {
    const issues = new ConfigIssues();
    const config = readWorkload(Fields.of({}, "workload", issues, WORKLOAD_KEYS), kind, environment, []);
    if (issues.count > 0) {
        throw new Error(`the workload defaults are invalid: ${issues.list.join("; ")}`);
    }
    return config;
}

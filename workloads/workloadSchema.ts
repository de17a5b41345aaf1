/**
 * The `workload:` block of a catalog entry, declared once: replicas,
 * autoscaling, resources, rollout, shutdown, Pod Identity role, env, user. Its defaults
 * depend on the service's kind (an HTTP service sleeps before it stops, a
 * worker does not) and the environment (the replica floor), so the schema is
 * a function of both.
 */
import { z } from "zod";
import { matching, report, reportDuplicates, stringMap, whenValid, wholeNumber } from "../lib/configSchema";
import { Environment, ENVIRONMENT_DEFAULTS } from "../lib/environment";
import { show } from "../lib/reader";
import { WORKLOAD_DEFAULTS } from "./defaults";

const CPU = /^([1-9]\d*m|\d+(\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d*(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const PERCENT = /^([1-9]\d?|100)%$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;
const POLICY_ARN = /^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;

export type ServiceKind = "http" | "worker";

const surgeError = (issue: { input?: unknown }): string =>
    `must be a pod count 1-100 or a percentage 1%-100% (never 0: maxUnavailable is 0, so a rollout needs a surge), got ${show(issue.input)}`;

/** The `workload:` block of a service of `kind` in `environment`. */
export function workloadSchema(kind: ServiceKind, environment: Environment) {
    const floor = ENVIRONMENT_DEFAULTS[environment].minReplicas;
    const shutdownDefaults = WORKLOAD_DEFAULTS[kind];
    return z
        .strictObject({
            replicas: z
                .strictObject({
                    min: wholeNumber(1, 1000)
                        .refine((n) => n >= floor, {
                            error: (i) => `(${String(i.input)}) must be >= ${floor} in ${environment}: one pod is down during every node drain or zone outage`,
                        })
                        .default(floor)
                        .meta({ description: "HPA minimum. Default and floor: 2 in prod, 1 in staging." }),
                    max: wholeNumber(1, 1000)
                        .optional()
                        .meta({ description: `HPA maximum, >= min. Default ${WORKLOAD_DEFAULTS.maxReplicas} (or min, when larger).` }),
                })
                .superRefine(
                    (r, c) => {
                        if (r.max !== undefined && r.min > r.max) report(c, ["min"], `(${r.min}) must be <= max (${r.max})`);
                    },
                    { when: whenValid("min", "max") },
                )
                .transform((r) => ({ min: r.min, max: r.max ?? Math.max(WORKLOAD_DEFAULTS.maxReplicas, r.min) }))
                .prefault({})
                .meta({ description: "HPA bounds." }),
            autoscaling: z
                .strictObject({
                    targetCpuUtilization: wholeNumber(10, 100)
                        .default(WORKLOAD_DEFAULTS.targetCpuUtilization)
                        .meta({ description: "Average CPU use, in percent of the request, the HPA keeps. Default 70." }),
                    targetMemoryUtilization: wholeNumber(10, 100).optional().meta({ description: "Average memory use, in percent of the request; no memory target when absent." }),
                    scaleDownStabilizationSeconds: wholeNumber(0, 3600)
                        .default(WORKLOAD_DEFAULTS.scaleDownStabilizationSeconds)
                        .meta({ description: "How long the HPA waits at a lower recommendation before it removes pods. Default 300." }),
                })
                .prefault({})
                .meta({ description: "How the HPA scales." }),
            resources: z
                .strictObject({
                    cpu: matching(CPU, "a CPU quantity like 250m or 1.5")
                        .refine((cpu) => cpuMillis(cpu) > 0, { error: "must be more than 0: the HPA's CPU target is a percentage of it" })
                        .default(WORKLOAD_DEFAULTS.cpu)
                        .meta({ description: "CPU request. Default 250m. No CPU limit (docs/workloads.md)." }),
                    memory: matching(MEMORY, "a memory quantity like 256Mi or 1Gi").default(WORKLOAD_DEFAULTS.memory).meta({ description: "Memory request. Default 256Mi." }),
                    memoryLimit: matching(MEMORY, "a memory quantity like 512Mi or 1Gi")
                        .optional()
                        .meta({ description: "Memory limit, >= memory. Default: the memory request (memory cannot be throttled, only OOM-killed)." }),
                })
                .superRefine(
                    (r, c) => {
                        if (r.memoryLimit !== undefined && memoryBytes(r.memoryLimit) < memoryBytes(r.memory)) {
                            report(c, ["memoryLimit"], `(${r.memoryLimit}) must be >= memory (${r.memory})`);
                        }
                    },
                    { when: whenValid("memory", "memoryLimit") },
                )
                .transform((r) => ({ cpu: r.cpu, memory: r.memory, memoryLimit: r.memoryLimit ?? r.memory }))
                .prefault({})
                .meta({ description: "Requests and the memory limit." }),
            rollout: z
                .strictObject({
                    maxSurge: z
                        .union(
                            [
                                z.int({ error: surgeError }).min(1, { error: surgeError }).max(100, { error: surgeError }),
                                z.string({ error: surgeError }).regex(PERCENT, { error: surgeError }),
                            ],
                            { error: surgeError },
                        )
                        .default(WORKLOAD_DEFAULTS.maxSurge)
                        .meta({ description: "Extra pods during a rollout: a count >= 1 or a percentage. Default 25%." }),
                    minReadySeconds: wholeNumber(0, 600)
                        .default(WORKLOAD_DEFAULTS.minReadySeconds)
                        .meta({ description: "A new pod must stay ready this long before it counts as available. Default 10." }),
                    revisionHistoryLimit: wholeNumber(1, 50)
                        .default(WORKLOAD_DEFAULTS.revisionHistoryLimit)
                        .meta({ description: "Old ReplicaSets kept for `kubectl rollout undo`. Default 5." }),
                    progressDeadlineSeconds: wholeNumber(60, 3600)
                        .default(WORKLOAD_DEFAULTS.progressDeadlineSeconds)
                        .meta({ description: "A rollout that makes no progress this long is reported failed; > minReadySeconds. Default 600." }),
                })
                .superRefine(
                    (r, c) => {
                        if (r.progressDeadlineSeconds <= r.minReadySeconds) {
                            report(c, ["progressDeadlineSeconds"], `(${r.progressDeadlineSeconds}) must be > minReadySeconds (${r.minReadySeconds})`);
                        }
                    },
                    { when: whenValid("minReadySeconds", "progressDeadlineSeconds") },
                )
                .prefault({})
                .meta({ description: "How a new version replaces the old one." }),
            shutdown: z
                .strictObject({
                    preStopSleepSeconds: wholeNumber(kind === "http" ? 1 : 0, 300)
                        .default(shutdownDefaults.preStopSleepSeconds)
                        .meta({
                            description: "The pod keeps serving this long after it is told to stop, while it leaves every Service. HTTP: 1-300, default 15; workers: default 0.",
                        }),
                    terminationGracePeriodSeconds: wholeNumber(1, 3600)
                        .optional()
                        .meta({ description: "The whole shutdown window, preStop sleep included; > preStopSleepSeconds. Default 60 (HTTP), 120 (workers)." }),
                })
                .superRefine(
                    (s, c) => {
                        if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds <= s.preStopSleepSeconds) {
                            report(
                                c,
                                ["terminationGracePeriodSeconds"],
                                `(${s.terminationGracePeriodSeconds}) must be > preStopSleepSeconds (${s.preStopSleepSeconds}): the grace period includes the sleep, and in-flight work needs time after it`,
                            );
                        }
                    },
                    { when: whenValid("preStopSleepSeconds", "terminationGracePeriodSeconds") },
                )
                .transform((s) => ({
                    preStopSleepSeconds: s.preStopSleepSeconds,
                    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds ?? Math.max(shutdownDefaults.terminationGracePeriodSeconds, s.preStopSleepSeconds + 1),
                }))
                .prefault({})
                .meta({ description: "How a pod stops." }),
            startupTimeoutSeconds: wholeNumber(10, 3600)
                .default(WORKLOAD_DEFAULTS.startupTimeoutSeconds)
                .meta({ description: "The time a pod gets to pass its first health check before it is restarted. Default 120." }),
            podIdentity: z
                .strictObject({
                    policyArns: z
                        .array(matching(POLICY_ARN, "an IAM policy ARN like arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))
                        .min(1)
                        .max(10)
                        // Attachments are named after the policy name, so two ARNs with one name would collide.
                        .superRefine((arns, c) =>
                            reportDuplicates(
                                c,
                                arns,
                                (arn) => arn.slice(arn.lastIndexOf("/") + 1),
                                (n) => [n],
                                "policy name",
                                (n) => `policyArns[${n}]`,
                            ),
                        )
                        .meta({ description: "Managed policies attached to the role, 1-10, with distinct policy names (each attachment is named after its policy)." }),
                })
                .optional()
                .meta({ description: "An IAM role for the pods (EKS Pod Identity), with these managed policies; none when absent." }),
            env: stringMap(ENV_NAME, "an environment variable name (letters, digits, '_', not starting with a digit)")
                .superRefine((env, c) => {
                    for (const key of Object.keys(env)) {
                        if (SECRET_LOOKING.test(key)) {
                            report(c, [key], "looks like a credential: credentials come only from Secrets, never from stack config in plain text");
                        }
                    }
                })
                .default({})
                .meta({
                    description:
                        "Non-secret environment variables, delivered in a ConfigMap. For an IAM binary each must name one of its options as viper reads env (IAM_<BINARY>_<OPTION>, e.g. IAM_APISERVER_LOG_LEVEL for log.level) and not one its config file sets from the stack (binds, stores, certificates: docs/workloads.md). Credentials never go here: names like *PASSWORD*, *SECRET*, *TOKEN* are refused, and so are the store connection keys the data tier sets (MARIADB_HOST, ...).",
                }),
            runAsUser: wholeNumber(1, 2147483647)
                .default(WORKLOAD_DEFAULTS.runAsUser)
                .meta({ description: "The fixed non-root user the containers run as. Default 65532 (distroless nonroot)." }),
            runAsGroup: wholeNumber(1, 2147483647).default(WORKLOAD_DEFAULTS.runAsGroup).meta({ description: "The fixed group. Default 65532." }),
            zoneSpread: z.enum(["required", "preferred"]).default(WORKLOAD_DEFAULTS.zoneSpread).meta({
                description:
                    "`preferred` (default) schedules a pod even when the zone spread cannot be kept; `required` leaves it Pending instead (only with one node group per zone).",
            }),
        })
        .prefault({});
}

export type WorkloadConfig = z.output<ReturnType<typeof workloadSchema>>;

/** Every workload default for a kind in an environment (for code and tests that build a `ServiceSpec` by hand). */
export function defaultWorkloadConfig(kind: ServiceKind, environment: Environment): WorkloadConfig {
    return workloadSchema(kind, environment).parse(undefined);
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

/**
 * Scheduled pod floors, pure: the night/weekend scale-down in Karpenter mode.
 * Karpenter has no auto-scaling group to resize on a schedule; it removes a
 * node once its pods fit elsewhere (consolidation). So the schedule lowers
 * the pods' floors instead: a CronJob per action sets each HPA's
 * `minReplicas`, the HPAs drop to the lower floor when load allows, and
 * consolidation removes the nodes that empties. A later action (without
 * `minReplicas`) puts the configured floors back.
 *
 * Why a CronJob with kubectl and not KEDA's cron scaler: KEDA would take
 * over every HPA (a ScaledObject owns it), add a controller, its CRDs and
 * webhooks to the cluster, and change the workloads; the CronJob is two
 * objects per action, with a Role that can only get and patch the named
 * HPAs. What it costs: a `pulumi up` inside a low window sets the configured
 * floors again until the next action (docs/cluster.md).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { PodFloorSchedule } from "./karpenterSchema";

/** One HPA of the application namespace and the floor the config gives it. */
export interface HpaFloor {
    name: string;
    minReplicas: number;
}

/** The floor each HPA gets from `schedule`: never above its configured one. */
export function floorsAt(schedule: PodFloorSchedule, hpas: readonly HpaFloor[]): HpaFloor[] {
    const lowered = schedule.minReplicas;
    return hpas.map((h) => ({ name: h.name, minReplicas: lowered === undefined ? h.minReplicas : Math.min(h.minReplicas, lowered) }));
}

/** The service account the CronJobs run as; its Role can get and patch the listed HPAs only. */
export const POD_FLOORS_SERVICE_ACCOUNT = "pod-floors";
/** The CronJobs' namespace: not the application namespace, whose default-deny egress would cut them off the API server. */
export const POD_FLOORS_NAMESPACE = "pod-floors";

/**
 * The CronJob spec of one action: one container per HPA, each a single
 * `kubectl patch` of `spec.minReplicas` (the kubectl image has no shell).
 * No overlap, no catch-up storm, a short history; on the system nodes (it
 * must not make Karpenter start a node at night), restricted pod security.
 */
export function podFloorCronJobSpec(schedule: PodFloorSchedule, hpas: readonly HpaFloor[], args: { namespace: string; image: string }): k8s.types.input.batch.v1.CronJobSpec {
    const floors = floorsAt(schedule, hpas);
    return {
        schedule: schedule.recurrence,
        timeZone: schedule.timeZone,
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
            spec: {
                backoffLimit: 3,
                activeDeadlineSeconds: 300,
                template: {
                    metadata: { labels: { app: "pod-floors", "iam/action": schedule.name } },
                    spec: {
                        serviceAccountName: POD_FLOORS_SERVICE_ACCOUNT,
                        restartPolicy: "OnFailure",
                        priorityClassName: "system-cluster-critical",
                        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
                        affinity: {
                            nodeAffinity: {
                                requiredDuringSchedulingIgnoredDuringExecution: {
                                    nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
                                },
                            },
                        },
                        securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                        containers: floors.map((f) => ({
                            name: `patch-${f.name}`.slice(0, 63).replace(/-+$/, ""),
                            image: args.image,
                            command: [
                                "/bin/kubectl",
                                "patch",
                                "horizontalpodautoscaler",
                                f.name,
                                "--namespace",
                                args.namespace,
                                "--type",
                                "merge",
                                "--patch",
                                JSON.stringify({ spec: { minReplicas: f.minReplicas } }),
                            ],
                            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        })),
                    },
                },
            },
        },
    };
}

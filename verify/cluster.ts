/**
 * The cluster, read through the Kubernetes API (`KubeReader`): every
 * Deployment available at its desired count, no container restarting in a
 * loop, every HPA reading current metrics, Karpenter's NodePools ready, the
 * ExternalSecrets synced, the schema Job complete. Field names are the
 * Kubernetes API's (apps/v1 DeploymentStatus, core/v1 ContainerStatus,
 * autoscaling/v2 HorizontalPodAutoscalerStatus and its `ScalingActive`
 * condition, karpenter.sh/v1 NodePool `Ready`, external-secrets.io/v1
 * ExternalSecret `Ready`, batch/v1 Job `Complete`/`Failed`).
 */
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";

interface Condition {
    type: string;
    status: string;
    reason?: string;
    message?: string;
}
interface Meta {
    name: string;
    namespace?: string;
    generation?: number;
}
interface List<T> {
    items: T[];
}
interface Deployment {
    metadata: Meta;
    spec?: { replicas?: number };
    status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}
interface ContainerStatus {
    name: string;
    restartCount: number;
    state?: { waiting?: { reason?: string } };
    lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
}
interface Pod {
    metadata: Meta;
    status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}
interface Hpa {
    metadata: Meta;
    status?: { currentMetrics?: unknown[] | null; conditions?: Condition[] };
}
interface WithConditions {
    metadata: Meta;
    status?: { conditions?: Condition[] };
}

/** A container restarted this many times, the last time within the window, is looping even between CrashLoopBackOff waits. */
export const RESTART_LOOP = { restarts: 3, windowMinutes: 15 };

const ref = (m: Meta): string => (m.namespace ? `${m.namespace}/${m.name}` : m.name);
const condition = (o: WithConditions, type: string): Condition | undefined => o.status?.conditions?.find((c) => c.type === type);
const why = (c: Condition | undefined): string =>
    c ? `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ""}${c.message ? `: ${c.message.slice(0, 120)}` : ""}` : "no status yet";

async function list<T>(ctx: VerifyContext, path: string): Promise<T[] | undefined> {
    return (await ctx.kube.get<List<T>>(path))?.items;
}

function deployments(items: Deployment[]): CheckResult {
    const bad = items.flatMap((d) => {
        const want = d.spec?.replicas ?? 1;
        const s = d.status ?? {};
        const stale = (s.observedGeneration ?? 0) < (d.metadata.generation ?? 0);
        const ok = !stale && (s.availableReplicas ?? 0) >= want && (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) === want;
        return ok ? [] : [`${ref(d.metadata)} ${s.availableReplicas ?? 0}/${want} available, ${s.updatedReplicas ?? 0} updated${stale ? ", rollout not observed" : ""}`];
    });
    return bad.length === 0
        ? pass("cluster.deployments", "cluster", `${items.length} Deployments available at their desired count`)
        : fail("cluster.deployments", "cluster", bad.join("; "));
}

function restarts(items: Pod[], now: Date): CheckResult {
    const since = now.getTime() - RESTART_LOOP.windowMinutes * 60_000;
    const bad = items.flatMap((p) =>
        [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].flatMap((c) => {
            const finished = c.lastState?.terminated?.finishedAt;
            const recent = finished !== undefined && new Date(finished).getTime() >= since;
            const looping = c.state?.waiting?.reason === "CrashLoopBackOff" || (c.restartCount >= RESTART_LOOP.restarts && recent);
            const last = c.lastState?.terminated;
            return looping
                ? [
                      `${ref(p.metadata)} container ${c.name}: ${c.state?.waiting?.reason ?? "restarting"}, ${c.restartCount} restarts${last ? `, last exit ${last.exitCode} ${last.reason ?? ""}`.trimEnd() : ""}`,
                  ]
                : [];
        }),
    );
    return bad.length === 0 ? pass("cluster.restarts", "cluster", `${items.length} pods, no container restarting in a loop`) : fail("cluster.restarts", "cluster", bad.join("; "));
}

function hpas(items: Hpa[]): CheckResult {
    const bad = items.flatMap((h) => {
        const active = condition(h, "ScalingActive");
        const metrics = h.status?.currentMetrics ?? [];
        return active?.status === "True" && metrics.length > 0 ? [] : [`${ref(h.metadata)} ${why(active)}, ${metrics.length} current metrics`];
    });
    return bad.length === 0 ? pass("cluster.hpa", "cluster", `${items.length} HPAs reading current metrics`) : fail("cluster.hpa", "cluster", bad.join("; "));
}

function ready(check: string, what: string, items: WithConditions[], type: string): CheckResult {
    const bad = items.filter((o) => condition(o, type)?.status !== "True").map((o) => `${ref(o.metadata)} ${why(condition(o, type))}`);
    return bad.length === 0 ? pass(check, "cluster", `${items.length} ${what} ${type}`) : fail(check, "cluster", bad.join("; "));
}

function schemaJob(items: WithConditions[], namespace: string): CheckResult {
    const jobs = items.filter((j) => j.metadata.name.includes("schema"));
    if (jobs.length === 0) {
        // A finished Job may be gone (ttlSecondsAfterFinished): absent is not a failure; a failed one is.
        return pass("cluster.schemaJob", "cluster", `no schema Job in ${namespace} (none left after completion)`);
    }
    const bad = jobs.filter((j) => condition(j, "Complete")?.status !== "True").map((j) => `${ref(j.metadata)} ${why(condition(j, "Failed") ?? condition(j, "Complete"))}`);
    return bad.length === 0
        ? pass("cluster.schemaJob", "cluster", `${jobs.map((j) => ref(j.metadata)).join(", ")} Complete`)
        : fail("cluster.schemaJob", "cluster", bad.join("; "));
}

export async function clusterChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const ns = ctx.outputs.appNamespace;
    const karpenter = ctx.outputs.verify.karpenter;
    const steps: [string, () => Promise<CheckResult>][] = [
        ["cluster.deployments", async () => deployments((await list<Deployment>(ctx, "/apis/apps/v1/deployments")) ?? [])],
        ["cluster.restarts", async () => restarts((await list<Pod>(ctx, "/api/v1/pods")) ?? [], ctx.now())],
        ["cluster.hpa", async () => hpas((await list<Hpa>(ctx, `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`)) ?? [])],
        [
            "cluster.nodePools",
            async () => {
                const pools = await list<WithConditions>(ctx, "/apis/karpenter.sh/v1/nodepools");
                if (!karpenter) return pass("cluster.nodePools", "cluster", "Karpenter not used by this stack (cluster.autoscaler)");
                if (!pools || pools.length === 0) return fail("cluster.nodePools", "cluster", "no Karpenter NodePool found (karpenter.sh/v1)");
                return ready("cluster.nodePools", "NodePools", pools, "Ready");
            },
        ],
        [
            "cluster.externalSecrets",
            async () =>
                ready(
                    "cluster.externalSecrets",
                    "ExternalSecrets",
                    (await list<WithConditions>(ctx, `/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets`)) ?? [],
                    "Ready",
                ),
        ],
        ["cluster.schemaJob", async () => schemaJob((await list<WithConditions>(ctx, `/apis/batch/v1/namespaces/${ns}/jobs`)) ?? [], ns)],
    ];
    const results: CheckResult[] = [];
    for (const [check, run] of steps) {
        results.push(await run().catch((error: unknown) => fail(check, "cluster", `cannot read the Kubernetes API: ${errorText(error)}`)));
    }
    return results;
}

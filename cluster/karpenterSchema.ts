/**
 * The node autoscaler's config, declared once as zod schemas (read by
 * cluster/config.ts through lib/zodSection.ts): `cluster.autoscaler` picks
 * Karpenter (default) or the cluster-autoscaler, and `cluster.karpenter`
 * holds Karpenter's EC2NodeClasses, NodePools and the scheduled pod floors
 * that let consolidation remove nodes at night. Pure: no Pulumi.
 */
import { z } from "zod";
import { cronProblem, timeZoneProblem } from "./schedule";
import { DNS_LABEL } from "./nodeGroupSchema";

/** Karpenter's duration syntax (`consolidateAfter`, `expireAfter`): e.g. 30s, 15m, 720h, 1h30m. */
const DURATION = /^([0-9]+(s|m|h))+$/;
/** A budget's duration: minutes and hours only (Karpenter's CRD: cron has no seconds). */
const BUDGET_DURATION = /^(([0-9]+(h|m))|([0-9]+h[0-9]+m))$/;
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const MEMORY = /^[1-9][0-9]{0,6}Gi$/;
const INSTANCE_FAMILY = /^[a-z][a-z0-9-]*$/;
const INSTANCE_SIZE = /^(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/**
 * A NodePool's `template.spec.terminationGracePeriod` (karpenter.sh/v1, pattern
 * `^([0-9]+(s|m|h))+$` in pkg/apis/crds/karpenter.sh_nodepools.yaml): the
 * drain deadline. Default 2h; at least 1h, the longest shutdown a workload may
 * ask for (workloads/workloadSchema.ts allows terminationGracePeriodSeconds up
 * to 3600), so no pod is cut short of its own grace period by the deadline.
 */
export const DEFAULT_TERMINATION_GRACE_PERIOD = "2h";
const MIN_TERMINATION_GRACE_SECONDS = 3600;

/** Seconds in a Karpenter duration like 1h30m or 90s (already matched against DURATION). */
export function durationSeconds(duration: string): number {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600 };
    return [...duration.matchAll(/([0-9]+)(s|m|h)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** Which controller adds and removes nodes. */
export const AUTOSCALERS = ["karpenter", "cluster-autoscaler"] as const;
export type Autoscaler = (typeof AUTOSCALERS)[number];

export const autoscalerSchema = z
    .enum(AUTOSCALERS, { error: `must be one of ${AUTOSCALERS.join(", ")}` })
    .default("karpenter")
    .meta({ description: "Node autoscaler: karpenter (NodePools, default) or cluster-autoscaler (resizes the managed node groups)." });

const cron = z.string().superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});

const nodeClassSchema = z.strictObject({
    name: z
        .string()
        .regex(DNS_LABEL, { error: "must be a DNS label (lowercase letters, digits, '-')" })
        .meta({ description: "The EC2NodeClass's name; NodePools refer to it. Renaming replaces every node of the pools using it." }),
    amiFamily: z
        .enum(["AL2023", "Bottlerocket"], { error: "must be AL2023 or Bottlerocket" })
        .default("AL2023")
        .meta({ description: "Node OS: AL2023 (default) or Bottlerocket; the image version is pinned in cluster/catalog.ts (NODE_IMAGE_ALIASES)." }),
    diskSizeGiB: z
        .int({ error: "must be a whole number of GiB" })
        .min(20, { error: "must be at least 20 GiB" })
        .max(16384, { error: "must be at most 16384 GiB (gp3 limit)" })
        .default(50)
        .meta({ description: "Root volume size (encrypted gp3). Changing it replaces the nodes (drift)." }),
});

const budgetSchema = z
    .strictObject({
        nodes: z
            .string()
            .regex(BUDGET_NODES, { error: 'must be a node count like "1" or a percentage like "10%"' })
            .meta({ description: 'Most nodes of the pool disrupted at once while the budget is active ("0" blocks voluntary disruption).' }),
        reasons: z
            .array(z.enum(["Underutilized", "Empty", "Drifted"], { error: "must be Underutilized, Empty or Drifted" }))
            .min(1)
            .optional()
            .meta({ description: "The disruption reasons it limits; all when absent." }),
        schedule: cron.optional().meta({ description: "When it starts being active: five-field cron in UTC (Karpenter has no time zones); with duration." }),
        duration: z
            .string()
            .regex(BUDGET_DURATION, { error: "must be minutes or hours like 30m, 8h or 1h30m" })
            .optional()
            .meta({ description: "How long it stays active after each schedule hit; with schedule." }),
    })
    .refine((b) => (b.schedule === undefined) === (b.duration === undefined), { error: "needs both schedule and duration, or neither" });

const nodePoolSchema = z.strictObject({
    name: z
        .string()
        .regex(DNS_LABEL, { error: "must be a DNS label (lowercase letters, digits, '-')" })
        .meta({ description: "The NodePool's name (and the `karpenter.sh/nodepool` label of its nodes)." }),
    nodeClass: z.string().default("default").meta({ description: "The EC2NodeClass (cluster.karpenter.nodeClasses[].name) its nodes use." }),
    instanceCategories: z
        .array(z.enum(["c", "m", "r", "t"], { error: "must be c, m, r or t" }))
        .min(1, { error: "must list at least one category" })
        .default(["c", "m", "r"])
        .meta({ description: "EC2 instance categories (c compute, m general, r memory, t burstable)." }),
    instanceFamilies: z
        .array(z.string().regex(INSTANCE_FAMILY, { error: "must be an EC2 instance family like m7i or c7g" }))
        .min(1)
        .optional()
        .meta({ description: "Only these instance families (e.g. m7i, m7g); any of the categories when absent." }),
    instanceSizes: z
        .array(z.string().regex(INSTANCE_SIZE, { error: "must be an EC2 size like large or 2xlarge" }))
        .min(1)
        .default(["large", "xlarge", "2xlarge"])
        .meta({ description: "Instance sizes allowed: small nodes waste less, big ones fit big pods." }),
    minimumGeneration: z.int().min(1).max(99).default(5).meta({ description: "Oldest instance generation allowed (karpenter.k8s.aws/instance-generation > n-1)." }),
    architectures: z
        .array(z.enum(["amd64", "arm64"], { error: "must be amd64 or arm64" }))
        .min(1, { error: "must list at least one architecture" })
        .default(["amd64"])
        .meta({ description: "CPU architectures; the images must be published for each one listed." }),
    capacityTypes: z
        .array(z.enum(["on-demand", "spot"], { error: "must be on-demand or spot" }))
        .min(1, { error: "must list at least one capacity type" })
        .default(["on-demand"])
        .meta({ description: "on-demand (default) and/or spot; with both, Karpenter prefers spot and falls back to on-demand." }),
    limits: z
        .strictObject(
            {
                cpu: z
                    .int({ error: "must be a whole number of vCPUs" })
                    .min(1, { error: "must be at least 1 vCPU" })
                    .max(10000)
                    .meta({ description: "Most vCPUs the pool's nodes may have in total: the spending cap." }),
                memory: z.string().regex(MEMORY, { error: "must be a memory size in Gi like 256Gi" }).meta({ description: "Most memory the pool's nodes may have in total." }),
            },
            { error: "must be an object with cpu and memory" },
        )
        .meta({ description: "The pool's total size cap; Karpenter launches nothing beyond it." }),
    consolidation: z
        .strictObject({
            policy: z
                .enum(["WhenEmpty", "WhenEmptyOrUnderutilized"], { error: "must be WhenEmpty or WhenEmptyOrUnderutilized" })
                .default("WhenEmptyOrUnderutilized")
                .meta({ description: "WhenEmptyOrUnderutilized (default) also replaces or removes busy nodes whose pods fit elsewhere." }),
            consolidateAfter: z
                .string()
                .regex(DURATION, { error: "must be a duration like 30s, 5m or 1h" })
                .default("1m")
                .meta({ description: "How long a node must stay consolidatable before Karpenter acts." }),
        })
        .default({ policy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" })
        .meta({ description: "When Karpenter removes or replaces nodes to save money." }),
    budgets: z
        .array(budgetSchema)
        .min(1)
        .default([{ nodes: "10%" }])
        .meta({ description: "Disruption budgets: the most restrictive active one wins. Default 10% of the pool at a time." }),
    noDisruptionWindow: z
        .strictObject({
            schedule: cron.meta({ description: "When the window opens: five-field cron in UTC." }),
            duration: z.string().regex(BUDGET_DURATION, { error: "must be minutes or hours like 30m, 8h or 1h30m" }).meta({ description: "How long it stays open." }),
        })
        .optional()
        .meta({
            description:
                "A window with no voluntary disruption (consolidation, drift): a budget of 0 nodes while it is open. Expiry (expireAfter) is forceful in Karpenter v1 and ignores it: terminationGracePeriod bounds that drain.",
        }),
    expireAfter: z
        .string()
        .regex(/^(([0-9]+(s|m|h))+|Never)$/, { error: "must be a duration like 720h, or Never" })
        .default("720h")
        .meta({
            description:
                "Nodes are replaced after this age (fresh images, no long-lived drift). Default 30 days. Forceful: disruption budgets and noDisruptionWindow do not hold it back (docs/cluster.md).",
        }),
    terminationGracePeriod: z
        .string()
        .regex(DURATION, { error: "must be a duration like 2h or 90m", abort: true })
        .refine((d) => durationSeconds(d) >= MIN_TERMINATION_GRACE_SECONDS, {
            error: (i) =>
                `(${String(i.input)}) must be at least 1h: a workload may ask for up to 3600 s to shut down (services[].workload.shutdown.terminationGracePeriodSeconds), and Karpenter deletes a pod at this deadline minus its grace period`,
        })
        .default(DEFAULT_TERMINATION_GRACE_PERIOD)
        .meta({
            description:
                "Longest a node's drain may take once Karpenter starts removing it (expiry, drift, consolidation); after it, pods blocked by a PodDisruptionBudget are deleted anyway. Bounds an expiry that falls in business hours. Default 2h, at least 1h.",
        }),
    weight: z.int().min(1).max(100).optional().meta({ description: "Pools with a higher weight are tried first." }),
    labels: z
        .record(z.string().regex(LABEL_KEY, { error: "must be a Kubernetes label key" }), z.string().regex(LABEL_VALUE, { error: "must be a Kubernetes label value" }))
        .default({})
        .meta({ description: "Labels on the pool's nodes (`iam/node-pool: <name>` is added)." }),
});

const podFloorScheduleSchema = z.strictObject({
    name: z
        .string()
        .regex(DNS_LABEL, { error: "must be a DNS label (lowercase letters, digits, '-')" })
        .meta({ description: "The action's name (its CronJob is `pod-floors-<name>`)." }),
    recurrence: cron.meta({ description: "Five-field cron in timeZone." }),
    timeZone: z
        .string()
        .superRefine((value, ctx) => {
            const problem = timeZoneProblem(value);
            if (problem) {
                ctx.addIssue({ code: "custom", message: problem });
            }
        })
        .meta({ description: "IANA time zone of the recurrence (e.g. Europe/Dublin)." }),
    minReplicas: z
        .int()
        .min(1, { error: "must be at least 1 (0 would stop the service)" })
        .max(100)
        .optional()
        .meta({ description: "Every HPA's minReplicas becomes min(its configured floor, this); absent: back to the configured floors." }),
});

/** `cluster.karpenter`: used when `cluster.autoscaler` is karpenter. */
export const karpenterSchema = z
    .strictObject({
        nodeClasses: z
            .array(nodeClassSchema)
            .min(1)
            .default([{ name: "default", amiFamily: "AL2023", diskSizeGiB: 50 }])
            .meta({ description: "EC2NodeClasses: node OS, root volume; subnets and security group by discovery tag." }),
        nodePools: z
            .array(nodePoolSchema)
            .min(1, { error: "must list at least one NodePool: the applications run on its nodes" })
            .meta({ description: "NodePools: what Karpenter may launch for pending pods, and how it removes nodes." }),
        podFloors: z
            .array(podFloorScheduleSchema)
            .default([])
            .meta({ description: "Scheduled changes of the HPAs' minReplicas (nights, weekends): fewer pods, and consolidation removes the nodes they leave." }),
    })
    .superRefine((k, ctx) => {
        const classes = k.nodeClasses.map((c) => c.name);
        unique(classes, ["nodeClasses"], "node class name", ctx);
        unique(
            k.nodePools.map((p) => p.name),
            ["nodePools"],
            "NodePool name",
            ctx,
        );
        unique(
            k.podFloors.map((p) => p.name),
            ["podFloors"],
            "action name",
            ctx,
        );
        k.nodePools.forEach((pool, i) => {
            if (!classes.includes(pool.nodeClass)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["nodePools", i, "nodeClass"],
                    message: `names node class "${pool.nodeClass}", which is not in cluster.karpenter.nodeClasses (${classes.join(", ")})`,
                });
            }
        });
    })
    .meta({
        description: "Karpenter: node classes, node pools and scheduled pod floors. Required when cluster.autoscaler is karpenter (the default), refused with cluster-autoscaler.",
    });

function unique(names: readonly string[], path: (string | number)[], what: string, ctx: z.RefinementCtx): void {
    names.forEach((name, i) => {
        if (names.indexOf(name) !== i) {
            ctx.addIssue({ code: "custom", path: [...path, i, "name"], message: `repeats the ${what} "${name}"` });
        }
    });
}

export type KarpenterConfig = z.output<typeof karpenterSchema>;
export type NodePoolConfig = KarpenterConfig["nodePools"][number];
export type NodeClassConfig = KarpenterConfig["nodeClasses"][number];
export type PodFloorSchedule = KarpenterConfig["podFloors"][number];

/**
 * The node groups of the `cluster` section and their scheduled resizes,
 * declared once (cluster/schema.ts puts them in the section): instance types
 * checked against the SDK's list, sizes, labels, taints, and the rules
 * between them. Types are inferred.
 */
import { z } from "zod";
import { didYouMean as didYouMeanAmong, matching, parsedCleanly, report, reportDuplicates, stringMap, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { EC2_INSTANCE_TYPES } from "../lib/instanceTypes";
import { show } from "../lib/reader";
import { cronProblem, timeZoneProblem } from "./schedule";

/** Node group defaults (CLUSTER_DEFAULTS.nodeGroup). */
export const NODE_GROUP_DEFAULTS = {
    capacityType: "ON_DEMAND",
    amiType: "AL2023_x86_64_STANDARD",
    diskSizeGiB: 50,
    /** Nodes replaced at a time during a node group update (AMI, launch template, version). */
    maxUnavailable: 1,
} as const;

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
/** Amazon Linux 2023 only: the launch template's root volume is the AL2023 layout (/dev/xvda). */
export const AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];
export const TAINT_EFFECTS = ["NoSchedule", "NoExecute", "PreferNoSchedule"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
/** The fewest nodes a prod node group (and a prod scheduled action) may have: one node can fail. */
export const PROD_MIN_NODES = 2;

/** A DNS label: node group, schedule and NodePool names. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A Kubernetes label key ([prefix/]name) and value. */
export const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** An EC2 instance type the SDK knows (lib/instanceTypes.ts), with a suggestion for a near miss. */
export const instanceType = z.string().superRefine((type, ctx) => {
    if (!EC2_INSTANCE_TYPES.has(type)) {
        report(ctx, [], `must be an EC2 instance type like m6i.large, got ${show(type)}${suggestInstanceType(type)}`);
    }
});

function suggestInstanceType(type: string): string {
    const family = type.split(".")[0];
    const sameFamily = [...EC2_INSTANCE_TYPES].filter((t) => t.startsWith(`${family}.`));
    const hint = didYouMeanAmong(type, sameFamily.length > 0 ? sameFamily : [...EC2_INSTANCE_TYPES]);
    return hint ? `: ${hint}` : "";
}

const taintSchema = z.strictObject({
    key: matching(LABEL_KEY, "a Kubernetes taint key"),
    value: matching(LABEL_VALUE, "a Kubernetes label value").optional(),
    effect: z.enum(TAINT_EFFECTS),
});
export type NodeTaint = z.output<typeof taintSchema>;

/** One node group. */
export function nodeGroupSchema(ctx: SchemaContext) {
    const d = NODE_GROUP_DEFAULTS;
    return z
        .strictObject({
            name: matching(DNS_LABEL, "a DNS label (lowercase letters, digits, '-')")
                .max(24, { error: (i) => `must be at most 24 characters (it prefixes AWS names), got ${String(i.input).length}` })
                .meta({ description: "DNS label, <= 24 characters; names the node group's resources. Renaming replaces the group." }),
            instanceTypes: z
                .array(instanceType)
                .min(1)
                .meta({ description: "EC2 instance types, preferred first. SPOT needs at least two (one spot pool can be reclaimed at once)." }),
            capacityType: z.enum(CAPACITY_TYPES).default(d.capacityType).meta({ description: "`ON_DEMAND` (default) or `SPOT`." }),
            amiType: z.enum(AMI_TYPES).default(d.amiType).meta({ description: "AL2023_x86_64_STANDARD (default) or AL2023_ARM_64_STANDARD; must match the instance types' CPU." }),
            minSize: wholeNumber(0, 100)
                .refine((n) => ctx.environment !== "prod" || n >= PROD_MIN_NODES, {
                    error: (i) => `(${String(i.input)}) must be at least ${PROD_MIN_NODES} in prod, so the group survives losing a node`,
                })
                .meta({ description: "Fewest nodes; at least 2 in prod." }),
            maxSize: wholeNumber(1, 100).meta({ description: "Most nodes the autoscaler may run; >= minSize." }),
            desiredSize: wholeNumber(0, 100).optional().meta({ description: "Nodes at creation only: afterwards the autoscaler owns it. Default: minSize." }),
            diskSizeGiB: wholeNumber(20, 16384).default(d.diskSizeGiB).meta({ description: "Root volume size (GiB), encrypted gp3. Default 50." }),
            maxUnavailable: wholeNumber(1, 100).default(d.maxUnavailable).meta({ description: "Nodes replaced at a time during updates. Default 1." }),
            labels: stringMap(LABEL_KEY, "a Kubernetes label key ([prefix/]name, name <= 63 characters)")
                .superRefine((labels, c) => {
                    for (const [key, value] of Object.entries(labels)) {
                        if (!LABEL_VALUE.test(value)) {
                            report(c, [key], `must be a Kubernetes label value (<= 63 letters, digits, '-', '_', '.'), got ${show(value)}`);
                        }
                    }
                })
                .default({})
                .meta({ description: "Kubernetes node labels (the group's name is added as `iam/node-group`)." }),
            taints: z.array(taintSchema).default([]).meta({ description: "Kubernetes node taints; pods without a matching toleration stay off the group." }),
        })
        .superRefine(
            (g, c) => {
                if (g.minSize > g.maxSize) {
                    report(c, ["minSize"], `(${g.minSize}) must be <= maxSize (${g.maxSize})`);
                } else if (g.desiredSize !== undefined && (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)) {
                    report(c, ["desiredSize"], `(${g.desiredSize}) must be between minSize (${g.minSize}) and maxSize (${g.maxSize})`);
                }
            },
            { when: whenValid("minSize", "maxSize", "desiredSize") },
        )
        .superRefine(
            (g, c) => {
                g.instanceTypes.forEach((type, i) => {
                    const arch = instanceArchitecture(type);
                    if (parsedCleanly(c, ["instanceTypes", i]) && arch !== amiArchitecture(g.amiType)) {
                        report(c, ["instanceTypes", i], `(${type}) is an ${arch} instance type but amiType ${g.amiType} is ${amiArchitecture(g.amiType)}`);
                    }
                });
                reportDuplicates(
                    c,
                    g.instanceTypes,
                    (t) => t,
                    (i) => ["instanceTypes", i],
                    "instance type",
                    (i) => `instanceTypes[${i}]`,
                );
                if (g.capacityType === "SPOT" && g.instanceTypes.length < 2) {
                    report(
                        c,
                        ["instanceTypes"],
                        `must list at least 2 instance types for SPOT capacity (one spot pool can be reclaimed all at once), got ${g.instanceTypes.length}`,
                    );
                }
            },
            { when: (p) => Array.isArray((p.value as { instanceTypes?: unknown }).instanceTypes) && whenValid("amiType", "capacityType", "instanceTypes")(p) },
        )
        .transform((g) => ({ ...g, desiredSize: g.desiredSize ?? g.minSize }));
}
export type NodeGroupConfig = z.output<ReturnType<typeof nodeGroupSchema>>;

/** One scheduled resize of the node groups. */
export const scheduleSchema = (ctx: SchemaContext) =>
    z
        .strictObject({
            name: matching(DNS_LABEL, "a DNS label (lowercase letters, digits, '-')").meta({ description: "Unique action name (DNS label)." }),
            nodeGroups: z.array(z.string()).min(1).optional().meta({ description: "The node groups it resizes; default: all." }),
            recurrence: z
                .string()
                .superRefine((text, c) => {
                    const problem = cronProblem(text);
                    if (problem) report(c, [], problem);
                })
                .meta({ description: "Unix cron (five fields) in `timeZone`." }),
            timeZone: z
                .string()
                .superRefine((text, c) => {
                    const problem = timeZoneProblem(text);
                    if (problem) report(c, [], problem);
                })
                .meta({ description: "IANA time zone of the recurrence (Europe/Dublin); AWS handles daylight saving." }),
            minSize: wholeNumber(0, 100)
                .refine((n) => ctx.environment !== "prod" || n >= PROD_MIN_NODES, {
                    error: (i) => `(${String(i.input)}) must be at least ${PROD_MIN_NODES} in prod, as for the node groups`,
                })
                .meta({ description: "The auto-scaling group's minimum from then on (at least 2 in prod)." }),
            maxSize: wholeNumber(0, 100).meta({ description: "The maximum from then on; at most the node group's maxSize." }),
            desiredSize: wholeNumber(0, 100).meta({
                description: "The desired size from then on, between minSize and maxSize (AWS reads an absent one as 0, so all three are set).",
            }),
        })
        .superRefine(
            (s, c) => {
                if (s.minSize > s.maxSize) {
                    report(c, ["minSize"], `(${s.minSize}) must be <= maxSize (${s.maxSize})`);
                } else if (s.desiredSize < s.minSize || s.desiredSize > s.maxSize) {
                    report(c, ["desiredSize"], `(${s.desiredSize}) must be between minSize (${s.minSize}) and maxSize (${s.maxSize})`);
                }
            },
            { when: whenValid("minSize", "maxSize", "desiredSize") },
        );

/**
 * The CPU architecture of an EC2 instance type, from its family name:
 * Graviton families carry a `g` after the generation (m7g, c6gn, t4g), and a1.
 */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

function amiArchitecture(amiType: AmiType): "arm64" | "x86_64" {
    return amiType === "AL2023_ARM_64_STANDARD" ? "arm64" : "x86_64";
}

/**
 * The `cluster` section, declared once: the EKS version and its add-on pins,
 * API access, admins, control-plane logs, node groups, headroom and scheduled
 * scaling. Types are inferred; rules between fields are refinements that run
 * only on values that parsed (one mistake, one message).
 */
import { z } from "zod";
import { guardDutySchema } from "./guardDutySchema";
import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../lib/cidr";
import { cidrString, didYouMean as didYouMeanAmong, LOG_RETENTION_CHOICES, logRetention, matching, parsedCleanly, RefineContext, report, reportDuplicates, stringMap, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { EC2_INSTANCE_TYPES } from "../lib/instanceTypes";
import { show } from "../lib/reader";
import { EksVersionPins, kubernetesVersionProblem, SUPPORTED_KUBERNETES_VERSIONS, supportStatus } from "./catalog";
import { cronProblem, timeZoneProblem } from "./schedule";
import { autoscalerSchema, karpenterSchema } from "./karpenterSchema";
import { isSystemGroup } from "./autoscalerConfig";
import type { NetworkConfig } from "../network/schema";

/** Cluster defaults; the Kubernetes version has none: it is pinned in each stack file. */
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

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
/** Amazon Linux 2023 only: the launch template's root volume is the AL2023 layout (/dev/xvda). */
export const AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];
export const TAINT_EFFECTS = ["NoSchedule", "NoExecute", "PreferNoSchedule"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type LogType = (typeof LOG_TYPES)[number];
const REQUIRED_LOG_TYPES: readonly LogType[] = ["api", "audit", "authenticator"];

/** The fewest nodes a prod node group (and a prod scheduled action) may have: one node can fail. */
export const PROD_MIN_NODES = 2;

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IAM_PRINCIPAL = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** A Kubernetes label key ([prefix/]name) and value. */
export const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const CPU = /^([1-9]\d{0,5}m|\d{1,3}(\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d{0,6}(Mi|Gi)$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** A private network a Service CIDR may come from (EKS rule). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Ipv4Cidr);

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

function nodeGroupSchema(ctx: SchemaContext) {
    const d = CLUSTER_DEFAULTS.nodeGroup;
    return z
        .strictObject({
            name: matching(DNS_LABEL, "a DNS label (lowercase letters, digits, '-')")
                .max(24, { error: (i) => `must be at most 24 characters (it prefixes AWS names), got ${String(i.input).length}` })
                .meta({ description: "DNS label, <= 24 characters; names the node group's resources. Renaming replaces the group." }),
            instanceTypes: z.array(instanceType).min(1).meta({ description: "EC2 instance types, preferred first. SPOT needs at least two (one spot pool can be reclaimed at once)." }),
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
                reportDuplicates(c, g.instanceTypes, (t) => t, (i) => ["instanceTypes", i], "instance type", (i) => `instanceTypes[${i}]`);
                if (g.capacityType === "SPOT" && g.instanceTypes.length < 2) {
                    report(c, ["instanceTypes"], `must list at least 2 instance types for SPOT capacity (one spot pool can be reclaimed all at once), got ${g.instanceTypes.length}`);
                }
            },
            { when: (p) => Array.isArray((p.value as { instanceTypes?: unknown }).instanceTypes) && whenValid("amiType", "capacityType", "instanceTypes")(p) },
        )
        .transform((g) => ({ ...g, desiredSize: g.desiredSize ?? g.minSize }));
}
export type NodeGroupConfig = z.output<ReturnType<typeof nodeGroupSchema>>;

const scheduleSchema = (ctx: SchemaContext) =>
    z
        .strictObject({
            name: matching(DNS_LABEL, "a DNS label (lowercase letters, digits, '-')").meta({ description: "Unique action name (DNS label)." }),
            nodeGroups: z.array(z.string()).min(1).optional().meta({ description: "The node groups it resizes; default: all." }),
            recurrence: z.string().superRefine((text, c) => {
                const problem = cronProblem(text);
                if (problem) report(c, [], problem);
            }).meta({ description: "Unix cron (five fields) in `timeZone`." }),
            timeZone: z.string().superRefine((text, c) => {
                const problem = timeZoneProblem(text);
                if (problem) report(c, [], problem);
            }).meta({ description: "IANA time zone of the recurrence (Europe/Dublin); AWS handles daylight saving." }),
            minSize: wholeNumber(0, 100)
                .refine((n) => ctx.environment !== "prod" || n >= PROD_MIN_NODES, { error: (i) => `(${String(i.input)}) must be at least ${PROD_MIN_NODES} in prod, as for the node groups` })
                .meta({ description: "The auto-scaling group's minimum from then on (at least 2 in prod)." }),
            maxSize: wholeNumber(0, 100).meta({ description: "The maximum from then on; at most the node group's maxSize." }),
            desiredSize: wholeNumber(0, 100).meta({ description: "The desired size from then on, between minSize and maxSize (AWS reads an absent one as 0, so all three are set)." }),
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

/** The `cluster` section for an environment and stack. */
export function clusterSchema(ctx: SchemaContext) {
    return z
        .strictObject({
            name: matching(CLUSTER_NAME, "1-100 letters, digits, '-' or '_', starting with a letter or digit")
                .default(`iam-${ctx.stack}`)
                .meta({ description: "The EKS cluster's name: default `iam-<stack>`; 1-100 letters, digits, `-` or `_`, starting with a letter or digit. Fixed at creation (renaming replaces the cluster)." }),
            version: z
                .string({ error: (i) => (typeof i.input === "number" ? `must be a quoted string like "1.34" (YAML reads 1.30 as the number 1.3), got ${i.input}` : undefined) })
                .superRefine((version, c) => {
                    // Unknown versions are refused; known ones from the end of standard support, and warned about within 60 days of it.
                    const status = kubernetesVersionProblem(version) === undefined ? supportStatus(version, ctx.now) : undefined;
                    const problem = kubernetesVersionProblem(version) ?? status?.problem;
                    if (problem) {
                        report(c, [], problem);
                    } else if (status?.warning) {
                        ctx.warn("cluster.version", status.warning);
                    }
                })
                .meta({ description: 'Kubernetes minor version, quoted ("1.35"): a minor pinned in cluster/catalog.ts and still in EKS standard support (refused from its end, warned about 60 days before; docs/cluster.md). EKS never downgrades.' }),
            addonVersions: z
                .strictObject({
                    vpcCni: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                    coredns: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                    kubeProxy: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                })
                .default({})
                .meta({ description: "Overrides of the add-on versions pinned for `version` in cluster/catalog.ts; kubeProxy must be a build of the cluster's minor." }),
            publicAccessCidrs: z.array(cidrString(16, "the public API endpoint")).default([]).meta({ description: "CIDRs allowed to the PUBLIC API endpoint, /16 or narrower; empty (default) turns the public endpoint off." }),
            privateAccessCidrs: z.array(cidrString(8, "the private API endpoint")).default([]).meta({ description: "Networks outside the VPC (VPN, peered) allowed to the PRIVATE endpoint on 443 (a rule on the cluster's security group), /8 or narrower. Default none." }),
            adminPrincipals: z
                .array(
                    z.string().superRefine((arn, c) => {
                        if (arn.startsWith("arn:aws:sts::")) {
                            report(c, [], `must be an IAM role or user ARN, not a session (${show(arn)}): use arn:aws:iam::<account>:role/<name>`);
                        } else if (!IAM_PRINCIPAL.test(arn)) {
                            report(c, [], `must be an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin, got ${show(arn)}`);
                        }
                    }),
                )
                .min(1)
                .superRefine((arns, c) => {
                    const at = (i: number): string => `cluster.adminPrincipals[${i}]`;
                    reportDuplicates(c, arns, (a) => a, (i) => [i], "principal", at);
                    // Each principal's access entry is named after it; two with one name would collide.
                    reportDuplicates(c, arns, (a) => (IAM_PRINCIPAL.test(a) ? principalKey(a) : ""), (i) => [i], "principal name", at);
                })
                .meta({ description: "IAM role/user ARNs given cluster-admin through EKS access entries (at least one, no duplicates); not `arn:aws:sts::...:assumed-role` sessions." }),
            logTypes: z
                .array(z.enum(LOG_TYPES))
                .default([...CLUSTER_DEFAULTS.logTypes])
                .superRefine((types, c) => {
                    reportDuplicates(c, types, (t) => t, (i) => [i], "log type", (i) => `cluster.logTypes[${i}]`);
                    const missing = REQUIRED_LOG_TYPES.filter((t) => !types.includes(t));
                    if (missing.length > 0) {
                        report(c, [], `must include ${REQUIRED_LOG_TYPES.join(", ")} (who did what to the cluster), missing ${missing.join(", ")}`);
                    }
                })
                .meta({ description: "Control-plane log types sent to CloudWatch; must include api, audit and authenticator." }),
            logRetentionDays: logRetention("a period CloudWatch Logs accepts").default(CLUSTER_DEFAULTS.logRetentionDays).meta({ description: `Days CloudWatch keeps the control-plane logs: ${LOG_RETENTION_CHOICES}. Default 90.` }),
            serviceCidr: cidrString()
                .superRefine((text, c) => {
                    const prefix = Number(text.split("/")[1]);
                    if (prefix < 12 || prefix > 24) {
                        report(c, [], `(${text}) must be /12 to /24 (EKS limits)`);
                    } else if (!PRIVATE_RANGES.some((range) => cidrContains(range, parseCidr(text) as Ipv4Cidr))) {
                        report(c, [], `(${text}) must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`);
                    }
                })
                .default(CLUSTER_DEFAULTS.serviceCidr)
                .meta({ description: "Kubernetes Service CIDR, /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; must not overlap the VPC or any peer network. Fixed at creation." }),
            metadataHopLimit: wholeNumber(1, 2).default(CLUSTER_DEFAULTS.metadataHopLimit).meta({ description: "IMDSv2 hop limit on the nodes: 1 (default) keeps pods away from the node role, 2 lets them through." }),
            nodeGroups: z
                .array(nodeGroupSchema(ctx))
                .min(1)
                .superRefine(
                    (groups, c) => {
                        reportDuplicates(c, groups, (g) => (parsedCleanly(c, [groups.indexOf(g), "name"]) ? g.name : ""), (i) => [i, "name"], "node group name", (i) => `cluster.nodeGroups[${i}].name`);

                    },
                    { when: (p) => Array.isArray(p.value) },
                )
                .meta({ description: "Managed node groups, at least one, names unique. With karpenter (the default) one must be the system group, tainted CriticalAddonsOnly=true:NoSchedule (the controllers run there, never on nodes Karpenter manages); with cluster-autoscaler one must have no NoSchedule/NoExecute taint (the add-ons and headroom run there)." }),
            headroom: z
                .strictObject({
                    replicas: wholeNumber(0, 50).default(CLUSTER_DEFAULTS.headroom.replicas).meta({ description: "Placeholder pods kept running (0 turns headroom off). Default 1." }),
                    cpu: matching(CPU, "a CPU quantity like 500m or 1").default(CLUSTER_DEFAULTS.headroom.cpu).meta({ description: "CPU each placeholder reserves. Default 500m." }),
                    memory: matching(MEMORY, "a memory quantity in Mi or Gi like 1Gi").default(CLUSTER_DEFAULTS.headroom.memory).meta({ description: "Memory each placeholder reserves. Default 1Gi." }),
                })
                .prefault({})
                .meta({ description: "Low-priority placeholder pods keeping room free for scale-outs." }),
            autoscaler: autoscalerSchema,
            karpenter: karpenterSchema.optional(),
            guardDuty: guardDutySchema.meta({ description: "GuardDuty EKS Runtime Monitoring (cluster/guardDutySchema.ts); default off." }),
            scheduledScaling: z.array(scheduleSchema(ctx)).default([]).meta({ description: "Recurring resizes of the node groups' auto-scaling groups (e.g. nights and weekends). Default none." }),
        })
        .superRefine(
            (cluster, c) => {
                reportDuplicates(c, cluster.scheduledScaling, (s) => s.name, (i) => ["scheduledScaling", i, "name"], "action name", (i) => `cluster.scheduledScaling[${i}].name`);
                const known = cluster.nodeGroups.map((g) => g.name);
                cluster.scheduledScaling.forEach((s, i) => {
                    (s.nodeGroups ?? []).forEach((group, j) => {
                        if (!known.includes(group)) {
                            report(c, ["scheduledScaling", i, "nodeGroups", j], `names node group ${show(group)}, which is not in cluster.nodeGroups (${known.join(", ")})`);
                        }
                    });
                    if (!parsedCleanly(c, ["scheduledScaling", i, "maxSize"])) {
                        return;
                    }
                    for (const group of cluster.nodeGroups.filter((g) => (s.nodeGroups ?? known).includes(g.name))) {
                        if (s.maxSize > group.maxSize) {
                            report(c, ["scheduledScaling", i, "maxSize"], `(${s.maxSize}) must be <= node group ${group.name}'s maxSize (${group.maxSize}): a schedule may shrink the budget, not raise it`);
                        }
                    }
                });
            },
            { when: whenValid("nodeGroups", "scheduledScaling") },
        )
        .superRefine(
            (cluster, c) => {
                const groups = cluster.nodeGroups;
                if (cluster.autoscaler === "cluster-autoscaler") {
                    if (cluster.karpenter !== undefined) {
                        report(c, ["karpenter"], "is set but cluster.autoscaler is cluster-autoscaler: remove it, or set cluster.autoscaler to karpenter");
                    }
                    if (groups.length > 0 && groups.every((g) => g.taints.some((t) => t.effect !== "PreferNoSchedule"))) {
                        report(c, ["nodeGroups"], "must have one group without NoSchedule/NoExecute taints: the system add-ons and the headroom pods run there");
                    }
                } else {
                    if (cluster.karpenter === undefined) {
                        report(c, ["karpenter"], "is required when cluster.autoscaler is karpenter (at least one NodePool in cluster.karpenter.nodePools)");
                    }
                    if (groups.length > 0 && !groups.some(isSystemGroup)) {
                        report(c, ["nodeGroups"], "must have a system group tainted CriticalAddonsOnly=true:NoSchedule when cluster.autoscaler is karpenter: Karpenter and the other controllers run there, never on the nodes Karpenter manages");
                    }
                }
            },
            { when: whenValid("autoscaler", "karpenter", "nodeGroups") },
        )
        .superRefine(
            (cluster, c) => {
                const kubeProxy = cluster.addonVersions.kubeProxy;
                if (kubeProxy !== undefined && !kubeProxy.startsWith(`v${cluster.version}.`)) {
                    report(c, ["addonVersions", "kubeProxy"], `(${kubeProxy}) must be a kube-proxy build of the cluster's version ${cluster.version} (v${cluster.version}.x-eksbuild.n)`);
                }
            },
            { when: whenValid("version", "addonVersions") },
        )
        .transform(({ addonVersions, scheduledScaling, ...cluster }) => {
            const catalog = SUPPORTED_KUBERNETES_VERSIONS[cluster.version];
            /** The pinned add-on versions for `version`, with any overrides from `addonVersions`. */
            const pins: EksVersionPins = { ...catalog, addons: { ...catalog.addons, ...addonVersions } };
            const all = cluster.nodeGroups.map((g) => g.name);
            return { ...cluster, pins, scheduledScaling: scheduledScaling.map((s) => ({ ...s, nodeGroups: s.nodeGroups ?? all })) };
        });
}

export type ClusterConfig = z.output<ReturnType<typeof clusterSchema>>;
export type ScheduledScaling = ClusterConfig["scheduledScaling"][number];
export type HeadroomConfig = ClusterConfig["headroom"];

/**
 * Root rules (they read the network section too): the Service CIDR stays
 * clear of every connected network, and EKS gets subnets in two zones.
 */
export function clusterNetworkRule(root: { cluster: ClusterConfig; network: NetworkConfig }, c: RefineContext): void {
    const text = root.cluster.serviceCidr;
    const cidr = parseCidr(text) as Ipv4Cidr;
    for (const [label, other] of [["the VPC CIDR", root.network.cidr], ...root.network.peerCidrs.map((p) => ["peer network", p])]) {
        const parsed = parseCidr(other);
        if (typeof parsed !== "string" && cidrsOverlap(parsed, cidr)) {
            report(c, ["cluster", "serviceCidr"], `(${text}) overlaps ${label} ${other}: Service addresses must be unique across the connected networks`);
        }
    }
}

/** Reads the zones as written (even when the network section has other problems): fewer than two is a cluster problem too. */
export function clusterZonesRule(root: { network?: { availabilityZones?: unknown } }, c: RefineContext): void {
    const zones = root.network?.availabilityZones;
    if (Array.isArray(zones) && zones.length < 2) {
        report(c, ["cluster"], "needs private subnets in at least 2 zones (network.availabilityZones): EKS places its control plane in two or more");
    }
}

/**
 * A stable resource-name suffix for an IAM principal ARN, `role-<name>` or
 * `user-<name>` (path dropped), so reordering the config list renames nothing.
 */
export function principalKey(arn: string): string {
    const resource = arn.split(":").slice(5).join(":");
    const [kind, ...rest] = resource.split("/");
    const name = rest[rest.length - 1] ?? "";
    return `${kind}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

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

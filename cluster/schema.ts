/**
 * The `cluster` section, declared once: the EKS version and its add-on pins,
 * API access, admins, control-plane logs, node groups, headroom and scheduled
 * scaling. Types are inferred; rules between fields are refinements that run
 * only on values that parsed (one mistake, one message).
 */
import { z } from "zod";
import { guardDutySchema } from "./guardDutySchema";
import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../lib/cidr";
import { cidrString, LOG_RETENTION_CHOICES, logRetention, matching, parsedCleanly, RefineContext, report, reportDuplicates, whenValid, wholeNumber } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { show } from "../lib/reader";
import { EKS_ADDON_NAMES, EksVersionPins, kubernetesVersionProblem, NODE_IMAGE_MINORS, SUPPORTED_KUBERNETES_VERSIONS, supportStatus, unpinnedAddons } from "./catalog";
import { NODE_GROUP_DEFAULTS, nodeGroupSchema, scheduleSchema } from "./nodeGroupSchema";
import { autoscalerSchema, karpenterSchema } from "./karpenterSchema";
import { isSystemGroup, systemFloorProblem } from "./autoscalerConfig";
import type { NetworkConfig } from "../network/schema";

// The node groups and their schedules (cluster/nodeGroupSchema.ts) are part of this section's API.
export { AMI_TYPES, CAPACITY_TYPES, instanceArchitecture, instanceType, LABEL_KEY, LABEL_VALUE, PROD_MIN_NODES, TAINT_EFFECTS } from "./nodeGroupSchema";
export type { AmiType, CapacityType, NodeGroupConfig, NodeTaint, TaintEffect } from "./nodeGroupSchema";

/** Cluster defaults; the Kubernetes version has none: it is pinned in each stack file. */
export const CLUSTER_DEFAULTS = {
    /** Control-plane logs sent to CloudWatch; these three are also the minimum allowed. */
    logTypes: ["api", "audit", "authenticator"],
    logRetentionDays: 90,
    /** Kubernetes Service addresses: outside the VPC and every peer network. */
    serviceCidr: "172.20.0.0/16",
    /** 1: pods (not on the host network) cannot reach the instance metadata service and so not the node role. */
    metadataHopLimit: 1,
    nodeGroup: NODE_GROUP_DEFAULTS,
    headroom: { replicas: 1, cpu: "500m", memory: "1Gi" },
} as const;

export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type LogType = (typeof LOG_TYPES)[number];
const REQUIRED_LOG_TYPES: readonly LogType[] = ["api", "audit", "authenticator"];

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const IAM_PRINCIPAL = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const CPU = /^([1-9]\d{0,5}m|\d{1,3}(\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d{0,6}(Mi|Gi)$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** A private network a Service CIDR may come from (EKS rule). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Ipv4Cidr);

/** An IAM role or user ARN for an EKS access entry; a session ARN is refused with the role form to use. */
const principalArn = z.string().superRefine((arn, c) => {
    if (arn.startsWith("arn:aws:sts::")) {
        report(c, [], `must be an IAM role or user ARN, not a session (${show(arn)}): use arn:aws:iam::<account>:role/<name>`);
    } else if (!IAM_PRINCIPAL.test(arn)) {
        report(c, [], `must be an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin, got ${show(arn)}`);
    }
});

/** The `cluster` section for an environment and stack. */
export function clusterSchema(ctx: SchemaContext) {
    return z
        .strictObject({
            name: matching(CLUSTER_NAME, "1-100 letters, digits, '-' or '_', starting with a letter or digit").default(`iam-${ctx.stack}`).meta({
                description:
                    "The EKS cluster's name: default `iam-<stack>`; 1-100 letters, digits, `-` or `_`, starting with a letter or digit. Fixed at creation (renaming replaces the cluster).",
            }),
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
                .meta({
                    description:
                        'Kubernetes minor version, quoted ("1.35"): a minor pinned in cluster/catalog.ts and still in EKS standard support (refused from its end, warned about 60 days before; docs/cluster.md). EKS never downgrades.',
                }),
            addonVersions: z
                .strictObject({
                    vpcCni: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                    coredns: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                    kubeProxy: matching(ADDON_VERSION, "an EKS add-on version like v1.20.4-eksbuild.2").optional(),
                })
                .default({})
                .meta({ description: "Overrides of the add-on versions pinned for `version` in cluster/catalog.ts; kubeProxy must be a build of the cluster's minor." }),
            publicAccessCidrs: z
                .array(cidrString(16, "the public API endpoint"))
                .default([])
                .meta({ description: "CIDRs allowed to the PUBLIC API endpoint, /16 or narrower; empty (default) turns the public endpoint off." }),
            privateAccessCidrs: z.array(cidrString(8, "the private API endpoint")).default([]).meta({
                description:
                    "Networks outside the VPC (VPN, peered) allowed to the PRIVATE endpoint on 443 (a rule on the cluster's security group), /8 or narrower. Default none.",
            }),
            adminPrincipals: z
                .array(principalArn)
                .min(1)
                .superRefine((arns, c) => {
                    const at = (i: number): string => `cluster.adminPrincipals[${i}]`;
                    reportDuplicates(
                        c,
                        arns,
                        (a) => a,
                        (i) => [i],
                        "principal",
                        at,
                    );
                    // Each principal's access entry is named after it; two with one name would collide.
                    reportDuplicates(
                        c,
                        arns,
                        (a) => (IAM_PRINCIPAL.test(a) ? principalKey(a) : ""),
                        (i) => [i],
                        "principal name",
                        at,
                    );
                })
                .meta({
                    description: "IAM role/user ARNs given cluster-admin through EKS access entries (at least one, no duplicates); not `arn:aws:sts::...:assumed-role` sessions.",
                }),
            viewPrincipals: z
                .array(principalArn)
                .default([])
                .superRefine((arns, c) => {
                    reportDuplicates(
                        c,
                        arns,
                        (a) => a,
                        (i) => [i],
                        "principal",
                        (i) => `cluster.viewPrincipals[${i}]`,
                    );
                    reportDuplicates(
                        c,
                        arns,
                        (a) => (IAM_PRINCIPAL.test(a) ? principalKey(a) : ""),
                        (i) => [i],
                        "principal name",
                        (i) => `cluster.viewPrincipals[${i}]`,
                    );
                })
                .meta({
                    description:
                        "IAM role/user ARNs given read-only Kubernetes access (AmazonEKSViewPolicy: no Secrets) through EKS access entries: the CI preview role of this stack (ci-identities' previewRoleArns output), never cluster-admin. Not also in adminPrincipals. Default none.",
                }),
            logTypes: z
                .array(z.enum(LOG_TYPES))
                .default([...CLUSTER_DEFAULTS.logTypes])
                .superRefine((types, c) => {
                    reportDuplicates(
                        c,
                        types,
                        (t) => t,
                        (i) => [i],
                        "log type",
                        (i) => `cluster.logTypes[${i}]`,
                    );
                    const missing = REQUIRED_LOG_TYPES.filter((t) => !types.includes(t));
                    if (missing.length > 0) {
                        report(c, [], `must include ${REQUIRED_LOG_TYPES.join(", ")} (who did what to the cluster), missing ${missing.join(", ")}`);
                    }
                })
                .meta({ description: "Control-plane log types sent to CloudWatch; must include api, audit and authenticator." }),
            logRetentionDays: logRetention("a period CloudWatch Logs accepts")
                .default(CLUSTER_DEFAULTS.logRetentionDays)
                .meta({ description: `Days CloudWatch keeps the control-plane logs: ${LOG_RETENTION_CHOICES}. Default 90.` }),
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
                .meta({
                    description:
                        "Kubernetes Service CIDR, /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; must not overlap the VPC or any peer network. Fixed at creation.",
                }),
            metadataHopLimit: wholeNumber(1, 2)
                .default(CLUSTER_DEFAULTS.metadataHopLimit)
                .meta({ description: "IMDSv2 hop limit on the nodes: 1 (default) keeps pods away from the node role, 2 lets them through." }),
            nodeGroups: z
                .array(nodeGroupSchema(ctx))
                .min(1)
                .superRefine(
                    (groups, c) => {
                        reportDuplicates(
                            c,
                            groups,
                            (g) => (parsedCleanly(c, [groups.indexOf(g), "name"]) ? g.name : ""),
                            (i) => [i, "name"],
                            "node group name",
                            (i) => `cluster.nodeGroups[${i}].name`,
                        );
                    },
                    { when: (p) => Array.isArray(p.value) },
                )
                .meta({
                    description:
                        "Managed node groups, at least one, names unique. With karpenter (the default) one must be the system group, tainted CriticalAddonsOnly=true:NoSchedule (the controllers run there, never on nodes Karpenter manages), with two nodes at its minimum or an ON_DEMAND one; with cluster-autoscaler one must have no NoSchedule/NoExecute taint (the add-ons and headroom run there).",
                }),
            headroom: z
                .strictObject({
                    replicas: wholeNumber(0, 50)
                        .default(CLUSTER_DEFAULTS.headroom.replicas)
                        .meta({ description: "Placeholder pods kept running (0 turns headroom off). Default 1." }),
                    cpu: matching(CPU, "a CPU quantity like 500m or 1")
                        .default(CLUSTER_DEFAULTS.headroom.cpu)
                        .meta({ description: "CPU each placeholder reserves. Default 500m." }),
                    memory: matching(MEMORY, "a memory quantity in Mi or Gi like 1Gi")
                        .default(CLUSTER_DEFAULTS.headroom.memory)
                        .meta({ description: "Memory each placeholder reserves. Default 1Gi." }),
                })
                .prefault({})
                .meta({ description: "Low-priority placeholder pods keeping room free for scale-outs." }),
            autoscaler: autoscalerSchema,
            karpenter: karpenterSchema.optional(),
            guardDuty: guardDutySchema.meta({ description: "GuardDuty EKS Runtime Monitoring (cluster/guardDutySchema.ts); default off." }),
            scheduledScaling: z
                .array(scheduleSchema(ctx))
                .default([])
                .meta({ description: "Recurring resizes of the node groups' auto-scaling groups (e.g. nights and weekends). Default none." }),
        })
        .superRefine(
            (cluster, c) => {
                // One access entry per principal: a principal in both lists would be created twice (EKS refuses the second).
                cluster.viewPrincipals.forEach((arn, i) => {
                    if (cluster.adminPrincipals.includes(arn)) {
                        report(
                            c,
                            ["viewPrincipals", i],
                            `(${show(arn)}) is also in cluster.adminPrincipals: a principal gets one access entry, admin or view; remove it from one list`,
                        );
                    }
                });
            },
            { when: whenValid("adminPrincipals", "viewPrincipals") },
        )
        .superRefine(
            (cluster, c) => {
                reportDuplicates(
                    c,
                    cluster.scheduledScaling,
                    (s) => s.name,
                    (i) => ["scheduledScaling", i, "name"],
                    "action name",
                    (i) => `cluster.scheduledScaling[${i}].name`,
                );
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
                            report(
                                c,
                                ["scheduledScaling", i, "maxSize"],
                                `(${s.maxSize}) must be <= node group ${group.name}'s maxSize (${group.maxSize}): a schedule may shrink the budget, not raise it`,
                            );
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
                    const floor = systemFloorProblem(groups);
                    if (floor) {
                        report(c, ["nodeGroups", groups.findIndex(isSystemGroup), "minSize"], floor);
                    }
                    if (groups.length > 0 && !groups.some(isSystemGroup)) {
                        report(
                            c,
                            ["nodeGroups"],
                            "must have a system group tainted CriticalAddonsOnly=true:NoSchedule when cluster.autoscaler is karpenter: Karpenter and the other controllers run there, never on the nodes Karpenter manages",
                        );
                    }
                }
            },
            { when: whenValid("autoscaler", "karpenter", "nodeGroups") },
        )
        .superRefine(
            (cluster, c) => {
                // The catalog may leave an EKS add-on of a minor unpinned: EKS's default is installed (cluster/addonVersion.ts).
                const pins = SUPPORTED_KUBERNETES_VERSIONS[cluster.version] as EksVersionPins | undefined;
                const unpinned = pins ? unpinnedAddons({ ...pins, addons: { ...pins.addons, ...cluster.addonVersions } }) : [];
                if (unpinned.length > 0) {
                    ctx.warn(
                        "cluster.version",
                        `(${cluster.version}): cluster/catalog.ts pins no version of ${unpinned.join(", ")} for ${cluster.version}; ` +
                            `each is installed at the version EKS names as its default for ${cluster.version}, read at every preview (stack output unpinnedAddons), ` +
                            `so it changes when AWS changes that default: pin it in cluster/catalog.ts${unpinned.includes(EKS_ADDON_NAMES.cloudwatchObservability) ? " (or alarms.containerInsights.addonVersion)" : ""} (docs/operations/upgrade.md)`,
                    );
                }
                const kubeProxy = cluster.addonVersions.kubeProxy;
                if (kubeProxy !== undefined && !kubeProxy.startsWith(`v${cluster.version}.`)) {
                    report(
                        c,
                        ["addonVersions", "kubeProxy"],
                        `(${kubeProxy}) must be a kube-proxy build of the cluster's version ${cluster.version} (v${cluster.version}.x-eksbuild.n)`,
                    );
                }
            },
            { when: whenValid("version", "addonVersions") },
        )
        .superRefine(
            (cluster, c) => {
                // Karpenter resolves a node image alias per minor: a release built for other minors finds no image.
                (cluster.karpenter?.nodeClasses ?? []).forEach((nodeClass, i) => {
                    const family = nodeClass.amiFamily === "Bottlerocket" ? "bottlerocket" : "al2023";
                    if (cluster.autoscaler === "karpenter" && !NODE_IMAGE_MINORS[family].includes(cluster.version)) {
                        report(
                            c,
                            ["karpenter", "nodeClasses", i, "amiFamily"],
                            `(${nodeClass.amiFamily}) has no node image pinned for Kubernetes ${cluster.version} (cluster/catalog.ts NODE_IMAGE_ALIASES: ${family} built for ${NODE_IMAGE_MINORS[family].join(", ")}): Karpenter would find no image and launch no node; use AL2023 or pin a ${family} release built for ${cluster.version}`,
                        );
                    }
                });
            },
            { when: whenValid("version", "autoscaler", "karpenter") },
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

import { cidrContains, cidrsOverlap, Ipv4Cidr, parseCidr } from "../lib/cidr";
import { CLUSTER_DEFAULTS, Environment } from "../lib/defaults";
import { EksVersionPins, kubernetesVersionProblem, SUPPORTED_KUBERNETES_VERSIONS, supportStatus } from "./catalog";
import { NetworkConfig } from "../network/config";
import { checkUnique, Fields, readString, show } from "../lib/reader";
import { cronProblem, timeZoneProblem } from "./schedule";
import type { Autoscaler, KarpenterConfig } from "./karpenterSchema";
import { isSystemGroup, readAutoscaler } from "./autoscalerConfig";

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
/** Amazon Linux 2023 only: the launch template's root volume is the AL2023 layout (/dev/xvda). */
export const AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];
export const TAINT_EFFECTS = ["NoSchedule", "NoExecute", "PreferNoSchedule"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface NodeTaint {
    key: string;
    value?: string;
    effect: TaintEffect;
}

export interface NodeGroupConfig {
    /** DNS label, <= 24 characters; names the node group's resources. Renaming replaces the group. */
    name: string;
    /** EC2 instance types, preferred first. SPOT needs at least two (one spot pool can be reclaimed at once). */
    instanceTypes: string[];
    /** `ON_DEMAND` (default) or `SPOT`. */
    capacityType: CapacityType;
    /** AL2023_x86_64_STANDARD (default) or AL2023_ARM_64_STANDARD; must match the instance types' CPU. */
    amiType: AmiType;
    /** Fewest nodes; at least 2 in prod. */
    minSize: number;
    /** Most nodes the autoscaler may run; >= minSize. */
    maxSize: number;
    /** Nodes at creation only: afterwards the cluster-autoscaler owns it. Default: minSize. */
    desiredSize: number;
    /** Root volume size (GiB), encrypted gp3. Default 50. */
    diskSizeGiB: number;
    /** Nodes replaced at a time during updates. Default 1. */
    maxUnavailable: number;
    /** Kubernetes node labels (the group's name is added as `iam/node-group`). */
    labels: Record<string, string>;
    /** Kubernetes node taints; pods without a matching toleration stay off the group. */
    taints: NodeTaint[];
}

export interface ScheduledScaling {
    /** Unique action name (DNS label). */
    name: string;
    /** The node groups it resizes; default: all. */
    nodeGroups: string[];
    /** Unix cron (five fields) in `timeZone`. */
    recurrence: string;
    /** IANA time zone of the recurrence (Europe/Dublin); AWS handles daylight saving. */
    timeZone: string;
    /** The auto-scaling group's sizes from then on; all three are set (AWS reads an absent one as 0). */
    minSize: number;
    maxSize: number;
    desiredSize: number;
}

export interface HeadroomConfig {
    /** Placeholder pods kept running (0 turns headroom off). Each reserves `cpu` and `memory`. */
    replicas: number;
    cpu: string;
    memory: string;
}

export interface ClusterConfig {
    /** The EKS cluster's name: default `iam-<stack>`. Fixed at creation (renaming replaces the cluster). */
    name: string;
    /** Kubernetes minor version, quoted ("1.34"); at or above the supported floor (cluster/catalog.ts). */
    version: string;
    /** The pinned add-on versions for `version` (with any overrides from `addonVersions`). */
    pins: EksVersionPins;
    /** CIDRs allowed to the PUBLIC API endpoint; empty (default) turns the public endpoint off. */
    publicAccessCidrs: string[];
    /** Networks outside the VPC (VPN, peered) allowed to the PRIVATE endpoint on 443. Default none. */
    privateAccessCidrs: string[];
    /** IAM role/user ARNs given cluster-admin through EKS access entries (at least one). */
    adminPrincipals: string[];
    /** Control-plane log types sent to CloudWatch; must include api, audit and authenticator. */
    logTypes: LogType[];
    /** Days CloudWatch keeps the control-plane logs (a value CloudWatch accepts). Default 90. */
    logRetentionDays: number;
    /** Kubernetes Service CIDR; must not overlap the VPC or any peer network. */
    serviceCidr: string;
    /** IMDSv2 hop limit on the nodes: 1 (default) keeps pods away from the node role, 2 lets them through. */
    metadataHopLimit: number;
    /**
     * Managed node groups, at least one. With the cluster-autoscaler, at
     * least one takes pods without tolerations; with Karpenter, at least one
     * carries the `CriticalAddonsOnly` NoSchedule taint (the system group the
     * controllers run on) and the applications run on Karpenter's nodes.
     */
    nodeGroups: NodeGroupConfig[];
    /** The node autoscaler: karpenter (default) or cluster-autoscaler (cluster/karpenterSchema.ts). */
    autoscaler: Autoscaler;
    /** Karpenter's node classes, pools and pod floors; set exactly when `autoscaler` is karpenter. */
    karpenter?: KarpenterConfig;
    /** Low-priority placeholder pods keeping room free for scale-outs. */
    headroom: HeadroomConfig;
    /** Recurring resizes of the node groups' auto-scaling groups (e.g. nights and weekends). Default none. */
    scheduledScaling: ScheduledScaling[];
}

export const CLUSTER_KEYS = [
    "name", "version", "publicAccessCidrs", "privateAccessCidrs", "adminPrincipals", "logTypes", "logRetentionDays",
    "serviceCidr", "metadataHopLimit", "nodeGroups", "headroom", "scheduledScaling", "addonVersions", "autoscaler", "karpenter",
] as const;
const NODE_GROUP_KEYS = ["name", "instanceTypes", "capacityType", "amiType", "minSize", "maxSize", "desiredSize", "diskSizeGiB", "maxUnavailable", "labels", "taints"] as const;
const TAINT_KEYS = ["key", "value", "effect"] as const;
const SCHEDULE_KEYS = ["name", "nodeGroups", "recurrence", "timeZone", "minSize", "maxSize", "desiredSize"] as const;
const HEADROOM_KEYS = ["replicas", "cpu", "memory"] as const;
const ADDON_VERSION_KEYS = ["vpcCni", "coredns", "kubeProxy"] as const;

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const IAM_PRINCIPAL = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const CPU = /^([1-9]\d{0,5}m|\d{1,3}(\.\d{1,3})?)$/;
const MEMORY = /^[1-9]\d{0,6}(Mi|Gi)$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const REQUIRED_LOG_TYPES: readonly LogType[] = ["api", "audit", "authenticator"];
/** A private network a Service CIDR may come from (EKS rule). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Ipv4Cidr);

export interface ClusterContext {
    environment: Environment;
    stack: string;
    network: NetworkConfig;
    /** "Now" for the support-window check of `version` (cluster/catalog.ts supportStatus). */
    now: Date;
}

/** The fewest nodes a prod node group (and a prod scheduled action) may have: one node can fail. */
export const PROD_MIN_NODES = 2;

export function readCluster(f: Fields, ctx: ClusterContext): ClusterConfig {
    const name = f.string("name", { default: `iam-${ctx.stack}`, pattern: CLUSTER_NAME, expected: "1-100 letters, digits, '-' or '_', starting with a letter or digit" });
    const version = readVersion(f, ctx.now);
    const pins = readAddonVersions(f, version);
    const publicAccessCidrs = readCidrs(f, "publicAccessCidrs", 16, "the public API endpoint");
    const privateAccessCidrs = readCidrs(f, "privateAccessCidrs", 8, "the private API endpoint");
    const adminPrincipals = f.list("adminPrincipals", (item, path) => {
        const arn = readString(item, path, f.issues);
        if (arn.startsWith("arn:aws:sts::")) {
            f.issues.add(path, `must be an IAM role or user ARN, not a session (${show(arn)}): use arn:aws:iam::<account>:role/<name>`);
        } else if (arn !== "" && !IAM_PRINCIPAL.test(arn)) {
            f.issues.add(path, `must be an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin, got ${show(arn)}`);
        }
        return arn;
    }, { minItems: 1 });
    checkUnique(adminPrincipals, (a) => a, (i) => `${f.at("adminPrincipals")}[${i}]`, f.issues, "principal");
    // Each principal's access entry is named after it; two with one name would collide.
    checkUnique(adminPrincipals, (a) => (IAM_PRINCIPAL.test(a) ? principalKey(a) : ""), (i) => `${f.at("adminPrincipals")}[${i}]`, f.issues, "principal name");
    const logTypes = f.list("logTypes", (item, path) => {
        const type = readString(item, path, f.issues) as LogType;
        if (type !== ("" as LogType) && !LOG_TYPES.includes(type)) {
            f.issues.add(path, `must be one of ${LOG_TYPES.join(", ")}, got ${show(type)}`);
        }
        return type;
    }, { default: [...CLUSTER_DEFAULTS.logTypes] });
    checkUnique(logTypes, (t) => t, (i) => `${f.at("logTypes")}[${i}]`, f.issues, "log type");
    const missingLogs = REQUIRED_LOG_TYPES.filter((t) => !logTypes.includes(t));
    if (missingLogs.length > 0) {
        f.issues.add(f.at("logTypes"), `must include ${REQUIRED_LOG_TYPES.join(", ")} (who did what to the cluster), missing ${missingLogs.join(", ")}`);
    }
    const logRetentionDays = f.int("logRetentionDays", { default: CLUSTER_DEFAULTS.logRetentionDays, min: 1, max: 3653 });
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        f.issues.add(f.at("logRetentionDays"), `(${logRetentionDays}) must be a period CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const serviceCidr = readServiceCidr(f, ctx.network);
    const metadataHopLimit = f.int("metadataHopLimit", { default: CLUSTER_DEFAULTS.metadataHopLimit, min: 1, max: 2 });
    const nodeGroups = f.objectList("nodeGroups", NODE_GROUP_KEYS, (g) => readNodeGroup(g, ctx.environment), { minItems: 1 });
    checkUnique(nodeGroups, (g) => g.name, (i) => `${f.at("nodeGroups")}[${i}].name`, f.issues, "node group name");
    const { autoscaler, karpenter } = readAutoscaler(f);
    if (autoscaler === "cluster-autoscaler" && nodeGroups.length > 0 && nodeGroups.every((g) => g.taints.some((t) => t.effect !== "PreferNoSchedule"))) {
        f.issues.add(f.at("nodeGroups"), "must have one group without NoSchedule/NoExecute taints: the system add-ons and the headroom pods run there");
    }
    if (autoscaler === "karpenter" && nodeGroups.length > 0 && !nodeGroups.some(isSystemGroup)) {
        f.issues.add(f.at("nodeGroups"), "must have a system group tainted CriticalAddonsOnly=true:NoSchedule when cluster.autoscaler is karpenter: Karpenter and the other controllers run there, never on the nodes Karpenter manages");
    }
    const headroom = f.object("headroom", HEADROOM_KEYS, (h): HeadroomConfig => ({
        replicas: h.int("replicas", { default: CLUSTER_DEFAULTS.headroom.replicas, min: 0, max: 50 }),
        cpu: h.string("cpu", { default: CLUSTER_DEFAULTS.headroom.cpu, pattern: CPU, expected: "a CPU quantity like 500m or 1" }),
        memory: h.string("memory", { default: CLUSTER_DEFAULTS.headroom.memory, pattern: MEMORY, expected: "a memory quantity in Mi or Gi like 1Gi" }),
    }), { optional: true });
    const scheduledScaling = f.objectList("scheduledScaling", SCHEDULE_KEYS, (s) => readSchedule(s, nodeGroups, ctx.environment), { default: [] });
    checkUnique(scheduledScaling, (s) => s.name, (i) => `${f.at("scheduledScaling")}[${i}].name`, f.issues, "action name");
    if (ctx.network.availabilityZones.length < 2) {
        f.issues.add(f.path, "needs private subnets in at least 2 zones (network.availabilityZones): EKS places its control plane in two or more");
    }
    return {
        name, version, pins, publicAccessCidrs, privateAccessCidrs, adminPrincipals, logTypes, logRetentionDays,
        serviceCidr, metadataHopLimit, nodeGroups, headroom, scheduledScaling, autoscaler,
        ...(karpenter ? { karpenter } : {}),
    };
}

function readVersion(f: Fields, now: Date): string {
    const raw = f.value("version");
    if (typeof raw === "number") {
        f.issues.add(f.at("version"), `must be a quoted string like "1.34" (YAML reads 1.30 as the number 1.3), got ${raw}`);
        return "";
    }
    const version = f.string("version");
    const problem = version === "" ? undefined : kubernetesVersionProblem(version);
    if (problem) {
        f.issues.add(f.at("version"), problem);
    } else if (version !== "") {
        // Refused from the end of standard support, warned within 60 days of it.
        const status = supportStatus(version, now);
        if (status.problem) {
            f.issues.add(f.at("version"), status.problem);
        } else if (status.warning) {
            f.issues.warn(f.at("version"), status.warning);
        }
    }
    return version;
}

function readAddonVersions(f: Fields, version: string): EksVersionPins {
    const catalog: EksVersionPins = SUPPORTED_KUBERNETES_VERSIONS[version] ?? { addons: { vpcCni: "", coredns: "", kubeProxy: "" }, podIdentityAgent: "", cloudwatchObservability: "", clusterAutoscalerImageTag: "" };
    const addons = f.object("addonVersions", ADDON_VERSION_KEYS, (a) => {
        const read = (key: (typeof ADDON_VERSION_KEYS)[number]): string =>
            a.string(key, { default: catalog.addons[key], pattern: ADDON_VERSION, expected: "an EKS add-on version like v1.20.4-eksbuild.2" });
        const kubeProxy = read("kubeProxy");
        if (version !== "" && a.has("kubeProxy") && !kubeProxy.startsWith(`v${version}.`)) {
            a.issues.add(a.at("kubeProxy"), `(${kubeProxy}) must be a kube-proxy build of the cluster's version ${version} (v${version}.x-eksbuild.n)`);
        }
        return { vpcCni: read("vpcCni"), coredns: read("coredns"), kubeProxy };
    }, { optional: true });
    return { ...catalog, addons };
}

function readCidrs(f: Fields, key: string, widest: number, what: string): string[] {
    return f.list(key, (item, path) => {
        const text = readString(item, path, f.issues);
        const cidr = text === "" ? undefined : parseCidr(text);
        if (typeof cidr === "string") {
            f.issues.add(path, `${cidr}, got ${show(text)}`);
        } else if (cidr && cidr.prefix < widest) {
            f.issues.add(path, `(${text}) is too wide for ${what}: use /${widest} or narrower (never the whole internet)`);
        }
        return text;
    }, { default: [] });
}

function readServiceCidr(f: Fields, network: NetworkConfig): string {
    const text = f.string("serviceCidr", { default: CLUSTER_DEFAULTS.serviceCidr });
    const cidr = parseCidr(text);
    const path = f.at("serviceCidr");
    if (typeof cidr === "string") {
        f.issues.add(path, `${cidr}, got ${show(text)}`);
        return text;
    }
    if (cidr.prefix < 12 || cidr.prefix > 24) {
        f.issues.add(path, `(${text}) must be /12 to /24 (EKS limits)`);
    }
    if (!PRIVATE_RANGES.some((range) => cidrContains(range, cidr))) {
        f.issues.add(path, `(${text}) must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`);
    }
    for (const [label, other] of [["the VPC CIDR", network.cidr], ...network.peerCidrs.map((p) => ["peer network", p])]) {
        const parsed = parseCidr(other);
        if (typeof parsed !== "string" && cidrsOverlap(parsed, cidr)) {
            f.issues.add(path, `(${text}) overlaps ${label} ${other}: Service addresses must be unique across the connected networks`);
        }
    }
    return text;
}

function readNodeGroup(g: Fields, environment: Environment): NodeGroupConfig {
    const d = CLUSTER_DEFAULTS.nodeGroup;
    const name = g.string("name", { pattern: DNS_LABEL, expected: "a DNS label (lowercase letters, digits, '-')" });
    if (name.length > 24) {
        g.issues.add(g.at("name"), `must be at most 24 characters (it prefixes AWS names), got ${name.length}`);
    }
    const capacityType = g.string<CapacityType>("capacityType", { oneOf: CAPACITY_TYPES, default: d.capacityType });
    const amiType = g.string<AmiType>("amiType", { oneOf: AMI_TYPES, default: d.amiType });
    const instanceTypes = g.list("instanceTypes", (item, path) => {
        const type = readString(item, path, g.issues, { pattern: INSTANCE_TYPE, expected: "an EC2 instance type like m6i.large" });
        const arch = instanceArchitecture(type);
        if (type !== "" && arch !== amiArchitecture(amiType)) {
            g.issues.add(path, `(${type}) is an ${arch} instance type but amiType ${amiType} is ${amiArchitecture(amiType)}`);
        }
        return type;
    }, { minItems: 1 });
    checkUnique(instanceTypes, (t) => t, (i) => `${g.at("instanceTypes")}[${i}]`, g.issues, "instance type");
    if (capacityType === "SPOT" && instanceTypes.length < 2) {
        g.issues.add(g.at("instanceTypes"), `must list at least 2 instance types for SPOT capacity (one spot pool can be reclaimed all at once), got ${instanceTypes.length}`);
    }
    const minSize = g.int("minSize", { min: 0, max: 100 });
    if (environment === "prod" && minSize < PROD_MIN_NODES) {
        g.issues.add(g.at("minSize"), `(${minSize}) must be at least ${PROD_MIN_NODES} in prod, so the group survives losing a node`);
    }
    const maxSize = g.int("maxSize", { min: 1, max: 100 });
    if (minSize > maxSize) {
        g.issues.add(g.at("minSize"), `(${minSize}) must be <= maxSize (${maxSize})`);
    }
    const desiredSize = g.int("desiredSize", { default: minSize, min: 0, max: 100 });
    if (g.has("desiredSize") && minSize <= maxSize && (desiredSize < minSize || desiredSize > maxSize)) {
        g.issues.add(g.at("desiredSize"), `(${desiredSize}) must be between minSize (${minSize}) and maxSize (${maxSize})`);
    }
    const labels = g.stringMap("labels", { keyPattern: LABEL_KEY, expected: "a Kubernetes label key ([prefix/]name, name <= 63 characters)" });
    for (const [key, value] of Object.entries(labels)) {
        if (!LABEL_VALUE.test(value)) {
            g.issues.add(`${g.at("labels")}.${key}`, `must be a Kubernetes label value (<= 63 letters, digits, '-', '_', '.'), got ${show(value)}`);
        }
    }
    const taints = g.objectList("taints", TAINT_KEYS, (t): NodeTaint => {
        const key = t.string("key", { pattern: LABEL_KEY, expected: "a Kubernetes taint key" });
        const value = t.optionalString("value", { pattern: LABEL_VALUE, expected: "a Kubernetes label value" });
        const read = t.string<TaintEffect>("effect", { oneOf: TAINT_EFFECTS });
        // A bad effect (reported just now) counts as the mildest, so it is not blamed again as "every group tainted".
        const effect = TAINT_EFFECTS.includes(t.value("effect") as TaintEffect) ? read : "PreferNoSchedule";
        return value === undefined ? { key, effect } : { key, value, effect };
    }, { default: [] });
    return {
        name, instanceTypes, capacityType, amiType, minSize, maxSize, desiredSize,
        diskSizeGiB: g.int("diskSizeGiB", { default: d.diskSizeGiB, min: 20, max: 16384 }),
        maxUnavailable: g.int("maxUnavailable", { default: d.maxUnavailable, min: 1, max: 100 }),
        labels, taints,
    };
}

function readSchedule(s: Fields, groups: readonly NodeGroupConfig[], environment: Environment): ScheduledScaling {
    const name = s.string("name", { pattern: DNS_LABEL, expected: "a DNS label (lowercase letters, digits, '-')" });
    const known = groups.map((g) => g.name);
    const nodeGroups = s.list("nodeGroups", (item, path) => {
        const group = readString(item, path, s.issues);
        if (group !== "" && !known.includes(group)) {
            s.issues.add(path, `names node group ${show(group)}, which is not in cluster.nodeGroups (${known.join(", ")})`);
        }
        return group;
    }, { default: known, minItems: 1 });
    const recurrence = s.string("recurrence");
    const cron = recurrence === "" ? undefined : cronProblem(recurrence);
    if (cron) {
        s.issues.add(s.at("recurrence"), cron);
    }
    const timeZone = s.string("timeZone");
    const zone = timeZone === "" ? undefined : timeZoneProblem(timeZone);
    if (zone) {
        s.issues.add(s.at("timeZone"), zone);
    }
    const minSize = s.int("minSize", { min: 0, max: 100 });
    const maxSize = s.int("maxSize", { min: 0, max: 100 });
    const desiredSize = s.int("desiredSize", { min: 0, max: 100 });
    if (minSize > maxSize) {
        s.issues.add(s.at("minSize"), `(${minSize}) must be <= maxSize (${maxSize})`);
    } else if (desiredSize < minSize || desiredSize > maxSize) {
        s.issues.add(s.at("desiredSize"), `(${desiredSize}) must be between minSize (${minSize}) and maxSize (${maxSize})`);
    }
    if (environment === "prod" && minSize < PROD_MIN_NODES) {
        s.issues.add(s.at("minSize"), `(${minSize}) must be at least ${PROD_MIN_NODES} in prod, as for the node groups`);
    }
    for (const group of groups.filter((g) => nodeGroups.includes(g.name))) {
        if (maxSize > group.maxSize) {
            s.issues.add(s.at("maxSize"), `(${maxSize}) must be <= node group ${group.name}'s maxSize (${group.maxSize}): a schedule may shrink the budget, not raise it`);
        }
    }
    return { name, nodeGroups, recurrence, timeZone, minSize, maxSize, desiredSize };
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

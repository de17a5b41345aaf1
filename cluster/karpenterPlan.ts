/**
 * Karpenter's objects, pure: the NodePool and EC2NodeClass specs a config
 * asks for, the discovery tag, the interruption events, and the Helm values
 * of the controller. The component (cluster/karpenter.ts) maps them one to
 * one onto resources. Field names follow Karpenter's v1 CRDs
 * (`karpenter.sh/v1` NodePool, `karpenter.k8s.aws/v1` EC2NodeClass), checked
 * against the pinned version's CRD schemas in cluster/karpenterCrds.test.ts.
 */
import { NODE_IMAGE_ALIASES } from "./catalog";
import type { NodeClassConfig, NodePoolConfig } from "./karpenterSchema";

/** The tag Karpenter's EC2NodeClass selects subnets and security groups by: on the private subnets and the app nodes' group only. */
export function discoveryTag(clusterName: string): { key: string; value: string } {
    return { key: "karpenter.sh/discovery", value: clusterName };
}

/** The toleration of the system group's taint that controllers (and nothing else) carry. */
export const SYSTEM_TOLERATION = { key: "CriticalAddonsOnly", operator: "Exists" } as const;

/** Label key on every node of a NodePool (set by Karpenter): nodes without it are the managed node groups'. */
export const NODEPOOL_LABEL = "karpenter.sh/nodepool";

export interface NodeRequirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
    values?: string[];
}

export interface DisruptionBudget {
    nodes: string;
    reasons?: ("Underutilized" | "Empty" | "Drifted")[];
    schedule?: string;
    duration?: string;
}

export interface NodePoolSpec {
    template: {
        metadata: { labels: Record<string, string> };
        spec: {
            nodeClassRef: { group: "karpenter.k8s.aws"; kind: "EC2NodeClass"; name: string };
            requirements: NodeRequirement[];
            expireAfter: string;
            terminationGracePeriod: string;
        };
    };
    limits: { cpu: string; memory: string };
    disruption: { consolidationPolicy: string; consolidateAfter: string; budgets: DisruptionBudget[] };
    weight?: number;
}

/**
 * A NodePool: what Karpenter may launch (categories, families, sizes,
 * generations, architectures, capacity types), its total size cap, and how
 * nodes leave (consolidation, budgets, a window with none, expiry, the drain
 * deadline `terminationGracePeriod`). No taints:
 * every pod without a toleration of the system group lands here.
 */
export function nodePoolSpec(pool: NodePoolConfig): NodePoolSpec {
    const requirements: NodeRequirement[] = [
        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
        { key: "kubernetes.io/arch", operator: "In", values: [...pool.architectures] },
        { key: "karpenter.sh/capacity-type", operator: "In", values: [...pool.capacityTypes] },
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...pool.instanceCategories] },
        ...(pool.instanceFamilies ? [{ key: "karpenter.k8s.aws/instance-family", operator: "In" as const, values: [...pool.instanceFamilies] }] : []),
        { key: "karpenter.k8s.aws/instance-size", operator: "In", values: [...pool.instanceSizes] },
        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(pool.minimumGeneration - 1)] },
    ];
    const budgets: DisruptionBudget[] = pool.budgets.map((b) => ({
        nodes: b.nodes,
        ...(b.reasons ? { reasons: [...b.reasons] } : {}),
        ...(b.schedule !== undefined ? { schedule: b.schedule, duration: b.duration } : {}),
    }));
    if (pool.noDisruptionWindow) {
        budgets.push({ nodes: "0", schedule: pool.noDisruptionWindow.schedule, duration: pool.noDisruptionWindow.duration });
    }
    return {
        template: {
            metadata: { labels: { ...pool.labels, "iam/node-pool": pool.name } },
            spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.nodeClass },
                requirements,
                expireAfter: pool.expireAfter,
                // Expiry is forceful (no budget holds it back); this bounds how long its drain may wait on PDBs.
                terminationGracePeriod: pool.terminationGracePeriod,
            },
        },
        limits: { cpu: String(pool.limits.cpu), memory: pool.limits.memory },
        disruption: {
            consolidationPolicy: pool.consolidation.policy,
            consolidateAfter: pool.consolidation.consolidateAfter,
            budgets,
        },
        ...(pool.weight !== undefined ? { weight: pool.weight } : {}),
    };
}

export interface BlockDeviceMapping {
    deviceName: string;
    rootVolume?: boolean;
    ebs: { volumeSize: string; volumeType: "gp3"; encrypted: true; deleteOnTermination: true };
}

export interface EC2NodeClassSpec {
    role: string;
    amiSelectorTerms: { alias: string }[];
    subnetSelectorTerms: { tags: Record<string, string> }[];
    securityGroupSelectorTerms: { tags: Record<string, string> }[];
    metadataOptions: { httpEndpoint: "enabled"; httpProtocolIPv6: "disabled"; httpPutResponseHopLimit: 1; httpTokens: "required" };
    blockDeviceMappings: BlockDeviceMapping[];
    tags: Record<string, string>;
}

/** Tag keys Karpenter sets itself and refuses in `spec.tags`. */
const RESTRICTED_TAG = /^(eks:eks-cluster-name|kubernetes\.io\/cluster.*|karpenter\.sh\/nodepool|karpenter\.sh\/nodeclaim|karpenter\.k8s\.aws\/ec2nodeclass)$/;

/**
 * An EC2NodeClass: the pinned image (an alias of the family at the version in
 * `NODE_IMAGE_ALIASES`, never `latest`), the node role, subnets and the
 * security group found by the discovery tag (so not the EKS cluster group),
 * IMDSv2 only with hop limit 1 (pods cannot reach the node's role; Pod
 * Identity needs no IMDS), an encrypted gp3 root volume, and the stack's tags
 * on the instances, volumes and launch templates Karpenter creates.
 */
export function ec2NodeClassSpec(nodeClass: NodeClassConfig, args: { clusterName: string; nodeRoleName: string; tags: Record<string, string> }): EC2NodeClassSpec {
    const discovery = discoveryTag(args.clusterName);
    const ebs = (gib: number) => ({ volumeSize: `${gib}Gi`, volumeType: "gp3" as const, encrypted: true as const, deleteOnTermination: true as const });
    const bottlerocket = nodeClass.amiFamily === "Bottlerocket";
    return {
        role: args.nodeRoleName,
        amiSelectorTerms: [{ alias: bottlerocket ? `bottlerocket@${NODE_IMAGE_ALIASES.bottlerocket}` : `al2023@${NODE_IMAGE_ALIASES.al2023}` }],
        subnetSelectorTerms: [{ tags: { [discovery.key]: discovery.value } }],
        securityGroupSelectorTerms: [{ tags: { [discovery.key]: discovery.value } }],
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        // Bottlerocket boots from a small OS volume and keeps images and pods on a second (root) one.
        blockDeviceMappings: bottlerocket
            ? [
                  { deviceName: "/dev/xvda", ebs: ebs(4) },
                  { deviceName: "/dev/xvdb", rootVolume: true, ebs: ebs(nodeClass.diskSizeGiB) },
              ]
            : [{ deviceName: "/dev/xvda", rootVolume: true, ebs: ebs(nodeClass.diskSizeGiB) }],
        tags: Object.fromEntries(Object.entries(args.tags).filter(([key]) => !RESTRICTED_TAG.test(key))),
    };
}

/**
 * The EC2 and Health events Karpenter acts on ahead of time: a spot
 * interruption warning (two minutes), a rebalance recommendation, an instance
 * stopping or terminating, a scheduled change (maintenance), and a capacity
 * reservation interruption. Each becomes one EventBridge rule to the queue
 * (as in Karpenter's getting-started CloudFormation, v1.14).
 */
export const INTERRUPTION_EVENTS: readonly { name: string; pattern: { source: string[]; "detail-type": string[] } }[] = [
    { name: "spot-interruption", pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] } },
    { name: "rebalance", pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] } },
    { name: "instance-state-change", pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] } },
    { name: "scheduled-change", pattern: { source: ["aws.health"], "detail-type": ["AWS Health Event"] } },
    { name: "capacity-reservation-interruption", pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] } },
];

/** The controller's Kubernetes service account (its Pod Identity association names it). */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;

/**
 * The Karpenter chart's values (chart 1.14.1, charts/karpenter/values.yaml):
 * the cluster and interruption queue, the region from config (pods cannot
 * reach IMDS at hop limit 1), and placement: only on the system node groups,
 * never on a node Karpenter manages (`karpenter.sh/nodepool` must not exist
 * on the node), one per node, tolerating the system taint.
 */
export function karpenterValues<T>(args: { clusterName: T; interruptionQueue: T; region: string; replicas: number; systemNodeGroups: readonly string[] }): Record<string, unknown> {
    return {
        replicas: args.replicas,
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT.name },
        settings: { clusterName: args.clusterName, interruptionQueue: args.interruptionQueue },
        controller: {
            env: [{ name: "AWS_REGION", value: args.region }],
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        },
        priorityClassName: "system-cluster-critical",
        tolerations: [SYSTEM_TOLERATION],
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        {
                            matchExpressions: [
                                { key: NODEPOOL_LABEL, operator: "DoesNotExist" },
                                { key: "iam/node-group", operator: "In", values: [...args.systemNodeGroups] },
                            ],
                        },
                    ],
                },
            },
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] },
        },
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
        logLevel: "info",
    };
}

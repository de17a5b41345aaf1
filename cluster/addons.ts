import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HeadroomConfig } from "./schema";
import { podSecurityLabels } from "../lib/podSecurity";
import { ADDON_CHARTS, EksVersionPins, PAUSE_IMAGE } from "./catalog";
import { clusterAutoscalerPolicy, EXPENDABLE_PODS_PRIORITY_CUTOFF, HEADROOM_PRIORITY, ServiceAccountRef } from "./clusterPolicies";
import { PodIdentityCluster, podIdentityRole } from "./podIdentity";
import type { Autoscaler } from "./karpenterSchema";
import { NODEPOOL_LABEL, SYSTEM_TOLERATION } from "./karpenterPlan";

export interface AddonsArgs {
    /** The cluster's name (an output of the cluster). */
    clusterName: pulumi.Input<string>;
    /** The cluster's Pod Identity side (`Cluster.podIdentity`): the autoscaler's role is given to its service account there. */
    podIdentity: PodIdentityCluster;
    /** The AWS region (the autoscaler's API endpoint and node group ARNs). */
    region: string;
    /** Versions pinned for the cluster's Kubernetes version (the autoscaler's image). */
    pins: EksVersionPins;
    /** Placeholder pods that keep room free for pods that cannot wait for a new node. */
    headroom: HeadroomConfig;
    /** metrics-server replicas: 2 or more keeps the HPAs' metrics through a node drain. */
    metricsServerReplicas: number;
    /**
     * The node autoscaler. `cluster-autoscaler` installs it (with its role);
     * `karpenter` installs none here (cluster/karpenter.ts) and sends the
     * headroom pods to Karpenter's nodes.
     */
    autoscaler: Autoscaler;
}

/**
 * metrics-server's chart values (chart 3.13.0, charts/metrics-server/values.yaml
 * and templates/deployment.yaml at tag metrics-server-helm-chart-3.13.0; the
 * pods carry the selector labels `app.kubernetes.io/name: metrics-server` and
 * `app.kubernetes.io/instance: <release>`). The replicas are spread one per
 * node (`DoNotSchedule` on the host name): a node drain or loss takes one and
 * the HPAs keep their metrics; and across zones where it can. Requests as the
 * chart's defaults, plus a memory limit (the chart sets none).
 */
export function metricsServerValues(replicas: number): Record<string, unknown> {
    const selector = { matchLabels: { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": "metrics-server" } };
    return {
        replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        // A controller: it may run on the system node group (Karpenter mode), not only on app nodes.
        tolerations: [SYSTEM_TOLERATION],
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: selector },
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
        ],
    };
}

/** The autoscaler's Kubernetes service account, the only one its Pod Identity association gives the role to. */
export const AUTOSCALER_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: "kube-system", name: "cluster-autoscaler" };
/** Where the headroom pods live: not kube-system, whose pods the autoscaler never moves when it removes a node. */
export const HEADROOM_NAMESPACE = "cluster-headroom";

/**
 * The cluster's scaling add-ons: metrics-server (the HPAs' CPU and memory
 * metrics), the cluster-autoscaler (with an IAM role given to its service
 * account alone through EKS Pod Identity), and headroom: low-priority placeholder pods that any
 * real pod preempts at once, so a scale-out starts on free room while the
 * autoscaler brings the next node.
 *
 * Every Kubernetes resource here uses the cluster's provider, which waits
 * for the node groups.
 */
export class Addons extends pulumi.ComponentResource {
    /** The cluster-autoscaler's role, when it is the autoscaler. */
    readonly autoscalerRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:Addons", name, {}, opts);

        new k8s.helm.v3.Release(
            `${name}-metrics-server`,
            {
                name: "metrics-server",
                namespace: "kube-system",
                chart: ADDON_CHARTS.metricsServer.chart,
                version: ADDON_CHARTS.metricsServer.version,
                repositoryOpts: { repo: ADDON_CHARTS.metricsServer.repo },
                values: metricsServerValues(args.metricsServerReplicas),
                atomic: true,
                maxHistory: 5,
            },
            { parent: this },
        );

        if (args.autoscaler === "cluster-autoscaler") {
            this.autoscalerRoleArn = this.clusterAutoscaler(name, args);
        }

        this.headroom(name, args.headroom, args.autoscaler);
        this.registerOutputs({ autoscalerRoleArn: this.autoscalerRoleArn });
    }

    /** The cluster-autoscaler with its Pod Identity role: it resizes the managed node groups. */
    private clusterAutoscaler(name: string, args: AddonsArgs): pulumi.Output<string> {
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        // Same resource name as the IRSA role it replaces: the trust is updated in place.
        const { role, association } = podIdentityRole(
            `${name}-autoscaler`,
            {
                cluster: args.podIdentity,
                serviceAccount: AUTOSCALER_SERVICE_ACCOUNT,
                description: "cluster-autoscaler (EKS Pod Identity): resizes this cluster's node groups",
                // It lists the auto-scaling groups as it starts, and the release waits for it to be ready.
                waitForAgent: true,
            },
            this,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-autoscaler`,
            {
                role: role.name,
                policy: pulumi
                    .all([args.clusterName, partition, identity.accountId])
                    .apply(([clusterName, part, account]) => JSON.stringify(clusterAutoscalerPolicy(clusterName, `arn:${part}:eks:${args.region}:${account}`))),
            },
            { parent: this },
        );

        new k8s.helm.v3.Release(
            `${name}-cluster-autoscaler`,
            {
                name: "cluster-autoscaler",
                namespace: AUTOSCALER_SERVICE_ACCOUNT.namespace,
                chart: ADDON_CHARTS.clusterAutoscaler.chart,
                version: ADDON_CHARTS.clusterAutoscaler.version,
                repositoryOpts: { repo: ADDON_CHARTS.clusterAutoscaler.repo },
                values: {
                    cloudProvider: "aws",
                    awsRegion: args.region,
                    fullnameOverride: "cluster-autoscaler",
                    // EKS tags every managed node group's auto-scaling group with these.
                    autoDiscovery: { clusterName: args.clusterName },
                    image: { tag: args.pins.clusterAutoscalerImageTag },
                    rbac: {
                        serviceAccount: {
                            create: true,
                            name: AUTOSCALER_SERVICE_ACCOUNT.name,
                        },
                    },
                    priorityClassName: "system-cluster-critical",
                    extraArgs: {
                        "balance-similar-node-groups": true,
                        expander: "least-waste",
                        // Stated, not defaulted: the headroom priority is chosen against it.
                        "expendable-pods-priority-cutoff": EXPENDABLE_PODS_PRIORITY_CUTOFF,
                        "skip-nodes-with-local-storage": false,
                    },
                    resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
                },
                atomic: true,
                maxHistory: 5,
            },
            { parent: this, dependsOn: [policy, association] },
        );

        return role.arn;
    }

    /**
     * With Karpenter the placeholders must sit on Karpenter's nodes (a
     * placeholder on a system node keeps no room for the applications), so
     * they require a `karpenter.sh/nodepool` label; pending, they make
     * Karpenter launch a node ahead of need, and consolidation counts them as
     * the pods they are.
     */
    private headroom(name: string, headroom: HeadroomConfig, autoscaler: Autoscaler): void {
        const namespace = new k8s.core.v1.Namespace(
            `${name}-headroom`,
            {
                metadata: {
                    name: HEADROOM_NAMESPACE,
                    // restricted: the pause pods run non-root, read-only, no capabilities, RuntimeDefault seccomp.
                    labels: podSecurityLabels("restricted"),
                },
            },
            { parent: this },
        );
        const priorityClass = new k8s.scheduling.v1.PriorityClass(
            `${name}-headroom`,
            {
                metadata: { name: "headroom" },
                value: HEADROOM_PRIORITY,
                globalDefault: false,
                // Placeholders only ever give way; they never evict anything.
                preemptionPolicy: "Never",
                description: "Placeholder pods that keep room free; every real pod preempts them",
            },
            { parent: this },
        );
        const labels = { app: "headroom" };
        const resources = { cpu: headroom.cpu, memory: headroom.memory };
        new k8s.apps.v1.Deployment(
            `${name}-headroom`,
            {
                metadata: {
                    name: "headroom",
                    namespace: namespace.metadata.name,
                    // Placeholders may wait for room that the autoscaler's maxSize (or a
                    // scheduled scale-down) does not allow; that must not fail a deploy.
                    annotations: {
                        "pulumi.com/skipAwait": "true",
                        // The policy pack exempts it from probes and HPA/PDB (policy/workloadRules.ts).
                        "guardrails.iam/placeholder": "pause pods that keep room free for real pods; nothing to probe, sized by config, preempted by design",
                    },
                },
                spec: {
                    replicas: headroom.replicas,
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: {
                            priorityClassName: priorityClass.metadata.name,
                            ...(autoscaler === "karpenter"
                                ? {
                                      affinity: {
                                          nodeAffinity: {
                                              requiredDuringSchedulingIgnoredDuringExecution: {
                                                  nodeSelectorTerms: [{ matchExpressions: [{ key: NODEPOOL_LABEL, operator: "Exists" }] }],
                                              },
                                          },
                                      },
                                  }
                                : {}),
                            terminationGracePeriodSeconds: 0,
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, runAsUser: 65535, runAsGroup: 65535, seccompProfile: { type: "RuntimeDefault" } },
                            // Spread so the free room is in every zone a pod may be sent to.
                            topologySpreadConstraints: [
                                {
                                    maxSkew: 1,
                                    topologyKey: "topology.kubernetes.io/zone",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: labels },
                                },
                            ],
                            containers: [
                                {
                                    name: "pause",
                                    image: PAUSE_IMAGE,
                                    resources: { requests: resources, limits: resources },
                                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                },
                            ],
                        },
                    },
                },
            },
            { parent: this },
        );
    }
}

/**
 * The cluster area's wiring: EKS, its add-ons, Karpenter and the AWS Load
 * Balancer Controller. Takes the network's hand-off only.
 */
import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import { Addons } from "../cluster/addons";
import { isSystemGroup } from "../cluster/autoscalerConfig";
import { Cluster } from "../cluster/cluster";
import { Karpenter } from "../cluster/karpenter";
import { LoadBalancerController } from "../cluster/loadBalancerController";
import { ENVIRONMENT_DEFAULTS } from "../lib/environment";
import { karpenterConfigOf, stackTags, type StackContext } from "./context";
import type { NetworkWiring } from "./network";

/** What the cluster takes from the areas before it. */
export interface ClusterHandOff {
    /** The VPC, its private subnets and the security groups the cluster and its nodes use. */
    readonly network: NetworkWiring;
}

/** What the cluster hands on to the areas that put things into it. */
export interface ClusterWiring {
    /** The EKS cluster: its name, Pod Identity, node groups, kubeconfig and cluster security group. */
    readonly cluster: Cluster;
    /** The AWS provider and the cluster's Kubernetes provider: every in-cluster component is created with both. */
    readonly providers: { aws: aws.Provider; kubernetes: k8s.Provider };
    /** Karpenter, when it is the autoscaler: pods and the schema Job wait for its NodePools (a node can be given). */
    readonly karpenter: Karpenter | undefined;
    /** The load balancer controller: only the TargetGroupBindings wait for it (`ready`). */
    readonly loadBalancerController: LoadBalancerController;
}

/** Wires EKS, its add-ons, Karpenter (when configured) and the load balancer controller. */
export function wireCluster({ name, config, awsProvider }: StackContext, { network: { network, access } }: ClusterHandOff): ClusterWiring {
    const karpenterConfig = karpenterConfigOf(config);
    // EKS takes inputs from the network and the access matrix only, so the
    // load balancer, certificate validation and data stores never wait for it.
    const cluster = new Cluster(
        `${name}-cluster`,
        {
            config: config.cluster,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            nodeSecurityGroupId: access.securityGroupIds.appNodes,
            controlPlaneRules: access.controlPlaneRules,
            securityGroupIds: access.securityGroupIds,
            protect: config.protect,
            instanceTags: stackTags(config),
        },
        { providers: { aws: awsProvider } },
    );
    const providers = { aws: awsProvider, kubernetes: cluster.provider };
    new Addons(
        `${name}-addons`,
        {
            clusterName: cluster.clusterName,
            podIdentity: cluster.podIdentity,
            region: config.region,
            pins: config.cluster.pins,
            headroom: config.cluster.headroom,
            metricsServerReplicas: ENVIRONMENT_DEFAULTS[config.environment].minReplicas,
            autoscaler: config.cluster.autoscaler,
        },
        { providers },
    );
    // Karpenter waits for the cluster's provider (the system node groups) only.
    const karpenter =
        karpenterConfig &&
        new Karpenter(
            `${name}-karpenter`,
            {
                clusterName: cluster.clusterName,
                configuredClusterName: config.cluster.name,
                kubernetesVersion: config.cluster.version,
                config: karpenterConfig,
                podIdentity: cluster.podIdentity,
                region: config.region,
                replicas: ENVIRONMENT_DEFAULTS[config.environment].minReplicas,
                systemNodeGroups: config.cluster.nodeGroups.filter(isSystemGroup).map((g) => g.name),
                instanceTags: stackTags(config),
            },
            { providers },
        );
    // Registers the pods into the target groups (TargetGroupBindings only).
    // Only the bindings wait for it; the Deployments do not (its pod webhook
    // ignores failures: docs/cluster.md).
    const loadBalancerController = new LoadBalancerController(
        `${name}-lb-controller`,
        {
            clusterName: cluster.clusterName,
            podIdentity: cluster.podIdentity,
            region: config.region,
            vpcId: network.vpcId,
            stack: config.stack,
            kubeconfig: cluster.kubeconfig,
        },
        { providers },
    );
    return { cluster, providers, karpenter, loadBalancerController };
}

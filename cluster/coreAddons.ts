import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksVersionPins } from "./catalog";

export interface CoreAddonsArgs {
    /** The cluster's name, as an output of the cluster (so the add-ons wait for it). */
    clusterName: pulumi.Input<string>;
    /** Add-on versions pinned for the cluster's Kubernetes version. */
    pins: EksVersionPins;
    /** The `eks-pod-identity-agent` build for the cluster's version (`POD_IDENTITY_AGENT_VERSIONS`). */
    podIdentityAgentVersion: string;
    /** The node groups: CoreDNS waits for them (with no node its pods cannot start and the add-on never turns ACTIVE). */
    nodeGroups: pulumi.Resource[];
}

/**
 * The VPC CNI's configuration: its network policy agent enforces the
 * Kubernetes NetworkPolicies the workloads declare. Without it EKS accepts
 * NetworkPolicies and silently ignores them.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * The EKS-managed core add-ons, versions pinned: vpc-cni (pod networking
 * and NetworkPolicy enforcement), kube-proxy (Service routing), CoreDNS,
 * and the EKS Pod Identity agent (credentials for pods with an association).
 *
 * EKS installs self-managed copies of all three when it creates the cluster
 * (`bootstrapSelfManagedAddons`), so the nodes can join at once; these
 * resources take them over (`resolveConflictsOnCreate: OVERWRITE`) in
 * parallel with the node groups instead of putting an add-on install in
 * front of them. vpc-cni, kube-proxy and the Pod Identity agent are
 * DaemonSets and turn ACTIVE with no node, so they are created with the
 * node groups, not after them; CoreDNS waits for the node groups. `preserve` keeps the software
 * running if a resource here is ever deleted, because a cluster without its
 * CNI loses pod networking.
 */
export class CoreAddons extends pulumi.ComponentResource {
    readonly vpcCni: aws.eks.Addon;
    readonly kubeProxy: aws.eks.Addon;
    readonly coredns: aws.eks.Addon;
    /** The Pod Identity agent: Pod Identity associations of pods that need credentials at start wait for it. */
    readonly podIdentityAgent: aws.eks.Addon;

    constructor(name: string, args: CoreAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:CoreAddons", name, {}, opts);
        const common = {
            clusterName: args.clusterName,
            resolveConflictsOnCreate: "OVERWRITE",
            // The config here is the truth: a hand edit in the cluster is undone on the next update.
            resolveConflictsOnUpdate: "OVERWRITE",
            preserve: true,
        };
        this.vpcCni = new aws.eks.Addon(
            `${name}-vpc-cni`,
            {
                ...common,
                addonName: "vpc-cni",
                addonVersion: args.pins.addons.vpcCni,
                configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
            },
            { parent: this },
        );
        this.kubeProxy = new aws.eks.Addon(
            `${name}-kube-proxy`,
            {
                ...common,
                addonName: "kube-proxy",
                addonVersion: args.pins.addons.kubeProxy,
            },
            { parent: this },
        );
        this.coredns = new aws.eks.Addon(
            `${name}-coredns`,
            {
                ...common,
                addonName: "coredns",
                addonVersion: args.pins.addons.coredns,
            },
            { parent: this, dependsOn: args.nodeGroups },
        );
        this.podIdentityAgent = new aws.eks.Addon(
            `${name}-pod-identity-agent`,
            {
                ...common,
                addonName: "eks-pod-identity-agent",
                addonVersion: args.podIdentityAgentVersion,
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}

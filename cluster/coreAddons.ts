import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addonVersion } from "./addonVersion";
import { EKS_ADDON_NAMES, EksVersionPins } from "./catalog";

export interface CoreAddonsArgs {
    /** The cluster's name, as an output of the cluster (so the add-ons wait for it). */
    clusterName: pulumi.Input<string>;
    /** The cluster's Kubernetes minor: an add-on the catalog leaves unpinned gets EKS's default for it. */
    kubernetesVersion: string;
    /** Add-on versions pinned for the cluster's Kubernetes version. */
    pins: EksVersionPins;
    /** The `eks-pod-identity-agent` build for the cluster's version (`POD_IDENTITY_AGENT_VERSIONS`); undefined: EKS's default. */
    podIdentityAgentVersion: string | undefined;
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
 * The EKS-managed core add-ons, versions pinned (or, where the catalog has
 * no pin for the minor, EKS's default read at preview: cluster/addonVersion.ts): vpc-cni (pod networking
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
        const version = (addonName: string, pinned: string | undefined): pulumi.Input<string> =>
            addonVersion({ addonName, kubernetesVersion: args.kubernetesVersion, pinned }, this);
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
                addonName: EKS_ADDON_NAMES.vpcCni,
                addonVersion: version(EKS_ADDON_NAMES.vpcCni, args.pins.addons.vpcCni),
                configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
            },
            { parent: this },
        );
        this.kubeProxy = new aws.eks.Addon(
            `${name}-kube-proxy`,
            {
                ...common,
                addonName: EKS_ADDON_NAMES.kubeProxy,
                addonVersion: version(EKS_ADDON_NAMES.kubeProxy, args.pins.addons.kubeProxy),
            },
            { parent: this },
        );
        this.coredns = new aws.eks.Addon(
            `${name}-coredns`,
            {
                ...common,
                addonName: EKS_ADDON_NAMES.coredns,
                addonVersion: version(EKS_ADDON_NAMES.coredns, args.pins.addons.coredns),
            },
            { parent: this, dependsOn: args.nodeGroups },
        );
        this.podIdentityAgent = new aws.eks.Addon(
            `${name}-pod-identity-agent`,
            {
                ...common,
                addonName: EKS_ADDON_NAMES.podIdentityAgent,
                addonVersion: version(EKS_ADDON_NAMES.podIdentityAgent, args.podIdentityAgentVersion),
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}

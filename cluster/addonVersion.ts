/**
 * The version an EKS add-on is installed at: the catalog's pin, or, where the
 * catalog has none for the cluster's minor (cluster/catalog.ts), the version
 * EKS names as that minor's default, read at every preview and update with
 * `aws.eks.getAddonVersion` (`mostRecent: false` returns the default, not the
 * newest: Terraform AWS provider, data source aws_eks_addon_version). The
 * config loader warns about each unpinned add-on and the stack output
 * `unpinnedAddons` shows what was resolved.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What `addonVersion` needs: the add-on, the cluster's minor, and the pin when there is one. */
export interface AddonVersionArgs {
    /** The EKS add-on name (`vpc-cni`, `amazon-cloudwatch-observability`, ...). */
    addonName: string;
    /** The cluster's Kubernetes minor ("1.36"). */
    kubernetesVersion: string;
    /** The pinned version; undefined resolves EKS's default for the minor. */
    pinned: string | undefined;
}

/** The pin, or EKS's default version of the add-on for the minor (an invoke under `parent`, so it runs in preview too). */
export function addonVersion(args: AddonVersionArgs, parent: pulumi.Resource): pulumi.Input<string> {
    if (args.pinned !== undefined) {
        return args.pinned;
    }
    return aws.eks.getAddonVersionOutput({ addonName: args.addonName, kubernetesVersion: args.kubernetesVersion, mostRecent: false }, { parent }).version;
}

/**
 * The stack output `unpinnedAddons`: each EKS add-on the catalog (and the
 * config's overrides) leave unpinned for the cluster's minor, with the
 * default version EKS reports for it now. Empty when everything is pinned.
 */
export function unpinnedAddonVersions(kubernetesVersion: string, unpinned: readonly string[], opts: pulumi.InvokeOutputOptions): Record<string, pulumi.Output<string>> {
    return Object.fromEntries(unpinned.map((addonName) => [addonName, aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion, mostRecent: false }, opts).version]));
}

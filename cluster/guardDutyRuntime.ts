import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface GuardDutyRuntimeArgs {
    /** The cluster's name (an output, so the add-on waits for the cluster). */
    clusterName: pulumi.Input<string>;
    /** The pinned `aws-guardduty-agent` version (`cluster.guardDuty.addonVersion`). */
    addonVersion: string;
    /** The node groups: the agent is a DaemonSet and turns ACTIVE only once it runs on a node. */
    nodeGroups: pulumi.Resource[];
}

/**
 * GuardDuty EKS Runtime Monitoring, cluster side: the `aws-guardduty-agent`
 * add-on (a DaemonSet in the `amazon-guardduty` namespace, which the add-on
 * creates and which is privileged by design: it reads kernel events). The
 * agent sends to the `guardduty-data` VPC endpoint (network/vpcEndpoints.ts),
 * reached through the matrix's `appNodes -> endpoints` on 443. Findings
 * appear only when the account's GuardDuty detector has Runtime Monitoring
 * (EKS) on: that is the account owner's, not this stack's (docs/cluster.md).
 */
export class GuardDutyRuntime extends pulumi.ComponentResource {
    constructor(name: string, args: GuardDutyRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:GuardDutyRuntime", name, {}, opts);
        new aws.eks.Addon(
            `${name}-agent`,
            {
                clusterName: args.clusterName,
                addonName: "aws-guardduty-agent",
                addonVersion: args.addonVersion,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: args.nodeGroups },
        );
        this.registerOutputs({});
    }
}

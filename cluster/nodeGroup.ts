import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NodeGroupConfig, ScheduledScaling } from "./schema";
import { eksTaint } from "./clusterPolicies";

export interface ManagedNodeGroupArgs {
    /** The cluster's name, as an output of the cluster (so the group waits for it). */
    clusterName: pulumi.Input<string>;
    /** Kubernetes minor version of the kubelets; follows the control plane's on upgrades. */
    kubernetesVersion: string;
    /** The validated node group config (sizes, instance types, labels, taints). */
    config: NodeGroupConfig;
    /** The node IAM role (must already have the worker, CNI and registry policies). */
    nodeRoleArn: pulumi.Input<string>;
    /** Private subnets, one per zone; never public ones. Must not be empty. */
    subnetIds: pulumi.Input<string>[];
    /** Every security group the nodes carry (the launch template's list is the whole list). */
    securityGroupIds: pulumi.Input<string>[];
    /** IMDSv2 hop limit, 1 or 2. */
    metadataHopLimit: number;
    /** Tags for the instances and volumes the group launches (provider default tags do not reach them). */
    instanceTags: Record<string, string>;
    /** Scheduled actions that resize this group's auto-scaling group. */
    schedules: ScheduledScaling[];
    /**
     * What the nodes need before they start: the node role's policies (without
     * them nodes never join). A component's `dependsOn` does not reach its
     * children, so it is an argument.
     */
    waitFor: pulumi.Resource[];
}

/**
 * One EKS managed node group with its own launch template.
 *
 * Built from `aws.eks.NodeGroup` + `aws.ec2.LaunchTemplate` rather than
 * `eks.ManagedNodeGroup`: every setting a reviewer cares about (IMDSv2, the
 * encrypted root volume, the security groups) is then a plain input here,
 * and the auto-scaling group's name is an ordinary output that target group
 * attachments and scheduled actions can use.
 *
 * The launch template sets no AMI and no user data, so EKS picks the
 * optimized AL2023 image for the version and bootstraps the node itself.
 * It does set the security groups, and EKS then adds none of its own: the
 * list given is every group the nodes carry.
 */
export class ManagedNodeGroup extends pulumi.ComponentResource {
    /** The EKS node group's name (autonamed, so a replacement can come up before the old group goes). */
    readonly nodeGroupName: pulumi.Output<string>;
    /** The name of the auto-scaling group EKS created for the group. */
    readonly asgName: pulumi.Output<string>;
    readonly nodeGroup: aws.eks.NodeGroup;

    constructor(name: string, args: ManagedNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:ManagedNodeGroup", name, {}, opts);
        const { config } = args;
        if (args.subnetIds.length === 0) {
            throw new Error(`ManagedNodeGroup ${name}: subnetIds is empty; a node group needs the private subnet of every zone`);
        }
        const tags = { ...args.instanceTags, Name: name };

        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                description: `EKS node group ${config.name}: IMDSv2 only, encrypted root volume`,
                updateDefaultVersion: true,
                vpcSecurityGroupIds: args.securityGroupIds,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: args.metadataHopLimit,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        // The AL2023 EKS images boot from /dev/xvda.
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: config.diskSizeGiB,
                            volumeType: "gp3",
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags })),
                tags: { Name: name },
            },
            { parent: this },
        );

        this.nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: args.clusterName,
                nodeRoleArn: args.nodeRoleArn,
                subnetIds: args.subnetIds,
                version: args.kubernetesVersion,
                amiType: config.amiType,
                capacityType: config.capacityType,
                instanceTypes: config.instanceTypes,
                scalingConfig: { minSize: config.minSize, maxSize: config.maxSize, desiredSize: config.desiredSize },
                updateConfig: { maxUnavailable: config.maxUnavailable },
                labels: { ...config.labels, "iam/node-group": config.name },
                taints: config.taints.map(eksTaint),
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                // EKS replaces nodes that stop reporting Ready instead of leaving them to rot.
                nodeRepairConfig: { enabled: true },
                tags: { Name: name },
            },
            {
                parent: this,
                dependsOn: args.waitFor,
                // The cluster-autoscaler owns the node count once the group exists:
                // an update must not reset it to the configured starting size.
                ignoreChanges: ["scalingConfig.desiredSize"],
            },
        );

        this.nodeGroupName = this.nodeGroup.nodeGroupName;
        this.asgName = this.nodeGroup.resources.apply((resources) => {
            const asg = resources?.[0]?.autoscalingGroups?.[0]?.name;
            if (!asg) {
                throw new Error(`node group ${name} reports no auto-scaling group`);
            }
            return asg;
        });

        for (const schedule of args.schedules) {
            new aws.autoscaling.Schedule(
                `${name}-${schedule.name}`,
                {
                    autoscalingGroupName: this.asgName,
                    scheduledActionName: schedule.name,
                    recurrence: schedule.recurrence,
                    timeZone: schedule.timeZone,
                    // All three are set: AWS reads an absent size as 0, not "unchanged".
                    minSize: schedule.minSize,
                    maxSize: schedule.maxSize,
                    desiredCapacity: schedule.desiredSize,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ nodeGroupName: this.nodeGroupName, asgName: this.asgName });
    }
}

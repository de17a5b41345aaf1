import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_CHART_REPOSITORY, KARPENTER_CHARTS } from "./catalog";
import { createNodeRole } from "./nodeRole";
import { interruptionQueuePolicy, karpenterControllerPolicy } from "./karpenterPolicy";
import { ec2NodeClassSpec, INTERRUPTION_EVENTS, KARPENTER_SERVICE_ACCOUNT, karpenterValues, nodePoolSpec } from "./karpenterPlan";
import type { KarpenterConfig } from "./karpenterSchema";
import { PodIdentityCluster, podIdentityRole } from "./podIdentity";

export interface KarpenterArgs {
    /** The cluster's name as an output of the cluster: the access entry and the releases wait for it. */
    clusterName: pulumi.Input<string>;
    /** The cluster's name from config (known at program time): IAM scoping, discovery tag, object names. */
    configuredClusterName: string;
    /** The cluster's Kubernetes minor: picks the chart in `KARPENTER_CHARTS`. */
    kubernetesVersion: string;
    /** The validated `cluster.karpenter` section. */
    config: KarpenterConfig;
    /** The cluster's Pod Identity side: the controller's role is given to kube-system/karpenter there. */
    podIdentity: PodIdentityCluster;
    /** The stack's region (the controller's AWS_REGION; pods cannot reach IMDS at hop limit 1). */
    region: string;
    /** Controller replicas: 2 in prod (one per system node), 1 in staging. */
    replicas: number;
    /** The system node groups' names (`iam/node-group` label): the controller runs there only. */
    systemNodeGroups: string[];
    /** The stack's tags, for the instances, volumes and launch templates Karpenter creates (provider default tags do not reach them). */
    instanceTags: Record<string, string>;
}

/**
 * Karpenter, the node autoscaler: it launches EC2 instances for pods that do
 * not fit (NodePools from config) and removes or replaces nodes that are
 * empty, underused, drifted or expired, within the pools' disruption budgets.
 *
 * - Its nodes: their own IAM role, joining through an `EC2_LINUX` access
 *   entry (the managed node groups' role already has the entry EKS made), and
 *   one EC2NodeClass per configured class (pinned image, IMDSv2 hop limit 1,
 *   encrypted gp3, subnets and security group by discovery tag).
 * - Interruptions: an SSE-encrypted SQS queue fed by EventBridge rules (spot
 *   interruption, rebalance, instance state change, AWS Health scheduled
 *   change, capacity reservation interruption), `settings.interruptionQueue`.
 * - The controller: the pinned chart (CRDs from the separate CRD chart, so
 *   an upgrade updates them), with the getting-started IAM policy scoped by
 *   the cluster's tags, through EKS Pod Identity; on the system node groups
 *   only, never on a node it manages.
 *
 * Everything Kubernetes waits only for the cluster's provider (the system
 * node groups). The NodePools and EC2NodeClasses wait for the controller (and
 * so for the CRDs): `pulumi destroy` deletes them first, while the controller
 * still runs to drain and terminate their nodes and lift its finalizers; only
 * then the controller, its identity and the CRDs. The other way round, the
 * instances would outlive the stack and their network interfaces keep the
 * subnets and the VPC from being deleted (docs/operations/teardown.md).
 */
export class Karpenter extends pulumi.ComponentResource {
    /** The controller's Helm release (installed and ready). */
    readonly controller: k8s.helm.v3.Release;
    /** The NodePools: pods that can only run on Karpenter's nodes wait for these. */
    readonly nodePools: k8s.apiextensions.CustomResource[];
    readonly interruptionQueueName: pulumi.Output<string>;
    readonly nodeRoleName: pulumi.Output<string>;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:Karpenter", name, {}, opts);
        const chart = KARPENTER_CHARTS[args.kubernetesVersion];
        if (!chart) {
            throw new Error(`Karpenter ${name}: no Karpenter chart pinned for Kubernetes ${args.kubernetesVersion}; add it to KARPENTER_CHARTS in cluster/catalog.ts`);
        }
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // Interruption handling: EventBridge -> SQS (SSE) -> controller.
        const queue = new aws.sqs.Queue(
            `${name}-interruption`,
            {
                messageRetentionSeconds: 300,
                sqsManagedSseEnabled: true,
            },
            { parent: this },
        );
        new aws.sqs.QueuePolicy(
            `${name}-interruption`,
            {
                queueUrl: queue.url,
                policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))),
            },
            { parent: this },
        );
        for (const event of INTERRUPTION_EVENTS) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${event.name}`,
                {
                    description: `Karpenter (${args.configuredClusterName}): ${event.pattern["detail-type"][0]}`,
                    eventPattern: JSON.stringify(event.pattern),
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(`${name}-${event.name}`, { rule: rule.name, arn: queue.arn }, { parent: this });
        }

        // The nodes' role, and the access entry that lets them join.
        const { role: nodeRole, policies: nodePolicies } = createNodeRole(name, `Nodes Karpenter launches for EKS cluster ${args.configuredClusterName}`, partition, this);
        const nodeAccess = new aws.eks.AccessEntry(
            `${name}-node-access`,
            {
                clusterName: args.clusterName,
                principalArn: nodeRole.arn,
                type: "EC2_LINUX",
            },
            { parent: this },
        );

        // The controller's identity and policy.
        const { role, association } = podIdentityRole(
            `${name}-controller`,
            {
                cluster: args.podIdentity,
                serviceAccount: KARPENTER_SERVICE_ACCOUNT,
                description: `Karpenter controller of EKS cluster ${args.configuredClusterName} (EKS Pod Identity)`,
                // It calls EC2 and SQS as it starts; its release waits for readiness.
                waitForAgent: true,
            },
            this,
        );
        const controllerPolicy = new aws.iam.RolePolicy(
            `${name}-controller`,
            {
                role: role.name,
                policy: pulumi.all([partition, accountId, nodeRole.arn, queue.arn]).apply(([part, account, nodeRoleArn, queueArn]) =>
                    JSON.stringify(
                        karpenterControllerPolicy({
                            partition: part,
                            region: args.region,
                            account,
                            clusterName: args.configuredClusterName,
                            nodeRoleArn,
                            queueArn,
                        }),
                    ),
                ),
            },
            { parent: this },
        );

        const crds = new k8s.helm.v3.Release(
            `${name}-crd`,
            {
                name: "karpenter-crd",
                namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
                chart: `${KARPENTER_CHART_REPOSITORY}/karpenter-crd`,
                version: chart.version,
                atomic: true,
                maxHistory: 5,
            },
            { parent: this },
        );

        this.controller = new k8s.helm.v3.Release(
            `${name}-controller`,
            {
                name: "karpenter",
                namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
                chart: `${KARPENTER_CHART_REPOSITORY}/karpenter`,
                version: chart.version,
                // The CRDs come from the CRD chart, which Helm upgrades (a chart's crds/ directory it never does).
                skipCrds: true,
                values: karpenterValues({
                    clusterName: args.clusterName,
                    interruptionQueue: queue.name,
                    region: args.region,
                    replicas: args.replicas,
                    systemNodeGroups: args.systemNodeGroups,
                }),
                atomic: true,
                maxHistory: 5,
            },
            { parent: this, dependsOn: [crds, controllerPolicy, association] },
        );

        const classes = new Map(
            args.config.nodeClasses.map((nodeClass) => [
                nodeClass.name,
                new k8s.apiextensions.CustomResource(
                    `${name}-class-${nodeClass.name}`,
                    {
                        apiVersion: "karpenter.k8s.aws/v1",
                        kind: "EC2NodeClass",
                        metadata: { name: nodeClass.name },
                        spec: nodeRole.name.apply((nodeRoleName) =>
                            ec2NodeClassSpec(nodeClass, { clusterName: args.configuredClusterName, nodeRoleName, tags: args.instanceTags }),
                        ),
                        // Nodes launched from it must be able to join: the role's policies and access entry first.
                    },
                    // The controller: destroyed after this class (its finalizer waits for the class's nodes to go).
                    { parent: this, dependsOn: [crds, this.controller, nodeAccess, ...nodePolicies] },
                ),
            ]),
        );

        this.nodePools = args.config.nodePools.map(
            (pool) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-pool-${pool.name}`,
                    {
                        apiVersion: "karpenter.sh/v1",
                        kind: "NodePool",
                        metadata: { name: pool.name },
                        spec: nodePoolSpec(pool),
                    },
                    // The controller: destroyed after this pool, so it drains and terminates the pool's nodes first.
                    { parent: this, dependsOn: [crds, this.controller, ...(classes.has(pool.nodeClass) ? [classes.get(pool.nodeClass) as pulumi.Resource] : [])] },
                ),
        );

        this.interruptionQueueName = queue.name;
        this.nodeRoleName = nodeRole.name;
        this.registerOutputs({ interruptionQueueName: this.interruptionQueueName, nodeRoleName: this.nodeRoleName });
    }
}

import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addonVersion } from "../cluster/addonVersion";
import type { PodIdentityCluster } from "../cluster/podIdentity";
import { podIdentityRole } from "../cluster/podIdentity";
import { AlarmsConfig, AlarmSubscription } from "./schema";
import { alarmSpecs, AlarmSpec, AlarmTargets, isMetricMath, MetricRef } from "./alarmSpecs";

/** The EKS side of the alarms: Container Insights needs the cluster and a Pod Identity role for its agent. */
export interface AlarmsClusterArgs {
    /** The EKS cluster's name (Container Insights' ClusterName dimension). */
    clusterName: pulumi.Input<string>;
    /** The cluster's Pod Identity side (`Cluster.podIdentity`): the CloudWatch agent's role is given to its service account there. */
    podIdentity: PodIdentityCluster;
    /** The application namespace (Container Insights' Namespace dimension). */
    namespace: string;
    /** The Deployment names in it; one restart alarm each. */
    workloads: readonly string[];
    /**
     * The `amazon-cloudwatch-observability` build for the cluster's Kubernetes
     * version (cluster/catalog.ts), used unless `alarms.containerInsights.addonVersion`
     * names one; undefined where the catalog has no pin for the minor: EKS's default
     * for it, read at preview (cluster/addonVersion.ts). A new value updates the add-on
     * in place; EKS does not downgrade add-ons.
     */
    observabilityAddonVersion: string | undefined;
    /** The cluster's Kubernetes minor (EKS's default add-on version is per minor). */
    kubernetesVersion: string;
    /**
     * What the add-on must wait for: the node groups. An add-on whose pods
     * have no node to run on stays DEGRADED and its create times out.
     */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface AlarmsArgs {
    /** Prefix of every alarm and topic name, unique per account and region (e.g. `iam-prod`). */
    namePrefix: string;
    config: AlarmsConfig;
    /** The ALB's ARN suffix (`app/<name>/<id>`, the LoadBalancer dimension); no ALB alarms without it. */
    loadBalancerArnSuffix?: pulumi.Input<string>;
    /** Target-group ARN suffix (`targetgroup/<name>/<id>`) by service name: health and latency alarms per service. */
    targetGroupArnSuffixes?: Record<string, pulumi.Input<string>>;
    /** The managed RDS MariaDB instance and its read replicas, if any; absent when MariaDB is external. */
    mariadb?: { instanceIdentifier: pulumi.Input<string>; replicaIdentifiers?: pulumi.Input<string>[] };
    /** The ElastiCache replication group's member cluster ids (one per node); absent when Redis is external. */
    redis?: { memberClusterIds: pulumi.Input<string>[] };
    /** The DocumentDB instance identifiers; absent when MongoDB is external. */
    docdb?: { instanceIdentifiers: pulumi.Input<string>[] };
    /** Container Insights and its alarms; absent: no cluster-side alarms. */
    cluster?: AlarmsClusterArgs;
    /** The WAF web ACL (`Edge.webAclName`), its region and the blocked-requests threshold; absent when WAF is off. */
    waf?: { webAclName: pulumi.Input<string>; region: string; blockedRequestsThreshold: number };
    /** Protect the topic's KMS key (true in prod): a key scheduled for deletion silences every alarm. */
    protect: boolean;
}

/** The add-on's agent runs as this service account (its Pod Identity association gives it the role). */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = { namespace: "amazon-cloudwatch", name: "cloudwatch-agent" } as const;

/** A subscription's resource name from its endpoint, so reordering the list replaces nothing (and re-confirms no email). */
export function subscriptionName(prefix: string, subscription: AlarmSubscription): string {
    const digest = createHash("sha256").update(`${subscription.protocol}:${subscription.endpoint.toLowerCase()}`).digest("hex").slice(0, 10);
    return `${prefix}-${subscription.protocol}-${digest}`;
}

/** The add-on's configuration: only what differs from its defaults (undefined: none). */
export function observabilityAddonConfiguration(config: AlarmsConfig["containerInsights"]): string | undefined {
    return config.containerLogs ? undefined : JSON.stringify({ containerLogs: { enabled: false } });
}

/**
 * The failures that wake someone: CloudWatch alarms on the load balancer,
 * the target groups, the data stores and the cluster (through Container
 * Insights, installed here as the `amazon-cloudwatch-observability` EKS
 * add-on with a Pod Identity role), all notifying one KMS-encrypted SNS topic,
 * both when they fire and when they recover.
 */
export class Alarms extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    /** Alarm names, by spec key. */
    readonly alarmNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:alarms:Alarms", name, {}, opts);
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });

        // The AWS-managed SNS key cannot be shared with CloudWatch, whose alarms
        // would then fail to publish without a trace: a key of our own, granted to it.
        const key = new aws.kms.Key(
            `${name}-topic-key`,
            {
                description: `${args.namePrefix} alarm notifications (SNS)`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AccountAdministers",
                            Effect: "Allow",
                            Principal: { AWS: pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:root` },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "CloudWatchPublishesAlarms",
                            Effect: "Allow",
                            Principal: { Service: "cloudwatch.amazonaws.com" },
                            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                            Resource: "*",
                        },
                    ],
                }),
            },
            { parent: this, protect: args.protect },
        );
        new aws.kms.Alias(
            `${name}-topic-key`,
            {
                name: `alias/${args.namePrefix}-alarms`,
                targetKeyId: key.keyId,
            },
            { parent: this },
        );

        const topic = new aws.sns.Topic(
            `${name}-topic`,
            {
                name: `${args.namePrefix}-alarms`,
                displayName: `${args.namePrefix} alarms`,
                kmsMasterKeyId: key.arn,
            },
            { parent: this },
        );
        for (const subscription of args.config.subscriptions) {
            new aws.sns.TopicSubscription(
                subscriptionName(name, subscription),
                {
                    topic: topic.arn,
                    protocol: subscription.protocol,
                    endpoint: subscription.endpoint,
                },
                { parent: this },
            );
        }
        if (args.config.webhookUrl) {
            // One fixed name: the URL is secret, so it cannot name the resource.
            new aws.sns.TopicSubscription(
                `${name}-oncall-webhook`,
                {
                    topic: topic.arn,
                    protocol: "https",
                    endpoint: pulumi.secret(args.config.webhookUrl.reveal()),
                    endpointAutoConfirms: true,
                },
                { parent: this },
            );
        }

        if (args.cluster) {
            this.containerInsights(name, args.cluster, args.config.containerInsights, partition.partition);
        }

        const targets: AlarmTargets<pulumi.Input<string>> = {
            loadBalancer: args.loadBalancerArnSuffix === undefined ? undefined : { arnSuffix: args.loadBalancerArnSuffix, targetGroups: args.targetGroupArnSuffixes ?? {} },
            mariadb: args.mariadb && { instanceIdentifier: args.mariadb.instanceIdentifier, replicaIdentifiers: args.mariadb.replicaIdentifiers ?? [] },
            redis: args.redis,
            docdb: args.docdb,
            waf: args.waf,
            cluster: args.cluster && { name: args.cluster.clusterName, namespace: args.cluster.namespace, workloads: [...args.cluster.workloads] },
        };
        this.alarmNames = {};
        for (const spec of alarmSpecs(targets, args.config.thresholds)) {
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.key}`,
                {
                    name: `${args.namePrefix}-${spec.key}`,
                    alarmDescription: spec.description,
                    comparisonOperator: spec.comparison,
                    threshold: spec.threshold,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.datapointsToAlarm,
                    treatMissingData: spec.treatMissingData,
                    alarmActions: [topic.arn],
                    okActions: [topic.arn],
                    ...metricArgs(spec),
                },
                { parent: this },
            );
            this.alarmNames[spec.key] = alarm.name;
        }

        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames });
    }

    /** The observability add-on and the Pod Identity role its CloudWatch agent uses. */
    private containerInsights(name: string, cluster: AlarmsClusterArgs, config: AlarmsConfig["containerInsights"], partition: pulumi.Output<string>): void {
        // Same resource name as the IRSA role it replaces: the trust is updated in place.
        const { role, association } = podIdentityRole(
            `${name}-cloudwatch-agent`,
            {
                cluster: cluster.podIdentity,
                serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
                description: "Container Insights: the amazon-cloudwatch-observability add-on's CloudWatch agent (EKS Pod Identity)",
                // The agent retries until it gets credentials; nothing waits for its metrics.
                waitForAgent: false,
            },
            this,
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-cloudwatch-agent`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
            },
            { parent: this },
        );
        // The agent's pods get credentials only if the association exists when they are created.
        new aws.eks.Addon(
            `${name}-observability`,
            {
                clusterName: cluster.clusterName,
                addonName: "amazon-cloudwatch-observability",
                addonVersion: addonVersion(
                    {
                        addonName: "amazon-cloudwatch-observability",
                        kubernetesVersion: cluster.kubernetesVersion,
                        pinned: config.addonVersion ?? cluster.observabilityAddonVersion,
                    },
                    this,
                ),
                configurationValues: observabilityAddonConfiguration(config),
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: [...(cluster.dependsOn ?? []), attachment, association] },
        );
    }
}

/** The metric (or metric math) arguments of a MetricAlarm. */
function metricArgs(spec: AlarmSpec<pulumi.Input<string>>): aws.cloudwatch.MetricAlarmArgs {
    const watch = spec.watch;
    if (!isMetricMath(watch)) {
        const percentile = /^p\d+(\.\d+)?$/.test(watch.stat);
        return {
            namespace: watch.namespace,
            metricName: watch.metricName,
            dimensions: watch.dimensions,
            period: watch.period,
            statistic: percentile ? undefined : watch.stat,
            extendedStatistic: percentile ? watch.stat : undefined,
        };
    }
    const query = (id: string, metric: MetricRef<pulumi.Input<string>>): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
        id,
        returnData: false,
        metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, stat: metric.stat, period: metric.period },
    });
    return {
        metricQueries: [
            ...Object.entries(watch.metrics).map(([id, metric]) => query(id, metric)),
            { id: "alarmed", expression: watch.expression, label: watch.label, returnData: true },
        ],
    };
}

/**
 * The stack outputs, read from every area's hand-off, with the plan
 * `npm run verify` holds the live stack to (verify/verifyPlan.ts).
 */
import type { Application } from "../app/application";
import { unpinnedAddons } from "../cluster/catalog";
import { unpinnedAddonVersions } from "../cluster/addonVersion";
import { dataIdentifierPrefix } from "../data/dataNaming";
import type { Edge } from "../edge/edge";
import type { Alarms } from "../guardrails/alarms";
import { repositoryUrl } from "../registry/imagePlan";
import { extraEgress, verifyPlan } from "../verify/verifyPlan";
import type { Workload } from "../workloads/workload";
import type { ClusterWiring } from "./cluster";
import { karpenterConfigOf, type DeployInputs, type StackContext } from "./context";
import type { DataWiring } from "./data";
import type { NetworkWiring } from "./network";
import { imageOf } from "./workloads";

/** What the outputs read: every area's hand-off. */
export interface OutputsHandOff {
    /** The deploy-time inputs: the images (tag, digest, reference are outputs). */
    readonly inputs: Pick<DeployInputs, "images">;
    /** The VPC, subnets, security groups and the matrix's rules. */
    readonly network: NetworkWiring;
    /** The cluster's name, kubeconfig, OIDC provider, node groups and security group. */
    readonly cluster: ClusterWiring;
    /** The stores' endpoints, credentials and identifiers; the namespace; the JWT key. */
    readonly data: DataWiring;
    /** The admin password's secret (none without MariaDB). */
    readonly application: Application;
    /** The load balancer, URLs, certificate, routes and target groups. */
    readonly edge: Edge;
    /** The Deployments' names. */
    readonly workloads: Workload[];
    /** The alarm topic and the alarms' names. */
    readonly alarms: Alarms;
}

/** The stack outputs (every property is a stack output; `verify` is the verify plan). */
export function stackOutputs(
    { config, awsProvider }: StackContext,
    { inputs, network: { network, access }, cluster: { cluster }, data, application, edge, workloads, alarms }: OutputsHandOff,
) {
    const { appNamespace, jwtKey } = data;
    return {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        securityGroupIds: access.securityGroupIds,
        repositoryUrls: Object.fromEntries(config.services.map((s) => [s.image.repository, repositoryUrl(config.registry, s.image.repository)])),
        images: Object.fromEntries(
            config.services.map((s) => {
                const { tag, digest, reference } = imageOf(inputs.images, s.name);
                return [s.name, { tag, digest, reference }];
            }),
        ),
        appNamespace: appNamespace.name,
        deploymentNames: workloads.map((w) => w.deploymentName),
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        nodeGroupNames: cluster.nodeGroupNames,
        loadBalancerDnsName: edge.loadBalancerDnsName,
        loadBalancerZoneId: edge.loadBalancerZoneId,
        serviceUrls: edge.serviceUrls,
        certificateArn: edge.certificateArn,
        dataStoreEndpoints: data.data.endpointsOutput(),
        dataStoreCredentialSecretArns: data.data.credentialsSecretArnsOutput(),
        jwtSigningKeySecretArn: jwtKey.secretArn,
        /** The Secrets Manager secret with the MariaDB application user's name and password (docs/data.md); none without MariaDB. */
        appDbUserSecretArn: data.appDbUser?.secretArn,
        alarmTopicArn: alarms.topicArn,
        // What npm run verify holds the live stack to (verify/verifyPlan.ts).
        verify: verifyPlan({
            region: config.region,
            routes: edge.routes,
            hostedZone: config.edge.hostedZone,
            hostedZoneId: config.edge.hostedZoneId,
            tlsPolicy: config.edge.tlsPolicy,
            targetGroupArns: edge.targetGroupArns,
            alarmNamePrefix: `${dataIdentifierPrefix(config.stack)}-`,
            alarmNames: alarms.alarmNames,
            matrixRules: access.rules,
            extraEgress: extraEgress(config.edge, config.dataStores),
            clusterSecurityGroupId: cluster.clusterSecurityGroupId,
            rdsInstances: data.data.mariadbInstanceIdentifier ? [data.data.mariadbInstanceIdentifier] : [],
            docdbInstances: data.data.documentDbInstanceIdentifiers,
            karpenter: karpenterConfigOf(config) !== undefined,
            settings: config.verify,
        }),
        /** The Secrets Manager secret with the IAM admin's generated password (docs/operations/bootstrap.md); none without MariaDB. */
        adminPasswordSecretArn: application.schemaJob?.adminPasswordSecretArn,
        // EKS add-ons without a pin for this minor (cluster/catalog.ts): installed at EKS's default, shown here.
        unpinnedAddons: unpinnedAddonVersions(
            config.cluster.version,
            unpinnedAddons({ ...config.cluster.pins, cloudwatchObservability: config.alarms.containerInsights.addonVersion ?? config.cluster.pins.cloudwatchObservability }),
            { provider: awsProvider },
        ),
    };
}

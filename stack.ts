/**
 * The composition root's body: wires the components for one validated stack
 * config and returns the stack outputs. `index.ts` calls `deployEnvironment`
 * for the running stack; the test harness and `npm run render` call it under
 * mocks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkGuardDuty } from "./cluster/guardDutyPreflight";
import { AccessMatrix } from "./network/accessMatrix";
import { AppNamespace } from "./workloads/appNamespace";
import { deployApplication } from "./app/application";
import { clockNow } from "./lib/clock";
import { Addons } from "./cluster/addons";
import { KUBECTL_IMAGES, unpinnedAddons } from "./cluster/catalog";
import { unpinnedAddonVersions } from "./cluster/addonVersion";
import { isSystemGroup } from "./cluster/autoscalerConfig";
import { Karpenter } from "./cluster/karpenter";
import { discoveryTag } from "./cluster/karpenterPlan";
import { PodFloors } from "./cluster/podFloors";
import { Alarms } from "./guardrails/alarms";
import { Cluster } from "./cluster/cluster";
import { DataTier } from "./data/dataTier";
import { dataIdentifierPrefix } from "./data/dataNaming";
import { StoreCredentials } from "./data/storeCredentials";
import { Edge } from "./edge/edge";
import { Network } from "./network/network";
import { VpcEndpoints } from "./network/vpcEndpoints";
import { NetworkPolicies } from "./workloads/networkPolicies";
import { storeTargets } from "./workloads/networkPolicyPlan";
import { lookUpImages } from "./registry/imageCheck";
import { ResolvedImage, repositoryUrl } from "./registry/imagePlan";
import { Workload } from "./workloads/workload";
import { fixedReplicas, workloadNames } from "./workloads/workloadSpec";
import { StackConfig } from "./config";
import { ENVIRONMENT_DEFAULTS } from "./lib/environment";
import { publicServicePorts } from "./workloads/schema";
import { LoadBalancerController } from "./cluster/loadBalancerController";
import { extraEgress, verifyPlan } from "./verify/verifyPlan";
import { AppConfig } from "./app/appConfig";
import { apiserverGrpcAddress } from "./app/configFile";
import { JwtSigningKey } from "./app/jwtSigningKey";
import { DATA_STORE_ENVIRONMENT_DEFAULTS } from "./data/defaults";
import { SECRET_STORE_NAME } from "./data/storeCredentials";
import { checkDeployer } from "./cluster/deployer";

/** The tags every AWS resource carries: one merge, in one place (the provider's default tags). */
export function stackTags(config: StackConfig): Record<string, string> {
    return {
        ...config.tags,
        project: "iam",
        environment: config.environment,
        "pulumi-stack": config.stack,
        "managed-by": "pulumi",
    };
}

/** What the program takes from outside the stack config, at deploy time. */
export interface DeployInputs {
    /**
     * The Amazon RDS CA bundle for the region, checked (`loadRdsCaBundle` in
     * data/caBundle.ts fetches it); called only when a store is used.
     */
    rdsCaBundle: (region: string) => Promise<string>;
    /**
     * Each service's image as the registry has it, by service name
     * (`lookUpImages`); the repositories themselves are the registry
     * project's (registry/), this stack creates none.
     */
    images: Readonly<Record<string, ResolvedImage>>;
    /** "Now" of the run (lib/clock.ts): the internal certificates' renewal warnings compare with it. Default `clockNow()`. */
    now?: Date;
}

/**
 * Checks who runs Pulumi and looks every service's image up in the registry,
 * then deploys. Both finish before the first resource is registered: the
 * wrong account or a misplaced cluster admin fails the preview with
 * DeployerError (cluster/deployer.ts), a missing image with one error listing
 * every missing image (MissingImagesError), and nothing is created. So does a
 * GuardDuty detector that manages the EKS agent itself while
 * `cluster.guardDuty.runtimeMonitoring` is on (GuardDutyAgentConflictError,
 * cluster/guardDutyPreflight.ts).
 */
export async function deployEnvironment(config: StackConfig, inputs: Omit<DeployInputs, "images">): Promise<StackOutputs> {
    await checkDeployer({ accountId: config.accountId, clusterName: config.cluster.name, adminPrincipals: config.cluster.adminPrincipals, region: config.region });
    const images = await lookUpImages(config.services, config.registry);
    // GuardDuty's own agent management would collide with the stack's add-on and endpoint: refused here, before anything is created.
    for (const warning of await checkGuardDuty(config.cluster.guardDuty, config.region)) {
        void pulumi.log.warn(`config: ${warning}`);
    }
    return deployStack(config, { ...inputs, images });
}

/** Wires the components. */
export function deployStack(config: StackConfig, inputs: DeployInputs) {
    const name = "iam";
    const awsProvider = new aws.Provider("aws", {
        region: config.region,
        // Credentials for another account fail before anything is created (aws:allowedAccountIds in the stack file would not reach this explicit provider).
        allowedAccountIds: config.accountId === undefined ? undefined : [config.accountId],
        defaultTags: { tags: stackTags(config) },
    });
    const providers = { aws: awsProvider };

    // Karpenter finds the private subnets and the app nodes' group by this tag (never the EKS cluster group).
    const karpenterConfig = config.cluster.autoscaler === "karpenter" ? config.cluster.karpenter : undefined;
    const discovery = discoveryTag(config.cluster.name);
    const discoveryTags = karpenterConfig ? { [discovery.key]: discovery.value } : undefined;
    const network = new Network(`${name}-network`, { config: config.network, privateSubnetTags: discoveryTags }, { providers });
    const access = new AccessMatrix(
        `${name}-access`,
        {
            vpcId: network.vpcId,
            matrix: config.accessMatrix,
            servicePorts: publicServicePorts(config.services),
            appNodeTags: discoveryTags,
        },
        { providers },
    );
    // Private AWS endpoints in parallel with everything else that needs only the VPC and the matrix.
    new VpcEndpoints(
        `${name}-endpoints`,
        {
            config: config.network.endpoints,
            region: config.region,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            privateRouteTableIds: network.privateRouteTableIds,
            securityGroupId: access.securityGroupIds.endpoints,
            guardDuty: config.cluster.guardDuty.runtimeMonitoring,
        },
        { providers },
    );
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
        { providers },
    );
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
        { providers: { aws: awsProvider, kubernetes: cluster.provider } },
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
            { providers: { aws: awsProvider, kubernetes: cluster.provider } },
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
        },
        { providers: { aws: awsProvider, kubernetes: cluster.provider } },
    );
    // The stores take only the private subnets and their security groups, never
    // anything of the cluster: RDS, ElastiCache and DocumentDB are created while
    // EKS is (data/dataTier.test.ts proves no store waits for the cluster).
    const data = new DataTier(
        `${name}-data`,
        {
            config: config.dataStores,
            environment: config.environment,
            protect: config.protect,
            privateSubnetIds: network.privateSubnetIds,
            securityGroupIds: access.securityGroupIds,
        },
        { providers },
    );
    const redis = config.dataStores.redis;

    // The application namespace (Pod Security restricted): the workloads run
    // here and the data tier writes the stores' ConfigMaps/Secrets here.
    const clusterProviders = { aws: awsProvider, kubernetes: cluster.provider };
    const appNamespace = new AppNamespace(`${name}-app-namespace`, { namespace: config.workloads.namespace, partOf: name }, { providers: clusterProviders });
    // iam-apiserver's JWT signing key, in Secrets Manager (app/): its config file reads it.
    const jwtKey = new JwtSigningKey(
        `${name}-jwt-key`,
        {
            namePrefix: dataIdentifierPrefix(config.stack),
            recoveryWindowDays: DATA_STORE_ENVIRONMENT_DEFAULTS[config.environment].secretRecoveryWindowDays,
            protect: config.protect,
        },
        { providers },
    );
    // Each store's endpoint ConfigMap and credentials Secret in that namespace,
    // kept fresh by External Secrets (RDS and DocumentDB rotate their passwords).
    const storeCredentials =
        Object.keys(data.endpoints).length > 0
            ? new StoreCredentials(
                  `${name}-store-credentials`,
                  {
                      namespace: appNamespace.name,
                      podIdentity: cluster.podIdentity,
                      region: config.region,
                      endpoints: data.endpoints,
                      sync: config.dataStores.credentialsSync,
                      rdsCaBundle: inputs.rdsCaBundle(config.region),
                      additionalSecretArns: [jwtKey.secretArn],
                  },
                  { providers: clusterProviders },
              )
            : undefined;
    // Each binary's config file, rendered into a Secret by External Secrets (app/appConfig.ts).
    const apiserver = config.services.find((s) => s.name === "iam-apiserver");
    const appConfig =
        storeCredentials &&
        new AppConfig(
            `${name}-app-config`,
            {
                services: config.services,
                namespace: appNamespace.name,
                endpoints: data.endpoints,
                jwtSecretArn: jwtKey.secretArn,
                rpcServer: apiserver ? apiserverGrpcAddress(apiserver, workloadNames(apiserver).clusterService, config.workloads.namespace) : "",
                secretStoreName: SECRET_STORE_NAME,
                refreshInterval: config.dataStores.credentialsSync.refreshInterval,
                dependsOn: [storeCredentials],
            },
            { providers: clusterProviders },
        );
    const workloadContext = { stack: config.stack, partOf: name };
    const networkPolicies = new NetworkPolicies(
        `${name}-network-policies`,
        {
            catalog: config.services,
            namespace: appNamespace.name,
            context: {
                loadBalancerCidrs: config.network.subnets.public,
                stores: storeTargets(config.dataStores, config.network.subnets.private),
                workload: workloadContext,
            },
            partOf: name,
        },
        { providers: clusterProviders },
    );
    // The internal TLS (a CA per stack, a certificate per TLS server naming its
    // Service) and the schema Job (after MariaDB's credentials and the
    // NetworkPolicies that let it reach MariaDB); the apiserver waits for the Job.
    const application = deployApplication(
        name,
        {
            config: config.application,
            stack: config.stack,
            environment: config.environment,
            protect: config.protect,
            now: inputs.now ?? clockNow(),
            namespace: appNamespace.name,
            namespaceName: config.workloads.namespace,
            services: config.services.map((s) => ({ name: s.name, serviceName: workloadNames(s).clusterService })),
            schemaJobDependsOn: storeCredentials?.connections.mariadb ? [networkPolicies, storeCredentials, ...(karpenter ? karpenter.nodePools : [])] : undefined,
        },
        { providers: clusterProviders },
    );
    // The HTTPS entry. Its certificate, load balancer, listeners, target groups
    // and DNS records take nothing from the cluster, so they are created while
    // EKS is; only the TargetGroupBindings (after the controller and the
    // namespace) and the host rules (after their binding) wait for it.
    const edge = new Edge(
        `${name}-edge`,
        {
            config: config.edge,
            services: config.services,
            region: config.region,
            vpcId: network.vpcId,
            vpcCidr: network.vpcCidr,
            publicSubnetIds: network.publicSubnetIds,
            loadBalancerSecurityGroupId: access.securityGroupIds.loadBalancer,
            namePrefix: dataIdentifierPrefix(config.stack),
            stack: config.stack,
            bindings: {
                namespace: appNamespace.name,
                serviceNames: Object.fromEntries(config.services.filter((s) => s.public).map((s) => [s.name, workloadNames(s).publicService])),
                dependsOn: [loadBalancerController.ready],
                labels: { "app.kubernetes.io/part-of": name, "app.kubernetes.io/managed-by": "pulumi" },
            },
            protect: config.protect,
        },
        { providers: clusterProviders },
    );
    const workloads = config.services.map(
        (service) =>
            new Workload(
                `${name}-workload-${service.name}`,
                {
                    service,
                    catalog: config.services,
                    namespace: appNamespace.name,
                    image: imageOf(inputs.images, service.name),
                    context: workloadContext,
                    podIdentity: cluster.podIdentity,
                    // Pods start once their flows are allowed (default deny is in place),
                    // their stores' ConfigMaps and ExternalSecrets exist, and (Karpenter)
                    // a NodePool can give them a node: not the controller, which starts
                    // meanwhile and serves the pods pending by then.
                    // The TLS servers also wait for their certificate and the CA, the apiserver for the schema Job.
                    dependsOn: [
                        networkPolicies,
                        ...(storeCredentials ? [storeCredentials] : []),
                        ...(appConfig ? [appConfig.configSecrets[service.name]] : []),
                        ...(karpenter ? karpenter.nodePools : []),
                        ...application.waitsFor(service.name),
                    ],
                    // The public Service changes only once its host rule forwards to the
                    // bound (ip) target group: on the move from instance targets it stops
                    // being a NodePort only when the old target group gets no more traffic.
                    publicServiceDependsOn: edge.hostRules,
                },
                { providers: clusterProviders },
            ),
    );
    if (karpenterConfig && karpenterConfig.podFloors.length > 0) {
        new PodFloors(
            `${name}-pod-floors`,
            {
                schedules: karpenterConfig.podFloors,
                hpas: config.services.filter((s) => fixedReplicas(s) === undefined).map((s) => ({ name: workloadNames(s).hpa, minReplicas: s.workload.replicas.min })),
                namespace: appNamespace.name,
                namespaceName: config.workloads.namespace,
                image: KUBECTL_IMAGES[config.cluster.version],
            },
            { providers: clusterProviders },
        );
    }

    const alarms = new Alarms(
        `${name}-alarms`,
        {
            namePrefix: dataIdentifierPrefix(config.stack),
            config: config.alarms,
            protect: config.protect,
            loadBalancerArnSuffix: edge.loadBalancerArnSuffix,
            waf: edge.webAclName && { webAclName: edge.webAclName, region: config.region, blockedRequestsThreshold: config.edge.waf.blockedRequestsAlarm },
            targetGroupArnSuffixes: edge.targetGroupArnSuffixes,
            mariadb: data.mariadbInstanceIdentifier && { instanceIdentifier: data.mariadbInstanceIdentifier },
            // One alarm set per node: the node count is config, the ids come from the replication group.
            redis: redis?.mode === "managed" ? { memberClusterIds: Array.from({ length: redis.nodes }, (_, i) => data.redisMemberClusterIds.apply((ids) => ids[i])) } : undefined,
            docdb: data.documentDbInstanceIdentifiers.length > 0 ? { instanceIdentifiers: data.documentDbInstanceIdentifiers } : undefined,
            cluster: {
                clusterName: cluster.clusterName,
                podIdentity: cluster.podIdentity,
                namespace: config.workloads.namespace,
                workloads: config.services.map((s) => workloadNames(s).deployment),
                observabilityAddonVersion: config.cluster.pins.cloudwatchObservability,
                kubernetesVersion: config.cluster.version,
                dependsOn: cluster.nodeGroups,
            },
        },
        { providers },
    );

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
        dataStoreEndpoints: data.endpointsOutput(),
        dataStoreCredentialSecretArns: data.credentialsSecretArnsOutput(),
        jwtSigningKeySecretArn: jwtKey.secretArn,
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
            rdsInstances: data.mariadbInstanceIdentifier ? [data.mariadbInstanceIdentifier] : [],
            docdbInstances: data.documentDbInstanceIdentifiers,
            karpenter: karpenterConfig !== undefined,
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

export type StackOutputs = ReturnType<typeof deployStack>;

function imageOf(images: Readonly<Record<string, ResolvedImage>>, service: string): ResolvedImage {
    const image = images[service];
    if (!image) {
        throw new Error(`no image was looked up for service ${service}: deployStack needs lookUpImages' result for every service`);
    }
    return image;
}

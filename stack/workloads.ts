/**
 * The workloads area's wiring, in two steps because the application sits
 * between them: the NetworkPolicies first (the schema Job waits for them),
 * then the Deployments with their Services, HPAs and PDBs, and Karpenter's
 * pod floors.
 */
import type { ApplicationWiring } from "./application";
import { needsRedisTlsProxy, redisTlsProxyConfigMapName } from "../app/redisTlsProxy";
import { KUBECTL_IMAGES } from "../cluster/catalog";
import { PodFloors } from "../cluster/podFloors";
import type { Edge } from "../edge/edge";
import type { ResolvedImage } from "../registry/imagePlan";
import { NetworkPolicies } from "../workloads/networkPolicies";
import { storeTargets } from "../workloads/networkPolicyPlan";
import { Workload } from "../workloads/workload";
import { fixedReplicas, workloadNames } from "../workloads/workloadSpec";
import type { ClusterWiring } from "./cluster";
import { karpenterConfigOf, type DeployInputs, type StackContext } from "./context";
import type { DataWiring } from "./data";

/** What the NetworkPolicies take from the areas before them. */
export interface NetworkPoliciesHandOff {
    /** The cluster's providers. */
    readonly cluster: ClusterWiring;
    /** The application namespace the policies apply to. */
    readonly data: DataWiring;
}

/** Wires the namespace's NetworkPolicies (default deny and the allowed flows); the application and the pods wait for them. */
export function wireNetworkPolicies({ name, config }: StackContext, { cluster: { providers }, data: { appNamespace } }: NetworkPoliciesHandOff): NetworkPolicies {
    return new NetworkPolicies(
        `${name}-network-policies`,
        {
            catalog: config.services,
            namespace: appNamespace.name,
            context: {
                loadBalancerCidrs: config.network.subnets.public,
                stores: storeTargets(config.dataStores, config.network.subnets.private),
                workload: { stack: config.stack, partOf: name },
            },
            partOf: name,
        },
        { providers },
    );
}

/** What the workloads take from the root and the areas before them: everything a pod waits for. */
export interface WorkloadsHandOff {
    /** The deploy-time inputs: each service's image as the registry has it. */
    readonly inputs: Pick<DeployInputs, "images">;
    /** The cluster's providers, Pod Identity and Karpenter's NodePools. */
    readonly cluster: ClusterWiring;
    /** The namespace, the store credentials and each binary's config file. */
    readonly data: DataWiring;
    /** The NetworkPolicies (pods start once their flows are allowed). */
    readonly networkPolicies: NetworkPolicies;
    /** What each service waits for in the application (its certificate and the CA, the schema Job). */
    readonly application: ApplicationWiring;
    /** The host rules the public Services wait for. */
    readonly edge: Edge;
}

/** Wires each service's workload and, with Karpenter, the pod floors; returns the workloads (their Deployment names are an output). */
export function wireWorkloads(
    { name, config }: StackContext,
    { inputs, cluster: { cluster, providers, karpenter }, data, networkPolicies, application, edge }: WorkloadsHandOff,
): Workload[] {
    const { appNamespace, storeCredentials } = data;
    const { appConfig } = application;
    const karpenterConfig = karpenterConfigOf(config);
    const workloads = config.services.map(
        (service) =>
            new Workload(
                `${name}-workload-${service.name}`,
                {
                    service,
                    catalog: config.services,
                    namespace: appNamespace.name,
                    image: imageOf(inputs.images, service.name),
                    context: { stack: config.stack, partOf: name },
                    podIdentity: cluster.podIdentity,
                    // Pods start once their flows are allowed (default deny is in place),
                    // their stores' ConfigMaps and ExternalSecrets exist, and (Karpenter)
                    // a NodePool can give them a node: not the controller, which starts
                    // meanwhile and serves the pods pending by then.
                    // The TLS servers also wait for their certificate and the CA, the apiserver and the watcher for the schema Job.
                    dependsOn: [
                        networkPolicies,
                        ...(storeCredentials ? [storeCredentials] : []),
                        ...(appConfig ? [appConfig.configSecrets[service.name]] : []),
                        ...(appConfig?.redisTlsProxyConfigs[service.name] ? [appConfig.redisTlsProxyConfigs[service.name]] : []),
                        ...(karpenter ? karpenter.nodePools : []),
                        ...application.waitsFor(service.name),
                    ],
                    // The public Service changes only once its host rule forwards to the
                    // bound (ip) target group: on the move from instance targets it stops
                    // being a NodePort only when the old target group gets no more traffic.
                    publicServiceDependsOn: edge.hostRules,
                    // iam-pump and iam-watcher reach a TLS Redis through a local proxy (app/redisTlsProxy.ts).
                    redisTlsProxy: needsRedisTlsProxy(service.name, data.data.endpoints.redis)
                        ? { image: config.application.redisTlsProxy.image, configMapName: redisTlsProxyConfigMapName(service.name) }
                        : undefined,
                },
                { providers },
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
            { providers },
        );
    }
    return workloads;
}

/** The looked-up image of a service; throws when `lookUpImages` gave none (a caller's mistake, not a config problem). */
export function imageOf(images: Readonly<Record<string, ResolvedImage>>, service: string): ResolvedImage {
    const image = images[service];
    if (!image) {
        throw new Error(`no image was looked up for service ${service}: deployStack needs lookUpImages' result for every service`);
    }
    return image;
}

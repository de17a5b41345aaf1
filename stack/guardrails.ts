/**
 * The guardrails area's wiring: the alarms (load balancer, WAF, target
 * groups, stores, cluster and workloads) and their topic.
 */
import { dataIdentifierPrefix } from "../data/dataNaming";
import { Alarms } from "../guardrails/alarms";
import { workloadNames } from "../workloads/workloadSpec";
import type { ClusterWiring } from "./cluster";
import type { StackContext } from "./context";
import type { DataWiring } from "./data";
import type { Edge } from "../edge/edge";

/** What the alarms take from the areas before them: what they watch. */
export interface GuardrailsHandOff {
    /** The cluster's name, Pod Identity and node groups (Container Insights waits for the nodes). */
    readonly cluster: ClusterWiring;
    /** The stores' identifiers. */
    readonly data: DataWiring;
    /** The load balancer, the WAF and the target groups. */
    readonly edge: Edge;
}

/** Wires the alarms; returns them (their topic and names are outputs, verify checks the names). */
export function wireGuardrails({ name, config, awsProvider }: StackContext, { cluster: { cluster }, data: { data }, edge }: GuardrailsHandOff): Alarms {
    const redis = config.dataStores.redis;
    return new Alarms(
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
        { providers: { aws: awsProvider } },
    );
}

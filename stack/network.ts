/**
 * The network area's wiring: the VPC, the access matrix's security groups and
 * the private AWS endpoints. Takes only the stack context.
 */
import { discoveryTag } from "../cluster/karpenterPlan";
import { AccessMatrix } from "../network/accessMatrix";
import { Network } from "../network/network";
import { VpcEndpoints } from "../network/vpcEndpoints";
import { publicServicePorts } from "../workloads/schema";
import { karpenterConfigOf, type StackContext } from "./context";

/** What the network hands on: every later area places its resources in this VPC, behind these security groups. */
export interface NetworkWiring {
    /** The VPC, its subnets and CIDR: the cluster, the stores, the load balancer and the outputs are placed in them. */
    readonly network: Network;
    /** The security groups by role, the control-plane rules and the matrix's rules (verify holds the live stack to them). */
    readonly access: AccessMatrix;
}

/** Wires the VPC, the access matrix and the VPC endpoints. */
export function wireNetwork({ name, config, awsProvider }: StackContext): NetworkWiring {
    const providers = { aws: awsProvider };
    // Karpenter finds the private subnets and the app nodes' group by this tag (never the EKS cluster group).
    const karpenterConfig = karpenterConfigOf(config);
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
    return { network, access };
}

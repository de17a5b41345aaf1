import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EndpointsConfig, INTERFACE_ENDPOINT_SERVICES } from "./endpointsSchema";

export interface VpcEndpointsArgs {
    /** The validated `network.endpoints` section. */
    config: EndpointsConfig;
    /** The stack's region: endpoint service names are `com.amazonaws.<region>.<service>`. */
    region: string;
    vpcId: pulumi.Input<string>;
    /** One private subnet per zone: an interface endpoint gets a network interface in each. */
    privateSubnetIds: pulumi.Input<string>[];
    /** The private route tables (one per zone): the S3 gateway endpoint adds its route to each. */
    privateRouteTableIds: pulumi.Input<string>[];
    /** The access matrix's `endpoints` group (443 from the app nodes only); the only group the endpoints carry. */
    securityGroupId: pulumi.Input<string>;
    /**
     * A `guardduty-data` interface endpoint for the GuardDuty security agent
     * (cluster.guardDuty.runtimeMonitoring), whatever `config.interface` says:
     * a manually managed agent has no other way to report.
     */
    guardDuty?: boolean;
}

/**
 * Private AWS endpoints: an S3 gateway endpoint on the private route tables
 * (ECR image layers live in S3) and, when `config.interface` is on, one
 * interface endpoint per `INTERFACE_ENDPOINT_SERVICES` entry in the private
 * subnets with private DNS, so the service's usual host name resolves to the
 * endpoint inside the VPC and no client needs configuring. Created after the
 * network and the access matrix, in parallel with the cluster; nodes that
 * start before an endpoint is ready reach the service through the NAT
 * gateways meanwhile (their 443 egress stays open).
 *
 * Changing `privateDnsEnabled`, the service or the VPC replaces an endpoint
 * (a few seconds of resolution back to the public service, through NAT).
 */
export class VpcEndpoints extends pulumi.ComponentResource {
    /** Endpoint ids by service (`s3` for the gateway). */
    readonly endpointIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:network:VpcEndpoints", name, {}, opts);
        const ids: Record<string, pulumi.Output<string>> = {};
        if (args.config.s3Gateway) {
            ids.s3 = new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                {
                    vpcId: args.vpcId,
                    serviceName: `com.amazonaws.${args.region}.s3`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: args.privateRouteTableIds,
                    tags: { Name: `${name}-s3` },
                },
                { parent: this },
            ).id;
        }
        if (args.config.interface) {
            for (const service of INTERFACE_ENDPOINT_SERVICES) {
                const resourceName = `${name}-${service.replace(/\./g, "-")}`;
                ids[service] = new aws.ec2.VpcEndpoint(
                    resourceName,
                    {
                        vpcId: args.vpcId,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: args.privateSubnetIds,
                        securityGroupIds: [args.securityGroupId],
                        ipAddressType: "ipv4",
                        tags: { Name: resourceName },
                    },
                    { parent: this },
                ).id;
            }
        }
        if (args.guardDuty) {
            ids["guardduty-data"] = new aws.ec2.VpcEndpoint(
                `${name}-guardduty-data`,
                {
                    vpcId: args.vpcId,
                    serviceName: `com.amazonaws.${args.region}.guardduty-data`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: args.privateSubnetIds,
                    securityGroupIds: [args.securityGroupId],
                    ipAddressType: "ipv4",
                    // Only principals of this account may send through it (GuardDuty's documented endpoint policy).
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Action: "*", Resource: "*", Effect: "Allow", Principal: "*" },
                            { Condition: { StringNotEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } }, Action: "*", Resource: "*", Effect: "Deny", Principal: "*" },
                        ],
                    }),
                    tags: { Name: `${name}-guardduty-data` },
                },
                { parent: this },
            ).id;
        }
        this.endpointIds = ids;
        this.registerOutputs({ endpointIds: this.endpointIds });
    }
}

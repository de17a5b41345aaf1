import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "./schema";
import { serviceTrustPolicy } from "../lib/serviceTrust";

export interface NetworkArgs {
    /** The validated network config: CIDR, zones, NAT mode and the computed subnet plan. */
    config: NetworkConfig;
    /** Extra tags on the private subnets (Karpenter's discovery tag); changing them updates the subnets in place. Default none. */
    privateSubnetTags?: Record<string, string>;
}

/**
 * The VPC: a public and a private subnet in every configured zone, an
 * internet gateway, and NAT gateways (one per zone, or one shared) for the
 * private subnets' egress. Subnets carry the tags Kubernetes load-balancer
 * discovery reads (`kubernetes.io/role/elb`, `.../internal-elb`).
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    /** One per zone, in zone order: the S3 gateway endpoint routes through them. */
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly natGatewayIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:network:Network", name, {}, opts);
        const { config } = args;
        const zones = config.availabilityZones;

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: config.cidr,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: `${name}-vpc` },
            },
            { parent: this },
        );

        // The default security group of a VPC allows all traffic between its
        // members; adopting it with no rules closes that door.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            {
                vpcId: vpc.id,
                tags: { Name: `${name}-default-closed` },
            },
            { parent: this },
        );

        const igw = new aws.ec2.InternetGateway(
            `${name}-igw`,
            {
                vpcId: vpc.id,
                tags: { Name: `${name}-igw` },
            },
            { parent: this },
        );

        // Peer networks (the legacy VMs during migration) are routed from both
        // tiers: the load balancer's legacy target group lives in the public
        // subnets, the apps in the private ones.
        const gateway = config.peerGateway;
        const peerRoutes = gateway
            ? config.peerCidrs.map((cidrBlock) => ({ cidrBlock, vpcPeeringConnectionId: gateway.vpcPeeringConnectionId, transitGatewayId: gateway.transitGatewayId }))
            : [];

        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }, ...peerRoutes],
                tags: { Name: `${name}-public` },
            },
            { parent: this },
        );

        const publicSubnets = zones.map((zone, i) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-public-${zone}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zone,
                    cidrBlock: config.subnets.public[i],
                    // Nothing in the public subnets needs a public address but the
                    // load balancer and NAT gateways, which get their own.
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-public-${zone}`, "kubernetes.io/role/elb": "1", tier: "public" },
                },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-public-${zone}`,
                {
                    subnetId: subnet.id,
                    routeTableId: publicRoutes.id,
                },
                { parent: this },
            );
            return subnet;
        });

        const natZones = config.natGateways === "perAz" ? zones : zones.slice(0, 1);
        const natGateways = natZones.map((zone, i) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${zone}`,
                {
                    domain: "vpc",
                    tags: { Name: `${name}-nat-${zone}` },
                },
                { parent: this, dependsOn: [igw] },
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                {
                    allocationId: eip.id,
                    subnetId: publicSubnets[i].id,
                    connectivityType: "public",
                    tags: { Name: `${name}-nat-${zone}` },
                },
                { parent: this, dependsOn: [igw] },
            );
        });

        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const privateSubnets = zones.map((zone, i) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${zone}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zone,
                    cidrBlock: config.subnets.private[i],
                    mapPublicIpOnLaunch: false,
                    tags: { ...args.privateSubnetTags, Name: `${name}-private-${zone}`, "kubernetes.io/role/internal-elb": "1", tier: "private" },
                },
                { parent: this },
            );
            // Each zone routes through its own NAT gateway when there is one, so
            // losing a zone never cuts another zone's egress.
            const nat = natGateways[Math.min(i, natGateways.length - 1)];
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${zone}`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, ...peerRoutes],
                    tags: { Name: `${name}-private-${zone}` },
                },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${zone}`,
                {
                    subnetId: subnet.id,
                    routeTableId: routes.id,
                },
                { parent: this },
            );
            privateRouteTables.push(routes);
            return subnet;
        });

        if (config.flowLogs.enabled) {
            this.flowLogs(name, vpc, config.flowLogs.retentionDays);
        }

        this.vpcId = vpc.id;
        this.vpcCidr = config.cidr;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
        this.natGatewayIds = natGateways.map((n) => n.id);
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }

    /**
     * Every accepted and rejected connection of the VPC, to CloudWatch Logs:
     * the record of what the access matrix let through and what it stopped.
     */
    private flowLogs(name: string, vpc: aws.ec2.Vpc, retentionDays: number): void {
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                retentionInDays: retentionDays,
                tags: { Name: `${name}-flow-logs` },
            },
            { parent: this },
        );
        // Only for this account's flow logs (confused deputy): the service names
        // the flow log it delivers for in aws:SourceArn.
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: "VPC flow logs: writes to the flow-log group",
                assumeRolePolicy: pulumi
                    .all([account, partition, region])
                    .apply(([accountId, part, regionName]) =>
                        JSON.stringify(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", { account: accountId, arn: `arn:${part}:ec2:${regionName}:${accountId}:vpc-flow-log/*` })),
                    ),
            },
            { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                // Only this log group's streams: the service needs nothing else.
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: { Name: `${name}-flow-logs` },
            },
            { parent: this, dependsOn: [policy] },
        );
    }
}

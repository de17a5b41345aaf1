/**
 * The foundation as the program registers it for the real prod and staging
 * stack files: network, access-matrix security groups, the registry they read, outputs.
 */
import { ofType, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies } from "./harness";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

const tags = (r: ResourceRecord): Record<string, string> => (r.inputs.tags ?? {}) as Record<string, string>;
const groupRole = (run: StackRun, id: unknown): string => {
    const group = ofType(run, SG).find((g) => `${g.name}-id` === id);
    return group ? tags(group)["iam/role"] : `unknown(${String(id)})`;
};

describe.each(["prod", "staging"])("%s network", (stack) => {
    it("builds the VPC from config with DNS on", () => {
        const run = runs[stack];
        const [vpc] = ofType(run, VPC);
        expect(vpc.inputs).toMatchObject({ cidrBlock: run.config.network.cidr, enableDnsHostnames: true, enableDnsSupport: true });
    });

    it("puts a public and a private subnet in every configured zone, tagged for load balancers", () => {
        const run = runs[stack];
        const subnets = ofType(run, SUBNET);
        const zones = run.config.network.availabilityZones;
        expect(zones).toHaveLength(3);
        for (const [tier, tag] of [
            ["public", "kubernetes.io/role/elb"],
            ["private", "kubernetes.io/role/internal-elb"],
        ]) {
            const ofTier = subnets.filter((s) => tags(s).tier === tier);
            expect(ofTier.map((s) => s.inputs.availabilityZone).sort()).toEqual([...zones].sort());
            expect(ofTier.every((s) => tags(s)[tag] === "1" && s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
        }
        expect(subnets.map((s) => s.inputs.cidrBlock).sort()).toEqual([...run.config.network.subnets.private, ...run.config.network.subnets.public].sort());
    });

    it("closes the VPC's default security group", () => {
        const [closed] = ofType(runs[stack], "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(closed.inputs.ingress).toBeUndefined();
        expect(closed.inputs.egress).toBeUndefined();
    });
});

describe("NAT gateways", () => {
    it("prod has one per zone and each private subnet routes through its own zone's", () => {
        const run = runs.prod;
        const nats = ofType(run, NAT);
        expect(nats).toHaveLength(3);
        for (const zone of run.config.network.availabilityZones) {
            const table = resource(run, ROUTE_TABLE, `iam-network-private-${zone}`);
            expect(table.inputs.routes).toEqual([expect.objectContaining({ cidrBlock: "0.0.0.0/0", natGatewayId: `iam-network-nat-${zone}-id` })]);
        }
    });

    it("staging shares one", () => {
        const run = runs.staging;
        expect(ofType(run, NAT)).toHaveLength(1);
        const routes = ofType(run, ROUTE_TABLE)
            .filter((t) => t.name.includes("private"))
            .map((t) => (t.inputs.routes as { natGatewayId: string }[])[0].natGatewayId);
        expect(new Set(routes)).toEqual(new Set(["iam-network-nat-eu-west-1a-id"]));
    });
});

describe("VPC flow logs", () => {
    it("record every accepted and rejected connection in prod, to a log group with a retention, through a role scoped to it", () => {
        const run = runs.prod;
        const [flowLog] = ofType(run, "aws:ec2/flowLog:FlowLog");
        const [logGroup] = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.name === "iam-network-flow-logs");
        expect(flowLog.inputs).toMatchObject({
            vpcId: "iam-network-vpc-id",
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.inputs.arn ?? expect.stringContaining("iam-network-flow-logs"),
        });
        expect(logGroup.inputs.retentionInDays).toBe(run.config.network.flowLogs.retentionDays);
        const policy = JSON.parse(String(resource(run, "aws:iam/rolePolicy:RolePolicy", "iam-network-flow-logs").inputs.policy)) as { Statement: { Resource: string[] }[] };
        expect(policy.Statement[0].Resource.every((r) => r.includes("iam-network-flow-logs"))).toBe(true);
    });

    it("are delivered by a role only this account's flow logs can have the service assume (no confused deputy)", () => {
        const trust = JSON.parse(String(resource(runs.prod, "aws:iam/role:Role", "iam-network-flow-logs").inputs.assumeRolePolicy)) as { Statement: unknown[] };
        expect(trust.Statement).toEqual([
            {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": runs.prod.config.accountId },
                    ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-1:${runs.prod.config.accountId}:vpc-flow-log/*` },
                },
            },
        ]);
    });

    it("are off in staging by default", () => {
        expect(ofType(runs.staging, "aws:ec2/flowLog:FlowLog")).toEqual([]);
    });
});

describe("peer networks", () => {
    it("are not routed unless a peering or transit gateway is configured", () => {
        const tables = ofType(runs.prod, ROUTE_TABLE);
        expect(tables.every((t) => (t.inputs.routes as unknown[]).length === 1)).toBe(true);
    });

    it("are routed from the public and private subnets through the configured peering", async () => {
        const run = await runVariant("prod-peer-gateway");
        const tables = ofType(run, ROUTE_TABLE);
        expect(tables).toHaveLength(4);
        for (const table of tables) {
            expect(table.inputs.routes).toContainEqual({ cidrBlock: "10.0.0.0/16", vpcPeeringConnectionId: "pcx-0123456789abcdef0" });
        }
    });
});

describe.each(["prod", "staging"])("%s security groups", (stack) => {
    it("has one group per access-matrix role, with no inline rules", () => {
        const groups = ofType(runs[stack], SG).filter((g) => tags(g)["iam/role"]);
        expect(groups.map((g) => tags(g)["iam/role"]).sort()).toEqual(["appNodes", "endpoints", "loadBalancer", "mariadb", "mongodb", "redis"]);
        expect(groups.every((g) => g.inputs.ingress === undefined && g.inputs.egress === undefined)).toBe(true);
    });

    it("opens nothing to the world but the load balancer's 80/443", () => {
        const run = runs[stack];
        const world = ofType(run, INGRESS).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0");
        expect(world.map((r) => `${groupRole(run, r.inputs.securityGroupId)}:${String(r.inputs.fromPort)}-${String(r.inputs.toPort)}`).sort()).toEqual([
            "loadBalancer:443-443",
            "loadBalancer:443-443",
            "loadBalancer:80-80",
            "loadBalancer:80-80",
        ]);
    });

    it("lets each store be reached on its own port only, from the app nodes' group only", () => {
        const run = runs[stack];
        const ports: Record<string, number> = { mariadb: 3306, redis: 6379, mongodb: 27017 };
        for (const [store, port] of Object.entries(ports)) {
            const rules = ofType(run, INGRESS).filter((r) => groupRole(run, r.inputs.securityGroupId) === store);
            expect(rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, groupRole(run, r.inputs.referencedSecurityGroupId)])).toEqual([
                ["tcp", port, port, "appNodes"],
            ]);
            expect(ofType(run, EGRESS).filter((r) => groupRole(run, r.inputs.securityGroupId) === store)).toEqual([]);
        }
    });

    it("lets the load balancer reach only the public services' container ports on the app nodes' group (IP targets), both ways", () => {
        const run = runs[stack];
        const ports = run.config.services.flatMap((s) => (s.public ? s.ports.filter((p) => p.name === s.public?.port).map((p) => p.port) : []));
        expect(ports).toEqual([8080, 9090]);
        const fromLb = ofType(run, INGRESS).filter((r) => groupRole(run, r.inputs.referencedSecurityGroupId) === "loadBalancer");
        expect(fromLb.map((r) => [groupRole(run, r.inputs.securityGroupId), r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort])).toEqual(
            ports.map((p) => ["appNodes", "tcp", p, p]),
        );
        const lbOut = ofType(run, EGRESS).filter((r) => groupRole(run, r.inputs.securityGroupId) === "loadBalancer");
        expect(lbOut.map((r) => [groupRole(run, r.inputs.referencedSecurityGroupId), r.inputs.fromPort, r.inputs.toPort])).toEqual(ports.map((p) => ["appNodes", p, p]));
    });

    it("describes every rule", () => {
        const rules = [...ofType(runs[stack], INGRESS), ...ofType(runs[stack], EGRESS)];
        expect(rules.length).toBeGreaterThan(10);
        expect(rules.filter((r) => typeof r.inputs.description !== "string" || r.inputs.description === "")).toEqual([]);
    });

    it("creates the groups and rules depending on the VPC only, so nothing else waits for another", () => {
        const run = runs[stack];
        const vpc = ofType(run, VPC)[0].urn;
        const groups = ofType(run, SG).filter((g) => tags(g)["iam/role"]);
        const groupUrns = new Set(groups.map((g) => g.urn));
        // The control-plane rules wait for EKS's cluster group: the Cluster component makes them (test/nodeEgress.test.ts).
        const rules = [...ofType(run, INGRESS), ...ofType(run, EGRESS)].filter(
            (r) => groups.some((g) => `${g.name}-id` === r.inputs.securityGroupId) && r.urn.includes("iam:network:AccessMatrix$"),
        );
        expect(rules.length).toBeGreaterThan(10);
        for (const r of [...groups, ...rules]) {
            const waitsFor = [...transitiveDependencies(run, r.urn)].filter((urn) => !groupUrns.has(urn));
            expect(waitsFor).toEqual([vpc]);
        }
    });
});

describe.each(["prod", "staging"])("%s registry", (stack) => {
    it("creates no repository: the registry project owns them (registry/)", () => {
        const run = runs[stack];
        expect(run.resources.filter((r) => r.type.startsWith("aws:ecr/")).map((r) => r.name)).toEqual([]);
        expect(run.resources.filter((r) => r.type.startsWith("iam:registry:")).map((r) => r.name)).toEqual([]);
    });

    it("exports every repository URL, derived from iam:registry (account and region)", () => {
        const run = runs[stack];
        const { account, region } = run.config.registry;
        expect(run.outputs.repositoryUrls).toEqual({
            known: true,
            secret: false,
            value: Object.fromEntries(run.config.services.map((s) => [s.image.repository, `${account}.dkr.ecr.${region}.amazonaws.com/${s.image.repository}`])),
        });
    });
});

describe("tags", () => {
    it("come from one place: the AWS provider's default tags, with the stack's own", () => {
        const [provider] = ofType(runs.prod, "pulumi:providers:aws");
        const defaults = JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> };
        expect(defaults.tags).toEqual({ owner: "platform-team", "cost-center": "iam", project: "iam", environment: "prod", "pulumi-stack": "prod", "managed-by": "pulumi" });
        const aws = runs.prod.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        expect(aws.every((r) => r.provider?.startsWith(provider.urn))).toBe(true);
    });
});

describe.each(["prod", "staging"])("a new %s stack's pulumi preview", (stack) => {
    it("runs with every computed output unknown", async () => {
        const preview = await runStack(stack, { preview: true });
        expect(preview.resources.length).toBe(runs[stack].resources.length);
        expect(preview.outputs.vpcId.known).toBe(false);
    });
});

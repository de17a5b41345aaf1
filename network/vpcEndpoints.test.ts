/**
 * The private AWS endpoints of the real stack files: S3 through a gateway on
 * the private route tables everywhere; interface endpoints with private DNS
 * in prod only (staging's default, for cost), behind the matrix's group.
 */
import { configProblems, ofType, runStack, runVariant, StackRun } from "../test/harness";
import { INTERFACE_ENDPOINT_SERVICES } from "./endpointsSchema";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

const privateRouteTables = (run: StackRun): string[] =>
    ofType(run, "aws:ec2/routeTable:RouteTable")
        .filter((t) => t.name.includes("-private-"))
        .map((t) => `${t.name}-id`)
        .sort();
const privateSubnets = (run: StackRun): string[] =>
    ofType(run, "aws:ec2/subnet:Subnet")
        .filter((t) => t.name.includes("-private-"))
        .map((t) => `${t.name}-id`)
        .sort();

describe.each(["prod", "staging"])("%s VPC endpoints", (stack) => {
    it("route S3 (ECR's image layers) through a gateway endpoint on every private route table", () => {
        const run = runs[stack];
        const gateways = ofType(run, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Gateway");
        expect(gateways).toHaveLength(1);
        expect(gateways[0].inputs.serviceName).toBe("com.amazonaws.eu-west-1.s3");
        expect([...(gateways[0].inputs.routeTableIds as string[])].sort()).toEqual(privateRouteTables(run));
    });
});

describe("interface endpoints", () => {
    it("in prod: one per service, private DNS, in every private subnet, behind the endpoints group only", () => {
        const run = runs.prod;
        const interfaces = ofType(run, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual(INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.eu-west-1.${s}`).sort());
        expect(INTERFACE_ENDPOINT_SERVICES).toEqual(["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager", "sqs", "eks-auth"]);
        for (const endpoint of interfaces) {
            expect(endpoint.inputs.privateDnsEnabled).toBe(true);
            expect([...(endpoint.inputs.subnetIds as string[])].sort()).toEqual(privateSubnets(run));
            expect(endpoint.inputs.securityGroupIds).toEqual(["iam-access-endpoints-id"]);
        }
    });

    it("are off in staging by default (cost), and on when asked", async () => {
        expect(ofType(runs.staging, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface")).toEqual([]);
        const on = await runVariant("staging-interface-endpoints");
        expect(ofType(on, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface")).toHaveLength(INTERFACE_ENDPOINT_SERVICES.length);
    });

    it("reject a bad switch by its path", () => {
        expect(
            configProblems("prod", (v) => {
                (v.network as Record<string, unknown>).endpoints = { interface: "yes", gateway: true };
            }),
        ).toEqual([
            "network.endpoints.interface must be true or false (interface endpoints for ECR, STS, logs, Secrets Manager, SQS and eks-auth)",
            "network.endpoints.gateway is not a known key (allowed: interface, s3Gateway): did you mean s3Gateway?",
        ]);
    });
});

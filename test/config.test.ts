/**
 * Config validation against the real stack files: each kind of bad input is
 * rejected before anything is created, with a message that names the field.
 */
import { ConfigValidationError, parseStackConfig } from "../config";
import { configProblems, rawStackConfig, registeredWithMonitor, runStack } from "./harness";

type Values = Record<string, unknown>;

/** Parses the stack file after `edit`; returns the problems (none: []). */

const network = (v: Values): Values => v.network as Values;
const services = (v: Values): Values[] => v.services as Values[];
const matrix = (v: Values): Values => v.accessMatrix as Values;

describe.each(["prod", "staging"])("the %s stack file", (stack) => {
    it("is valid", () => {
        expect(configProblems(stack, () => undefined)).toEqual([]);
    });
});

describe("config validation", () => {
    it.each<[string, (v: Values) => void, RegExp]>([
        [
            "a malformed VPC CIDR",
            (v) => {
                network(v).cidr = "10.20.0/16";
            },
            /^network\.cidr must be an IPv4 CIDR/,
        ],
        [
            "host bits in the VPC CIDR",
            (v) => {
                network(v).cidr = "10.20.0.1/16";
            },
            /^network\.cidr has host bits set/,
        ],
        [
            "a VPC too small for its subnets",
            (v) => {
                network(v).cidr = "10.20.0.0/20";
            },
            /^network\.cidr cannot hold the subnets/,
        ],
        [
            "a peer CIDR overlapping the VPC",
            (v) => {
                network(v).peerCidrs = ["10.20.64.0/18"];
            },
            /^network\.peerCidrs\[0\] \(10\.20\.64\.0\/18\) overlaps the VPC CIDR/,
        ],
        [
            "a zone outside the region",
            (v) => {
                network(v).availabilityZones = ["eu-west-1a", "eu-west-1b", "us-east-1a"];
            },
            /^network\.availabilityZones\[2\] \(us-east-1a\) is not in the stack's region eu-west-1/,
        ],
        [
            "too few zones for prod",
            (v) => {
                network(v).availabilityZones = ["eu-west-1a", "eu-west-1b"];
            },
            /^network\.availabilityZones must have at least 3 items/,
        ],
        [
            "a duplicate zone",
            (v) => {
                network(v).availabilityZones = ["eu-west-1a", "eu-west-1b", "eu-west-1a"];
            },
            /^network\.availabilityZones\[2\] duplicates zone "eu-west-1a"/,
        ],
        [
            "one NAT gateway in prod",
            (v) => {
                network(v).natGateways = "single";
            },
            /^network\.natGateways must be perAz in prod/,
        ],
        [
            "an unknown NAT mode",
            (v) => {
                network(v).natGateways = "some";
            },
            /^network\.natGateways must be one of perAz, single/,
        ],
        [
            "a peer gateway naming two gateways",
            (v) => {
                network(v).peerGateway = { vpcPeeringConnectionId: "pcx-0123456789abcdef0", transitGatewayId: "tgw-0123456789abcdef0" };
            },
            /^network\.peerGateway must name exactly one of vpcPeeringConnectionId, transitGatewayId/,
        ],
        [
            "a malformed peering id",
            (v) => {
                network(v).peerGateway = { vpcPeeringConnectionId: "peering-1" };
            },
            /^network\.peerGateway\.vpcPeeringConnectionId must be a VPC peering connection id/,
        ],
        [
            "a flow-log retention CloudWatch does not offer",
            (v) => {
                network(v).flowLogs = { retentionDays: 100 };
            },
            /^network\.flowLogs\.retentionDays \(100\) must be a CloudWatch Logs retention/,
        ],
        [
            "a port outside 1-65535",
            (v) => {
                (services(v)[0].ports as Values[])[0].port = 70000;
            },
            /^services\[0\]\.ports\[0\]\.port \(70000\) must be <= 65535/,
        ],
        [
            "a duplicate service name",
            (v) => {
                services(v)[1].name = "iam-apiserver";
            },
            /^services\[1\]\.name duplicates service name "iam-apiserver"/,
        ],
        [
            "a duplicate port in a service",
            (v) => {
                (services(v)[0].ports as Values[])[1].port = 8080;
            },
            /^services\[0\]\.ports\[1\]\.port duplicates port "8080"/,
        ],
        [
            "a duplicate public host",
            (v) => {
                (services(v)[1].public as Values).host = "iam.api";
            },
            /^services\[1\]\.public\.host duplicates host "iam\.api\.example\.com"/,
        ],
        [
            "a NodePort (retired with the instance targets)",
            (v) => {
                (services(v)[0].public as Values).nodePort = 30080;
            },
            /^services\[0\]\.public\.nodePort is no longer used: .*; delete the key$/,
        ],
        [
            "the retired `nodePorts` flow port",
            (v) => {
                ((v.accessMatrix as Values).flows as Values[])[1].ports = ["nodePorts"];
            },
            /^accessMatrix\.flows\[1\]\.ports\[0\] is `nodePorts`, which is gone \(IP targets, no NodePorts\): write `servicePorts`/,
        ],
        [
            "a health check on an undeclared port",
            (v) => {
                (services(v)[2].health as Values).port = "http";
            },
            /^services\[2\]\.health\.port names port "http", which iam-pump does not declare/,
        ],
        [
            "the image tag latest",
            (v) => {
                (services(v)[0].image as Values).tag = "latest";
            },
            /^services\[0\]\.image\.tag must not be `latest`/,
        ],
        [
            "a call to a service not in the catalog",
            (v) => {
                services(v)[1].calls = [{ service: "iam-nope", port: "grpc" }];
            },
            /^services\[1\]\.calls\[0\]\.service names "iam-nope", which is not in the catalog/,
        ],
        [
            "a worker exposed publicly",
            (v) => {
                services(v)[2].public = { host: "pump", port: "health" };
            },
            /^services\[2\]\.public is not allowed on a worker/,
        ],
        [
            "a malformed domain",
            (v) => {
                v.domain = "Example..com";
            },
            /^domain must be a lowercase DNS domain/,
        ],
        [
            "an unknown environment",
            (v) => {
                v.environment = "production";
            },
            /^environment must be one of prod, staging, got "production"/,
        ],
        [
            "an unknown top-level key",
            (v) => {
                v.netwrok = {};
            },
            /^netwrok is not a known key/,
        ],
        [
            "a typo in a nested key",
            (v) => {
                network(v).natGateway = "perAz";
            },
            /^network\.natGateway is not a known key \(allowed: cidr, availabilityZones/,
        ],
        [
            "the internet reaching the nodes",
            (v) => {
                (matrix(v).flows as Values[]).push({ from: "internet", to: "appNodes", ports: [22], description: "oops" });
            },
            /^accessMatrix\.flows\[11\] is not allowed: internet -> appNodes: the internet may reach only the loadBalancer/,
        ],
        [
            "a store reachable on another port",
            (v) => {
                (matrix(v).flows as Values[])[4].ports = [3306, 22];
            },
            /^accessMatrix\.flows\[4\] is not allowed: appNodes -> mariadb: mariadb may be reached only on its own port 3306/,
        ],
        [
            "SSH from the whole internet",
            (v) => {
                matrix(v).adminCidrs = ["0.0.0.0/0"];
            },
            /^accessMatrix\.adminCidrs\[0\] \(0\.0\.0\.0\/0\) is too wide for SSH/,
        ],
        [
            "a rule description AWS rejects",
            (v) => {
                (matrix(v).flows as Values[])[0].description = "public -> alb";
            },
            /^accessMatrix\.flows\[0\]\.description must be 1-200 characters AWS allows/,
        ],
    ])("rejects %s, naming the field", (_what, edit, message) => {
        // The cases name hosts of the example domain: pinned here, so they hold whatever domain the stack file has.
        const found = configProblems("prod", (v) => {
            v.domain = "example.com";
            edit(v);
        });
        expect(found).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("lists every bad field in one error", () => {
        const found = configProblems("staging", (v) => {
            network(v).cidr = "bad";
            v.environment = "dev";
            (services(v)[0].image as Values).tag = "latest";
        });
        expect(found).toHaveLength(3);
        expect(found.join("\n")).toMatch(/network\.cidr[\s\S]*environment|environment[\s\S]*network\.cidr/);
    });

    it("requires the AWS region", () => {
        const raw = rawStackConfig("staging");
        raw.region = undefined;
        expect(() => parseStackConfig(raw)).toThrow(/aws:region must be an AWS region like eu-west-1/);
    });

    it("creates nothing when the config is invalid", async () => {
        await expect(
            runStack("prod", {
                edit: (v) => {
                    network(v).cidr = "10.20.0.0/33";
                },
            }),
        ).rejects.toThrow(ConfigValidationError);
        expect(registeredWithMonitor()).toBe(0);
        // The same run with the valid file does register resources (the counter works);
        // the no-op edit makes it a fresh run rather than the shared one.
        await runStack("prod", { edit: () => undefined });
        expect(registeredWithMonitor()).toBeGreaterThan(0);
    });
});

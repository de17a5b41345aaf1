/**
 * The `network` and `accessMatrix` sections, declared once: the VPC's range
 * and zones, NAT, peer networks, flow logs, and who may reach whom. Types are
 * inferred from the schemas; the subnet layout is computed here, so a range
 * too small for its subnets is a config problem, not a failed deployment.
 */
import { z } from "zod";
import { cidrsOverlap, Ipv4Cidr, parseCidr, planSubnets, SubnetPlan } from "../lib/cidr";
import { cidrString, cidrText, LOG_RETENTION_CHOICES, logRetention, parsedCleanly, report, reportDuplicates, whenValid, wholeNumber, matching } from "../lib/configSchema";
import { ENVIRONMENT_DEFAULTS, SchemaContext } from "../lib/environment";
import { show } from "../lib/reader";
import { type AccessMatrixSpec, flowViolations, missingRequiredFlows, Peer, PEERS } from "./accessMatrixPlan";
import { endpointsSchema } from "./endpointsSchema";

export const NETWORK_DEFAULTS = {
    /** /19 per zone: the VPC CNI gives each pod a VPC address, so private subnets are large. */
    privateSubnetPrefix: 19,
    /** /22 per zone: only the load balancer's and NAT gateways' interfaces live here. */
    publicSubnetPrefix: 22,
    /** VPC flow logs (every accepted and rejected connection): the audit trail of the access matrix. */
    flowLogs: { prod: true, staging: false },
    flowLogRetentionDays: 90,
} as const;

const ZONE_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

function vpcCidr(): z.ZodString {
    return cidrText().superRefine((text, ctx) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") {
            report(ctx, [], `${parsed}, got ${JSON.stringify(text)}`);
        } else if (parsed.prefix < 16 || parsed.prefix > 24) {
            report(ctx, [], `prefix must be /16 to /24 (AWS VPC limits), got /${parsed.prefix}`);
        }
    });
}

/** The `network` section for an environment and region. */
export function networkSchema(ctx: SchemaContext) {
    const defaults = ENVIRONMENT_DEFAULTS[ctx.environment];
    const zone = matching(ZONE_PATTERN, "an availability zone name like eu-west-1a").refine((z) => ctx.region === "" || z.slice(0, -1) === ctx.region, {
        error: (issue) => `(${String(issue.input)}) is not in the stack's region ${ctx.region}`,
    });
    return z
        .strictObject({
            cidr: vpcCidr().meta({
                description: "The VPC's IPv4 range, /16 to /24, e.g. 10.20.0.0/16. Must not overlap peerCidrs. Changing it replaces the VPC and everything in it.",
            }),
            availabilityZones: z
                .array(zone)
                .min(defaults.minZones)
                .max(6)
                .superRefine((zones, c) =>
                    reportDuplicates(
                        c,
                        zones,
                        (z) => z,
                        (i) => [i],
                        "zone",
                        (i) => `network.availabilityZones[${i}]`,
                    ),
                )
                .meta({
                    description:
                        "Zones to span, in order (e.g. eu-west-1a); at least 3 in prod, 2 in staging, at most 6, no duplicates. Explicit so subnets never move when AWS adds a zone.",
                }),
            natGateways: z
                .enum(["perAz", "single"])
                .default(defaults.natGateways)
                .refine((mode) => ctx.environment !== "prod" || mode === "perAz", {
                    error: "must be perAz in prod: a single NAT gateway takes every zone's egress down with its own zone",
                })
                .meta({ description: "`perAz`: a NAT gateway per zone (default in prod, required there); `single`: one shared (default in staging)." }),
            privateSubnetPrefix: wholeNumber(16, 28)
                .default(NETWORK_DEFAULTS.privateSubnetPrefix)
                .meta({ description: "Prefix length of each zone's private subnet (pods get VPC addresses here). Default /19." }),
            publicSubnetPrefix: wholeNumber(16, 28)
                .default(NETWORK_DEFAULTS.publicSubnetPrefix)
                .meta({ description: "Prefix length of each zone's public subnet (load balancer, NAT gateways). Default /22." }),
            peerCidrs: z.array(cidrString()).default([]).meta({ description: "Networks this VPC must not overlap (the old VMs' network, peered VPCs, VPN ranges)." }),
            peerGateway: z
                .strictObject({
                    vpcPeeringConnectionId: matching(/^pcx-[0-9a-f]{8,17}$/, "a VPC peering connection id like pcx-0123456789abcdef0")
                        .optional()
                        .meta({ description: "A VPC peering connection (pcx-...) already attached to this VPC." }),
                    transitGatewayId: matching(/^tgw-[0-9a-f]{8,17}$/, "a transit gateway id like tgw-0123456789abcdef0")
                        .optional()
                        .meta({ description: "A transit gateway (tgw-...) already attached to this VPC." }),
                })
                .superRefine((g, c) => {
                    if ((g.vpcPeeringConnectionId === undefined) === (g.transitGatewayId === undefined)) {
                        report(c, [], "must name exactly one of vpcPeeringConnectionId, transitGatewayId");
                    }
                })
                .optional()
                .meta({
                    description:
                        "Where traffic to peerCidrs goes: an existing VPC peering connection or transit gateway attached to this VPC (exactly one). Unset: the peer networks are not routed, only kept clear of the VPC's range. The edge's legacy migration targets need it.",
                }),
            flowLogs: z
                .strictObject({
                    enabled: z.boolean().default(NETWORK_DEFAULTS.flowLogs[ctx.environment]).meta({
                        description:
                            "VPC flow logs (all traffic, accepted and rejected) to a CloudWatch log group, written through a role scoped to that group. Default on in prod, off in staging.",
                    }),
                    retentionDays: logRetention("a CloudWatch Logs retention")
                        .default(NETWORK_DEFAULTS.flowLogRetentionDays)
                        .meta({ description: `Days the flow logs are kept: ${LOG_RETENTION_CHOICES} (the CloudWatch Logs retentions). Default 90.` }),
                })
                .prefault({})
                .meta({ description: "VPC flow logs: the audit trail of every accepted and rejected connection." }),
            endpoints: endpointsSchema(ctx.environment).meta({
                description: "Private AWS endpoints (network/endpointsSchema.ts): interface endpoints (default on in prod) and the S3 gateway.",
            }),
        })
        .superRefine(
            (network, c) => {
                const vpc = parseCidr(network.cidr) as Ipv4Cidr;
                (Array.isArray(network.peerCidrs) ? network.peerCidrs : []).forEach((text, i) => {
                    const peer = parseCidr(text);
                    if (typeof peer !== "string" && parsedCleanly(c, ["peerCidrs", i]) && cidrsOverlap(peer, vpc)) {
                        report(c, ["peerCidrs", i], `(${text}) overlaps the VPC CIDR ${network.cidr}`);
                    }
                });
            },
            { when: whenValid("cidr") },
        )
        .superRefine(
            (network, c) => {
                if (network.peerGateway && network.peerCidrs.length === 0) {
                    report(c, ["peerGateway"], "routes peerCidrs, but peerCidrs is empty");
                }
            },
            { when: whenValid("peerGateway", "peerCidrs") },
        )
        .transform((network, c) => {
            let subnets: SubnetPlan = { private: [], public: [] };
            try {
                subnets = planSubnets(network.cidr, network.availabilityZones.length, network.privateSubnetPrefix, network.publicSubnetPrefix);
            } catch (error) {
                report(c, ["cidr"], `cannot hold the subnets: ${(error as Error).message}`);
            }
            /** The computed subnet layout. */
            return { ...network, subnets };
        });
}

export type NetworkConfig = z.output<ReturnType<typeof networkSchema>>;

/** What AWS accepts in a security-group rule description. */
const DESCRIPTION_PATTERN = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,200}$/;

const PEER_TUPLE = PEERS as unknown as readonly [Peer, ...Peer[]];

const flowPort = z.union([z.literal("servicePorts"), z.literal("all"), z.int().min(1).max(65535)], {
    error: (issue) =>
        issue.input === "nodePorts"
            ? // Retired with the NodePorts: say what replaced it instead of "must be a port".
              "is `nodePorts`, which is gone (IP targets, no NodePorts): write `servicePorts`, the pods' public ports the load balancer reaches"
            : `must be a port 1-65535, \`servicePorts\` or \`all\`, got ${show(issue.input)}`,
});

/** The `accessMatrix` section: the flows the security groups and NetworkPolicies are built from. */
export const accessMatrixSchema = z
    .strictObject({
        adminCidrs: z
            .array(cidrString(16, "SSH"))
            .default([])
            .meta({ description: "CIDRs allowed SSH to the nodes, /16 or narrower; empty (default) means no SSH (SSM is the way in)." }),
        flows: z
            .array(
                z.strictObject({
                    from: z.enum(PEER_TUPLE).meta({ description: `Where the connection starts: ${PEERS.join(", ")}.` }),
                    to: z.enum(PEER_TUPLE).meta({ description: `Where it goes: ${PEERS.join(", ")}.` }),
                    ports: z.array(flowPort).min(1).meta({
                        description: "Ports 1-65535, `servicePorts` (each public service's public port: the load balancer's IP targets) or `all` (only between appNodes).",
                    }),
                    description: matching(DESCRIPTION_PATTERN, "1-200 characters AWS allows in a rule description (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)").meta({
                        description: "Why the flow exists; becomes the rule description. Changing it replaces the rule.",
                    }),
                }),
            )
            .min(1)
            .meta({ description: "Who may reach whom on which ports; the program refuses flows the matrix never allows (e.g. the internet to the nodes)." }),
    })
    .superRefine(
        (matrix, c) => {
            matrix.flows.forEach((flow, i) => {
                if (!parsedCleanly(c, ["flows", i])) {
                    return;
                }
                for (const problem of flowViolations(flow, matrix.adminCidrs)) {
                    report(c, ["flows", i], `is not allowed: ${problem}`);
                }
            });
        },
        { when: whenValid("adminCidrs") },
    )
    .superRefine((matrix, c) => {
        // The nodes carry no EKS cluster security group: these flows are all they have with the control plane.
        for (const problem of missingRequiredFlows(matrix.flows)) {
            report(c, ["flows"], problem);
        }
    });

/** The parsed matrix: the planner's input as it stands (`AccessMatrixSpec` and `Flow` are this type's parts). */
export type AccessMatrixConfig = z.output<typeof accessMatrixSchema>;

/** True when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while the parsed section is exactly the planner's input (accessMatrixPlan.ts writes it out to avoid an import cycle). */
const ACCESS_MATRIX_TYPES_AGREE: Same<AccessMatrixConfig, AccessMatrixSpec> = true;
void ACCESS_MATRIX_TYPES_AGREE;

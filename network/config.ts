import { cidrsOverlap, parseCidr, planSubnets, SubnetPlan } from "../lib/cidr";
import { Environment, ENVIRONMENT_DEFAULTS, LOG_RETENTION_DAYS, NETWORK_DEFAULTS } from "../lib/defaults";
import { checkUnique, Fields, readString } from "../lib/reader";
import { readSection } from "../lib/zodSection";
import { EndpointsConfig, endpointsSchema } from "./endpointsSchema";

export interface NetworkConfig {
    /** The VPC's IPv4 range, e.g. 10.20.0.0/16. Must not overlap `peerCidrs`. */
    cidr: string;
    /** Zones to span, in order (e.g. eu-west-1a). Explicit so subnets never move when AWS adds a zone. */
    availabilityZones: string[];
    /** `perAz`: a NAT gateway per zone (default in prod); `single`: one shared (default in staging). */
    natGateways: "perAz" | "single";
    privateSubnetPrefix: number;
    publicSubnetPrefix: number;
    /** Networks this VPC must not overlap (the old VMs' network, peered VPCs, VPN ranges). */
    peerCidrs: string[];
    /**
     * Where traffic to `peerCidrs` goes: an existing VPC peering connection or
     * transit gateway attached to this VPC. Unset: the peer networks are not
     * routed (only kept clear of the VPC's range).
     */
    peerGateway?: { vpcPeeringConnectionId?: string; transitGatewayId?: string };
    /** VPC flow logs to CloudWatch Logs (default on in prod, off in staging), kept `retentionDays`. */
    flowLogs: { enabled: boolean; retentionDays: number };
    /** Private AWS endpoints (network/endpointsSchema.ts): interface endpoints (prod default) and the S3 gateway. */
    endpoints: EndpointsConfig;
    /** The computed subnet layout. */
    subnets: SubnetPlan;
}

export const NETWORK_KEYS = ["cidr", "availabilityZones", "natGateways", "privateSubnetPrefix", "publicSubnetPrefix", "peerCidrs", "peerGateway", "flowLogs", "endpoints"] as const;

const ZONE_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

export function readNetwork(f: Fields, environment: Environment, region: string): NetworkConfig {
    const defaults = ENVIRONMENT_DEFAULTS[environment];
    const cidr = f.string("cidr");
    const parsed = cidr === "" ? undefined : parseCidr(cidr);
    if (typeof parsed === "string") {
        f.issues.add(f.at("cidr"), `${parsed}, got ${JSON.stringify(cidr)}`);
    } else if (parsed && (parsed.prefix < 16 || parsed.prefix > 24)) {
        f.issues.add(f.at("cidr"), `prefix must be /16 to /24 (AWS VPC limits), got /${parsed.prefix}`);
    }
    const availabilityZones = f.list("availabilityZones", (item, path) => {
        const zone = readString(item, path, f.issues, { pattern: ZONE_PATTERN, expected: "an availability zone name like eu-west-1a" });
        if (zone !== "" && ZONE_PATTERN.test(zone) && region !== "" && zone.slice(0, -1) !== region) {
            f.issues.add(path, `(${zone}) is not in the stack's region ${region}`);
        }
        return zone;
    }, { minItems: defaults.minZones, maxItems: 6 });
    checkUnique(availabilityZones, (z) => z, (i) => `${f.at("availabilityZones")}[${i}]`, f.issues, "zone");
    const natGateways = f.string("natGateways", { oneOf: ["perAz", "single"] as const, default: defaults.natGateways });
    if (environment === "prod" && natGateways === "single") {
        f.issues.add(f.at("natGateways"), "must be perAz in prod: a single NAT gateway takes every zone's egress down with its own zone");
    }
    const privateSubnetPrefix = f.int("privateSubnetPrefix", { default: NETWORK_DEFAULTS.privateSubnetPrefix, min: 16, max: 28 });
    const publicSubnetPrefix = f.int("publicSubnetPrefix", { default: NETWORK_DEFAULTS.publicSubnetPrefix, min: 16, max: 28 });
    const peerCidrs = f.list("peerCidrs", (item, path) => {
        const text = readString(item, path, f.issues);
        const peer = text === "" ? undefined : parseCidr(text);
        if (typeof peer === "string") {
            f.issues.add(path, `${peer}, got ${JSON.stringify(text)}`);
        } else if (peer && parsed && typeof parsed !== "string" && cidrsOverlap(peer, parsed)) {
            f.issues.add(path, `(${text}) overlaps the VPC CIDR ${cidr}`);
        }
        return text;
    }, { default: [] });
    const peerGateway = f.optionalObject("peerGateway", ["vpcPeeringConnectionId", "transitGatewayId"], (g) => {
        const gateway = {
            vpcPeeringConnectionId: g.optionalString("vpcPeeringConnectionId", { pattern: /^pcx-[0-9a-f]{8,17}$/, expected: "a VPC peering connection id like pcx-0123456789abcdef0" }),
            transitGatewayId: g.optionalString("transitGatewayId", { pattern: /^tgw-[0-9a-f]{8,17}$/, expected: "a transit gateway id like tgw-0123456789abcdef0" }),
        };
        if ((gateway.vpcPeeringConnectionId === undefined) === (gateway.transitGatewayId === undefined)) {
            g.issues.add(g.path, "must name exactly one of vpcPeeringConnectionId, transitGatewayId");
        }
        return gateway;
    });
    if (peerGateway && peerCidrs.length === 0) {
        f.issues.add(f.at("peerGateway"), "routes peerCidrs, but peerCidrs is empty");
    }
    const flowLogs = f.object("flowLogs", ["enabled", "retentionDays"], (l) => {
        const retentionDays = l.int("retentionDays", { default: NETWORK_DEFAULTS.flowLogRetentionDays, min: 1, max: 3653 });
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
            l.issues.add(l.at("retentionDays"), `(${retentionDays}) must be a CloudWatch Logs retention: ${LOG_RETENTION_DAYS.join(", ")}`);
        }
        return { enabled: l.bool("enabled", NETWORK_DEFAULTS.flowLogs[environment]), retentionDays };
    }, { optional: true });
    const endpointsDefault = endpointsSchema(environment).parse(undefined);
    const endpoints = readSection(f.value("endpoints"), f.at("endpoints"), f.issues, endpointsSchema(environment)) ?? endpointsDefault;
    let subnets: SubnetPlan = { private: [], public: [] };
    if (parsed && typeof parsed !== "string" && availabilityZones.length > 0) {
        try {
            subnets = planSubnets(cidr, availabilityZones.length, privateSubnetPrefix, publicSubnetPrefix);
        } catch (error) {
            f.issues.add(f.at("cidr"), `cannot hold the subnets: ${(error as Error).message}`);
        }
    }
    return { cidr, availabilityZones, natGateways, privateSubnetPrefix, publicSubnetPrefix, peerCidrs, peerGateway, flowLogs, endpoints, subnets };
}

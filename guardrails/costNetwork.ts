/**
 * Network and edge lines of the estimate: NAT gateways (hours and data),
 * public IPv4 addresses, the ALB (hours and LCUs), VPC endpoints, WAF web
 * ACLs and the access-log bucket. Pure: no cloud SDK.
 */
import { fixed, HOURS_PER_MONTH, rangeText, scale, USAGE } from "./costModel";
import type { Pricer } from "./pricer";
import { MissingPriceError } from "./priceTable";

const hours = fixed(HOURS_PER_MONTH);

const natGateway: Pricer = (record, ctx) => [
    ctx.line(record, "gateway hours", "nat.hour", hours, "hours", "730 hours"),
    ctx.line(
        record,
        "data processed",
        "nat.gb",
        USAGE.natGbPerGateway,
        "GB",
        `${rangeText(USAGE.natGbPerGateway, "GB")} a month through this gateway (guardrails/costModel.ts USAGE.natGbPerGateway)`,
    ),
];

/** Every public IPv4 address is billed by the hour, attached or not. */
const elasticIp: Pricer = (record, ctx) => [ctx.line(record, "public IPv4 hours", "ipv4.hour", hours, "hours", "730 hours of one public IPv4 address")];

const loadBalancer: Pricer = (record, ctx) => {
    const kind = record.inputs.loadBalancerType ?? "application";
    if (kind !== "application") {
        throw new MissingPriceError(`${String(kind)}LoadBalancer`, ctx.prices.region, `a ${String(kind)} load balancer (only application load balancers are priced)`);
    }
    const zones = ((record.inputs.subnets as unknown[] | undefined) ?? (record.inputs.subnetMappings as unknown[] | undefined) ?? []).length;
    const lines = [
        ctx.line(record, "load balancer hours", "alb.hour", hours, "hours", "730 hours"),
        ctx.line(
            record,
            "LCU hours",
            "alb.lcu",
            scale(USAGE.albLcu, HOURS_PER_MONTH),
            "LCU-hours",
            `${rangeText(USAGE.albLcu, "LCU")} on average × 730 hours (USAGE.albLcu; 1 LCU = 25 new connections/s, 3,000 active connections, 1 GB/hour or 1,000 rule evaluations/s)`,
        ),
    ];
    if (record.inputs.internal !== true && zones > 0) {
        lines.push(
            ctx.line(record, "public IPv4 hours", "ipv4.hour", fixed(zones * HOURS_PER_MONTH), "hours", `${zones} public IPv4 addresses (one per subnet, at least) × 730 hours`),
        );
    }
    return lines;
};

const vpcEndpoint: Pricer = (record, ctx) => {
    const kind = String(record.inputs.vpcEndpointType ?? "Gateway");
    if (kind === "Gateway") {
        return [];
    }
    if (kind !== "Interface") {
        throw new MissingPriceError(`vpce.${kind.toLowerCase()}.hour`, ctx.prices.region, `a ${kind} VPC endpoint`);
    }
    const zones = Math.max(1, ((record.inputs.subnetIds as unknown[] | undefined) ?? []).length);
    const service = String(record.inputs.serviceName ?? "")
        .split(".")
        .pop();
    return [
        ctx.line(
            record,
            "endpoint hours",
            "vpce.interface.hour",
            fixed(zones * HOURS_PER_MONTH),
            "hours",
            `${zones} zones (one network interface per subnet) × 730 hours, ${service}`,
        ),
        ctx.line(record, "data processed", "vpce.interface.gb", USAGE.endpointGb, "GB", `${rangeText(USAGE.endpointGb, "GB")} a month (USAGE.endpointGb)`),
    ];
};

const webAcl: Pricer = (record, ctx) => {
    const rules = ((record.inputs.rules as unknown[] | undefined) ?? []).length;
    return [
        ctx.line(record, "web ACL", "waf.webAcl", fixed(1), "web ACL-months", "one web ACL a month"),
        ctx.line(
            record,
            "rules",
            "waf.rule",
            fixed(rules),
            "rule-months",
            `${rules} rules (a managed rule group counts as one; paid managed groups such as Bot Control cost more, not modelled)`,
        ),
        ctx.line(
            record,
            "requests",
            "waf.requests",
            USAGE.wafMillionRequests,
            "million requests",
            `${rangeText(USAGE.wafMillionRequests, "million")} requests inspected a month (USAGE.wafMillionRequests)`,
        ),
    ];
};

const bucket: Pricer = (record, ctx) => [
    ctx.line(record, "storage", "s3.standard", USAGE.bucketGb, "GB-month", `${rangeText(USAGE.bucketGb, "GB")} stored (USAGE.bucketGb; its lifecycle rules bound it)`),
];

/** Network and edge pricers by type token. */
export const networkPricers: Record<string, Pricer> = {
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
};

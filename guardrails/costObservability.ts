/**
 * Observability and key lines of the estimate: CloudWatch alarms, log
 * groups (ingestion and storage at their retention), Container Insights,
 * KMS keys. Pure: no cloud SDK.
 */
import { fixed, num, rangeText, scale, USAGE } from "./costModel";
import type { CostRecord, Range } from "./costModel";
import type { Pricer, PricingContext } from "./pricer";

/** A standard-resolution alarm costs per metric it evaluates: one, or each metric of a metric-math alarm. */
const alarm: Pricer = (record, ctx) => {
    const queries = (record.inputs.metricQueries as { metric?: unknown }[] | undefined) ?? [];
    const metrics = Math.max(1, queries.filter((q) => q.metric !== undefined).length);
    const period = Number(record.inputs.period ?? 60);
    const resolution = period < 60 ? " (a period under 60 s is high resolution, billed higher: not modelled)" : "";
    return [
        ctx.line(
            record,
            "alarm metrics",
            "cloudwatch.alarm",
            fixed(metrics),
            "alarm metric-months",
            `${metrics} metric${metrics > 1 ? "s" : ""} evaluated, standard resolution${resolution}`,
        ),
    ];
};

/** What writes to a log group, from the records: the EKS control plane, VPC flow logs, or something else. */
function logSource(record: CostRecord, ctx: PricingContext): { gb: Range; what: string } {
    const name = String(record.inputs.name ?? "");
    const cluster = /^\/aws\/eks\/([^/]+)\/cluster$/.exec(name)?.[1];
    if (cluster) {
        const eks = ctx.records.find((r) => (r.type === "eks:index:Cluster" || r.type === "aws:eks/cluster:Cluster") && r.inputs.name === cluster);
        const types = ((eks?.inputs.enabledClusterLogTypes as string[] | undefined) ?? []).length;
        return {
            gb: scale(USAGE.logGb.controlPlanePerType, types),
            what: `EKS control-plane logs, ${types} log types × ${rangeText(USAGE.logGb.controlPlanePerType, "GB")} (USAGE.logGb.controlPlanePerType)`,
        };
    }
    if (name.startsWith("aws-waf-logs-")) {
        return { gb: USAGE.logGb.waf, what: "WAF request logs, USAGE.logGb.waf (about 1.5 KB per inspected request)" };
    }
    const flowLog = ctx.records.find(
        (r) =>
            r.type === "aws:ec2/flowLog:FlowLog" &&
            ((r.propertyDependencies?.logDestination ?? []).includes(record.urn) || String(r.inputs.logDestination ?? "").endsWith(`:${record.name}`)),
    );
    if (flowLog) {
        return { gb: USAGE.logGb.flowLogs, what: `VPC flow logs (${String(flowLog.inputs.trafficType ?? "ALL")} traffic), USAGE.logGb.flowLogs` };
    }
    return { gb: USAGE.logGb.other, what: "USAGE.logGb.other" };
}

const logGroup: Pricer = (record, ctx) => {
    const { gb, what } = logSource(record, ctx);
    const days = Number(record.inputs.retentionInDays ?? 0);
    const months = days > 0 ? Math.min(days / 30, USAGE.neverExpireMonths) : USAGE.neverExpireMonths;
    const kept = days > 0 ? `${days} days' retention` : `no retention set: ${USAGE.neverExpireMonths} months counted`;
    return [
        ctx.line(record, "logs ingested", "cloudwatch.logs.ingest", gb, "GB", `${rangeText(gb, "GB")} a month: ${what}`),
        ctx.line(record, "logs stored", "cloudwatch.logs.storage", scale(gb, months), "GB-month", `a month's ingestion × ${num(months)} months kept (${kept}), before compression`),
    ];
};

/** The CloudWatch observability add-on turns on Container Insights: performance log events per node, ingested. */
const addon: Pricer = (record, ctx) => {
    if (record.inputs.addonName !== "amazon-cloudwatch-observability") return [];
    const gb = {
        min: ctx.nodes.min * USAGE.logGb.containerInsightsPerNode.min,
        expected: ctx.nodes.expected * USAGE.logGb.containerInsightsPerNode.expected,
        max: ctx.nodes.max * USAGE.logGb.containerInsightsPerNode.max,
    };
    return [
        ctx.line(
            record,
            "Container Insights logs ingested",
            "cloudwatch.logs.ingest",
            gb,
            "GB",
            `${rangeText(ctx.nodes, "nodes")} × ${rangeText(USAGE.logGb.containerInsightsPerNode, "GB")} of performance log events (USAGE.logGb.containerInsightsPerNode); enhanced observability's per-observation charge is not in the price table`,
        ),
    ];
};

const kmsKey: Pricer = (record, ctx) => [ctx.line(record, "key", "kms.key", fixed(1), "key-months", "one customer managed key a month (requests: $0.03 per 10,000, not modelled)")];

/** Observability and key pricers by type token. */
export const observabilityPricers: Record<string, Pricer> = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": alarm,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:eks/addon:Addon": addon,
    "aws:kms/key:Key": kmsKey,
};

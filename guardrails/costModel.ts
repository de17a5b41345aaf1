/**
 * The shapes of a cost estimate (what `out/<stack>/cost.json` holds) and the
 * usage assumptions behind every line that is not a fixed hourly charge.
 * Pure: no cloud SDK.
 */

/** Hours in the month every hourly price is multiplied by (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** A quantity that usage moves: the estimate's value and the bounds of what usage can make it. */
export interface Range {
    min: number;
    expected: number;
    max: number;
}

/** A fixed quantity (usage does not move it). */
export function fixed(n: number): Range {
    return { min: n, expected: n, max: n };
}

/** Multiplies every bound of a range. */
export function scale(range: Range, by: number): Range {
    return { min: range.min * by, expected: range.expected * by, max: range.max * by };
}

/**
 * What the estimate reads of a registered resource: the harness's
 * ResourceRecord has these fields (and more), so records pass straight in.
 */
export interface CostRecord {
    urn: string;
    type: string;
    name: string;
    /** The parent's URN. */
    parent?: string;
    inputs: Record<string, unknown>;
    /** For each input property, the URNs its value came from (links a node group to its launch template). */
    propertyDependencies?: Record<string, string[]>;
}

/** One priced line: a resource, what is counted, at what unit price. */
export interface CostItem {
    /** The resource's Pulumi name (the logical name in its URN). */
    resource: string;
    /** The resource's type token. */
    type: string;
    /** The component the resource belongs to (its nearest component ancestor's type token), for the table by component. */
    component: string;
    /** What this line charges for ("instance hours", "NAT data processed"). */
    charge: string;
    /** Units billed in the month at the estimate (`monthly` / `unitPrice`). */
    quantity: number;
    /** The unit of `quantity` ("hours", "GB-month", "LCU-hours"). */
    unit: string;
    /** USD per unit, from the price table. */
    unitPrice: number;
    /** USD a month at the estimate, rounded to the cent. */
    monthly: number;
    /** USD a month at the low end of usage. */
    min: number;
    /** USD a month at the high end of usage. */
    max: number;
    /** Why this quantity: the hours, counts and usage assumed. */
    assumption: string;
    /** The price table key the unit price came from. */
    priceKey: string;
}

/** The estimate of one stack: what `cost.json` holds. */
export interface CostEstimate {
    currency: "USD";
    region: string;
    /** The price table's date. */
    pricesAsOf: string;
    /** `total` is the sum of the items' `monthly`; `min`/`max` the sums of their bounds. */
    monthly: { total: number; min: number; max: number };
    items: CostItem[];
}

/**
 * Usage the resources' inputs do not say, as ranges per month. Each is
 * named in the assumption of the line that uses it; change them here.
 */
export const USAGE = {
    /** GB processed by each NAT gateway (image pulls, AWS APIs without an endpoint, outbound calls). */
    natGbPerGateway: { min: 10, expected: 100, max: 1000 },
    /** Average load balancer capacity units an ALB uses each hour (1 LCU: 25 new connections/s, 3,000 active connections, 1 GB/hour, 1,000 rule evaluations/s). */
    albLcu: { min: 0.5, expected: 1, max: 10 },
    /** GB through each interface VPC endpoint. */
    endpointGb: { min: 1, expected: 10, max: 100 },
    /** GB ingested by a log group, by what writes to it. */
    logGb: {
        /** EKS control-plane logs, per enabled log type (audit is most of it). */
        controlPlanePerType: { min: 1, expected: 5, max: 30 },
        /** VPC flow logs, all traffic. */
        flowLogs: { min: 5, expected: 30, max: 300 },
        /** WAF request logs (about 1.5 KB a request: wafMillionRequests × 1.5 GB). */
        waf: { min: 1.5, expected: 15, max: 150 },
        /** Any other group (application, add-on). */
        other: { min: 0.5, expected: 2, max: 20 },
        /** A database's exported logs (error log), per exported log type. */
        databaseExportPerType: { min: 0.1, expected: 0.5, max: 5 },
        /** Container Insights performance log events, per node. */
        containerInsightsPerNode: { min: 0.5, expected: 1.5, max: 4 },
    },
    /** Months a log group's ingestion stays stored when it never expires (retention unset). */
    neverExpireMonths: 12,
    /** GB stored in a DocumentDB cluster volume. */
    docdbStorageGb: { min: 1, expected: 10, max: 100 },
    /** Million I/O requests a DocumentDB cluster makes to its volume. */
    docdbMillionIos: { min: 1, expected: 10, max: 100 },
    /** Million requests a web ACL inspects. */
    wafMillionRequests: { min: 1, expected: 10, max: 100 },
    /** GB stored in a bucket (access logs). */
    bucketGb: { min: 1, expected: 10, max: 100 },
} as const;

/** Rounds USD to the cent. */
export function cents(usd: number): number {
    return Math.round(usd * 100) / 100;
}

/** Sums USD amounts exactly to the cent (no floating drift in a total of many lines). */
export function sumCents(amounts: number[]): number {
    return amounts.reduce((total, a) => total + Math.round(a * 100), 0) / 100;
}

/** Formats a number for an assumption text (no trailing zeros). */
export function num(n: number): string {
    return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

/** Formats a range as "expected (min-max)", or just the value when usage does not move it. */
export function rangeText(r: Range, unit: string): string {
    return r.min === r.max ? `${num(r.expected)} ${unit}` : `${num(r.expected)} ${unit} (${num(r.min)}-${num(r.max)})`;
}

/**
 * The monthly on-demand estimate of a stack, priced from the resources the
 * program REGISTERED (type and inputs, as the harness records them), not
 * re-derived from config: a change to the code shows up in the estimate.
 *
 * Each priced resource gives one line per charge (hours, storage, data...),
 * with its quantity, unit price, monthly amount and the assumption behind it;
 * lines whose quantity usage moves (nodes, data through NAT, LCUs, logs) carry
 * the bounds too. Resources that cost nothing by themselves (security groups,
 * subnets, IAM, Kubernetes objects) give no line. A price the table lacks is
 * an error naming it (priceTable.ts), never a zero. Pure: no cloud SDK.
 */
import { type CostEstimate, type CostRecord, cents, sumCents } from "./costModel";
import { supportPhaseFromCatalog, type SupportPhase } from "./eksSupport";
import { type PriceTable, PRICE_TABLE, RegionPriceList } from "./priceTable";
import type { Pricer, PricingContext } from "./pricer";
import { computePricers, fleetNodes } from "./costCompute";
import { dataPricers } from "./costData";
import { networkPricers } from "./costNetwork";
import { observabilityPricers } from "./costObservability";

export type { Pricer, PricingContext } from "./pricer";

/** What estimateCost needs besides the records. */
export interface EstimateOptions {
    /** The stack's AWS region (`aws:region`). */
    region: string;
    /** Default: the committed table, guardrails/prices.json. */
    table?: PriceTable;
    /** "Now" for Kubernetes support dates (tests pin it). Default: the current time. */
    now?: Date;
    /** The support phase of a Kubernetes version at a time. Default: from cluster/catalog.ts. */
    supportPhase?: (version: string, now: Date) => SupportPhase;
}

const PRICERS: Record<string, Pricer> = {
    ...computePricers,
    ...networkPricers,
    ...dataPricers,
    ...observabilityPricers,
};

/** The resource types the estimate prices (everything else costs nothing by itself, or is not covered: see docs/guardrails.md). */
export const PRICED_TYPES: readonly string[] = Object.keys(PRICERS).sort();

/** The component a resource belongs to: the type token of its parent (`iam:data:ManagedMariadb`), or "stack". */
export function componentOf(record: CostRecord): string {
    const chain = record.parent?.split("::")[2];
    if (!chain || chain === "pulumi:pulumi:Stack") return "stack";
    const types = chain.split("$");
    return types[types.length - 1];
}

/** The area of a component's outermost ancestor (`iam:data:DataTier` → "data"), for the chart. */
export function areaOf(record: CostRecord): string {
    const chain = record.parent?.split("::")[2];
    if (!chain || chain === "pulumi:pulumi:Stack") return "stack";
    return chain.split("$")[0].split(":")[1] ?? chain;
}

/** Estimates the monthly cost of the registered resources in a region. */
export function estimateCost(records: readonly CostRecord[], options: EstimateOptions): CostEstimate {
    const table = options.table ?? PRICE_TABLE;
    const prices = new RegionPriceList(table, options.region);
    const list = [...records];
    const ctx: PricingContext = {
        prices,
        records: list,
        byUrn: new Map(list.map((r) => [r.urn, r])),
        now: options.now ?? new Date(),
        supportPhase: options.supportPhase ?? supportPhaseFromCatalog,
        nodes: { min: 0, expected: 0, max: 0 },
        line(record, charge, key, quantity, unit, assumption, what) {
            const unitPrice = prices.price(key, what).usd;
            const monthly = cents(quantity.expected * unitPrice);
            return {
                resource: record.name,
                type: record.type,
                component: componentOf(record),
                charge,
                quantity: Number(quantity.expected.toFixed(4)),
                unit,
                unitPrice,
                monthly,
                min: cents(quantity.min * unitPrice),
                max: cents(quantity.max * unitPrice),
                assumption,
                priceKey: key,
            };
        },
    };
    ctx.nodes = fleetNodes(list, ctx);
    const items = list.flatMap((record) => PRICERS[record.type]?.(record, ctx) ?? []);
    return {
        currency: "USD",
        region: options.region,
        pricesAsOf: table.asOf,
        monthly: {
            total: sumCents(items.map((i) => i.monthly)),
            min: sumCents(items.map((i) => i.min)),
            max: sumCents(items.map((i) => i.max)),
        },
        items,
    };
}

/**
 * What a pricer is: the shared types of guardrails/cost.ts and the pricers
 * it calls (costCompute.ts, costData.ts, costNetwork.ts,
 * costObservability.ts). A leaf module, so the pricers need not import
 * cost.ts, which imports them (no import cycle: .dependency-cruiser.cjs).
 */
import type { CostItem, CostRecord, Range } from "./costModel";
import type { SupportPhase } from "./eksSupport";
import type { RegionPriceList } from "./priceTable";

/** What a pricer gets: the price list, the records, and line builders. */
export interface PricingContext {
    prices: RegionPriceList;
    records: CostRecord[];
    byUrn: Map<string, CostRecord>;
    now: Date;
    supportPhase: (version: string, now: Date) => SupportPhase;
    /** Nodes across the cluster (node groups and NodePools), for per-node charges. */
    nodes: Range;
    /** A line for `record`: `quantity` units of the price under `key`. */
    line(record: CostRecord, charge: string, key: string, quantity: Range, unit: string, assumption: string, what?: string): CostItem;
}

/** Prices one record; returns its lines (none when it costs nothing by itself). */
export type Pricer = (record: CostRecord, ctx: PricingContext) => CostItem[];

/**
 * What a change does to a stack's monthly estimate: the totals of two
 * estimates (the base branch's render and the pull request's) and exactly
 * the lines that differ, added, removed or changed. Pure: no cloud SDK.
 */
import { type CostEstimate, type CostItem, cents, sumCents } from "./costModel";

/** One line that differs between the two estimates. */
export interface CostItemChange {
    /** "added": only in head; "removed": only in base; "changed": in both, with a different quantity, price or bounds. */
    change: "added" | "removed" | "changed";
    resource: string;
    type: string;
    component: string;
    charge: string;
    /** USD a month in base (0 when added). */
    base: number;
    /** USD a month in head (0 when removed). */
    head: number;
    /** head - base. */
    delta: number;
    /** The head's assumption (the base's for a removed line). */
    assumption: string;
}

/** The difference of two estimates. */
export interface CostDelta {
    /** Base total, undefined when the base has no estimate (a branch from before the estimate existed). */
    base?: number;
    head: number;
    /** head - base (head alone when the base has none). */
    delta: number;
    changes: CostItemChange[];
}

/** A line's identity across renders: the resource, its type and what is charged. */
export function itemKey(item: Pick<CostItem, "type" | "resource" | "charge">): string {
    return `${item.type}::${item.resource}::${item.charge}`;
}

function differs(a: CostItem, b: CostItem): boolean {
    return a.monthly !== b.monthly || a.min !== b.min || a.max !== b.max || a.quantity !== b.quantity || a.unitPrice !== b.unitPrice;
}

/** The lines that differ between `base` and `head`, largest change first; a missing base counts every head line as added. */
export function costDelta(base: CostEstimate | undefined, head: CostEstimate): CostDelta {
    const before = new Map((base?.items ?? []).map((i) => [itemKey(i), i]));
    const after = new Map(head.items.map((i) => [itemKey(i), i]));
    const changes: CostItemChange[] = [];
    const entry = (change: CostItemChange["change"], shown: CostItem, b: number, h: number): CostItemChange => ({
        change,
        resource: shown.resource,
        type: shown.type,
        component: shown.component,
        charge: shown.charge,
        base: b,
        head: h,
        delta: cents(h - b),
        assumption: shown.assumption,
    });
    for (const [key, item] of after) {
        const old = before.get(key);
        if (!old) changes.push(entry("added", item, 0, item.monthly));
        else if (differs(old, item)) changes.push(entry("changed", item, old.monthly, item.monthly));
    }
    for (const [key, item] of before) {
        if (!after.has(key)) changes.push(entry("removed", item, item.monthly, 0));
    }
    changes.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || itemKey(a).localeCompare(itemKey(b)));
    return {
        base: base?.monthly.total,
        head: head.monthly.total,
        delta: sumCents([head.monthly.total, -(base?.monthly.total ?? 0)]),
        changes,
    };
}

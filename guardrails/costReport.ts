/**
 * The estimate as Markdown: `out/<stack>/cost.md` (a table by component, a
 * Mermaid pie of where the money goes, every line with its assumption) and
 * the pull-request section (the totals and the lines that changed).
 * Pure: no cloud SDK.
 */
import type { CostDelta } from "./costDelta";
import { type CostEstimate, type CostItem, sumCents } from "./costModel";

/** USD as "$1,234.56". */
export function usd(amount: number): string {
    const sign = amount < 0 ? "-" : "";
    return `${sign}$${Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A signed USD change ("+$12.00", "-$3.50"). */
export function signedUsd(amount: number): string {
    return amount > 0 ? `+${usd(amount)}` : usd(amount);
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Sums the items by a key, largest first. */
export function totalsBy(items: CostItem[], key: (item: CostItem) => string): { name: string; monthly: number; min: number; max: number }[] {
    const groups = new Map<string, CostItem[]>();
    for (const item of items) {
        groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    }
    return [...groups.entries()]
        .map(([name, list]) => ({ name, monthly: sumCents(list.map((i) => i.monthly)), min: sumCents(list.map((i) => i.min)), max: sumCents(list.map((i) => i.max)) }))
        .sort((a, b) => b.monthly - a.monthly || a.name.localeCompare(b.name));
}

/** The area of a component type token (`iam:data:ManagedMariadb` → data). */
export function componentArea(component: string): string {
    return component.split(":")[1] ?? component;
}

/** `cost.md` for one stack. */
export function costMarkdown(stack: string, estimate: CostEstimate): string {
    const { total, min, max } = estimate.monthly;
    const byComponent = totalsBy(estimate.items, (i) => i.component);
    const byArea = totalsBy(estimate.items, (i) => componentArea(i.component));
    const lines = [
        `# Monthly cost estimate: ${stack}`,
        "",
        `**${usd(total)} a month** on demand in ${estimate.region} (usage moves it between ${usd(min)} and ${usd(max)}), prices as of ${estimate.pricesAsOf} from \`guardrails/prices.json\`.`,
        "Computed from the resources the program registers (`npm run render`), not from config; every line states its assumption (730 hours a month, GB a month, LCUs).",
        "Not included: taxes, savings plans or reserved capacity, data transfer out to the internet and between zones, support plans.",
        "",
        "## Where the money goes",
        "",
        "```mermaid",
        `pie showData title ${stack}: USD a month by area`,
        ...byArea.filter((a) => a.monthly > 0).map((a) => `    "${a.name}" : ${a.monthly.toFixed(2)}`),
        "```",
        "",
        "## By component",
        "",
        "| component | monthly | range |",
        "|---|---:|---:|",
        ...byComponent.map((c) => `| \`${c.name}\` | ${usd(c.monthly)} | ${usd(c.min)} – ${usd(c.max)} |`),
        `| **total** | **${usd(total)}** | ${usd(min)} – ${usd(max)} |`,
        "",
        "## Every line",
        "",
        "| component | resource | charge | quantity | unit price | monthly | assumption |",
        "|---|---|---|---:|---:|---:|---|",
        ...[...estimate.items]
            .sort((a, b) => a.component.localeCompare(b.component) || b.monthly - a.monthly || a.resource.localeCompare(b.resource))
            .map((i) => `| \`${i.component}\` | ${cell(i.resource)} | ${cell(i.charge)} | ${i.quantity} ${i.unit} | $${i.unitPrice} | ${usd(i.monthly)} | ${cell(i.assumption)} |`),
        "",
    ];
    return lines.join("\n");
}

/** The pull-request comment section for one stack: the head's estimate, the change against the base, and the lines that changed. */
export function costDeltaMarkdown(stack: string, delta: CostDelta, head: CostEstimate): string {
    const against = delta.base === undefined ? "no estimate on the base branch to compare with" : `${signedUsd(delta.delta)} against the base branch (${usd(delta.base)})`;
    const lines = [
        `### Monthly cost estimate: ${stack}`,
        "",
        `**${usd(head.monthly.total)} a month** (${usd(head.monthly.min)} – ${usd(head.monthly.max)} with usage), ${against}. Prices as of ${head.pricesAsOf}, ${head.region}.`,
        "",
    ];
    if (delta.changes.length === 0) {
        lines.push("No line of the estimate changed.", "");
        return lines.join("\n");
    }
    lines.push("| change | component | resource | charge | base | head | delta |", "|---|---|---|---|---:|---:|---:|");
    for (const c of delta.changes) {
        lines.push(`| ${c.change} | \`${c.component}\` | ${cell(c.resource)} | ${cell(c.charge)} | ${usd(c.base)} | ${usd(c.head)} | ${signedUsd(c.delta)} |`);
    }
    lines.push("");
    return lines.join("\n");
}

/**
 * `npx ts-node --transpile-only scripts/refreshPrices.ts [--dry-run]`: rewrites
 * guardrails/prices.json from the AWS Price List API, for every region and
 * every key the file already has (add a key by hand first, with its
 * serviceCode, productFamily and usageType, then refresh).
 *
 * Needs the AWS CLI and credentials allowed `pricing:GetProducts` (the API
 * answers in us-east-1 for every region). Each price comes from
 * `aws pricing get-products --service-code <code> --filters ...`, on-demand
 * terms, first tier; each refreshed price's `seen` names the query and the
 * day, and the file's `asOf` becomes today once every price is refreshed. A key the API does not answer is kept as it
 * was and reported: the script never writes a zero. Exits 1 when any key was
 * not refreshed.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Price, PriceTable } from "../guardrails/priceTable";
import { CliIo, helpRequested, PROCESS_IO, runCli } from "./cli";

const FILE = path.resolve(__dirname, "..", "guardrails", "prices.json");

/** One `--filters` entry of `aws pricing get-products`. */
export interface Filter {
    Field: string;
    Value: string;
}

/**
 * The service code and filters that select one price of the table in a
 * region: instance prices by their attributes (the usage type differs by
 * region prefix), everything else by its usage type.
 */
export function queryFor(key: string, price: Price, region: string): { serviceCode: string; filters: Filter[] } {
    const byRegion: Filter = { Field: "regionCode", Value: region };
    const instance = /^(ec2|rds\.(\w+)|elasticache|docdb):(.+)$/.exec(key);
    if (instance) {
        const [, kind, engine, type] = instance;
        const common: Filter[] = [byRegion, { Field: "instanceType", Value: type }];
        if (kind === "ec2") {
            return {
                serviceCode: "AmazonEC2",
                filters: [
                    ...common,
                    { Field: "operatingSystem", Value: "Linux" },
                    { Field: "tenancy", Value: "Shared" },
                    { Field: "preInstalledSw", Value: "NA" },
                    { Field: "capacitystatus", Value: "Used" },
                    { Field: "licenseModel", Value: "No License required" },
                ],
            };
        }
        if (kind === "elasticache") {
            return { serviceCode: "AmazonElastiCache", filters: [...common, { Field: "cacheEngine", Value: "Redis" }] };
        }
        if (kind === "docdb") {
            return { serviceCode: "AmazonDocDB", filters: [...common, { Field: "productFamily", Value: "Database Instance" }] };
        }
        const engines: Record<string, string> = { mariadb: "MariaDB", mysql: "MySQL", postgres: "PostgreSQL" };
        return {
            serviceCode: "AmazonRDS",
            filters: [...common, { Field: "databaseEngine", Value: engines[engine ?? ""] ?? String(engine) }, { Field: "deploymentOption", Value: "Single-AZ" }],
        };
    }
    return { serviceCode: price.serviceCode, filters: [byRegion, { Field: "usagetype", Value: price.usageType }] };
}

interface PriceListItem {
    product: { productFamily?: string; attributes: Record<string, string> };
    terms: { OnDemand?: Record<string, { priceDimensions: Record<string, { unit: string; beginRange?: string; pricePerUnit: { USD?: string } }> }> };
}

/** The first-tier on-demand USD price of one Price List item, with its unit and usage type; undefined when it has none above zero. */
export function onDemandPrice(item: PriceListItem): { usd: number; unit: string; usageType: string } | undefined {
    for (const term of Object.values(item.terms.OnDemand ?? {})) {
        const dims = Object.values(term.priceDimensions).sort((a, b) => Number(a.beginRange ?? 0) - Number(b.beginRange ?? 0));
        const first = dims.find((d) => Number(d.pricePerUnit.USD) > 0);
        if (first) {
            return { usd: Number(first.pricePerUnit.USD), unit: first.unit, usageType: item.product.attributes.usagetype };
        }
    }
    return undefined;
}

function getProducts(serviceCode: string, filters: Filter[]): PriceListItem[] {
    const args = [
        "pricing",
        "get-products",
        "--region",
        "us-east-1",
        "--service-code",
        serviceCode,
        "--output",
        "json",
        "--filters",
        ...filters.map((f) => `Type=TERM_MATCH,Field=${f.Field},Value=${f.Value}`),
    ];
    const out = JSON.parse(execFileSync("aws", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as { PriceList: string[] };
    return out.PriceList.map((text) => JSON.parse(text) as PriceListItem);
}

export const USAGE = `usage: npx ts-node --transpile-only scripts/refreshPrices.ts [--dry-run]
Rewrites guardrails/prices.json from the AWS Price List API (aws pricing get-products;
needs pricing:GetProducts), every region and key the file has. --dry-run prints the
changes and writes nothing. Exits 1 when a price could not be refreshed.
`;

/** The command: returns the exit code. */
export function main(args: readonly string[], io: CliIo = PROCESS_IO): number {
    if (helpRequested(args)) {
        io.out(USAGE);
        return 0;
    }
    const unknown = args.find((a) => a !== "--dry-run");
    if (unknown !== undefined) {
        io.err(`unexpected argument ${JSON.stringify(unknown)}\n${USAGE}`);
        return 2;
    }
    const dryRun = args.includes("--dry-run");
    const table = JSON.parse(fs.readFileSync(FILE, "utf8")) as PriceTable;
    const today = new Date().toISOString().slice(0, 10);
    const missed: string[] = [];
    for (const [region, { prices }] of Object.entries(table.regions)) {
        for (const [key, price] of Object.entries(prices)) {
            const { serviceCode, filters } = queryFor(key, price, region);
            const found = getProducts(serviceCode, filters)
                .map(onDemandPrice)
                .filter((p) => p !== undefined);
            if (found.length !== 1) {
                missed.push(`${region} ${key}: ${found.length} on-demand prices for ${serviceCode} ${JSON.stringify(filters)} (kept ${price.usd})`);
                continue;
            }
            const [fresh] = found;
            if (fresh.usd !== price.usd) {
                io.out(`${region} ${key}: ${price.usd} -> ${fresh.usd}\n`);
            }
            prices[key] = { ...price, usd: fresh.usd, unit: fresh.unit, usageType: fresh.usageType, seen: `aws pricing get-products --service-code ${serviceCode} (${today})` };
        }
    }
    // The table's date moves only when every price was refreshed; each refreshed price carries its own date anyway.
    if (missed.length === 0) {
        table.asOf = today;
    }
    if (!dryRun) {
        fs.writeFileSync(FILE, `${JSON.stringify(table, null, 2)}\n`);
    }
    for (const line of missed) {
        io.err(`not refreshed: ${line}\n`);
    }
    return missed.length > 0 ? 1 : 0;
}

if (require.main === module) {
    runCli(main);
}

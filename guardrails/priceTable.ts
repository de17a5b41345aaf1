/**
 * The dated price table the cost estimate reads (`guardrails/prices.json`):
 * on-demand USD prices per region, each with where it comes from in the AWS
 * Price List (service code, product family, usage type). Pure: no cloud SDK.
 *
 * A price the estimate needs and the table lacks is a {@link MissingPriceError}
 * naming the key and this file, never a silent zero: an estimate that leaves
 * out a database because its class is new would be worse than none.
 * `scripts/refreshPrices.ts` rewrites the file from `aws pricing get-products`.
 */
import * as path from "path";
import tableFile from "./prices.json";

/** The file to edit (or refresh) when a price is missing, relative to the repository root. */
export const PRICE_TABLE_FILE = path.posix.join("guardrails", "prices.json");

/** One price: what a unit costs and where in the AWS Price List it comes from. */
export interface Price {
    /** USD per `unit`, on-demand. */
    usd: number;
    /** The price list's unit (`Hrs`, `GB-Mo`, `GB`, ...). */
    unit: string;
    /** Price List service code (`AmazonEC2`, `AmazonRDS`, ...). */
    serviceCode: string;
    /** Price List product family (`Compute Instance`, `NAT Gateway`, ...). */
    productFamily: string;
    /** Price List usage type (`EU-BoxUsage:m6i.large`, ...). */
    usageType: string;
    /** Where the number was read when the table was written offline; null when it could not be found there (see the table's note). */
    seen: string | null;
    note?: string;
}

/** The prices of one region, by key (`eks.cluster`, `ec2:m6i.large`, `rds.mariadb:db.r6g.large`, ...). */
export interface RegionPrices {
    /** The price list's location name (`EU (Ireland)`). */
    location: string;
    prices: Record<string, Price>;
}

/** vCPUs and memory of an EC2 instance type, to fit pods onto nodes. */
export interface InstanceSpec {
    vcpu: number;
    memoryGiB: number;
}

/** The whole table as stored. */
export interface PriceTable {
    /** The date the prices were taken (YYYY-MM-DD). */
    asOf: string;
    currency: "USD";
    terms: "OnDemand";
    source: string;
    /** What is exact and what is not; read it before quoting a number. */
    note: string;
    /** The command that rewrites the file. */
    refresh: string;
    instanceSpecs: Record<string, InstanceSpec>;
    regions: Record<string, RegionPrices>;
}

/** The committed table. */
export const PRICE_TABLE: PriceTable = tableFile as PriceTable;

/** A price or instance spec the estimate needs is not in the table. */
export class MissingPriceError extends Error {
    constructor(
        readonly key: string,
        readonly region: string,
        what: string,
    ) {
        super(`no price for ${what} (key "${key}") in region ${region}: add it to ${PRICE_TABLE_FILE} (or run scripts/refreshPrices.ts), the estimate never prices it at zero`);
        this.name = "MissingPriceError";
    }
}

/** Looks prices up in one region of a table; every miss throws a {@link MissingPriceError}. */
export class RegionPriceList {
    private readonly prices: RegionPrices;

    constructor(
        readonly table: PriceTable,
        readonly region: string,
    ) {
        const prices = table.regions[region];
        if (!prices) {
            throw new MissingPriceError("*", region, `region ${region} (the table has ${Object.keys(table.regions).join(", ")})`);
        }
        this.prices = prices;
    }

    /** The price under `key`; `what` names it for the error ("instance type m7i.large"). */
    price(key: string, what: string = key): Price {
        const found = this.prices.prices[key];
        if (!found) {
            throw new MissingPriceError(key, this.region, what);
        }
        return found;
    }

    /** vCPUs and memory of an instance type. */
    spec(instanceType: string): InstanceSpec {
        const found = this.table.instanceSpecs[instanceType];
        if (!found) {
            throw new MissingPriceError(`instanceSpecs.${instanceType}`, this.region, `the vCPUs and memory of instance type ${instanceType}`);
        }
        return found;
    }
}

/** The problems of a table (empty when sound): every price positive and sourced, the same keys in every region. */
export function priceTableProblems(table: PriceTable): string[] {
    const problems: string[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(table.asOf)) {
        problems.push(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(table.asOf)}`);
    }
    const regions = Object.entries(table.regions);
    const keys = new Set(regions.flatMap(([, r]) => Object.keys(r.prices)));
    for (const [region, { prices }] of regions) {
        for (const key of keys) {
            const price = prices[key];
            if (!price) {
                problems.push(`${region}: ${key} is missing (present in another region)`);
                continue;
            }
            if (!(price.usd > 0)) {
                problems.push(`${region}: ${key} must cost more than 0, got ${price.usd}`);
            }
            if (!price.serviceCode || !price.productFamily || !price.usageType || !price.unit) {
                problems.push(`${region}: ${key} must name its serviceCode, productFamily, usageType and unit`);
            }
        }
    }
    for (const key of keys) {
        const type = /^ec2:(.+)$/.exec(key)?.[1];
        if (type && !table.instanceSpecs[type]) {
            problems.push(`instanceSpecs.${type} is missing (ec2:${type} is priced)`);
        }
    }
    return problems;
}

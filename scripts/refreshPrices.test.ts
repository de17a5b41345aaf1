/**
 * The price refresh's pure parts: which Price List query selects each key of
 * the table, and how an on-demand price is read out of an answer. (The query
 * itself needs AWS credentials: not run here.)
 */
import { PRICE_TABLE } from "../guardrails/priceTable";
import { onDemandPrice, queryFor } from "./refreshPrices";

const eu = PRICE_TABLE.regions["eu-west-1"].prices;

describe("queryFor", () => {
    it("selects instances by their attributes in the region", () => {
        expect(queryFor("ec2:m6i.large", eu["ec2:m6i.large"], "eu-west-1")).toEqual({
            serviceCode: "AmazonEC2",
            filters: expect.arrayContaining([
                { Field: "regionCode", Value: "eu-west-1" },
                { Field: "instanceType", Value: "m6i.large" },
                { Field: "operatingSystem", Value: "Linux" },
                { Field: "tenancy", Value: "Shared" },
                { Field: "capacitystatus", Value: "Used" },
            ]),
        });
        expect(queryFor("rds.mariadb:db.r6g.large", eu["rds.mariadb:db.r6g.large"], "eu-west-1").filters).toEqual(
            expect.arrayContaining([
                { Field: "databaseEngine", Value: "MariaDB" },
                { Field: "deploymentOption", Value: "Single-AZ" },
            ]),
        );
    });

    it("selects everything else by its usage type, and has a query for every key of the table", () => {
        expect(queryFor("nat.hour", eu["nat.hour"], "eu-west-1")).toEqual({
            serviceCode: "AmazonEC2",
            filters: [
                { Field: "regionCode", Value: "eu-west-1" },
                { Field: "usagetype", Value: "EU-NatGateway-Hours" },
            ],
        });
        for (const [region, { prices }] of Object.entries(PRICE_TABLE.regions)) {
            for (const [key, price] of Object.entries(prices)) {
                const query = queryFor(key, price, region);
                expect(query.serviceCode).toMatch(/^(Amazon|AWS|aws)\w+$/);
                expect(query.filters[0]).toEqual({ Field: "regionCode", Value: region });
            }
        }
    });
});

describe("onDemandPrice", () => {
    it("reads the first priced tier of the on-demand term", () => {
        const item = {
            product: { attributes: { usagetype: "EU-BoxUsage:m6i.large" } },
            terms: { OnDemand: { "X.JRTCKXETXF": { priceDimensions: { "X.JRTCKXETXF.6YS6EN2CT7": { unit: "Hrs", beginRange: "0", pricePerUnit: { USD: "0.1070000000" } } } } } },
        };
        expect(onDemandPrice(item)).toEqual({ usd: 0.107, unit: "Hrs", usageType: "EU-BoxUsage:m6i.large" });
        expect(onDemandPrice({ ...item, terms: {} })).toBeUndefined();
    });
});

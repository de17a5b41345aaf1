import {
    dataIdentifierPrefix,
    documentDbInstanceIdentifiers,
    documentDbParameterFamily,
    isValidIdentifier,
    mariadbParameterFamily,
    MAX_IDENTIFIER_PREFIX_LENGTH,
    storeIdentifier,
} from "./dataNaming";
import { DATA_STORES } from "../network/accessMatrixPlan";

describe("store identifiers", () => {
    it("derive from the stack name alone, so prod and staging never collide in one account", () => {
        expect(DATA_STORES.map((s) => storeIdentifier(dataIdentifierPrefix("prod"), s))).toEqual(["iam-prod-mariadb", "iam-prod-redis", "iam-prod-docdb"]);
        expect(storeIdentifier(dataIdentifierPrefix("staging"), "mariadb")).toBe("iam-staging-mariadb");
    });

    it("turn any stack name into a valid RDS/ElastiCache/DocumentDB identifier", () => {
        for (const stack of ["prod", "Feature_Branch.42", "dev--x", "qa-"]) {
            const prefix = dataIdentifierPrefix(stack);
            for (const store of DATA_STORES) {
                expect(isValidIdentifier(storeIdentifier(prefix, store), 63)).toBe(true);
            }
        }
        expect(dataIdentifierPrefix("Feature_Branch.42")).toBe("iam-feature-branch-42");
    });

    it("keep the ElastiCache id within 40 characters whenever the prefix is within its limit", () => {
        const prefix = "iam-" + "x".repeat(MAX_IDENTIFIER_PREFIX_LENGTH - 4);
        expect(isValidIdentifier(storeIdentifier(prefix, "redis"), 40)).toBe(true);
        expect(isValidIdentifier(storeIdentifier(prefix + "x", "redis"), 40)).toBe(false);
    });

    it("number DocumentDB instances from 1", () => {
        expect(documentDbInstanceIdentifiers("iam-prod", 3)).toEqual(["iam-prod-docdb-1", "iam-prod-docdb-2", "iam-prod-docdb-3"]);
    });

    it("reject what AWS rejects", () => {
        expect(isValidIdentifier("1abc", 63)).toBe(false);
        expect(isValidIdentifier("ab--c", 63)).toBe(false);
        expect(isValidIdentifier("abc-", 63)).toBe(false);
    });
});

describe("parameter group families", () => {
    it("follow the engine's major.minor", () => {
        expect(mariadbParameterFamily("10.11")).toBe("mariadb10.11");
        expect(mariadbParameterFamily("11.4")).toBe("mariadb11.4");
        expect(documentDbParameterFamily("5.0.0")).toBe("docdb5.0");
        expect(documentDbParameterFamily("8.0.0")).toBe("docdb8.0");
    });
});

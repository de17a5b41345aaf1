import { z } from "zod";
import { configErrorMap, didYouMean, formatIssues, whenValid, wholeNumber } from "./configSchema";

const problems = (schema: z.ZodType, value: unknown): string[] => {
    const result = schema.safeParse(value, { error: configErrorMap });
    return result.success ? [] : formatIssues(result.error);
};

describe("didYouMean", () => {
    it("suggests a near miss or a different case, and nothing far off", () => {
        expect(didYouMean("reddis", ["mariadb", "redis", "mongodb"])).toBe("did you mean redis?");
        expect(didYouMean("Redis", ["mariadb", "redis", "mongodb"])).toBe("did you mean redis?");
        expect(didYouMean("postgres", ["mariadb", "redis", "mongodb"])).toBe("");
    });
});

describe("the error map and formatter", () => {
    const schema = z.strictObject({ pools: z.array(z.strictObject({ name: z.string(), cpu: wholeNumber(1, 64) })), mode: z.enum(["fast", "slow"]).optional() });

    it("names each problem by its path, in plain words", () => {
        expect(problems(schema, { pools: [{ cpu: 0 }, { name: 3, cpu: "2" }], mode: "fats" })).toEqual([
            "pools[0].name is required",
            "pools[0].cpu (0) must be >= 1 and <= 64",
            "pools[1].name must be a string, got 3",
            'pools[1].cpu must be a whole number, got "2"',
            'mode must be one of fast, slow, got "fats": did you mean fast?',
        ]);
    });

    it("gives each unknown key a line of its own, with the allowed keys and a suggestion", () => {
        expect(problems(schema, { pools: [], mdoe: "fast", extra: 1 })).toEqual([
            "mdoe is not a known key (allowed: pools, mode): did you mean mode?",
            "extra is not a known key (allowed: pools, mode)",
        ]);
    });

    it("runs a refinement guarded by whenValid only on fields that parsed", () => {
        const sized = z.strictObject({ min: wholeNumber(0, 9), max: wholeNumber(0, 9), name: z.string() }).superRefine(
            (s, c) => {
                if (s.min > s.max) c.addIssue({ code: "custom", path: ["min"], message: `(${s.min}) must be <= max (${s.max})` });
            },
            { when: whenValid("min", "max") },
        );
        expect(problems(sized, { min: 5, max: "nine", name: "a" })).toEqual(['max must be a whole number, got "nine"']);
        expect(problems(sized, { min: 5, max: 3, name: 7 })).toEqual(["name must be a string, got 7", "min (5) must be <= max (3)"]);
    });
});

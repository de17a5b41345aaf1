/**
 * An empty `IAM_NOW` (a CI system may define every variable it knows, empty
 * by default) means "now", like an unset one: it must not make every preview
 * and render throw for a value nobody meant to set.
 */
import { CLOCK_ENV, clockNow } from "./clock";

describe("clockNow with an empty IAM_NOW", () => {
    it("is the real time, as when IAM_NOW is unset", () => {
        const before = Date.now();
        const now = clockNow({ [CLOCK_ENV]: "" }).getTime();
        expect(now).toBeGreaterThanOrEqual(before);
        expect(now).toBeLessThanOrEqual(Date.now());
    });

    it("reads process.env by default: an empty IAM_NOW there is the real time too", () => {
        const saved = process.env[CLOCK_ENV];
        process.env[CLOCK_ENV] = "";
        try {
            expect(() => clockNow()).not.toThrow();
            expect(Math.abs(clockNow().getTime() - Date.now())).toBeLessThan(5_000);
        } finally {
            if (saved === undefined) {
                delete process.env[CLOCK_ENV];
            } else {
                process.env[CLOCK_ENV] = saved;
            }
        }
    });
});

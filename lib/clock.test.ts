import { clockNow, parseClock } from "./clock";

describe("the injectable clock", () => {
    it("reads IAM_NOW as a UTC day or an ISO date-time", () => {
        expect(clockNow({ IAM_NOW: "2026-12-03" }).toISOString()).toBe("2026-12-03T00:00:00.000Z");
        expect(clockNow({ IAM_NOW: "2027-03-01T10:30:00Z" }).toISOString()).toBe("2027-03-01T10:30:00.000Z");
    });

    it("is the real time without IAM_NOW", () => {
        const before = Date.now();
        const now = clockNow({}).getTime();
        expect(now).toBeGreaterThanOrEqual(before);
        expect(now).toBeLessThanOrEqual(Date.now());
    });

    it("refuses a value that is not an ISO date, saying the form", () => {
        expect(() => parseClock("03/12/2026")).toThrow(/IAM_NOW must be an ISO date like 2026-12-03/);
        expect(() => parseClock("2026-13-45")).toThrow(/IAM_NOW must be an ISO date/);
    });
});

import { cronProblem, timeZoneProblem } from "./schedule";

describe("cronProblem", () => {
    it.each(["0 20 * * 1-5", "30 7 * * 1,2,3,4,5", "*/15 * * * *", "0 0-6/2 1 1,6,12 0", "59 23 31 12 6"])("accepts %s", (expression) => {
        expect(cronProblem(expression)).toBeUndefined();
    });

    it.each<[string, RegExp]>([
        ["0 20 * *", /must have 5 fields .*got 4/],
        ["0 20 * * 1-5 2026", /must have 5 fields .*got 6/],
        ["60 20 * * *", /bad minute field "60": values must be 0-59/],
        ["0 24 * * *", /bad hour field "24": values must be 0-23/],
        ["0 0 0 * *", /bad day of month field "0": values must be 1-31/],
        ["0 0 * 13 *", /bad month field "13"/],
        ["0 0 * * 7", /bad day of week field "7": values must be 0-6/],
        ["0 0 * * MON", /bad day of week field "MON": expected \*, a number or a range/],
        ["0 0 * * 5-1", /the range 5-1 runs backwards/],
        ["*/0 * * * *", /the step must be a positive number/],
        ["5/10 * * * *", /a step needs \* or a range before it/],
    ])("rejects %s", (expression, message) => {
        expect(cronProblem(expression)).toMatch(message);
    });
});

describe("timeZoneProblem", () => {
    it.each(["Europe/Dublin", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+9"])("accepts %s", (zone) => {
        expect(timeZoneProblem(zone)).toBeUndefined();
    });

    it.each<[string, RegExp]>([
        ["Europe/Atlantis", /is not a known IANA time zone/],
        ["CET DST", /must be an IANA time zone name/],
        ["+02:00", /must be an IANA time zone name/],
    ])("rejects %s", (zone, message) => {
        expect(timeZoneProblem(zone)).toMatch(message);
    });
});

import { inspect } from "util";
import { REDACTED, SecretText } from "./secretText";

describe("SecretText: a secret config value that cannot leak by accident", () => {
    const url = "https://events.pagerduty.com/integration/0123456789abcdef/enqueue";
    const secret = new SecretText(url);

    it("gives the value only to reveal() (for pulumi.secret)", () => {
        expect(secret.reveal()).toBe(url);
    });

    it.each([
        ["interpolated", () => `${String(secret)}`],
        ["serialised", () => JSON.stringify({ webhookUrl: secret })],
        ["inspected (console.log, jest diffs)", () => inspect({ webhookUrl: secret })],
        ["listed by keys", () => JSON.stringify(Object.keys(secret))],
    ])("reads [secret] when %s", (_how, show) => {
        const shown = show();
        expect(shown).not.toContain("pagerduty");
        expect(shown === "[]" || shown.includes(REDACTED)).toBe(true);
    });
});

/**
 * The program's clock. Time is an input: the config loader compares dated
 * facts (cluster/catalog.ts: the end of EKS standard support) with "now", so
 * "now" is injectable. Pure: no Pulumi.
 *
 * - `pulumi preview` / `pulumi up` (index.ts) and `npm run render` use
 *   `clockNow()`: the real time, unless `IAM_NOW` is set.
 * - `IAM_NOW=2027-03-01 pulumi preview` (or `npm run render`) runs the
 *   program as of that day: what will this stack say in three months?
 * - Tests pin the clock (test/harness.ts `TEST_NOW`), so the suite gives the
 *   same verdict next year.
 */

/** The environment variable that overrides the clock: an ISO date (`2026-12-03`) or date-time (`2026-12-03T10:00:00Z`). */
export const CLOCK_ENV = "IAM_NOW";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Parses an `IAM_NOW` value; throws with the fix when it is not an ISO date. A bare date means 00:00 UTC. */
export function parseClock(text: string): Date {
    const value = text.trim();
    const date = ISO_DATE.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
        throw new Error(`${CLOCK_ENV} must be an ISO date like 2026-12-03 or 2026-12-03T10:00:00Z, got ${JSON.stringify(text)}`);
    }
    return date;
}

/** "Now": `IAM_NOW` when set (non-empty), else the real time. */
export function clockNow(env: Readonly<Record<string, string | undefined>> = process.env): Date {
    const text = env[CLOCK_ENV];
    return text ? parseClock(text) : new Date();
}

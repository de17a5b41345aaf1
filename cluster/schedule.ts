/**
 * Checks for scheduled scaling, pure: the cron recurrence an auto-scaling
 * scheduled action takes (Unix cron, five fields) and its IANA time zone.
 */

interface CronField {
    name: string;
    min: number;
    max: number;
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 6 },
];

const NUMBER = /^\d{1,2}$/;

/**
 * Why `expression` is not a five-field Unix cron expression AWS accepts for
 * a scheduled action, or undefined when it is. Numbers only (no JAN/MON),
 * with `*`, lists (`1,3`), ranges (`1-5`) and steps (`*\/15`, `0-30/10`).
 */
export function cronProblem(expression: string): string | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== CRON_FIELDS.length) {
        return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    }
    for (let i = 0; i < fields.length; i++) {
        const problem = fieldProblem(fields[i], CRON_FIELDS[i]);
        if (problem) {
            return `has a bad ${CRON_FIELDS[i].name} field ${JSON.stringify(fields[i])}: ${problem}`;
        }
    }
    return undefined;
}

function fieldProblem(field: string, spec: CronField): string | undefined {
    for (const part of field.split(",")) {
        const [range, step, extra] = part.split("/");
        if (extra !== undefined) {
            return "at most one step (/n) per item";
        }
        if (step !== undefined && (!NUMBER.test(step) || Number(step) === 0)) {
            return `the step must be a positive number, got ${JSON.stringify(step)}`;
        }
        if (range === "*") {
            continue;
        }
        const bounds = range.split("-");
        if (bounds.length > 2 || bounds.some((b) => !NUMBER.test(b))) {
            return `expected *, a number or a range of numbers ${spec.min}-${spec.max}, got ${JSON.stringify(range)}`;
        }
        const [low, high] = bounds.map(Number);
        if (bounds.some((b) => Number(b) < spec.min || Number(b) > spec.max)) {
            return `values must be ${spec.min}-${spec.max}`;
        }
        if (high !== undefined && high < low) {
            return `the range ${range} runs backwards`;
        }
        if (step !== undefined && high === undefined) {
            return "a step needs * or a range before it";
        }
    }
    return undefined;
}

const TIME_ZONE_NAME = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/;

/** Why `zone` is not an IANA time zone name (Europe/Dublin, UTC), or undefined. */
export function timeZoneProblem(zone: string): string | undefined {
    if (!TIME_ZONE_NAME.test(zone)) {
        return `must be an IANA time zone name like Europe/Dublin or UTC, got ${JSON.stringify(zone)}`;
    }
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
    } catch {
        return `is not a known IANA time zone, got ${JSON.stringify(zone)}`;
    }
    return undefined;
}

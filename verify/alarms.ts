/**
 * Alarms: every alarm the stack declares exists and none of the stack's
 * alarms (`<prefix>-*`) is in ALARM; and the soak: the alarms stay OK for a
 * while, with no state change to ALARM in CloudWatch's history meanwhile.
 */
import { AlarmType, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, HistoryItemType, MetricAlarm, CompositeAlarm } from "@aws-sdk/client-cloudwatch";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";

type Alarm = MetricAlarm | CompositeAlarm;

async function stackAlarms(ctx: VerifyContext): Promise<Alarm[]> {
    const alarms: Alarm[] = [];
    let next: string | undefined;
    do {
        const page = await ctx.aws.cloudwatch.send(
            new DescribeAlarmsCommand({ AlarmNamePrefix: ctx.outputs.verify.alarmNamePrefix, AlarmTypes: [AlarmType.MetricAlarm, AlarmType.CompositeAlarm], NextToken: next }),
        );
        alarms.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
        next = page.NextToken;
    } while (next);
    return alarms;
}

export async function alarmChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    try {
        const alarms = await stackAlarms(ctx);
        const names = new Set(alarms.map((a) => a.AlarmName));
        const missing = Object.values(ctx.outputs.verify.alarmNames).filter((n) => !names.has(n));
        const firing = alarms.filter((a) => a.StateValue === "ALARM").map((a) => `${a.AlarmName} (${a.StateReason ?? "no reason"})`);
        const pending = alarms.filter((a) => a.StateValue === "INSUFFICIENT_DATA").length;
        const problems = [...firing.map((f) => `in ALARM: ${f}`), ...missing.map((m) => `missing: ${m}`)];
        const subject = `${ctx.outputs.verify.alarmNamePrefix}*`;
        return [
            problems.length === 0
                ? pass("alarms.state", subject, `${alarms.length} alarms, none in ALARM${pending > 0 ? ` (${pending} with insufficient data)` : ""}`)
                : fail("alarms.state", subject, problems.join("; ")),
        ];
    } catch (error) {
        return [fail("alarms.state", ctx.outputs.verify.alarmNamePrefix, errorText(error))];
    }
}

/**
 * Watches the stack's alarms for `minutes`: fails at the first alarm seen
 * in ALARM, and at the end looks in the alarm history for a change to ALARM
 * that came and went between two looks.
 */
export async function soak(ctx: VerifyContext, minutes: number, progress: (line: string) => void): Promise<CheckResult> {
    const subject = `${ctx.outputs.verify.alarmNamePrefix}*`;
    const start = ctx.now();
    const end = start.getTime() + minutes * 60_000;
    try {
        for (;;) {
            const firing = (await stackAlarms(ctx)).filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName);
            if (firing.length > 0) {
                return fail("alarms.soak", subject, `in ALARM during the soak: ${firing.join(", ")}`);
            }
            const left = end - ctx.now().getTime();
            if (left <= 0) break;
            progress(`soak: alarms OK, ${Math.ceil(left / 60_000)} of ${minutes} minutes left`);
            await ctx.sleep(Math.min(60_000, left));
        }
        const history = await ctx.aws.cloudwatch.send(new DescribeAlarmHistoryCommand({ HistoryItemType: HistoryItemType.StateUpdate, StartDate: start, EndDate: ctx.now() }));
        const blips = (history.AlarmHistoryItems ?? [])
            .filter((h) => h.AlarmName?.startsWith(ctx.outputs.verify.alarmNamePrefix) && /to ALARM/.test(h.HistorySummary ?? ""))
            .map((h) => `${h.AlarmName} at ${h.Timestamp?.toISOString()}`);
        return blips.length === 0
            ? pass("alarms.soak", subject, `OK for ${minutes} minutes, no change to ALARM in the history`)
            : fail("alarms.soak", subject, `went to ALARM during the soak: ${blips.join(", ")}`);
    } catch (error) {
        return fail("alarms.soak", subject, errorText(error));
    }
}

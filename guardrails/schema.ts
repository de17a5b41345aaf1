/**
 * The `alarms` section, declared once: who is told when something breaks
 * (SNS subscribers, or the secret webhook `iam:alarmWebhookUrl`) and the
 * thresholds of the alarms that wake someone. Pure: the webhook becomes a
 * Pulumi secret in the root loader (config.ts), never here.
 */
import { z } from "zod";
import type { SecretText } from "../lib/secretText";
import { RefineContext, report } from "../lib/configSchema";
import { SchemaContext } from "../lib/environment";
import { show } from "../lib/reader";

/** The secret config key of the on-call webhook. */
export const ALARM_WEBHOOK_KEY = "alarmWebhookUrl";

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

export function isHttpsUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return url.protocol === "https:" && url.hostname.includes(".") && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}

/** A threshold in `[min, max]`, a whole number where `integer`. */
function threshold(min: number, max: number, integer: boolean, byDefault: number, description: string) {
    const base = integer ? z.int() : z.number();
    return base
        .refine((v) => v >= min && v <= max, { error: (i) => `(${show(i.input)}) must be >= ${min} and <= ${max}` })
        .default(byDefault)
        .meta({ description: `${description} ${min}-${max}. Default ${byDefault}.` });
}

/** Alarm thresholds (`alarms.thresholds.*`); each alarm's period and evaluation are in guardrails/alarmSpecs.ts. */
export const thresholdsSchema = z
    .strictObject({
        alb5xxPercent: threshold(0.1, 100, false, 5, "Load-balancer 5xx responses (ALB and targets), in percent of requests over 5 minutes,"),
        alb5xxMinRequests: threshold(1, 1_000_000, true, 50, "Below this many requests in 5 minutes the 5xx rate is not judged,"),
        unhealthyTargets: threshold(0, 1000, true, 0, "Unhealthy targets a target group may have for 5 minutes before it alarms,"),
        targetResponseTimeSeconds: threshold(0.01, 60, false, 1, "p95 target response time, seconds, over 5 minutes for 15,"),
        rdsCpuPercent: threshold(1, 100, false, 80, "RDS CPU, percent,"),
        rdsFreeStorageGiB: threshold(1, 65536, false, 10, "Free RDS storage, GiB (fires when storage autoscaling cannot grow it),"),
        replicaLagSeconds: threshold(1, 86400, false, 30, "Replication lag of read replicas (RDS, ElastiCache, DocumentDB), seconds,"),
        redisCpuPercent: threshold(1, 100, false, 80, "ElastiCache EngineCPUUtilization (the Redis thread), percent,"),
        redisEvictions: threshold(0, 1_000_000, true, 0, "Keys evicted in 5 minutes (Redis holds the pump's queue: any eviction may lose data),"),
        docdbCpuPercent: threshold(1, 100, false, 80, "DocumentDB CPU, percent,"),
        podRestarts: threshold(1, 1000, true, 3, "New container restarts of one workload within 15 minutes,"),
        failedNodes: threshold(0, 1000, true, 0, "Nodes failing a node condition for 10 minutes,"),
    })
    .prefault({})
    .meta({ description: "Alarm thresholds; docs/guardrails.md lists what each alarm watches." });

export type AlarmThresholds = z.output<typeof thresholdsSchema>;

/** The thresholds when the section sets none. */
export const ALARM_DEFAULTS: { thresholds: AlarmThresholds; containerLogs: boolean } = {
    thresholds: thresholdsSchema.parse(undefined),
    containerLogs: true,
};

const subscriptionSchema = z
    .strictObject({
        protocol: z.enum(["email", "https"]).meta({ description: "`email` (the address must confirm the subscription) or `https` (an incident tool's SNS endpoint)." }),
        endpoint: z.string().meta({
            description:
                "An email address, or an https:// URL with a host (SNS does not deliver alarms over plain http). An email address must confirm the subscription (a link in the first email).",
        }),
    })
    .superRefine((s, c) => {
        if (s.protocol === "email" && !EMAIL.test(s.endpoint)) {
            report(c, ["endpoint"], `must be an email address, got ${show(s.endpoint)}`);
        }
        if (s.protocol === "https" && !isHttpsUrl(s.endpoint)) {
            report(c, ["endpoint"], `must be an https:// URL with a host (SNS will not deliver alarms over plain http), got ${show(s.endpoint)}`);
        }
    });

export type AlarmSubscription = z.output<typeof subscriptionSchema>;

/** The `alarms` section for an environment. */
export function alarmsSchema(_ctx: SchemaContext) {
    return z
        .strictObject({
            subscriptions: z
                .array(subscriptionSchema)
                .default([])
                .superRefine((subs, c) => {
                    const seen = new Map<string, number>();
                    subs.forEach((s, i) => {
                        const key = `${s.protocol}:${String(s.endpoint).toLowerCase()}`;
                        const first = seen.get(key);
                        if (first !== undefined) {
                            report(c, [i], `duplicates subscriptions[${first}] (${s.endpoint})`);
                        }
                        seen.set(key, first ?? i);
                    });
                })
                .meta({ description: "Where alarm and OK notifications go. At least one (or the secret alarmWebhookUrl) in prod: an alarm nobody receives guards nothing." }),
            thresholds: thresholdsSchema,
            containerInsights: z
                .strictObject({
                    addonVersion: z
                        .string()
                        .regex(ADDON_VERSION, { error: (i) => `must be an EKS add-on version like v4.1.0-eksbuild.1, got ${show(i.input)}` })
                        .optional()
                        .meta({ description: "Pin the amazon-cloudwatch-observability add-on version; default: the version EKS picks for the cluster." }),
                    containerLogs: z
                        .boolean()
                        .default(ALARM_DEFAULTS.containerLogs)
                        .meta({ description: "Ship container stdout/stderr to CloudWatch Logs (default true); false keeps metrics only." }),
                })
                .prefault({})
                .meta({ description: "The CloudWatch observability add-on (Container Insights)." }),
        })
        .prefault({})
        .meta({ description: "Who is notified when something breaks, and the alarm thresholds." });
}

/** The secret webhook: a message about it never shows the value (the URL carries the integration key). */
export const alarmWebhookSchema = z
    .string({ error: "must be an https:// URL with a host (the value is secret and not shown; set it with pulumi config set --secret)" })
    .refine(isHttpsUrl, { error: "must be an https:// URL with a host (the value is secret and not shown; set it with pulumi config set --secret)" })
    .optional()
    .meta({ description: "The on-call tool's SNS webhook URL; secret: set it with `pulumi config set --secret iam:alarmWebhookUrl`.", secret: true });

/** Root rule: in prod someone receives the alarms. */
export function alarmReceiversRule(root: { environment: string; alarms: { subscriptions: readonly unknown[] }; alarmWebhookUrl?: string }, c: RefineContext): void {
    if (root.environment === "prod" && root.alarms.subscriptions.length === 0 && root.alarmWebhookUrl === undefined) {
        report(
            c,
            ["alarms", "subscriptions"],
            `must list at least one subscriber in prod (an email address or an https endpoint, or the secret ${ALARM_WEBHOOK_KEY}): an alarm nobody receives wakes nobody`,
        );
    }
}

/** The section as the components read it. */
export type AlarmsConfig = z.output<ReturnType<typeof alarmsSchema>> & {
    /**
     * The on-call tool's SNS webhook (secret config `iam:alarmWebhookUrl`):
     * such URLs embed an integration key, so the value is a Pulumi secret end
     * to end (the alarms component wraps it with `pulumi.secret`) and never
     * appears in config files, errors or outputs.
     */
    webhookUrl?: SecretText;
};

/**
 * The `alarms` section: who is told when something breaks (SNS subscribers)
 * and the thresholds of the alarms that wake someone. Every key but
 * `subscriptions` has a default in lib/defaults.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { ALARM_DEFAULTS, AlarmThresholds, Environment } from "../lib/defaults";
import { ConfigIssues, Fields, show } from "../lib/reader";

export type { AlarmThresholds } from "../lib/defaults";

export type SubscriptionProtocol = "email" | "https";

export interface AlarmSubscription {
    /** `email` (the address must confirm the subscription) or `https` (an incident tool's SNS endpoint). */
    protocol: SubscriptionProtocol;
    /** An email address, or an `https://` URL. */
    endpoint: string;
}

export interface AlarmsConfig {
    /** Where alarm and OK notifications go. At least one (or `webhookUrl`) in prod: an alarm nobody receives guards nothing. */
    subscriptions: AlarmSubscription[];
    /**
     * The on-call tool's SNS webhook (secret config `iam:alarmWebhookUrl`):
     * such URLs embed an integration key, so the value is a Pulumi secret end
     * to end and never appears in config files, errors or outputs.
     */
    webhookUrl?: pulumi.Output<string>;
    thresholds: AlarmThresholds;
    containerInsights: {
        /** Pin the `amazon-cloudwatch-observability` add-on version (e.g. v4.1.0-eksbuild.1); default: the version EKS picks for the cluster. */
        addonVersion?: string;
        /** Ship container stdout/stderr to CloudWatch Logs (the add-on's default, true); false keeps metrics only. */
        containerLogs: boolean;
    };
}

export const ALARMS_KEYS = ["subscriptions", "thresholds", "containerInsights"] as const;
const THRESHOLD_KEYS = Object.keys(ALARM_DEFAULTS.thresholds) as (keyof AlarmThresholds)[];

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** Bounds of each threshold: what AWS metrics can take and what still makes sense for a page. */
const THRESHOLD_BOUNDS: Record<keyof AlarmThresholds, { min: number; max: number; integer?: boolean }> = {
    alb5xxPercent: { min: 0.1, max: 100 },
    alb5xxMinRequests: { min: 1, max: 1_000_000, integer: true },
    unhealthyTargets: { min: 0, max: 1000, integer: true },
    targetResponseTimeSeconds: { min: 0.01, max: 60 },
    rdsCpuPercent: { min: 1, max: 100 },
    rdsFreeStorageGiB: { min: 1, max: 65536 },
    replicaLagSeconds: { min: 1, max: 86400 },
    redisCpuPercent: { min: 1, max: 100 },
    redisEvictions: { min: 0, max: 1_000_000, integer: true },
    docdbCpuPercent: { min: 1, max: 100 },
    podRestarts: { min: 1, max: 1000, integer: true },
    failedNodes: { min: 0, max: 1000, integer: true },
};

function readSubscription(s: Fields): AlarmSubscription {
    const protocol = s.string<SubscriptionProtocol>("protocol", { oneOf: ["email", "https"] });
    const endpoint = s.string("endpoint");
    if (endpoint === "") {
        return { protocol, endpoint };
    }
    if (protocol === "email" && !EMAIL.test(endpoint)) {
        s.issues.add(s.at("endpoint"), `must be an email address, got ${show(endpoint)}`);
    }
    if (protocol === "https" && !isHttpsUrl(endpoint)) {
        s.issues.add(s.at("endpoint"), `must be an https:// URL with a host (SNS will not deliver alarms over plain http), got ${show(endpoint)}`);
    }
    return { protocol, endpoint };
}

export function isHttpsUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return url.protocol === "https:" && url.hostname.includes(".") && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}

function readThresholds(t: Fields): AlarmThresholds {
    const result = { ...ALARM_DEFAULTS.thresholds };
    for (const key of THRESHOLD_KEYS) {
        const value = t.value(key);
        if (value === undefined || value === null) {
            continue;
        }
        const bounds = THRESHOLD_BOUNDS[key];
        if (typeof value !== "number" || !Number.isFinite(value) || (bounds.integer && !Number.isInteger(value))) {
            t.issues.add(t.at(key), `must be ${bounds.integer ? "a whole number" : "a number"}, got ${show(value)}`);
        } else if (value < bounds.min || value > bounds.max) {
            t.issues.add(t.at(key), `(${value}) must be >= ${bounds.min} and <= ${bounds.max}`);
        } else {
            result[key] = value;
        }
    }
    return result;
}

/** The secret config key of the on-call webhook. */
export const ALARM_WEBHOOK_KEY = "alarmWebhookUrl";

/**
 * Reads the secret webhook URL. The message on a bad value never shows it:
 * an error is printed and logged, and the URL carries the integration key.
 */
export function readAlarmWebhook(value: unknown, issues: ConfigIssues): pulumi.Output<string> | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "string" || !isHttpsUrl(value)) {
        issues.add(ALARM_WEBHOOK_KEY, "must be an https:// URL with a host (the value is secret and not shown; set it with pulumi config set --secret)");
        return undefined;
    }
    return pulumi.secret(value);
}

export function readAlarms(f: Fields, environment: Environment, webhookUrl?: pulumi.Output<string>): AlarmsConfig {
    const subscriptions = f.objectList("subscriptions", ["protocol", "endpoint"], readSubscription, { default: [] });
    if (environment === "prod" && subscriptions.length === 0 && webhookUrl === undefined) {
        f.issues.add(f.at("subscriptions"), `must list at least one subscriber in prod (an email address or an https endpoint, or the secret ${ALARM_WEBHOOK_KEY}): an alarm nobody receives wakes nobody`);
    }
    const seen = new Map<string, number>();
    subscriptions.forEach((s, i) => {
        const key = `${s.protocol}:${s.endpoint.toLowerCase()}`;
        const first = seen.get(key);
        if (first !== undefined) {
            f.issues.add(`${f.at("subscriptions")}[${i}]`, `duplicates subscriptions[${first}] (${s.endpoint})`);
        }
        seen.set(key, first ?? i);
    });
    const thresholds = f.object("thresholds", THRESHOLD_KEYS, readThresholds, { optional: true });
    const containerInsights = f.object("containerInsights", ["addonVersion", "containerLogs"], (c) => ({
        addonVersion: c.optionalString("addonVersion", { pattern: ADDON_VERSION, expected: "an EKS add-on version like v4.1.0-eksbuild.1" }),
        containerLogs: c.bool("containerLogs", ALARM_DEFAULTS.containerLogs),
    }), { optional: true });
    return { subscriptions, webhookUrl, thresholds, containerInsights };
}

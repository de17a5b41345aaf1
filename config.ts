/**
 * The one typed model of the stack config. `parseStackConfig` reads and
 * validates all of it, pure, and throws one `ConfigValidationError` listing
 * every bad field by path; `loadStackConfig` feeds it from Pulumi's config.
 * Nothing else in the program reads config.
 */
import * as pulumi from "@pulumi/pulumi";
import { AccessMatrixSpec } from "./network/accessMatrixPlan";
import { ACCESS_MATRIX_KEYS, readAccessMatrix } from "./network/accessMatrixConfig";
import { ALARM_WEBHOOK_KEY, ALARMS_KEYS, AlarmsConfig, readAlarms, readAlarmWebhook } from "./guardrails/config";
import { CLUSTER_KEYS, ClusterConfig, readCluster } from "./cluster/config";
import { checkStoreUsage, DATA_STORES_KEYS, DataStoresConfig, readDataStores } from "./data/config";
import { Environment, ENVIRONMENT_DEFAULTS, ENVIRONMENTS } from "./lib/defaults";
import { NETWORK_KEYS, NetworkConfig, readNetwork } from "./network/config";
import { EDGE_KEYS, EdgeConfig, readEdge } from "./edge/config";
import { clockNow } from "./lib/clock";
import { ConfigIssues, ConfigValidationError, Fields } from "./lib/reader";
import { readRegistry, RegistryConfig } from "./registry/config";
import { readServices, ServiceSpec } from "./workloads/services";
import { checkDrainTimings, readWorkloads, WORKLOADS_KEYS, WorkloadsConfig } from "./workloads/config";

export { ConfigValidationError } from "./lib/reader";
export type { AlarmsConfig } from "./guardrails/config";
export type { ClusterConfig, NodeGroupConfig } from "./cluster/config";
export type { DataStoresConfig } from "./data/config";
export type { Environment } from "./lib/defaults";
export type { EdgeConfig } from "./edge/config";
export type { NetworkConfig } from "./network/config";
export type { RegistryConfig } from "./registry/config";
export type { ServiceSpec } from "./workloads/services";
export type { WorkloadConfig, WorkloadsConfig } from "./workloads/config";

/** The config namespace: keys are `iam:<key>` in `Pulumi.<stack>.yaml`. */
export const CONFIG_NAMESPACE = "iam";

export interface StackConfig {
    /** The Pulumi stack name. */
    stack: string;
    /** `prod` or `staging`: selects the environment defaults (HA, protection). */
    environment: Environment;
    /** The AWS region (`aws:region`). */
    region: string;
    /** The DNS domain every public host lives under; its Route53 hosted zone must exist. */
    domain: string;
    /** True in prod: stateful resources are protected from deletion and replacement. */
    protect: boolean;
    /** Tags every AWS resource carries (provider default tags), merged with the stack's own. */
    tags: Record<string, string>;
    network: NetworkConfig;
    accessMatrix: AccessMatrixSpec;
    /** The registry the images come from (the registry project's account and region): image URIs derive from it. */
    registry: RegistryConfig;
    /** The service catalog: every service deployed, its ports, health and exposure. */
    services: ServiceSpec[];
    /** The EKS cluster: version, API access, admins, logs, node groups, headroom, scheduled scaling. */
    cluster: ClusterConfig;
    /** The data stores the services use: managed here (RDS, ElastiCache, DocumentDB) or external, and the credentials sync. */
    dataStores: DataStoresConfig;
    /** The HTTPS entry: hosted zone, TLS policy, health checks, access logs, legacy migration. */
    edge: EdgeConfig;
    /** Where the workloads run: the application namespace. */
    workloads: WorkloadsConfig;
    /** Who is notified when something breaks, and the alarm thresholds. */
    alarms: AlarmsConfig;
    /**
     * Warnings about a valid config, each `<path> <message>` like a problem
     * (e.g. Kubernetes standard support ending within 60 days). index.ts logs
     * each with `pulumi.log.warn` (every preview shows them); the render prints
     * them. Sections add them with `ConfigIssues.warn` (lib/reader.ts).
     */
    warnings: readonly string[];
}

/** Config as it comes from the stack file: key (without namespace) to parsed value. */
export interface RawStackConfig {
    stack: string;
    region: string | undefined;
    values: Record<string, unknown>;
    /**
     * "Now" for every dated check (end of EKS standard support): `clockNow()`
     * (lib/clock.ts, `IAM_NOW` or the real time) when the program runs, a
     * pinned day in tests.
     */
    now: Date;
}

const TOP_LEVEL_KEYS = ["environment", "domain", "tags", "network", "accessMatrix", "registry", "services", "cluster", "workloads", "edge", "dataStores", "alarms", ALARM_WEBHOOK_KEY] as const;

const DOMAIN_PATTERN = /^(?=.{1,200}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const TAG_KEY_PATTERN = /^(?!aws:)[\w .:/=+\-@]{1,128}$/;

/** Reads and validates the whole stack config; throws once with every problem. */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const issues = new ConfigIssues();
    const root = Fields.of(raw.values, "", issues, TOP_LEVEL_KEYS);
    let region = raw.region ?? "";
    if (!REGION_PATTERN.test(region)) {
        issues.add("aws:region", `must be an AWS region like eu-west-1 (pulumi config set aws:region ...), got ${JSON.stringify(raw.region)}`);
        region = "";
    }
    const issuesBefore = issues.count;
    const named = root.string<Environment>("environment", { oneOf: ENVIRONMENTS });
    // A bad environment name is reported once; the rest is read with the lenient
    // staging profile so it does not add prod-only errors on top.
    const environment: Environment = issues.count > issuesBefore ? "staging" : named;
    const domain = root.string("domain", { pattern: DOMAIN_PATTERN, expected: "a lowercase DNS domain like example.com" });
    const tags = root.stringMap("tags", { keyPattern: TAG_KEY_PATTERN, expected: "1-128 characters, not starting with aws:" });
    const network = root.object("network", NETWORK_KEYS, (f) => readNetwork(f, environment, region));
    const accessMatrix = root.object("accessMatrix", ACCESS_MATRIX_KEYS, readAccessMatrix);
    const registry = readRegistry(root.value("registry"), root.at("registry"), issues);
    const services = readServices(root, "services", domain, environment);
    const cluster = root.object("cluster", CLUSTER_KEYS, (f) => readCluster(f, { environment, stack: raw.stack, network, now: raw.now }));
    const edge = root.object("edge", EDGE_KEYS, (f) => readEdge(f, { environment, domain, services, network }), { optional: true });
    const workloads = root.object("workloads", WORKLOADS_KEYS, readWorkloads, { optional: true });
    checkDrainTimings(edge.deregistrationDelaySeconds, services, issues);
    const dataStores = root.object("dataStores", DATA_STORES_KEYS, (f) => readDataStores(f, { stack: raw.stack, environment, region, peerCidrs: network.peerCidrs }), { optional: true });
    const alarmWebhook = readAlarmWebhook(root.value(ALARM_WEBHOOK_KEY), issues);
    const alarms = root.object("alarms", ALARMS_KEYS, (f) => readAlarms(f, environment, alarmWebhook), { optional: true });
    checkStoreUsage(services, dataStores, issues);
    if (issues.count > 0) {
        throw new ConfigValidationError(issues.list);
    }
    return {
        stack: raw.stack,
        environment,
        region,
        domain,
        protect: ENVIRONMENT_DEFAULTS[environment].protectStatefulResources,
        tags,
        network,
        accessMatrix,
        registry,
        services,
        cluster,
        workloads,
        edge,
        dataStores,
        alarms,
        warnings: [...issues.warnings],
    };
}

/**
 * Reads the `iam:*` keys of the running stack's config. Object values arrive
 * as JSON text (that is how Pulumi passes structured config to programs).
 */
export function readRawConfig(now: Date = clockNow()): RawStackConfig {
    const values: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(prefix)) {
            continue;
        }
        values[key.slice(prefix.length)] = parseConfigText(text);
    }
    return { stack: pulumi.getStack(), region: pulumi.runtime.getConfig("aws:region"), values, now };
}

function parseConfigText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The validated config of the running stack, as of `now` (default: `clockNow()`, lib/clock.ts). */
export function loadStackConfig(now: Date = clockNow()): StackConfig {
    return parseStackConfig(readRawConfig(now));
}

/**
 * Shows every config warning on the run: `pulumi.log.warn` by default, so
 * `pulumi preview` and `pulumi up` print them under "Diagnostics" each time.
 */
export function logConfigWarnings(config: Pick<StackConfig, "warnings">, warn: (message: string) => void = (m) => pulumi.log.warn(m)): void {
    for (const warning of config.warnings) {
        warn(`config: ${warning}`);
    }
}

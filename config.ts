/**
 * The one typed model of the stack config: `stackSchema` puts together each
 * area's section (`<area>/schema.ts`) and the rules that span sections.
 * `parseStackConfig` validates all of it, pure, and throws one
 * `ConfigValidationError` listing every problem by YAML path; a valid config
 * may still carry warnings. Pure: no Pulumi SDK (a test of the config loads
 * none); `stackConfig.ts` feeds it from the running stack's config. Nothing
 * else in the program reads config.
 */
import { z } from "zod";
import { applicationSchema } from "./app/schema";
import { appProfileRule } from "./app/profileRule";
import { clusterNetworkRule, clusterSchema, clusterZonesRule } from "./cluster/schema";
import { dataStoresSchema, externalStoresRule, storeUsageRule } from "./data/schema";
import { edgeSchema, legacyRule, legacyWithHosts, publicServicesRule, wafRateLimitsRule } from "./edge/schema";
import { ALARM_WEBHOOK_KEY, alarmReceiversRule, alarmsSchema, alarmWebhookSchema } from "./guardrails/schema";
import type { AlarmsConfig } from "./guardrails/schema";
import { configErrorMap, formatIssues, matching, RefineContext, report, stringMap, whenValid } from "./lib/configSchema";
import { exampleValueWarnings } from "./lib/configWarnings";
import { Environment, ENVIRONMENT_DEFAULTS, ENVIRONMENTS, SchemaContext } from "./lib/environment";
import { ConfigValidationError, show } from "./lib/reader";
import { SecretText } from "./lib/secretText";
import { accessMatrixSchema, networkSchema } from "./network/schema";
import { accountId } from "./registry/registryProjectSchema";
import { registrySchema } from "./registry/schema";
import { podFitRule } from "./workloads/podFit";
import { drainTimingsRule, servicesSchema, workloadsSchema } from "./workloads/schema";
import { verifySchema } from "./verify/schema";

export { ConfigValidationError } from "./lib/reader";
export type { AlarmsConfig } from "./guardrails/schema";
export type { ApplicationConfig } from "./app/schema";
export type { ClusterConfig, NodeGroupConfig } from "./cluster/schema";
export type { DataStoresConfig } from "./data/schema";
export type { Environment } from "./lib/environment";
export type { EdgeConfig } from "./edge/schema";
export type { NetworkConfig } from "./network/schema";
export type { RegistryConfig } from "./registry/schema";
export type { ServiceSpec, WorkloadsConfig } from "./workloads/schema";
export type { WorkloadConfig } from "./workloads/workloadSchema";

/** The config namespace: keys are `iam:<key>` in `Pulumi.<stack>.yaml`. */
export const CONFIG_NAMESPACE = "iam";
/** The one config key outside the namespace the program reads. */
export const REGION_KEY = "aws:region";
/** The config key naming the stack's AWS account (`iam:accountId`). */
export const ACCOUNT_ID_KEY = "accountId";

const DOMAIN_PATTERN = /^(?=.{1,200}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const TAG_KEY_PATTERN = /^(?!aws:)[\w .:/=+\-@]{1,128}$/;

/**
 * A rule across sections: runs when the fields it `reads` (dotted paths)
 * parsed cleanly; the schema context lets it warn (`SchemaContext.warn`).
 */
interface RootRule {
    reads: string[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule declares the slice of the root it reads
    check: (root: any, ctx: RefineContext, schema: SchemaContext) => void;
}

/**
 * Rules spanning sections, in the order they report. Each runs only when what
 * it reads is valid, so one mistake is one message.
 */
const ROOT_RULES: RootRule[] = [
    { reads: ["cluster.serviceCidr", "network.cidr", "network.peerCidrs"], check: clusterNetworkRule },
    { reads: ["services"], check: publicServicesRule },
    { reads: ["edge.legacy", "network", "services", "domain"], check: legacyRule },
    { reads: ["edge.waf", "services"], check: wafRateLimitsRule },
    { reads: ["edge.deregistrationDelaySeconds", "services"], check: drainTimingsRule },
    { reads: ["cluster.nodeGroups", "cluster.karpenter", "services"], check: podFitRule },
    { reads: ["dataStores", "network.peerCidrs"], check: externalStoresRule },
    { reads: ["services", "dataStores"], check: storeUsageRule },
    { reads: ["services", "dataStores"], check: appProfileRule },
    { reads: ["environment", "alarms.subscriptions", ALARM_WEBHOOK_KEY], check: alarmReceiversRule },
    { reads: ["environment", ACCOUNT_ID_KEY], check: accountRequiredRule },
];

/** Root rule: prod names its account, so staging credentials can never build prod. */
function accountRequiredRule(root: { environment: Environment; accountId?: string }, c: RefineContext): void {
    if (root.environment === "prod" && root.accountId === undefined) {
        report(
            c,
            [ACCOUNT_ID_KEY],
            'is required in prod: the 12-digit AWS account the stack belongs to, in quotes (pulumi config set iam:accountId "<aws sts get-caller-identity --query Account>"); the provider then refuses credentials for any other account',
        );
    }
}

/** The whole stack config (the `iam:*` keys and `aws:region`) for a context. */
export function stackSchema(ctx: SchemaContext) {
    let schema = z.strictObject({
        [REGION_KEY]: z
            .string({ error: (i) => `must be an AWS region like eu-west-1 (pulumi config set aws:region ...), got ${show(i.input)}` })
            .regex(REGION_PATTERN, { error: (i) => `must be an AWS region like eu-west-1 (pulumi config set aws:region ...), got ${show(i.input)}` })
            .meta({ description: "The AWS region every resource is created in. Changing it replaces everything." }),
        environment: z.enum(ENVIRONMENTS).meta({
            description:
                "`prod` or `staging`: selects the environment defaults (HA, protection) and the prod-only rules (prod protects stateful resources, needs 3 zones and a NAT gateway per zone).",
        }),
        [ACCOUNT_ID_KEY]: accountId.optional().meta({
            description:
                "The 12-digit AWS account this stack belongs to (quoted). Required in prod. The AWS provider refuses credentials for any other account (allowedAccountIds), and the program checks the identity running Pulumi against it before creating anything.",
        }),
        domain: matching(DOMAIN_PATTERN, "a lowercase DNS domain like example.com").meta({
            description: "The DNS domain every public host lives under; its Route53 hosted zone must exist.",
        }),
        tags: stringMap(TAG_KEY_PATTERN, "1-128 characters, not starting with aws:").default({}).meta({
            description:
                "Tags every AWS resource carries (provider default tags), keys not starting with aws:; merged once with project, environment, pulumi-stack and managed-by.",
        }),
        network: networkSchema(ctx).meta({ description: "The VPC: range, zones, NAT, peer networks, flow logs." }),
        accessMatrix: accessMatrixSchema.meta({ description: "Who may reach whom on which ports: the security groups and NetworkPolicies are built from it." }),
        registry: registrySchema,
        services: servicesSchema(ctx),
        cluster: clusterSchema(ctx).meta({ description: "The EKS cluster: version, API access, admins, logs, node groups, headroom, scheduled scaling." }),
        edge: edgeSchema(ctx),
        workloads: workloadsSchema,
        dataStores: dataStoresSchema(ctx),
        application: applicationSchema,
        alarms: alarmsSchema(ctx),
        verify: verifySchema,
        [ALARM_WEBHOOK_KEY]: alarmWebhookSchema,
    });
    for (const rule of ROOT_RULES) {
        schema = schema.superRefine((root, c) => rule.check(root, c, ctx), { when: whenValid(...rule.reads) });
    }
    // Reads the zones as written, so it speaks even when the network section has other problems.
    return schema.superRefine(clusterZonesRule, { when: (p) => typeof p.value === "object" && p.value !== null });
}

type ParsedRoot = z.output<ReturnType<typeof stackSchema>>;

export interface StackConfig extends Omit<ParsedRoot, typeof REGION_KEY | typeof ALARM_WEBHOOK_KEY | "edge" | "alarms"> {
    /** The Pulumi stack name. */
    stack: string;
    /** The AWS region (`aws:region`). */
    region: string;
    /** True in prod: stateful resources are protected from deletion and replacement. */
    protect: boolean;
    /** The HTTPS entry, with the legacy hosts resolved against the catalog. */
    edge: import("./edge/schema").EdgeConfig;
    /** The alarms, with the secret webhook as a Pulumi secret. */
    alarms: AlarmsConfig;
    /**
     * Warnings about a valid config, each `<path> <message>` like a problem
     * (Kubernetes standard support ending within 60 days, example values left
     * in the file, config no rule uses). index.ts logs each with
     * `pulumi.log.warn` (every preview shows them); the render prints them.
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
    /**
     * The keys (without namespace) the stack file holds as secrets (`secure:`).
     * When given, a secret-only key written in plain text is a problem; the
     * pure config tests that do not care leave it out.
     */
    secretKeys?: readonly string[];
    /** The `aws:*` keys the stack file sets (`aws:region` and any other), for the warning about keys no provider of the program reads. */
    awsKeys?: readonly string[];
}

/**
 * `aws:*` keys that configure only Pulumi's default AWS provider: the
 * program's resources use an explicit provider, which never reads them.
 */
const DEFAULT_PROVIDER_ONLY_KEYS: Readonly<Record<string, string>> = {
    "aws:allowedAccountIds": `set ${CONFIG_NAMESPACE}:${ACCOUNT_ID_KEY} instead (the program's provider gets allowedAccountIds from it)`,
    "aws:forbiddenAccountIds": `set ${CONFIG_NAMESPACE}:${ACCOUNT_ID_KEY} instead (the program's provider then allows only that account)`,
};

/** A warning per `aws:*` key of the file that the program's explicit AWS provider ignores. */
export function ignoredProviderKeyWarnings(awsKeys: readonly string[] = []): string[] {
    return awsKeys
        .filter((key) => DEFAULT_PROVIDER_ONLY_KEYS[key])
        .map((key) => `${key} is ignored: the program's explicit AWS provider does not read it; ${DEFAULT_PROVIDER_ONLY_KEYS[key]}`);
}

/** Keys whose value must be a Pulumi secret: written in plain text, it sits in git for anyone to read. */
const SECRET_ONLY_KEYS = [ALARM_WEBHOOK_KEY];

/** A problem per secret-only key the file writes in plain text. */
export function plaintextSecretProblems(raw: Pick<RawStackConfig, "values" | "secretKeys">): string[] {
    const secretKeys = raw.secretKeys;
    if (secretKeys === undefined) {
        return [];
    }
    return SECRET_ONLY_KEYS.filter((key) => raw.values[key] !== undefined && !secretKeys.includes(key)).map(
        (key) =>
            `${key} is written in plain text in the stack file (the value is not shown): remove it and set it encrypted with pulumi config set --secret ${CONFIG_NAMESPACE}:${key} '<value>'`,
    );
}

/**
 * The context the sections are built for, read leniently from the raw
 * values: an invalid environment reads as the lenient staging profile (its
 * own problem is reported once, and no prod-only rule piles on), an invalid
 * domain or region as "" (rules that need them stay silent).
 */
export function schemaContext(raw: RawStackConfig, warn: SchemaContext["warn"] = () => undefined): SchemaContext {
    const named = raw.values.environment;
    const environment: Environment = (ENVIRONMENTS as readonly unknown[]).includes(named) ? (named as Environment) : "staging";
    const domain = typeof raw.values.domain === "string" && DOMAIN_PATTERN.test(raw.values.domain) ? raw.values.domain : "";
    const region = raw.region !== undefined && REGION_PATTERN.test(raw.region) ? raw.region : "";
    return { environment, stack: raw.stack, region, domain, now: raw.now, warn };
}

/** Drops null values (`key:` with nothing after it in YAML reads as absent, as it always has). */
function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutNulls);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== null)
                .map(([k, v]) => [k, withoutNulls(v)]),
        );
    }
    return value;
}

const schemas = new Map<string, { schema: ReturnType<typeof stackSchema>; warnings: string[] }>();

/**
 * The schema for a context, built once per context (building one costs far
 * more than a parse), with the list its warnings go to (emptied per parse).
 */
function schemaFor(raw: RawStackConfig): { schema: ReturnType<typeof stackSchema>; warnings: string[] } {
    const probe = schemaContext(raw);
    const key = JSON.stringify({ ...probe, now: probe.now.toISOString() });
    let cached = schemas.get(key);
    if (!cached) {
        const warnings: string[] = [];
        cached = { schema: stackSchema(schemaContext(raw, (path, message) => warnings.push(`${path} ${message}`))), warnings };
        schemas.set(key, cached);
    }
    cached.warnings.length = 0;
    return cached;
}

/** Reads and validates the whole stack config; throws once with every problem. */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const { schema, warnings } = schemaFor(raw);
    const input = withoutNulls({ ...raw.values, [REGION_KEY]: raw.region }) as Record<string, unknown>;
    let result: ReturnType<ReturnType<typeof stackSchema>["safeParse"]>;
    try {
        result = schema.safeParse(input, { error: configErrorMap });
    } catch (error) {
        // A rule that met a shape it did not expect: still a config problem, never a stack trace.
        throw new ConfigValidationError([`the config could not be read: ${(error as Error).message}`]);
    }
    const plaintext = plaintextSecretProblems(raw);
    if (!result.success || plaintext.length > 0) {
        throw new ConfigValidationError([...(result.success ? [] : formatIssues(result.error)), ...plaintext]);
    }
    const { [REGION_KEY]: region, [ALARM_WEBHOOK_KEY]: webhook, edge, alarms, ...sections } = result.data;
    return {
        ...sections,
        stack: raw.stack,
        region,
        protect: ENVIRONMENT_DEFAULTS[sections.environment].protectStatefulResources,
        edge: { ...edge, legacy: edge.legacy && legacyWithHosts(edge.legacy, sections.services) },
        alarms: { ...alarms, webhookUrl: webhook === undefined ? undefined : new SecretText(webhook) },
        warnings: [...warnings, ...exampleValueWarnings(raw.values), ...unusedConfigWarnings(raw.values, result.data), ...ignoredProviderKeyWarnings(raw.awsKeys)],
    };
}

/** Written values that no rule or resource reads, given what else the file says. */
const UNUSED_CONFIG: { path: string; unusedWhen: (config: ParsedRoot) => string | undefined }[] = [
    { path: "cluster.headroom.cpu", unusedWhen: (c) => (c.cluster.headroom.replicas === 0 ? "headroom.replicas is 0" : undefined) },
    { path: "cluster.headroom.memory", unusedWhen: (c) => (c.cluster.headroom.replicas === 0 ? "headroom.replicas is 0" : undefined) },
    {
        path: "accessMatrix.adminCidrs",
        unusedWhen: (c) => (c.accessMatrix.adminCidrs.length > 0 && !c.accessMatrix.flows.some((f) => f.from === "admin") ? "no flow starts from admin" : undefined),
    },
    { path: "edge.accessLogs.retentionDays", unusedWhen: (c) => (c.edge.accessLogs.enabled ? undefined : "access logs are off (edge.accessLogs.enabled)") },
    { path: "network.flowLogs.retentionDays", unusedWhen: (c) => (c.network.flowLogs.enabled ? undefined : "flow logs are off (network.flowLogs.enabled)") },
    { path: "edge.legacy.hosts", unusedWhen: (c) => (c.edge.legacy?.weightPercent === 0 ? "edge.legacy.weightPercent is 0" : undefined) },
];

function written(values: Record<string, unknown>, path: string): boolean {
    let at: unknown = values;
    for (const key of path.split(".")) {
        if (typeof at !== "object" || at === null || !(key in at)) return false;
        at = (at as Record<string, unknown>)[key];
    }
    const empty = Array.isArray(at) && at.length === 0;
    return at !== undefined && at !== null && !empty;
}

/** Warnings for values written in the file that change nothing. */
export function unusedConfigWarnings(values: Record<string, unknown>, config: ParsedRoot): string[] {
    return UNUSED_CONFIG.flatMap(({ path, unusedWhen }) => {
        const reason = written(values, path) ? unusedWhen(config) : undefined;
        return reason ? [`${path} is set but nothing uses it: ${reason}`] : [];
    });
}

/**
 * The registry project's config: read from `iam-registry:*` and `aws:region`,
 * validated in one pass; `parseRegistryConfig` throws one
 * ConfigValidationError listing every bad key. Pure: no Pulumi.
 */
import { configErrorMap, formatIssues } from "../lib/configSchema";
import { exampleValueWarnings } from "../lib/configWarnings";
import { ConfigValidationError } from "../lib/reader";
import { REGISTRY_PROJECT_NAMESPACE, RegistryProjectConfig, registryProjectSchema } from "./registryProjectSchema";

/** The registry stack's config as it comes from its stack file: key (without namespace) to parsed value. */
export interface RawRegistryConfig {
    stack: string;
    region: string | undefined;
    values: Record<string, unknown>;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The registry stack's config as validated, with its warnings (example values left in the file), each naming its key. */
export type ParsedRegistryConfig = RegistryProjectConfig & { stack: string; warnings: readonly string[] };

/** Validates the registry stack's config; throws once with every problem. */
export function parseRegistryConfig(raw: RawRegistryConfig): ParsedRegistryConfig {
    const problems: string[] = [];
    if (!REGION.test(raw.region ?? "")) {
        problems.push(`aws:region must be an AWS region like eu-west-1 (pulumi -C registry config set aws:region ...), got ${JSON.stringify(raw.region)}`);
    }
    // Problems read `iam-registry:keepTaggedImages must be ...`, the key as `pulumi config set` names it.
    const result = registryProjectSchema.safeParse(raw.values, { error: configErrorMap });
    if (!result.success) {
        problems.push(...formatIssues(result.error).map((line) => `${REGISTRY_PROJECT_NAMESPACE}:${line}`));
    }
    if (!result.success || problems.length > 0) {
        throw new ConfigValidationError(problems);
    }
    const warnings = exampleValueWarnings(raw.values).map((warning) => `${REGISTRY_PROJECT_NAMESPACE}:${warning}`);
    return { ...result.data, region: raw.region as string, stack: raw.stack, warnings };
}

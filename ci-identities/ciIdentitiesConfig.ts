/**
 * The CI identities project's config: read from `iam-ci-identities:*` and
 * `aws:region`, validated in one pass; `parseCiIdentitiesConfig` throws one
 * ConfigValidationError listing every bad key. Pure: no Pulumi.
 */
import { configErrorMap, formatIssues } from "../lib/configSchema";
import { ConfigValidationError } from "../lib/reader";
import { CI_IDENTITIES_NAMESPACE, CiIdentitiesConfig, ciIdentitiesSchema } from "./ciIdentitiesSchema";

/** The stack's config as it comes from its stack file: key (without namespace) to parsed value. */
export interface RawCiIdentitiesConfig {
    stack: string;
    region: string | undefined;
    values: Record<string, unknown>;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Validates the stack's config; throws once with every problem. */
export function parseCiIdentitiesConfig(raw: RawCiIdentitiesConfig): CiIdentitiesConfig {
    const problems: string[] = [];
    if (!REGION.test(raw.region ?? "")) {
        problems.push(`aws:region must be an AWS region like eu-west-1 (pulumi -C ci-identities config set aws:region ...), got ${JSON.stringify(raw.region)}`);
    }
    // Problems read `iam-ci-identities:github.repository must be ...`, the key as `pulumi config set` names it.
    const result = ciIdentitiesSchema.safeParse(raw.values, { error: configErrorMap });
    if (!result.success) {
        problems.push(...formatIssues(result.error).map((line) => `${CI_IDENTITIES_NAMESPACE}:${line}`));
    }
    if (!result.success || problems.length > 0) {
        throw new ConfigValidationError(problems);
    }
    return { ...result.data, region: raw.region as string, stack: raw.stack };
}

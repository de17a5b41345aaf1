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

/** The example values the committed stack files carry (README: replace them before the first `pulumi up`). */
const EXAMPLE_ACCOUNTS = ["123456789012", "210987654321"];
const EXAMPLE_OWNER = "example-org/";

/**
 * Warnings for example values left in a stack file: an example repository
 * would make every role trust another GitHub repository's workflows, and an
 * example account or bucket fails only when AWS is asked.
 */
export function ciIdentitiesWarnings(config: CiIdentitiesConfig): string[] {
    const warnings: string[] = [];
    if (config.github.repository.startsWith(EXAMPLE_OWNER)) {
        warnings.push(
            `${CI_IDENTITIES_NAMESPACE}:github.repository is the example ${config.github.repository}: every role would trust that repository's workflows; set this repository (owner/name)`,
        );
    }
    if (EXAMPLE_ACCOUNTS.includes(config.account)) {
        warnings.push(`${CI_IDENTITIES_NAMESPACE}:account is the example account ${config.account}: set the account's id (aws sts get-caller-identity)`);
    }
    if (config.stateBackend.bucket.startsWith("example-")) {
        warnings.push(
            `${CI_IDENTITIES_NAMESPACE}:stateBackend.bucket is the example ${config.stateBackend.bucket}: set this account's state bucket (docs/operations/bootstrap.md, step 1)`,
        );
    }
    return warnings;
}

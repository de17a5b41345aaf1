/**
 * The CI identities project's body (`ci-identities/main.ts` is its entry
 * point): an AWS provider that only works in the stack's account, and the
 * CiIdentities component with the account's OIDC provider and CI roles.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiIdentities } from "./ciIdentities";
import { backendUrl, githubVariables, oidcProviderArn, planRoles, secretsProvider } from "./ciIdentitiesPlan";
import { CI_IDENTITIES_NAMESPACE, CiIdentitiesConfig } from "./ciIdentitiesSchema";
import { ciIdentitiesWarnings, parseCiIdentitiesConfig, RawCiIdentitiesConfig } from "./ciIdentitiesConfig";

/** The tags every resource carries: the configured ones, then the project's own (one merge, here). */
export function ciIdentitiesTags(config: CiIdentitiesConfig): Record<string, string> {
    return { ...config.tags, project: "iam", component: "ci-identities", "pulumi-stack": config.stack, "managed-by": "pulumi" };
}

/** Creates the identities for a validated config; returns the stack outputs. */
export function deployCiIdentities(config: CiIdentitiesConfig) {
    const provider = new aws.Provider("aws", {
        region: config.region,
        // Credentials for another account fail before anything is created.
        allowedAccountIds: [config.account],
        defaultTags: { tags: ciIdentitiesTags(config) },
    });
    const roles = planRoles(config);
    const identities = new CiIdentities(`iam-ci-${config.stack}`, { roles, createOidcProvider: config.github.oidcProviderArn === undefined }, { providers: { aws: provider } });
    const arnOf = (kind: string): Record<string, pulumi.Output<string>> =>
        Object.fromEntries(roles.filter((r) => r.kind === kind).map((r) => [r.key.replace(`${kind}-`, ""), identities.roleArns[r.key]]));
    return {
        account: config.account,
        /** The OIDC provider every role trusts. */
        oidcProviderArn: identities.oidcProvider ? identities.oidcProvider.arn : pulumi.output(oidcProviderArn(config)),
        /** Deploy role ARN by environment stack. */
        deployRoleArns: arnOf("deploy"),
        /** Preview role ARN by environment stack: each goes into that stack file's cluster.viewPrincipals. */
        previewRoleArns: arnOf("preview"),
        imagePushRoleArn: roles.some((r) => r.kind === "push") ? identities.roleArns["image-push"] : undefined,
        catalogReadRoleArn: roles.some((r) => r.kind === "catalog") ? identities.roleArns["catalog-read"] : undefined,
        /** The backend and secrets provider of the stacks in this account. */
        backendUrl: backendUrl(config),
        secretsProvider: secretsProvider(config),
        /** What to set as repository variables (`gh variable set <name> --body <value>`). */
        githubVariables: githubVariables(config),
    };
}

export type CiIdentitiesOutputs = ReturnType<typeof deployCiIdentities>;

/** The running stack's config (`iam-ci-identities:*`, `aws:region`). */
export function readCiIdentitiesRawConfig(): RawCiIdentitiesConfig {
    const values: Record<string, unknown> = {};
    const prefix = `${CI_IDENTITIES_NAMESPACE}:`;
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            values[key.slice(prefix.length)] = parseText(text);
        }
    }
    return { stack: pulumi.getStack(), region: pulumi.runtime.getConfig("aws:region"), values };
}

/** The validated config of the running stack; throws ConfigValidationError listing every problem. */
export function loadCiIdentitiesConfig(): CiIdentitiesConfig {
    return parseCiIdentitiesConfig(readCiIdentitiesRawConfig());
}

/** Warns (pulumi preview/up diagnostics) about example values left in the stack file. */
export function logCiIdentitiesWarnings(config: CiIdentitiesConfig): void {
    for (const warning of ciIdentitiesWarnings(config)) {
        void pulumi.log.warn(warning);
    }
}

function parseText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

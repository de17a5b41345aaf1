/**
 * The roles a CI identities stack creates, planned from its config, pure:
 * name, trust, permissions and the GitHub repository variable that carries
 * each role's ARN to the workflows. The CiIdentities component maps each
 * planned role one-to-one onto an IAM role and its inline policy.
 */
import { partitionOf } from "../registry/registryPolicy";
import { CiIdentitiesConfig } from "./ciIdentitiesSchema";
import { catalogPolicy, deployPolicy, githubTrust, PolicyContext, PolicyDocument, previewPolicy, pushPolicy, subjects, TrustDocument, GITHUB_OIDC_HOST } from "./ciPolicies";

/** Every CI role's name starts with this; the deploy roles may not touch roles named so. */
export const CI_ROLE_PREFIX = "ci-iam-";

/** The branch the images and catalog workflows run from (their `workflow_dispatch`/`schedule` ref). */
export const DEFAULT_BRANCH = "main";

export type RoleKind = "deploy" | "preview" | "push" | "catalog";

/**
 * The longest session a deploy role gives, in seconds (IAM's default is
 * 3600; the maximum 43200): the deploy workflow asks for up to this much
 * (`role-duration-seconds` in deploy.yml: a first `pulumi up` with its verify,
 * the staging soak), and STS refuses a request beyond the role's maximum.
 */
export const DEPLOY_SESSION_SECONDS = 14400;

export interface PlannedRole {
    /** Stable key: the component's child names derive from it (`<component>-<key>`); never rename. */
    key: string;
    kind: RoleKind;
    /** The IAM role's name (fixed: the stack files name the preview role in cluster.viewPrincipals). */
    roleName: string;
    description: string;
    trust: TrustDocument;
    policy: PolicyDocument;
    /** The repository variable the workflows read the role's ARN from. */
    variable: string;
    /** The role's maximum session, in seconds, when longer than IAM's default hour. */
    maxSessionDuration?: number;
}

/** The ARN of the account's IAM OIDC provider for GitHub: the configured one, or the one this project creates (its ARN is fixed by the URL). */
export function oidcProviderArn(config: Pick<CiIdentitiesConfig, "account" | "region" | "github">): string {
    return config.github.oidcProviderArn ?? `arn:${partitionOf(config.region)}:iam::${config.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** A role's ARN from its name. */
export function roleArn(config: Pick<CiIdentitiesConfig, "account" | "region">, roleName: string): string {
    return `arn:${partitionOf(config.region)}:iam::${config.account}:role/${roleName}`;
}

/** The variable-name part of a stack name: `prod` -> `PROD`, `eu-prod` -> `EU_PROD`. */
export function variableStack(stack: string): string {
    return stack.toUpperCase().replace(/-/g, "_");
}

/** Every role of the stack, in a stable order: per environment deploy then preview, then push, then catalog. */
export function planRoles(config: CiIdentitiesConfig): PlannedRole[] {
    const repository = config.github.repository;
    const provider = oidcProviderArn(config);
    const ctx: PolicyContext = {
        account: config.account,
        region: config.region,
        stateBucket: config.stateBackend.bucket,
        stateKeyAlias: config.stateBackend.keyAlias,
        registry: config.registry,
    };
    const roles: PlannedRole[] = config.environments.flatMap((env) => [
        {
            key: `deploy-${env.stack}`,
            kind: "deploy" as const,
            roleName: `${CI_ROLE_PREFIX}deploy-${env.stack}`,
            description: `pulumi up of stack ${env.stack} from the deploy workflow (GitHub environment ${env.githubEnvironment} of ${repository})`,
            trust: githubTrust(provider, [subjects.environment(repository, env.githubEnvironment)]),
            policy: deployPolicy(ctx, env.clusterName ?? `iam-${env.stack}`, `${CI_ROLE_PREFIX}*`),
            variable: `AWS_${variableStack(env.stack)}_DEPLOY_ROLE_ARN`,
            maxSessionDuration: DEPLOY_SESSION_SECONDS,
        },
        {
            key: `preview-${env.stack}`,
            kind: "preview" as const,
            roleName: `${CI_ROLE_PREFIX}preview-${env.stack}`,
            description: `pulumi preview of stack ${env.stack} on pull requests of ${repository}: read-only`,
            trust: githubTrust(provider, [subjects.pullRequest(repository)]),
            policy: previewPolicy(ctx),
            variable: `AWS_${variableStack(env.stack)}_PREVIEW_ROLE_ARN`,
        },
    ]);
    if (config.registry.account === config.account) {
        roles.push({
            key: "image-push",
            kind: "push",
            roleName: `${CI_ROLE_PREFIX}image-push`,
            description: `docker push of the IAM images to the registry from the images workflow of ${repository} (${DEFAULT_BRANCH} or a tag)`,
            trust: githubTrust(provider, [], [subjects.branch(repository, DEFAULT_BRANCH), subjects.tags(repository)]),
            policy: pushPolicy(ctx),
            variable: "AWS_REGISTRY_PUSH_ROLE_ARN",
        });
    }
    if (config.catalogCheck) {
        roles.push({
            key: "catalog-read",
            kind: "catalog",
            roleName: `${CI_ROLE_PREFIX}catalog-read`,
            description: `the weekly catalog check of ${repository} (${DEFAULT_BRANCH}): EKS version look-ups`,
            trust: githubTrust(provider, [subjects.branch(repository, DEFAULT_BRANCH)]),
            policy: catalogPolicy(),
            variable: "AWS_CATALOG_READ_ROLE_ARN",
        });
    }
    return roles;
}

/** The state backend URL of the stacks in this account (`pulumi login <url>`). */
export function backendUrl(config: Pick<CiIdentitiesConfig, "stateBackend" | "region">): string {
    return `s3://${config.stateBackend.bucket}?region=${config.region}`;
}

/** The secrets provider of every stack in this account (`pulumi stack init --secrets-provider <it>`). */
export function secretsProvider(config: Pick<CiIdentitiesConfig, "stateBackend" | "region">): string {
    return `awskms://${config.stateBackend.keyAlias}?region=${config.region}`;
}

/**
 * The repository variables this account's stack provides (`gh variable set
 * <name> --body <value>`): each role's ARN, each environment's backend URL,
 * and the region.
 */
export function githubVariables(config: CiIdentitiesConfig): Record<string, string> {
    const variables: Record<string, string> = { AWS_REGION: config.region };
    for (const env of config.environments) {
        variables[`PULUMI_${variableStack(env.stack)}_BACKEND_URL`] = backendUrl(config);
    }
    for (const role of planRoles(config)) {
        variables[role.variable] = roleArn(config, role.roleName);
    }
    return Object.fromEntries(Object.entries(variables).sort(([a], [b]) => a.localeCompare(b)));
}

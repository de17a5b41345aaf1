/**
 * The CI identities project's config (`ci-identities/Pulumi.<stack>.yaml`,
 * keys `iam-ci-identities:*`), declared once: one stack per AWS account.
 * Pure: no Pulumi.
 */
import { z } from "zod";
import { accountId, repositoryName } from "../registry/registryProjectSchema";

/** The config keys of the CI identities project (the namespace is the project name). */
export const CI_IDENTITIES_NAMESPACE = "iam-ci-identities";

/** The secrets provider every stack of every project uses (docs/operations/bootstrap.md): the alias resolves in the account of the credentials. */
export const DEFAULT_STATE_KEY_ALIAS = "alias/pulumi-iam";

/** GitHub's `owner/name`: owner 1-39 letters, digits or '-', name letters, digits, '.', '_' or '-'. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** An S3 bucket name (general purpose: 3-63 lowercase letters, digits, '.', '-'). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const STACK_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,254}$/;

const environmentSchema = z.strictObject({
    stack: z.string().regex(STACK_NAME, { error: "must be an environment stack name like prod (Pulumi.<stack>.yaml at the repository root)" }).meta({
        description: "The environment stack (Pulumi.<stack>.yaml at the repository root) whose deploy and preview roles live in this account.",
    }),
    githubEnvironment: z.string().regex(GITHUB_ENVIRONMENT, { error: "must be a GitHub environment name" }).meta({
        description:
            "The GitHub environment the deploy job of this stack runs in (deploy.yml: `environment:`); the deploy role trusts only tokens of that environment (`repo:<owner>/<name>:environment:<name>`).",
    }),
    clusterName: z
        .string()
        .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, { error: "must be an EKS cluster name" })
        .optional()
        .meta({ description: "The stack's EKS cluster name (iam:cluster.name); default iam-<stack>. The deploy role's EKS rights are scoped to it." }),
});

export const ciIdentitiesSchema = z
    .strictObject({
        account: accountId.meta({
            description:
                "The account these identities live in. The AWS provider refuses any other (allowedAccountIds): credentials for the wrong account fail before anything is created.",
        }),
        github: z
            .strictObject({
                repository: z.string().regex(GITHUB_REPOSITORY, { error: "must be the GitHub repository as owner/name, like acme/iam-infra" }).meta({
                    description: "This repository, as owner/name: every role trusts only tokens whose `sub` starts with repo:<owner>/<name>:.",
                }),
                oidcProviderArn: z.string().regex(OIDC_PROVIDER_ARN, { error: "must be the ARN of an IAM OIDC provider for token.actions.githubusercontent.com" }).optional().meta({
                    description:
                        "An existing IAM OIDC provider for token.actions.githubusercontent.com in this account (there can be only one per URL): reused instead of created. Default: the project creates it.",
                }),
            })
            .meta({ description: "The GitHub repository whose workflows assume these roles, and the account's OIDC provider." }),
        stateBackend: z
            .strictObject({
                bucket: z.string().regex(BUCKET, { error: "must be an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')" }).meta({
                    description:
                        "This account's Pulumi state bucket (docs/operations/bootstrap.md): the deploy role reads and writes it, the preview role reads it and writes only its lock files.",
                }),
                keyAlias: z
                    .string()
                    .regex(/^alias\/[A-Za-z0-9/_-]{1,250}$/, { error: "must be a KMS alias like alias/pulumi-iam" })
                    .default(DEFAULT_STATE_KEY_ALIAS)
                    .meta({ description: "The KMS key of the stacks' secrets provider (awskms://<alias>?region=<region>); default alias/pulumi-iam." }),
            })
            .meta({ description: "The S3 state backend and KMS secrets provider of the stacks in this account." }),
        registry: z
            .strictObject({
                account: accountId.meta({ description: "The registry project's account (registry/Pulumi.shared.yaml iam-registry:account)." }),
                region: z
                    .string()
                    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS region like eu-west-1" })
                    .meta({ description: "The registry's region." }),
                repositories: z.array(repositoryName).min(1).meta({
                    description:
                        "The registry's repositories (iam-registry:repositories): what the preview and deploy roles may look images up in, and what the push role may push to.",
                }),
            })
            .meta({
                description:
                    "The registry the environments deploy from. The preview and deploy roles may describe its images; when it is in this account, the project also creates the image push role.",
            }),
        environments: z
            .array(environmentSchema)
            .default([])
            .refine((list) => new Set(list.map((e) => e.stack)).size === list.length, { error: "must not list a stack twice" })
            .meta({ description: "The environment stacks whose AWS resources live in this account: a deploy and a preview role each." }),
        catalogCheck: z.boolean().default(false).meta({
            description: "Create the weekly catalog check's read-only role here (one account of the organisation is enough: its calls are not tied to a cluster).",
        }),
        tags: z
            .record(z.string().regex(/^(?!aws:)[\w .:/=+\-@]{1,128}$/, { error: "must be 1-128 characters, not starting with aws:" }), z.string().max(256))
            .default({})
            .meta({ description: "Tags on every role and the OIDC provider (provider default tags), merged with project=iam, component=ci-identities and the stack's name." }),
    })
    .superRefine((config, ctx) => {
        if (config.environments.length === 0 && config.registry.account !== config.account && !config.catalogCheck) {
            ctx.addIssue({
                code: "custom",
                path: ["environments"],
                message: "is empty, the registry is in another account and catalogCheck is off: this stack would create no role",
            });
        }
    });

/** The CI identities project's config as parsed (defaults filled in), with the stack's region and name. */
export type CiIdentitiesConfig = z.infer<typeof ciIdentitiesSchema> & { region: string; stack: string };
export type CiEnvironment = CiIdentitiesConfig["environments"][number];

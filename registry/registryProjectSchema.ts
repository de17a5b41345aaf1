/**
 * The registry project's config (`registry/Pulumi.<stack>.yaml`, keys
 * `iam-registry:*`), declared once. Pure: no Pulumi.
 */
import { z } from "zod";

/** Image lifecycle defaults of the registry project. */
export const REGISTRY_DEFAULTS = {
    untaggedImageExpiryDays: 7,
    keepTaggedImages: 30,
} as const;

/**
 * A 12-digit AWS account id. Pulumi hands a top-level config value over as
 * text, and the reader parses JSON, so `"123456789012"` arrives as a number:
 * it is taken back as its digits (an id with a leading zero is not valid
 * JSON and stays text).
 */
export const accountId = z.preprocess(
    (value) => (typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value),
    z
        .string({ error: 'must be a 12-digit AWS account id in quotes, like "123456789012"' })
        .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id in quotes, like "123456789012" (aws sts get-caller-identity)' }),
);

/** An ECR repository name (lowercase, `/`, `.`, `_`, `-` separators). */
export const repositoryName = z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, {
    error: "must be an ECR repository name: lowercase letters and digits, separated by '.', '_', '-' or '/'",
});

/** The config keys of the registry project (the namespace is the project name). */
export const REGISTRY_PROJECT_NAMESPACE = "iam-registry";

export const registryProjectSchema = z.strictObject({
    account: accountId.meta({
        description:
            "The account the repositories live in. The AWS provider refuses any other (allowedAccountIds), so credentials for the wrong account fail before anything is created; environment stacks name the same account in iam:registry.account.",
    }),
    repositories: z
        .array(repositoryName)
        .min(1, { error: "must list at least one repository: one per service of the environment stacks' catalog" })
        .refine((names) => new Set(names).size === names.length, { error: "must not list a repository twice" })
        .meta({
            description:
                "One ECR repository per service (iam-apiserver, ...), no repeats; every environment's services[].image.repository must be among them. Removing a name leaves the repository and its images in AWS when protect is on: Pulumi refuses to delete it.",
        }),
    pullAccounts: z.array(accountId).default([]).meta({
        description:
            "The environment accounts (prod, staging) whose nodes pull and whose stacks look images up. The registry's own account needs no entry; an empty list creates no repository policy.",
    }),
    untaggedImageExpiryDays: z.int({ error: "must be a whole number of days" }).min(1).max(365).default(REGISTRY_DEFAULTS.untaggedImageExpiryDays).meta({
        description: "Untagged images (superseded pushes, failed builds) expire this many days after their push.",
    }),
    keepTaggedImages: z
        .int({ error: "must be a whole number" })
        .min(5, { error: "must be at least 5, so prod's rollback target survives" })
        .max(1000)
        .default(REGISTRY_DEFAULTS.keepTaggedImages)
        .meta({
            description:
                "How many tagged images each repository keeps; older ones expire. Every environment shares them: keep more than the releases between prod's oldest rollback target and now.",
        }),
    tags: z
        .record(z.string().regex(/^(?!aws:)[\w .:/=+\-@]{1,128}$/, { error: "must be 1-128 characters, not starting with aws:" }), z.string().max(256))
        .default({})
        .meta({
            description: "Tags every repository carries (provider default tags), keys not starting with aws:; merged with project=iam, component=registry and the stack's name.",
        }),
    protect: z.boolean().default(true).meta({
        description: "Protect the repositories (Pulumi refuses to delete or replace them) and keep them non-empty-safe (no force delete). Only a throw-away registry turns it off.",
    }),
});

/** The registry project's config as parsed (defaults filled in). */
export type RegistryProjectConfig = z.infer<typeof registryProjectSchema> & { region: string };

/**
 * `iam:registry` in an environment stack: which registry its images come
 * from. Declared once; pure (no Pulumi).
 *
 * The registry is named by account and region, not by a StackReference to
 * the registry project: the environment stack then needs no read access to
 * the registry stack's state (another project, perhaps another backend or
 * passphrase), a preview works with nothing but ECR read access, and the
 * image look-up before the deploy (registry/imageCheck.ts) already proves the
 * repositories exist. The repository URLs derive from the two values.
 */
import { z } from "zod";
import { accountId } from "./registryProjectSchema";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const environmentRegistrySchema = z.strictObject(
    {
        account: accountId.meta({
            description:
                "The account of the registry project's stack (its `registryId` output): 12 digits, in quotes. The environment's account must be in the registry's pullAccounts unless it is the same account.",
        }),
        region: z
            .string({ error: "must be an AWS region like eu-west-1" })
            .regex(REGION, { error: "must be an AWS region like eu-west-1 (the registry stack's `region` output)" })
            .meta({
                description: "The region of the registry. Pulls from another region cross a regional boundary (latency, inter-region transfer cost) but work.",
            }),
    },
    { error: "must be { account, region } naming the registry project's stack (docs/registry.md)" },
);

/** Keys `iam:registry` had before the registry project owned the repositories. */
export const MOVED_REGISTRY_KEYS = ["untaggedImageExpiryDays", "keepTaggedImages"] as const;

/** The registry an environment deploys from (`iam:registry`). */
export type EnvironmentRegistry = z.infer<typeof environmentRegistrySchema>;

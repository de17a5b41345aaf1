/**
 * `iam:registry` of an environment stack: the registry project's stack its
 * images come from (registry/environmentRegistrySchema.ts), and the registry
 * project's defaults. The lifecycle keys it held before the registry project
 * owned the repositories are still recognised, so a stack file that keeps
 * them is told where they went instead of "not a known key". The registry
 * project's own config is registry/registryProjectSchema.ts.
 */
import { z } from "zod";
import { environmentRegistrySchema, MOVED_REGISTRY_KEYS } from "./environmentRegistrySchema";

const moved = z
    .never({ error: "moved to the registry project: set it in registry/Pulumi.<stack>.yaml (docs/registry.md) and remove it here" })
    .optional()
    .meta({ description: "Moved to the registry project (registry/Pulumi.<stack>.yaml): remove it here." });

export const registrySchema = environmentRegistrySchema
    .extend(Object.fromEntries(MOVED_REGISTRY_KEYS.map((key) => [key, moved])) as Record<(typeof MOVED_REGISTRY_KEYS)[number], typeof moved>)
    .transform(({ account, region }) => ({ account, region }))
    .meta({ description: "The registry project's stack the images come from: its account (registryId output) and region; image URIs derive from them." });

/** The registry an environment deploys from (`iam:registry`). */
export type RegistryConfig = z.output<typeof registrySchema>;

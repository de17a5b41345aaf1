import { ConfigIssues } from "../lib/reader";
import { readSection } from "../lib/zodSection";
import { EnvironmentRegistry, environmentRegistrySchema, MOVED_REGISTRY_KEYS } from "./environmentRegistrySchema";

export type { EnvironmentRegistry } from "./environmentRegistrySchema";
/** `iam:registry` of an environment stack: the registry it deploys images from. */
export type RegistryConfig = EnvironmentRegistry;

/**
 * Reads `iam:registry` (required): the registry project's account and region.
 * The lifecycle settings it held before are the registry project's now; a
 * stack file that still has them is told where they went.
 */
export function readRegistry(value: unknown, path: string, issues: ConfigIssues): RegistryConfig {
    if (typeof value === "object" && value !== null) {
        for (const key of MOVED_REGISTRY_KEYS) {
            if (key in value) {
                issues.add(`${path}.${key}`, "moved to the registry project: set it in registry/Pulumi.<stack>.yaml (docs/registry.md) and remove it here");
            }
        }
        const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !(MOVED_REGISTRY_KEYS as readonly string[]).includes(key)));
        return readSection(rest, path, issues, environmentRegistrySchema) ?? { account: "", region: "" };
    }
    return readSection(value, path, issues, environmentRegistrySchema) ?? { account: "", region: "" };
}

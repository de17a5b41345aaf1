import { REGISTRY_DEFAULTS } from "../lib/defaults";
import { Fields } from "../lib/reader";

export interface RegistryConfig {
    /** Untagged images (superseded pushes, failed builds) expire after this many days. Default 7. */
    untaggedImageExpiryDays: number;
    /** How many tagged images each repository keeps; older ones expire. Default 30; at least 5, so a rollback target survives. */
    keepTaggedImages: number;
}

export const REGISTRY_KEYS = ["untaggedImageExpiryDays", "keepTaggedImages"] as const;

export function readRegistry(f: Fields): RegistryConfig {
    return {
        untaggedImageExpiryDays: f.int("untaggedImageExpiryDays", { default: REGISTRY_DEFAULTS.untaggedImageExpiryDays, min: 1, max: 365 }),
        keepTaggedImages: f.int("keepTaggedImages", { default: REGISTRY_DEFAULTS.keepTaggedImages, min: 5, max: 1000 }),
    };
}

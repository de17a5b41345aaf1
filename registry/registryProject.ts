/**
 * The registry project's body (`registry/main.ts` is its entry point): an
 * AWS provider that only works in the registry's account, and the Registry
 * component with the repositories every environment deploys from. The
 * component and its children keep the names they had in the environment
 * stacks (`iam-registry`, `iam-registry-<repository>`), and the provider is
 * named `aws` as there, so resources brought over with `pulumi state move`
 * match what this program declares (docs/registry.md).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Registry } from "./registry";
import { repositoryPullPolicy } from "./registryPolicy";
import { RegistryProjectConfig, REGISTRY_PROJECT_NAMESPACE } from "./registryProjectSchema";
import { ParsedRegistryConfig, parseRegistryConfig, RawRegistryConfig } from "./registryProjectConfig";

/** The tags every repository carries: the configured ones, then the project's own (one merge, here). */
export function registryTags(config: RegistryProjectConfig & { stack: string }): Record<string, string> {
    return { ...config.tags, project: "iam", component: "registry", "pulumi-stack": config.stack, "managed-by": "pulumi" };
}

/** Creates the registry for a validated config; returns the stack outputs. */
export function deployRegistry(config: RegistryProjectConfig & { stack: string }) {
    const provider = new aws.Provider("aws", {
        region: config.region,
        // Credentials for another account fail before anything is created.
        allowedAccountIds: [config.account],
        defaultTags: { tags: registryTags(config) },
    });
    const registry = new Registry(
        "iam-registry",
        {
            repositories: config.repositories,
            untaggedImageExpiryDays: config.untaggedImageExpiryDays,
            keepTaggedImages: config.keepTaggedImages,
            pullPolicy: repositoryPullPolicy(config.pullAccounts, config.account, config.region),
            protect: config.protect,
        },
        { providers: { aws: provider } },
    );
    return {
        /** What environment stacks set as `iam:registry.account`. */
        registryId: config.account,
        /** What environment stacks set as `iam:registry.region`. */
        region: config.region,
        repositoryUrls: registry.repositoryUrls,
        pullAccounts: config.pullAccounts,
    };
}

export type RegistryOutputs = ReturnType<typeof deployRegistry>;

/** The running registry stack's config (`iam-registry:*`, `aws:region`). */
export function readRegistryRawConfig(): RawRegistryConfig {
    const values: Record<string, unknown> = {};
    const prefix = `${REGISTRY_PROJECT_NAMESPACE}:`;
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            values[key.slice(prefix.length)] = parseText(text);
        }
    }
    return { stack: pulumi.getStack(), region: pulumi.runtime.getConfig("aws:region"), values };
}

/**
 * The validated config of the running registry stack; throws
 * ConfigValidationError listing every problem. Its warnings (example values
 * left in the file) are logged with `pulumi.log.warn`, so every preview shows them.
 */
export function loadRegistryConfig(warn: (message: string) => void = (m) => pulumi.log.warn(m)): ParsedRegistryConfig {
    const config = parseRegistryConfig(readRegistryRawConfig());
    for (const warning of config.warnings) {
        warn(`config: ${warning}`);
    }
    return config;
}

function parseText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

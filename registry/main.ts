/**
 * Entry point of the registry project (`registry/Pulumi.yaml`): `pulumi -C
 * registry preview|up`. Validates the config, then creates the repositories.
 * Not imported by the environment program.
 */
import { deployRegistry, loadRegistryConfig } from "./registryProject";

const outputs = deployRegistry(loadRegistryConfig());

export const registryId = outputs.registryId;
export const region = outputs.region;
export const repositoryUrls = outputs.repositoryUrls;
export const pullAccounts = outputs.pullAccounts;

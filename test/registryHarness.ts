/**
 * The registry project's offline runner for tests: it moved to
 * offline/registryRun.ts (product code: `npm run render -- registry` and
 * `npm run images` use it); re-exported here so tests import it as before.
 */
export { REGISTRY_DIR, readRegistryStackFile, registryStackFile, registryStacks, runRegistryStack } from "../offline/registryRun";
export type { RegistryRun } from "../offline/registryRun";

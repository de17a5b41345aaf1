/**
 * Runs the registry project (registry/) for one of its stack files,
 * `registry/Pulumi.<stack>.yaml`, under Pulumi mocks, the way offline/run.ts
 * runs the environment program: every registration recorded, no Pulumi CLI,
 * no AWS. Used by `npm run render -- registry`, `npm run images` and registry/registryProject.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { REGISTRY_PROJECT_NAMESPACE } from "../registry/registryProjectSchema";
import { runUnderMocks, serialised } from "./mockRun";
import type { ResolvedOutput, ResourceRecord } from "./records";
import { projectStackConfig, REPO_ROOT } from "./stackFile";

/** The registry project's folder. */
export const REGISTRY_DIR = path.join(REPO_ROOT, "registry");

/** The registry project's stack file. */
export function registryStackFile(stack: string): string {
    return path.join(process.env.IAM_REGISTRY_STACK_DIR ?? REGISTRY_DIR, `Pulumi.${stack}.yaml`);
}

/** The registry project's stack names, from its stack files. */
export function registryStacks(): string[] {
    return fs
        .readdirSync(REGISTRY_DIR)
        .flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
        .sort();
}

export interface RegistryRun {
    stack: string;
    preview: boolean;
    resources: ResourceRecord[];
    outputs: Record<string, ResolvedOutput>;
    /** The config's warnings (example values left in the file), as `pulumi preview` logs them. */
    warnings: readonly string[];
}

/** Reads a registry stack file into Pulumi's runtime config form (`ns:key` -> text); `edit` changes the parsed `iam-registry:*` values first. */
export function readRegistryStackFile(stack: string, edit?: (values: Record<string, unknown>) => void): Record<string, string> {
    const file = registryStackFile(stack);
    if (!fs.existsSync(file)) {
        throw new Error(`no registry stack file ${file}`);
    }
    return projectStackConfig(file, REGISTRY_PROJECT_NAMESPACE, edit);
}

/** Runs the registry project for a stack file under mocks (serialised with the environment runs). */
export function runRegistryStack(stack: string, options: { preview?: boolean; edit?: (values: Record<string, unknown>) => void } = {}): Promise<RegistryRun> {
    const preview = options.preview ?? false;
    return serialised(async () => {
        const config = readRegistryStackFile(stack, options.edit);
        let warnings: readonly string[] = [];
        const { resources, outputs } = await runUnderMocks({ project: REGISTRY_PROJECT_NAMESPACE, stack, preview, config, secretKeys: [] }, async () => {
            const { deployRegistry, loadRegistryConfig } = await import("../registry/registryProject");
            const parsed = loadRegistryConfig(() => undefined);
            warnings = parsed.warnings;
            return deployRegistry(parsed);
        });
        return { stack, preview, resources, outputs, warnings };
    });
}

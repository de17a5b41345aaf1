/**
 * Runs the CI identities project (ci-identities/) for one of its stack files,
 * `ci-identities/Pulumi.<stack>.yaml`, under Pulumi mocks, the way
 * offline/registryRun.ts runs the registry project: every registration
 * recorded, no Pulumi CLI, no AWS. Used by ci-identities/*.test.ts and
 * `npm run render -- ci-identities/<stack>`.
 */
import * as fs from "fs";
import * as path from "path";
import { CI_IDENTITIES_NAMESPACE, CiIdentitiesConfig } from "../ci-identities/ciIdentitiesSchema";
import { parseCiIdentitiesConfig } from "../ci-identities/ciIdentitiesConfig";
import { runUnderMocks, serialised } from "./mockRun";
import type { ResolvedOutput, ResourceRecord } from "./records";
import { parseText, projectStackConfig, REPO_ROOT, StackFileError } from "./stackFile";

/** The CI identities project's folder. */
export const CI_IDENTITIES_DIR = path.join(REPO_ROOT, "ci-identities");

/** The project's stack file: in ci-identities/, unless IAM_CI_IDENTITIES_STACK_DIR says otherwise (scripts/swapExampleValues.test.ts). */
export function ciIdentitiesStackFile(stack: string): string {
    return path.join(process.env.IAM_CI_IDENTITIES_STACK_DIR ?? CI_IDENTITIES_DIR, `Pulumi.${stack}.yaml`);
}

/** The project's stack names (one per account), from its stack files. */
export function ciIdentitiesStacks(): string[] {
    return fs
        .readdirSync(CI_IDENTITIES_DIR)
        .flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
        .sort();
}

export interface CiIdentitiesRun {
    stack: string;
    preview: boolean;
    resources: ResourceRecord[];
    outputs: Record<string, ResolvedOutput>;
}

/** Reads a stack file into Pulumi's runtime config form (`ns:key` -> text); `edit` changes the parsed `iam-ci-identities:*` values first. */
export function readCiIdentitiesStackFile(stack: string, edit?: (values: Record<string, unknown>) => void): Record<string, string> {
    const file = ciIdentitiesStackFile(stack);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no CI identities stack file ${file}`);
    }
    return projectStackConfig(file, CI_IDENTITIES_NAMESPACE, edit);
}

/** A stack file's validated config, without running the program (pure). */
export function ciIdentitiesConfig(stack: string, edit?: (values: Record<string, unknown>) => void): CiIdentitiesConfig {
    const config = readCiIdentitiesStackFile(stack, edit);
    const prefix = `${CI_IDENTITIES_NAMESPACE}:`;
    const values = Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), parseText(v)]),
    );
    return parseCiIdentitiesConfig({ stack, region: config["aws:region"], values });
}

/** Runs the project for a stack file under mocks (serialised with the other runs). */
export function runCiIdentitiesStack(stack: string, options: { preview?: boolean; edit?: (values: Record<string, unknown>) => void } = {}): Promise<CiIdentitiesRun> {
    const preview = options.preview ?? false;
    return serialised(async () => {
        const config = readCiIdentitiesStackFile(stack, options.edit);
        const { resources, outputs } = await runUnderMocks({ project: CI_IDENTITIES_NAMESPACE, stack, preview, config, secretKeys: [] }, async () => {
            const { deployCiIdentities, loadCiIdentitiesConfig } = await import("../ci-identities/ciIdentitiesProject");
            return deployCiIdentities(loadCiIdentitiesConfig());
        });
        return { stack, preview, resources, outputs };
    });
}

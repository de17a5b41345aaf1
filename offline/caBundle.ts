/**
 * The RDS CA bundle of an offline run. The program fetches AWS's bundle at
 * deploy time (data/caBundle.ts); offline there is no internet, so the run
 * reads a file: the operator's `IAM_RDS_CA_BUNDLE_FILE` when set (AWS's bundle,
 * downloaded), else offline/standInCaBundle.pem, a stand-in made for this
 * repository in the shape the program checks, which says in its subjects and
 * header that it is not AWS's. The render says which one it used. Pure.
 */
import * as path from "path";
import { CA_BUNDLE_FILE_ENV } from "../data/caBundle";

/** The stand-in bundle (not AWS's): CAs for eu-west-1 and us-east-1, valid 2026-01-01 to 2126-01-01. */
export const STAND_IN_CA_BUNDLE_FILE = path.join(__dirname, "standInCaBundle.pem");

/** The bundle an offline run hands the program, and the line that tells the reader which it is. */
export interface OfflineCaBundle {
    file: string;
    /** True for the stand-in: the rendered `rds-ca-bundle` ConfigMap is then not AWS's bundle. */
    standIn: boolean;
    /** One line for the render's output. */
    description: string;
}

/** The operator's bundle (`IAM_RDS_CA_BUNDLE_FILE`) when set, else the stand-in. */
export function offlineCaBundle(env: Readonly<Record<string, string | undefined>> = process.env): OfflineCaBundle {
    const file = env[CA_BUNDLE_FILE_ENV];
    if (file) {
        return { file, standIn: false, description: `RDS CA bundle: ${CA_BUNDLE_FILE_ENV}=${file}` };
    }
    const shown = path.relative(process.cwd(), STAND_IN_CA_BUNDLE_FILE) || STAND_IN_CA_BUNDLE_FILE;
    return {
        file: STAND_IN_CA_BUNDLE_FILE,
        standIn: true,
        description: `RDS CA bundle: STAND-IN, not AWS's (${shown}); the rds-ca-bundle ConfigMap in manifests.yaml holds it. Set ${CA_BUNDLE_FILE_ENV} to a downloaded copy of AWS's bundle to render with the real one (docs/data.md)`,
    };
}

/**
 * Pure. The IAM application's contract at the pinned release: per binary the
 * image's entrypoint and CMD, the config path, the env prefix and every
 * option key it reads, as app/iamContract.<tag>.json records it. That file
 * is generated from the marmotedu/iam source by scripts/iamContract.ts
 * (never edited by hand); the config files this area renders are checked
 * against it, key by key.
 */
import contractJson from "./iamContract.v1.6.3.json";

export const IAM_BINARIES = ["iam-apiserver", "iam-authz-server", "iam-pump", "iam-watcher"] as const;
export type IamBinary = (typeof IAM_BINARIES)[number];

export interface BinaryContract {
    entrypoint: string[];
    cmd: string[];
    /** The file the image's CMD passes with `-c`. */
    configPath: string;
    /** viper's env prefix with its `_`: `IAM_APISERVER_` + the key upper-cased, `.` and `-` as `_` (pkg/app/config.go). */
    envPrefix: string;
    optionsPackage: string;
    /** Every option key, dotted; `*` stands for any map key (`pumps.*.type`). */
    keys: string[];
    /** Keys under which anything may follow (`pumps.*.meta.*`; the mongo pump's keys are listed in `keys`). */
    freeMaps: string[];
    /** Literal defaults the constructors set (`insecure.bind-address`: 127.0.0.1). */
    defaults: Record<string, string | number | boolean>;
}

export interface IamContract {
    source: { repository: string; tag: string; commit: string; tagDate: string; generatedBy: string };
    binaries: Record<IamBinary, BinaryContract>;
    /** pkg/db/mysql.go: the DSN format and whether it can ask for TLS. */
    mysqlDsn: { format: string; tls: boolean };
    /** internal/pump/pumps/mongo.go: `mongo_db_type` values by name. */
    mongoDbTypes: Record<string, number>;
    /** How `make image` names what it builds (scripts/make-rules/image.mk, common.mk). */
    images: { tag: string; platforms: string[]; registryPrefix: string; baseImage: string; names: string[] };
}

/** The contract of the release the stack runs. */
export const IAM_CONTRACT: IamContract = contractJson as IamContract;

export function isIamBinary(name: string): name is IamBinary {
    return (IAM_BINARIES as readonly string[]).includes(name);
}

export function binaryContract(binary: IamBinary): BinaryContract {
    return IAM_CONTRACT.binaries[binary];
}

/** Whether `key` (dotted, concrete: `pumps.mongo.type`) is one the binary reads. */
export function isOptionKey(binary: IamBinary, key: string): boolean {
    const parts = key.split(".");
    return binaryContract(binary).keys.some((known) => {
        const k = known.split(".");
        return k.length === parts.length && k.every((segment, i) => segment === "*" || segment === parts[i]);
    });
}

/** The dotted paths of the leaves of a config tree (an array is a leaf). */
export function leafKeys(tree: Readonly<Record<string, unknown>>, prefix = ""): string[] {
    return Object.entries(tree).flatMap(([key, value]) =>
        value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof TemplateValue)
            ? leafKeys(value as Record<string, unknown>, `${prefix}${key}.`)
            : [`${prefix}${key}`],
    );
}

/** The keys of `tree` the binary does not read. */
export function unknownKeys(binary: IamBinary, tree: Readonly<Record<string, unknown>>): string[] {
    return leafKeys(tree).filter((key) => !isOptionKey(binary, key));
}

/**
 * The option an environment variable sets, or undefined when the binary
 * reads no such variable: viper upper-cases the key and writes `.` and `-`
 * as `_` after the prefix (`IAM_APISERVER_LOG_LEVEL` is `log.level`). Map
 * keys (`pumps.*`) cannot be reached by env.
 */
export function envOption(binary: IamBinary, name: string): string | undefined {
    const { envPrefix, keys } = binaryContract(binary);
    if (!name.startsWith(envPrefix)) return undefined;
    const rest = name.slice(envPrefix.length);
    return keys.find((key) => !key.includes("*") && key.toUpperCase().replace(/[.-]/g, "_") === rest);
}

/**
 * A value the config file takes from a secret at sync time: an External
 * Secrets (template engine v2) Go-template expression over the
 * ExternalSecret's `data` keys, written into the YAML as it is (its result
 * must be a YAML scalar: every expression ends in `toJson`).
 */
export class TemplateValue {
    constructor(readonly expression: string) {}
}

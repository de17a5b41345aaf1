/**
 * Regenerates app/iamContract.<tag>.json, the IAM application's contract at
 * a release tag, from the marmotedu/iam source:
 *
 *   npx ts-node --swc scripts/iamContract.ts <git dir of marmotedu/iam> [tag]
 *   # e.g. scripts/iamContract.ts /work/.mirror/marmotedu+iam/repo v1.6.3
 *
 * It reads only with `git show <tag>:<path>` (a bare clone is enough). Per
 * binary: the image's ENTRYPOINT and CMD (build/docker/<name>/Dockerfile),
 * the config path CMD names, the env prefix (pkg/app/config.go, checked to
 * still set it as below), every option key (scripts/goOptionKeys.ts) with
 * the literal defaults, the mongo pump's `meta` keys; plus the MySQL DSN
 * (pkg/db/mysql.go) and how the Makefile names images
 * (scripts/make-rules/image.mk, common.mk). `buildContract` is pure: the test
 * feeds it fixtures.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { BinaryContract, IamContract } from "../app/iamContract";
import { GoSource, iotaEnum, optionKeys } from "./goOptionKeys";

/** The binaries, the package of each one's options and its options struct. */
export const BINARIES = {
    "iam-apiserver": "internal/apiserver/options",
    "iam-authz-server": "internal/authzserver/options",
    "iam-pump": "internal/pump/options",
    "iam-watcher": "internal/watcher/options",
} as const;
export type Binary = keyof typeof BINARIES;

/** Reads a path at the tag; undefined when it does not exist. */
export interface TagReader {
    read(file: string): string | undefined;
    list(dir: string): string[];
}

/** The env setup pkg/app/config.go must still have for `envPrefix` to be true. */
const ENV_SETUP = [
    "viper.AutomaticEnv()",
    'viper.SetEnvPrefix(strings.Replace(strings.ToUpper(basename), "-", "_", -1))',
    'viper.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))',
];

function required(reader: TagReader, file: string): string {
    const text = reader.read(file);
    if (text === undefined) throw new Error(`${file} is missing at this tag`);
    return text;
}

function dockerArray(dockerfile: string, instruction: string, file: string): string[] {
    const m = new RegExp(`^${instruction}\\s+(\\[.*\\])\\s*$`, "m").exec(dockerfile);
    if (!m) throw new Error(`${file}: no ${instruction} in exec form`);
    return JSON.parse(m[1]) as string[];
}

function makeVariable(text: string, name: string, file: string): string {
    const m = new RegExp(`^${name}\\s*\\??=\\s*(.*)$`, "m").exec(text);
    if (!m) throw new Error(`${file}: no ${name}`);
    return m[1].trim();
}

/** The contract at one tag, from what `reader` returns. Pure. */
export function buildContract(reader: TagReader, meta: { tag: string; commit: string; tagDate: string }): IamContract {
    const source: GoSource = {
        files: (dir) =>
            reader
                .list(dir)
                .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
                .map((f) => ({ path: f, text: required(reader, f) })),
    };
    const appConfig = required(reader, "pkg/app/config.go");
    for (const line of ENV_SETUP) {
        if (!appConfig.includes(line)) throw new Error(`pkg/app/config.go no longer has ${line}: read how the env prefix is set now and update this script`);
    }

    const mongoFile = "internal/pump/pumps/mongo.go";
    const mongoKeys = optionKeys(source, "internal/pump/pumps", "MongoConf").keys;
    const binaries = {} as Record<Binary, BinaryContract>;
    for (const [binary, optionsPackage] of Object.entries(BINARIES) as [Binary, string][]) {
        const dockerfile = `build/docker/${binary}/Dockerfile`;
        const text = required(reader, dockerfile);
        const entrypoint = dockerArray(text, "ENTRYPOINT", dockerfile);
        const cmd = dockerArray(text, "CMD", dockerfile);
        const flag = cmd.findIndex((a) => a === "-c" || a === "--config");
        if (flag < 0 || flag + 1 >= cmd.length) throw new Error(`${dockerfile}: CMD names no config file (-c)`);
        const main = reader
            .list(`cmd/${binary}`)
            .map((f) => required(reader, f))
            .join("\n");
        const basename = /\.NewApp\("([^"]+)"\)/.exec(main)?.[1];
        if (!basename) throw new Error(`cmd/${binary}: no NewApp("<basename>")`);
        const keys = optionKeys(source, optionsPackage, "Options");
        const withMeta = keys.freeMaps.includes("pumps.*.meta.*") ? mongoKeys.map((k) => `pumps.*.meta.${k}`) : [];
        binaries[binary] = {
            entrypoint,
            cmd,
            configPath: cmd[flag + 1],
            envPrefix: `${basename.toUpperCase().replace(/-/g, "_")}_`,
            optionsPackage,
            keys: [...keys.keys, ...withMeta].sort(),
            freeMaps: keys.freeMaps,
            defaults: keys.defaults,
        };
    }

    const mysqlFile = "pkg/db/mysql.go";
    const format = /dsn := fmt\.Sprintf\(`([^`]+)`/.exec(required(reader, mysqlFile))?.[1];
    if (!format) throw new Error(`${mysqlFile}: no DSN format`);

    const imageMk = required(reader, "scripts/make-rules/image.mk");
    const commonMk = required(reader, "scripts/make-rules/common.mk");
    const tag = /--pull -t (\S+)/.exec(imageMk)?.[1];
    if (!tag) throw new Error("scripts/make-rules/image.mk: no `docker build -t` tag");
    const names = reader
        .list("build/docker")
        .map((d) => d.slice("build/docker/".length))
        .filter((d) => d !== "tools")
        .sort();

    return {
        source: { repository: "github.com/marmotedu/iam", ...meta, generatedBy: "scripts/iamContract.ts" },
        binaries,
        mysqlDsn: { format, tls: /[?&]tls=/.test(format) },
        mongoDbTypes: iotaEnum(required(reader, mongoFile), "MongoType"),
        images: {
            tag,
            platforms: makeVariable(commonMk, "PLATFORMS", "common.mk").split(/\s+/),
            registryPrefix: makeVariable(imageMk, "REGISTRY_PREFIX", "image.mk"),
            baseImage: makeVariable(imageMk, "BASE_IMAGE", "image.mk"),
            names,
        },
    };
}

/** A reader over a git directory at a tag (`git show`, `git ls-tree`). */
export function gitReader(gitDir: string, tag: string): TagReader {
    const git = (...args: string[]): string => execFileSync("git", [`--git-dir=${gitDir}`, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return {
        read: (file) => {
            try {
                return git("show", `${tag}:${file}`);
            } catch {
                return undefined;
            }
        },
        list: (dir) =>
            git("ls-tree", "--name-only", `${tag}:${dir}`)
                .split("\n")
                .filter((n) => n !== "")
                .map((n) => `${dir}/${n}`),
    };
}

/** Where the contract of a tag is committed. */
export function contractFile(tag: string): string {
    return path.resolve(__dirname, "..", "app", `iamContract.${tag}.json`);
}

if (require.main === module) {
    const [gitDir, tag = "v1.6.3"] = process.argv.slice(2);
    if (!gitDir) {
        process.stderr.write("usage: scripts/iamContract.ts <git dir of marmotedu/iam> [tag]\n");
        process.exit(2);
    }
    const commit = execFileSync("git", [`--git-dir=${gitDir}`, "rev-list", "-n", "1", tag], { encoding: "utf8" }).trim();
    const tagDate = execFileSync("git", [`--git-dir=${gitDir}`, "log", "-1", "--format=%cs", commit], { encoding: "utf8" }).trim();
    const contract = buildContract(gitReader(gitDir, tag), { tag, commit, tagDate });
    fs.writeFileSync(contractFile(tag), `${JSON.stringify(contract, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), contractFile(tag))}\n`);
}

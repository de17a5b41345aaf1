/**
 * Every command in scripts/ answers `--help` with its usage and exit 0,
 * writing no file; and the rough edges users met: `npm run instance-types --
 * --help` used to rewrite a file, `npm run images -- --help` exited 2,
 * `set-tag --stack prodd` printed a raw ENOENT and `set-tag latest` wrote
 * the file. In-process (each command's exported `main`), on copies of the
 * stack files where a command writes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../test/harness";
import { CliIo } from "./cli";

interface Ran {
    code: number;
    out: string;
    err: string;
}

async function run(main: (args: string[], io: CliIo) => number | Promise<number>, args: string[]): Promise<Ran> {
    let out = "";
    let err = "";
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
}

const COMMANDS: [string, () => Promise<(args: string[], io: CliIo) => number | Promise<number>>][] = [
    ["render", async () => (await import("./render")).render],
    ["images", async () => (await import("./images")).images],
    ["schema", async () => (await import("./schema")).main],
    ["instance-types", async () => (await import("./instanceTypes")).main],
    ["refreshPrices", async () => (await import("./refreshPrices")).main],
    ["checkCatalog", async () => (await import("./checkCatalog")).main],
    ["costDelta", async () => (await import("./costDelta")).main],
    ["releasedUrns", async () => (await import("./releasedUrns")).main],
    ["swapExampleValues", async () => (await import("./swapExampleValues")).main],
];

describe("--help on every command", () => {
    let writes: jest.SpyInstance;
    beforeEach(() => {
        writes = jest.spyOn(fs, "writeFileSync").mockImplementation(() => undefined);
    });
    afterEach(() => writes.mockRestore());

    it.each(COMMANDS)("%s --help prints its usage, exits 0 and writes nothing", async (_name, load) => {
        const main = await load();
        for (const args of [["--help"], ["-h"]]) {
            const ran = await run(main, args);
            expect(ran).toEqual({ code: 0, out: expect.stringMatching(/^usage:/), err: "" });
        }
        expect(writes).not.toHaveBeenCalled();
    });

    it("instance-types with an unknown command prints the usage, exits 2 and writes nothing", async () => {
        const { main } = await import("./instanceTypes");
        expect(await run(main, ["--dry-run"])).toEqual({ code: 2, out: "", err: expect.stringContaining("usage: npm run instance-types") });
        expect(writes).not.toHaveBeenCalled();
    });
});

describe("npm run images -- set-tag and promote", () => {
    let dir: string;
    const saved = process.env.IAM_STACK_DIR;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-images-"));
        for (const stack of ["prod", "staging"]) {
            fs.copyFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
        }
        process.env.IAM_STACK_DIR = dir;
    });
    afterEach(() => {
        if (saved === undefined) delete process.env.IAM_STACK_DIR;
        else process.env.IAM_STACK_DIR = saved;
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const text = (stack: string): string => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");

    it("an unknown --stack says so and lists the stacks (no raw ENOENT), exit 2", async () => {
        const { images } = await import("./images");
        const ran = await run(images, ["set-tag", "v1.9.0", "--stack", "prodd"]);
        expect(ran.code).toBe(2);
        expect(ran.err).toMatch(/^--stack prodd: no stack "prodd" \(there is no Pulumi\.prodd\.yaml\); stacks here: prod, staging\n/);
        expect(ran.err).not.toMatch(/ENOENT/);
        const promoted = await run(images, ["promote", "--to", "prd"]);
        expect(promoted.err).toMatch(/^--to prd: no stack "prd"/);
    });

    it.each(["latest", "LATEST", "stable", "main"])("refuses the moving tag %s and leaves the file as it was", async (tag) => {
        const { images } = await import("./images");
        const before = text("staging");
        const ran = await run(images, ["set-tag", tag, "--stack", "staging"]);
        expect(ran.code).toBe(1);
        expect(ran.err).toContain(`set-tag: "${tag}" is a moving tag`);
        expect(text("staging")).toBe(before);
    });

    it("writes a release tag into the named stack file only", async () => {
        const { images } = await import("./images");
        const prod = text("prod");
        const ran = await run(images, ["set-tag", "v1.9.0", "--stack", "staging"]);
        expect(ran.code).toBe(0);
        expect(text("staging")).toMatch(/image: \{ tag: v1\.9\.0 \}/);
        expect(text("prod")).toBe(prod);
    });

    it("a usage error (no command, no tag) prints the usage and exits 2", async () => {
        const { images } = await import("./images");
        expect(await run(images, [])).toEqual({ code: 2, out: "", err: expect.stringContaining("usage:") });
        expect(await run(images, ["set-tag"])).toEqual({ code: 2, out: "", err: expect.stringMatching(/^set-tag needs a tag\nusage:/) });
    });
});

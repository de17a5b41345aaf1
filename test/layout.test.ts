/**
 * The by-area layout (DESIGN.md part 2, STYLE.md §1): `lib/` holds pure
 * helpers and imports no area; an area never imports the composition root,
 * (stack.ts and stack/, each area's wiring), the offline runner (offline/),
 * the test harness or the scripts; value
 * imports between areas run one way, down the order below (types may cross,
 * as `import type`). Pure: no cloud SDK. `npm run lint` checks the same order
 * (and no import cycles, and no product code importing test/) with
 * dependency-cruiser: .dependency-cruiser.cjs.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
/** Lower first: an area may import values only from areas before it. */
export const AREA_ORDER = ["lib", "network", "registry", "cluster", "data", "app", "workloads", "edge", "guardrails", "verify", "ci-identities"] as const;
const ROOT_FILES = ["config.ts", "stackConfig.ts", "stack.ts", "index.ts"];
/** The rest of the composition root: each area's wiring (`deployStack` calls them in order). */
const ROOT_FOLDER = "stack";
const MAX_LINES = 400;

interface ImportEdge {
    file: string;
    target: string;
    typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.posix.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(rel);
        return e.name.endsWith(".ts") ? [rel] : [];
    });
}

/** A test file. Each area's `mocks.ts` is not one: the offline runner (offline/mocks.ts) uses it, so it keeps the rules. */
function isTestOnly(file: string): boolean {
    return file.endsWith(".test.ts");
}

function importsOf(file: string): ImportEdge[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
    const edges: ImportEdge[] = [];
    for (const statement of source.statements) {
        let spec: ts.Expression | undefined;
        let typeOnly = false;
        if (ts.isImportDeclaration(statement)) {
            spec = statement.moduleSpecifier;
            const clause = statement.importClause;
            typeOnly =
                clause !== undefined &&
                (clause.isTypeOnly ||
                    (clause.name === undefined &&
                        clause.namedBindings !== undefined &&
                        ts.isNamedImports(clause.namedBindings) &&
                        clause.namedBindings.elements.length > 0 &&
                        clause.namedBindings.elements.every((e) => e.isTypeOnly)));
        } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
            spec = statement.moduleSpecifier;
            typeOnly = statement.isTypeOnly;
        }
        if (spec && ts.isStringLiteral(spec) && spec.text.startsWith(".")) {
            const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec.text));
            edges.push({ file, target, typeOnly });
        }
    }
    return edges;
}

function areaOf(target: string): string {
    return target.split("/")[0];
}

const areaFiles = AREA_ORDER.flatMap((area) => sourceFiles(area));

describe("code by area: nothing imports upward", () => {
    it("finds every area folder with source in it", () => {
        for (const area of AREA_ORDER) {
            expect(areaFiles.some((f) => areaOf(f) === area)).toBe(true);
        }
    });

    it("lib/ imports no area, no root file and no test code", () => {
        const bad = areaFiles
            .filter((f) => areaOf(f) === "lib" && !isTestOnly(f))
            .flatMap(importsOf)
            .filter((e) => areaOf(e.target) !== "lib");
        expect(bad).toEqual([]);
    });

    it("no area imports the composition root, the offline runner, the scripts or the test harness", () => {
        const bad = areaFiles
            .filter((f) => !isTestOnly(f))
            .flatMap(importsOf)
            .filter((e) => ROOT_FILES.some((r) => e.target === r.replace(/\.ts$/, "")) || [ROOT_FOLDER, "test", "scripts", "policy", "offline"].includes(areaOf(e.target)));
        expect(bad).toEqual([]);
    });

    it("value imports between areas run down the area order; only types cross upward", () => {
        const rank = (area: string): number => (AREA_ORDER as readonly string[]).indexOf(area);
        const bad = areaFiles
            .filter((f) => !isTestOnly(f))
            .flatMap(importsOf)
            .filter((e) => !e.typeOnly && rank(areaOf(e.target)) >= 0 && rank(areaOf(e.target)) > rank(areaOf(e.file)))
            .map((e) => `${e.file} imports ${e.target}`);
        expect(bad).toEqual([]);
    });

    it("is the order the lint's import rules enforce (.dependency-cruiser.cjs: one area-order rule per area but the last)", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const config = require(path.join(ROOT, ".dependency-cruiser.cjs")) as { forbidden: { name: string }[] };
        const order = config.forbidden.flatMap((rule) => /^area-order-(.+)$/.exec(rule.name)?.[1] ?? []);
        expect(["lib", ...order, AREA_ORDER[AREA_ORDER.length - 1]]).toEqual([...AREA_ORDER]);
    });

    it(`keeps every source file within ${MAX_LINES} lines`, () => {
        const long = [...areaFiles, ...ROOT_FILES, ...sourceFiles(ROOT_FOLDER), ...sourceFiles("offline"), ...sourceFiles("scripts")]
            .filter((f) => !isTestOnly(f))
            .map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length }))
            .filter(({ lines }) => lines > MAX_LINES);
        expect(long).toEqual([]);
    });
});

/** Each top-level function of a file with its length in lines, from its `function` line to its closing brace (JSDoc not counted). */
function functionLengths(file: string): Map<string, number> {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line;
    const lengths = new Map<string, number>();
    for (const statement of source.statements) {
        if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
            lengths.set(statement.name.text, lineOf(statement.body.end) - lineOf(statement.getStart(source)) + 1);
        }
    }
    return lengths;
}

/** The limits (issue 22): the composition root reads as the order of the areas, each area's wiring on its own. */
const DEPLOY_STACK_MAX = 80;
const WIRING_MAX = 120;

describe("the composition root is the order of the areas (stack.ts), each area wired in stack/", () => {
    const wiring = sourceFiles(ROOT_FOLDER)
        .filter((f) => !isTestOnly(f))
        .flatMap((f) => [...functionLengths(f)].map(([fn, lines]) => ({ fn: `${f}: ${fn}`, lines })));

    it(`keeps deployStack under ${DEPLOY_STACK_MAX} lines`, () => {
        const lines = functionLengths("stack.ts").get("deployStack");
        expect(lines).toBeDefined();
        expect(lines).toBeLessThan(DEPLOY_STACK_MAX);
    });

    it("finds a wiring function per area", () => {
        const names = wiring.map((w) => w.fn.replace(/^.*: /, ""));
        expect(names).toEqual(
            expect.arrayContaining([
                "wireNetwork",
                "wireCluster",
                "wireData",
                "wireApplication",
                "wireEdge",
                "wireNetworkPolicies",
                "wireWorkloads",
                "wireGuardrails",
                "stackOutputs",
            ]),
        );
    });

    it(`keeps each area's wiring under ${WIRING_MAX} lines`, () => {
        expect(wiring.filter(({ lines }) => lines >= WIRING_MAX)).toEqual([]);
    });
});

/**
 * What a module loads when it is required: the `require` calls at the top
 * level of the JavaScript TypeScript emits for it (type-only imports are
 * elided; `await import()` inside a function loads only when it runs).
 */
const loads = new Map<string, string[]>();
function loadsOnRequire(file: string): string[] {
    const known = loads.get(file);
    if (known) return known;
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const js = ts.transpileModule(text, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true },
    }).outputText;
    const source = ts.createSourceFile(`${file}.js`, js, ts.ScriptTarget.ES2022, false);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node)) {
            return;
        }
        if (
            ts.isCallExpression(node) &&
            ts.isIdentifier(node.expression) &&
            node.expression.text === "require" &&
            node.arguments.length === 1 &&
            ts.isStringLiteral(node.arguments[0])
        ) {
            found.push(node.arguments[0].text);
        }
        ts.forEachChild(node, visit);
    };
    source.statements.forEach(visit);
    loads.set(file, found);
    return found;
}

/** Every package a module loads on require, through the project's own modules. */
function packagesLoadedBy(start: string): Map<string, string> {
    const packages = new Map<string, string>();
    const seen = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
        const file = queue.shift() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const spec of loadsOnRequire(file)) {
            if (!spec.startsWith(".")) {
                if (!packages.has(spec)) packages.set(spec, file);
                continue;
            }
            const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
            const target = [`${base}.ts`, `${base}/index.ts`].find((f) => fs.existsSync(path.join(ROOT, f)));
            if (target) queue.push(target);
        }
    }
    return packages;
}

describe("pure modules load no cloud SDK (a test of them stays fast)", () => {
    const pure = [
        "config.ts",
        "test/harness.ts",
        "offline/run.ts",
        "offline/records.ts",
        "offline/stackFile.ts",
        ...areaFiles.filter((f) => !isTestOnly(f) && (areaOf(f) === "lib" || /(^|\/)schema\.ts$|Plan\.ts$|Policy\.ts$/.test(f))),
    ];

    it("finds the loads it looks for", () => {
        expect(packagesLoadedBy("stackConfig.ts").get("@pulumi/pulumi")).toBe("stackConfig.ts");
        expect([...packagesLoadedBy("edge/accessLogs.ts").keys()]).toEqual(expect.arrayContaining(["@pulumi/aws", "@pulumi/pulumi"]));
    });

    it.each(pure)("%s", (file) => {
        const sdk = [...packagesLoadedBy(file)].filter(([pkg]) => pkg.startsWith("@pulumi/")).map(([pkg, via]) => `${pkg} (required by ${via})`);
        expect(sdk).toEqual([]);
    });
});

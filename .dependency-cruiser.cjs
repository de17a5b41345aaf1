/**
 * The import rules of the repository, checked by dependency-cruiser
 * (`npm run lint:deps`; `npm run lint` and `.ci/lint` run it):
 *
 * - no import cycles (type-only imports count: a cycle of types is still a
 *   tangle to read; shared types go in a leaf module, e.g. guardrails/pricer.ts);
 * - no product code imports test/ (only `*.test.ts` files and test/ itself);
 * - the layers, lowest first: lib < the areas < the composition root
 *   (config.ts, stackConfig.ts, stack.ts, stack/ (each area's wiring),
 *   index.ts) < offline/ (the offline runner) < scripts/; nothing imports a
 *   layer above its own;
 * - between areas, value imports run down AREA_ORDER only; types may cross
 *   upward as `import type` (test/layout.test.ts checks the same order).
 *
 * Tests (`*.test.ts`) may import anything below them. policy/ is the policy
 * pack (its own package): only the cycle and test rules apply to it.
 */
/** Lower first: an area may import values only from areas before it (the order of test/layout.test.ts). */
const AREA_ORDER = ["lib", "network", "registry", "cluster", "data", "app", "workloads", "edge", "guardrails", "verify", "ci-identities"];
const AREAS = AREA_ORDER.slice(1);
/** The composition root: its files at the top level and stack/, the wiring of each area (test/layout.test.ts: ROOT_FILES, ROOT_FOLDER). */
const ROOT_LAYER = ["^(config|stackConfig|stack|index)\\.ts$", "^stack/"];
const TEST_FILE = "\\.test\\.ts$";
const under = (folders) => `^(${folders.join("|")})/`;

/** For each area, a rule against value imports of the areas after it. */
const areaOrderRules = AREAS.slice(0, -1).map((area, i) => ({
    name: `area-order-${area}`,
    comment: `${area}/ may import values only from ${AREA_ORDER.slice(0, i + 1).join(", ")} (lower areas); later areas only as \`import type\``,
    severity: "error",
    from: { path: `^${area}/`, pathNot: TEST_FILE },
    to: { path: under(AREAS.slice(i + 1)), dependencyTypesNot: ["type-only"] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-circular",
            comment: "An import cycle: move what both sides share into a leaf module.",
            severity: "error",
            from: {},
            to: { circular: true },
        },
        {
            name: "no-product-imports-test",
            comment: "Product code (anything but test/ and *.test.ts) must not import test/: what it needs belongs in offline/, lib/ or an area.",
            severity: "error",
            from: { pathNot: [TEST_FILE, "^test/"] },
            to: { path: "^test/" },
        },
        {
            name: "lib-imports-only-lib",
            comment: "lib/ holds pure helpers of no area: it imports nothing else of the repository.",
            severity: "error",
            from: { path: "^lib/", pathNot: TEST_FILE },
            to: { path: [under([...AREAS, "policy", "offline", "scripts", "test"]), ...ROOT_LAYER] },
        },
        {
            name: "areas-below-root",
            comment: "An area never imports the composition root (stack/, each area's wiring, included), the offline runner, the scripts or the policy pack.",
            severity: "error",
            from: { path: under(AREAS), pathNot: TEST_FILE },
            to: { path: [under(["offline", "scripts", "policy"]), ...ROOT_LAYER] },
        },
        {
            name: "root-below-offline",
            comment: "The composition root (stack/ included) never imports the offline runner or the scripts.",
            severity: "error",
            from: { path: ROOT_LAYER, pathNot: TEST_FILE },
            to: { path: under(["offline", "scripts"]) },
        },
        {
            name: "offline-below-scripts",
            comment: "The offline runner never imports the scripts.",
            severity: "error",
            from: { path: "^offline/", pathNot: TEST_FILE },
            to: { path: "^scripts/" },
        },
        ...areaOrderRules,
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "(^|/)node_modules/|^(out|bin|coverage)/" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
        // A cruise of this tree takes a few seconds; no cache (node_modules is shared).
        cache: false,
    },
};

/**
 * Type checking runs once, in `npm test` (`tsc --noEmit` beside jest, scripts/test.js), so jest only
 * transpiles, with SWC (@swc/jest): on 2 cores the whole run took 7-12 s less
 * than with ts-jest's TypeScript transpiler (three cold runs of each,
 * alternated, 2026-12-03), mostly because no worker loads TypeScript.
 * `npm test` runs jest with a 64 MB young generation
 * (`--max-semi-space-size=64`, passed on to the workers): the program runs
 * under mocks allocate heavily, and the default made garbage collection a
 * large share of the run.
 */
/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: [
        "<rootDir>/test",
        "<rootDir>/lib",
        "<rootDir>/network",
        "<rootDir>/registry",
        "<rootDir>/ci-identities",
        "<rootDir>/cluster",
        "<rootDir>/edge",
        "<rootDir>/data",
        "<rootDir>/app",
        "<rootDir>/workloads",
        "<rootDir>/guardrails",
        "<rootDir>/verify",
        "<rootDir>/policy",
        "<rootDir>/offline",
        "<rootDir>/scripts",
    ],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
    },
    testTimeout: 60000,
    // Jest's default is one worker fewer than the cores: on a 2-core CI machine,
    // one worker and an idle core. The main process only waits while the workers run.
    maxWorkers: 2,
    globalSetup: "<rootDir>/test/globalSetup.ts",
    globalTeardown: "<rootDir>/test/globalTeardown.ts",
    reporters: ["default", "<rootDir>/test/summaryReporter.js"],
};

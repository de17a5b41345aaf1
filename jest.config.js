/**
 * Type checking runs once, in `npm test` (`tsc --noEmit`), so ts-jest only
 * transpiles here: each test file then costs a transpile, not a full type check.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/lib", "<rootDir>/network", "<rootDir>/registry", "<rootDir>/cluster", "<rootDir>/edge", "<rootDir>/data", "<rootDir>/workloads", "<rootDir>/guardrails", "<rootDir>/policy", "<rootDir>/scripts"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 60000,
  // Jest's default is one worker fewer than the cores: on a 2-core CI machine,
  // one worker and an idle core. The main process only waits while the workers run.
  maxWorkers: 2,
  globalSetup: "<rootDir>/test/globalSetup.ts",
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  reporters: ["default", "<rootDir>/test/summaryReporter.js"],
};

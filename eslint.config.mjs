// ESLint, flat config (`npm run lint`; CI runs it through `npm run lint:ci`).
// typescript-eslint's recommended rules, a few type-aware rules that catch real
// bugs in a Pulumi program, and @pulumi/eslint-plugin: an Output in a plain
// template literal renders as a warning text instead of its value (use
// pulumi.interpolate or apply). Formatting is Prettier's (`npm run format`),
// so eslint-config-prettier turns off the rules that would fight it.
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "policy/node_modules/", "out/", "bin/", "coverage/"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            // One TypeScript program for every file: the root tsconfig.json (what `npm test` type-checks)
            // includes registry/ and policy/. With projectService each of their own tsconfigs built a
            // program of its own, and linting took about twice as long.
            parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // A promise nobody awaits: a registration or a check that fails silently.
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            // Unused names are tsc's job (noUnusedLocals/noUnusedParameters); `_` marks one kept on purpose.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
        languageOptions: { globals: { module: "readonly", require: "readonly", process: "readonly", __dirname: "readonly" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    prettier,
);

/**
 * scripts/swapExampleValues.ts turns the committed stack files into an
 * operator's: no example value left, every file still valid, the accounts
 * still consistent across the files. The suite run on such a copy
 * (docs/operations/testing-operator-values.md) is what keeps the tests from
 * pinning the examples again.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ciIdentitiesWarnings } from "../ci-identities/ciIdentitiesConfig";
import { parseStackConfig } from "../config";
import { exampleValueWarnings } from "../lib/configWarnings";
import { parseText } from "../offline/stackFile";
import { ciIdentitiesConfig } from "../test/ciIdentitiesHarness";
import { readRegistryStackFile } from "../test/registryHarness";
import { rawStackConfig, REPO_ROOT } from "../test/harness";
import { main, STACK_FILES, swapExampleValues } from "./swapExampleValues";

describe("scripts/swapExampleValues.ts", () => {
    let root: string;
    const saved = { ...process.env };
    beforeAll(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "iam-swapped-"));
        for (const file of STACK_FILES) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
        }
        const out: string[] = [];
        expect(main([root], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
        // "unchanged" where the files hold an operator's values already (this suite run on a swapped copy).
        expect(out.join("")).toMatch(new RegExp(`^${STACK_FILES.map((f) => `${f.replace(/\./g, "\\.")}: (swapped|unchanged)\n`).join("")}$`));
        process.env.IAM_STACK_DIR = root;
        process.env.IAM_CI_IDENTITIES_STACK_DIR = path.join(root, "ci-identities");
        process.env.IAM_REGISTRY_STACK_DIR = path.join(root, "registry");
    });
    afterAll(() => {
        process.env = saved;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it.each(STACK_FILES)("leaves no example value in %s", (file) => {
        const doc: unknown = parseYaml(fs.readFileSync(path.join(root, file), "utf8"));
        expect(exampleValueWarnings(doc)).toEqual([]);
        // Comments may still say "replace the example values"; no value may.
        expect(JSON.stringify(doc)).not.toMatch(/example|123456789012|210987654321|203\.0\.113\./);
    });

    it("keeps the environment and CI identities stack files valid and their accounts consistent", () => {
        for (const stack of ["prod", "staging"]) {
            const config = parseStackConfig(rawStackConfig(stack));
            expect(config.warnings.filter((w) => w.includes("replace it with your own"))).toEqual([]);
            const ci = ciIdentitiesConfig(stack);
            expect(ciIdentitiesWarnings(ci)).toEqual([]);
            expect(ci.account).toBe(config.accountId);
            expect(ci.registry.account).toBe(config.registry.account);
        }
        const registry = readRegistryStackFile("shared");
        expect(parseText(registry["iam-registry:account"])).toBe(Number(parseStackConfig(rawStackConfig("prod")).registry.account));
        expect(parseText(registry["iam-registry:pullAccounts"])).toContain(parseStackConfig(rawStackConfig("staging")).accountId);
    });

    it("swaps each value the same way everywhere, and refuses to rewrite the repository itself", () => {
        expect(
            swapExampleValues("arn:aws:iam::123456789012:role/a 210987654321 example-org/iam-infra example-org-pulumi-state-1 staging.example.com a@example.com 203.0.113.0/24"),
        ).toBe("arn:aws:iam::111111111111:role/a 222222222222 acme/iam-platform acme-pulumi-state-1 staging.iam-test.net a@iam-test.net 8.8.4.0/24");
        const err: string[] = [];
        expect(main([REPO_ROOT], { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
        expect(err.join("")).toMatch(/refusing to rewrite the repository itself/);
    });
});

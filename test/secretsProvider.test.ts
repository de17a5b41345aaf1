/**
 * One secrets provider path: every document that tells a reader how to
 * create a stack or what the workflows pass gives the same provider,
 * `awskms://alias/pulumi-iam?region=<region>`, the CI identities project
 * grants exactly that key, and nothing asks for a passphrase, a committed
 * salt or a Pulumi Cloud token any more.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { availableStacks, REPO_ROOT } from "./harness";
import { ciIdentitiesConfig, ciIdentitiesStacks } from "./ciIdentitiesHarness";
import { secretsProvider } from "../ci-identities/ciIdentitiesPlan";

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
const PROVIDER = /awskms:\/\/alias\/pulumi-iam\?region=/;
const DOCS = ["README.md", "docs/operations/bootstrap.md", "docs/guardrails.md", "docs/ci-identities.md"];
const WORKFLOWS = fs.readdirSync(path.join(REPO_ROOT, ".github", "workflows")).map((f) => path.join(".github", "workflows", f));

describe("the secrets provider", () => {
    it.each(DOCS)("%s gives the KMS provider awskms://alias/pulumi-iam", (doc) => {
        expect(read(doc)).toMatch(PROVIDER);
    });

    it.each([...DOCS, "docs/registry.md", "docs/operations/catalog-freshness.md", "docs/operations/runners.md", ...WORKFLOWS])(
        "%s asks for no passphrase, committed salt or Pulumi Cloud token",
        (file) => {
            const text = read(file);
            expect(text).not.toMatch(/PULUMI_CONFIG_PASSPHRASE|PULUMI_ACCESS_TOKEN|encryptionsalt|--secrets-provider[ =]passphrase|pulumi login --local|Pulumi Cloud \(/);
            // Named only to say there is none ("no passphrase", "pass no passphrase").
            const flat = text.replace(/\s+/g, " ");
            expect([...flat.matchAll(/(\S+) passphrase/gi)].map((m) => m[1].toLowerCase()).filter((word) => word !== "no")).toEqual([]);
        },
    );

    it("is what the CI identities stacks grant and output, in every account", () => {
        for (const stack of ciIdentitiesStacks()) {
            const config = ciIdentitiesConfig(stack);
            expect(secretsProvider(config)).toBe(`awskms://alias/pulumi-iam?region=${config.region}`);
        }
    });

    it.each(availableStacks())("Pulumi.%s.yaml has no passphrase salt, and any secrets provider it names is the KMS one", (stack) => {
        const doc = parse(read(`Pulumi.${stack}.yaml`)) as { encryptionsalt?: string; secretsprovider?: string };
        expect(doc.encryptionsalt).toBeUndefined();
        if (doc.secretsprovider !== undefined) {
            expect(doc.secretsprovider).toMatch(PROVIDER);
        }
    });
});

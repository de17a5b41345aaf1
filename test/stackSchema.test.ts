/**
 * The JSON Schema editors use on `Pulumi.<stack>.yaml` (schema/stack.schema.json),
 * the configuration reference (docs/config-reference.md) and the config tables
 * of the area docs (their `<!-- config:<block>:begin -->` blocks): generated
 * from the one zod schema, current, every key in exactly one area doc, referenced by each stack file, and strict
 * enough that an editor flags wrong types, out-of-range numbers, unknown enum
 * values and unknown keys while the stack files pass.
 */
import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import * as path from "path";
import { AREA_BLOCKS, blockNames, blockRows } from "../scripts/configTables";
import { areaDocs, configReference, configRows, environmentSchemas, REFERENCE_FILE, SCHEMA_FILE, stackFileSchema } from "../scripts/schema";
import { stackFile } from "./harness";

const STACKS = ["prod", "staging"];
const byEnvironment = environmentSchemas();
const generated = stackFileSchema(byEnvironment);
const rows = configRows(byEnvironment);
const ROOT = path.resolve(__dirname, "..");
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(generated);

type Doc = { config: Record<string, unknown> };
const load = (stack: string): Doc => parseYaml(fs.readFileSync(stackFile(stack), "utf8")) as Doc;
const errorsOf = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("the generated files are current (npm run schema)", () => {
    it("schema/stack.schema.json", () => {
        expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"))).toEqual(generated);
    });

    it("docs/config-reference.md", () => {
        expect(fs.readFileSync(REFERENCE_FILE, "utf8")).toBe(configReference(rows));
    });

    it.each(Object.entries(areaDocs(rows)))("the config tables of %s", (doc, expected) => {
        expect(fs.readFileSync(path.join(ROOT, doc), "utf8")).toBe(expected);
    });
});

describe("the area docs' config tables", () => {
    it.each(Object.entries(AREA_BLOCKS).map(([name, { doc }]) => [name, doc]))("config:%s is in %s, once", (name, doc) => {
        expect(blockNames(fs.readFileSync(path.join(ROOT, doc), "utf8")).filter((n) => n === name)).toEqual([name]);
    });

    it("show every key of the reference in exactly one block", () => {
        const shown = Object.values(AREA_BLOCKS).flatMap((block) => blockRows(rows[block.from ?? "stack"], block).map((r) => `${block.from ?? "stack"} ${r.key}`));
        const all = [
            ...rows.stack.map((r) => `stack ${r.key}`),
            ...rows.registryProject.map((r) => `registryProject ${r.key}`),
            ...rows.ciIdentities.map((r) => `ciIdentities ${r.key}`),
        ];
        expect(shown.sort()).toEqual(all.sort());
    });

    it("keep each environment's default where prod and staging differ", () => {
        expect(rows.stack.find((r) => r.key === "iam:edge.accessLogs.enabled")?.byDefault).toBe("prod `true`, staging `false`");
        expect(rows.stack.find((r) => r.key === "iam:services[].workload.replicas.min")?.byDefault).toBe("prod `2`, staging `1`");
    });
});

describe.each(STACKS)("Pulumi.%s.yaml", (stack) => {
    it("points editors at the schema on its first line", () => {
        expect(fs.readFileSync(stackFile(stack), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=schema/stack.schema.json");
    });

    it("validates against the schema", () => {
        expect(errorsOf(load(stack))).toEqual([]);
    });

    it("validates with its secret as Pulumi writes it, and not in plain text", () => {
        const doc = load(stack);
        doc.config["iam:alarmWebhookUrl"] = { secure: "v1:AAAA" };
        expect(errorsOf(doc)).toEqual([]);
        doc.config["iam:alarmWebhookUrl"] = "https://events.example.net/hook";
        expect(errorsOf(doc).length).toBeGreaterThan(0);
    });
});

describe("what an editor flags", () => {
    // The parsed stack file, edited at any depth on purpose: typed as the JSON it is, each case would need casts.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const edited = (edit: (config: Record<string, any>) => void): string[] => {
        const doc = load("prod");
        edit(doc.config);
        return errorsOf(doc);
    };

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    it.each<[string, (c: Record<string, any>) => void, RegExp]>([
        [
            "a wrong type",
            (c) => {
                c["iam:cluster"].nodeGroups[0].maxSize = "nine";
            },
            /\/config\/iam:cluster\/nodeGroups\/0\/maxSize must be integer/,
        ],
        [
            "an out-of-range number",
            (c) => {
                c["iam:edge"].idleTimeoutSeconds = 5000;
            },
            /\/config\/iam:edge\/idleTimeoutSeconds must be <= 4000/,
        ],
        [
            "an unknown enum value",
            (c) => {
                c["iam:network"].natGateways = "some";
            },
            /\/config\/iam:network\/natGateways must be equal to one of the allowed values/,
        ],
        [
            "an unknown key in a section",
            (c) => {
                c["iam:network"].natGateway = "perAz";
            },
            /\/config\/iam:network must NOT have additional properties/,
        ],
        [
            "an unknown iam: key",
            (c) => {
                c["iam:netwrok"] = {};
            },
            /\/config must NOT have additional properties/,
        ],
        [
            "a missing required key",
            (c) => {
                delete c["iam:domain"];
            },
            /\/config must have required property 'iam:domain'/,
        ],
    ])("%s", (_what, edit, message) => {
        expect(edited(edit)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("lets other namespaces through (aws:profile)", () => {
        expect(
            edited((c) => {
                c["aws:profile"] = "ops";
            }),
        ).toEqual([]);
    });
});

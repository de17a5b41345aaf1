/**
 * The JSON Schema editors use on `Pulumi.<stack>.yaml` (schema/stack.schema.json)
 * and the configuration reference (docs/config-reference.md): generated from
 * the one zod schema, current, referenced by each stack file, and strict
 * enough that an editor flags wrong types, out-of-range numbers, unknown enum
 * values and unknown keys while the stack files pass.
 */
import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { configReference, REFERENCE_FILE, SCHEMA_FILE, stackFileSchema } from "../scripts/schema";
import { stackFile } from "./harness";

const STACKS = ["prod", "staging"];
const generated = stackFileSchema();
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(generated);

type Doc = { config: Record<string, unknown> };
const load = (stack: string): Doc => parseYaml(fs.readFileSync(stackFile(stack), "utf8")) as Doc;
const errorsOf = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("the generated files are current (npm run schema)", () => {
    it("schema/stack.schema.json", () => {
        expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"))).toEqual(generated);
    });

    it("docs/config-reference.md", () => {
        expect(fs.readFileSync(REFERENCE_FILE, "utf8")).toBe(configReference(generated));
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
        ["a wrong type", (c) => { c["iam:cluster"].nodeGroups[0].maxSize = "nine"; }, /\/config\/iam:cluster\/nodeGroups\/0\/maxSize must be integer/],
        ["an out-of-range number", (c) => { c["iam:edge"].idleTimeoutSeconds = 5000; }, /\/config\/iam:edge\/idleTimeoutSeconds must be <= 4000/],
        ["an unknown enum value", (c) => { c["iam:network"].natGateways = "some"; }, /\/config\/iam:network\/natGateways must be equal to one of the allowed values/],
        ["an unknown key in a section", (c) => { c["iam:network"].natGateway = "perAz"; }, /\/config\/iam:network must NOT have additional properties/],
        ["an unknown iam: key", (c) => { c["iam:netwrok"] = {}; }, /\/config must NOT have additional properties/],
        ["a missing required key", (c) => { delete c["iam:domain"]; }, /\/config must have required property 'iam:domain'/],
    ])("%s", (_what, edit, message) => {
        expect(edited(edit)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("lets other namespaces through (aws:profile)", () => {
        expect(edited((c) => { c["aws:profile"] = "ops"; })).toEqual([]);
    });
});

/**
 * Every CIDR field of a stack file: what the validator refuses as malformed,
 * the generated JSON Schema (schema/stack.schema.json, which editors apply)
 * refuses too, because the zod CIDR schemas carry CIDR_STRICT_PATTERN and
 * z.toJSONSchema emits it as `pattern`. Checked with ajv on the generated
 * schema and the real prod stack file.
 */
import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { environmentSchemas, stackFileSchema } from "../scripts/schema";
import { configProblems, stackFile } from "./harness";

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(stackFileSchema(environmentSchemas()));
type Config = Record<string, Record<string, unknown>>;

/** Where each CIDR sits: the stack file's key, the field, and whether it is a list. */
const FIELDS: [section: string, field: string, list: boolean][] = [
    ["network", "cidr", false],
    ["network", "peerCidrs", true],
    ["accessMatrix", "adminCidrs", true],
    ["cluster", "publicAccessCidrs", true],
    ["cluster", "privateAccessCidrs", true],
    ["cluster", "serviceCidr", false],
];
const put = (section: Record<string, unknown>, field: string, list: boolean, value: string): void => {
    section[field] = list ? [value] : value;
};

/** The editor's errors for the prod file with one CIDR replaced. */
function editorErrors(section: string, field: string, list: boolean, value: string): string[] {
    const doc = parseYaml(fs.readFileSync(stackFile("prod"), "utf8")) as { config: Config };
    put(doc.config[`iam:${section}`], field, list, value);
    return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const MALFORMED = ["10.0.0.0/33", "10.0.0.0/99", "10.0.0.256/16", "300.0.0.0/16", "10.0.0/16", "10.0.0.0", "010.0.0.0/16", "10.0.0.0/-1", " 10.0.0.0/16"];

/** The validator's problems for the prod file with one CIDR replaced. */
const validatorProblems = (section: string, field: string, list: boolean, value: string): string[] =>
    configProblems("prod", (v) => put(v[section] as Record<string, unknown>, field, list, value));
const pathOf = (section: string, field: string, list: boolean): string => `${section}\\.${field}${list ? "\\[0\\]" : ""}`;

describe.each(FIELDS)("iam:%s.%s (list: %s)", (section, field, list) => {
    it.each(MALFORMED)("%s: the editor flags it (pattern)", (value) => {
        expect(editorErrors(section, field, list, value)).toEqual([expect.stringMatching(new RegExp(`^/config/iam:${section}/${field}${list ? "/0" : ""} must match pattern`))]);
    });

    it("10.0.0.0/33: the validator refuses it too, naming the field", () => {
        expect(validatorProblems(section, field, list, "10.0.0.0/33")).toEqual(
            expect.arrayContaining([expect.stringMatching(new RegExp(`^${pathOf(section, field, list)} must be an IPv4 CIDR with octets 0-255 and a prefix 0-32`))]),
        );
    });
});

describe.each(MALFORMED)("%s", (value) => {
    it("is refused by the validator as well as by the editor (network.peerCidrs)", () => {
        expect(validatorProblems("network", "peerCidrs", true, value)).toEqual(expect.arrayContaining([expect.stringMatching(/^network\.peerCidrs\[0\] must be an IPv4 CIDR/)]));
    });
});

describe("well-formed CIDRs", () => {
    it.each(["10.20.0.0/16", "0.0.0.0/0", "255.255.255.255/32", "172.16.0.0/12", "192.168.100.0/24"])("%s passes the editor", (value) => {
        expect(editorErrors("network", "peerCidrs", true, value)).toEqual([]);
    });

    it("the validator's range rules stay its own: /8 is a well-formed VPC CIDR the editor accepts and the validator refuses with the reason", () => {
        expect(editorErrors("network", "cidr", false, "10.0.0.0/8")).toEqual([]);
        expect(configProblems("prod", (v) => ((v.network as Record<string, unknown>).cidr = "10.0.0.0/8"))).toEqual(
            expect.arrayContaining(["network.cidr prefix must be /16 to /24 (AWS VPC limits), got /8"]),
        );
    });
});

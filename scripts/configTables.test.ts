/**
 * The generated blocks of the area docs: rewritten in place between their
 * markers, the prose around them kept, and a broken or unknown block refused
 * rather than silently skipped.
 */
import { blockNames, blockRows, Row, withBlocks, withEnvironmentDefaults } from "./configTables";

const row = (key: string, byDefault = ""): Row => ({ key, type: "string", byDefault, description: "" });
const doc = ["# Edge", "why it is so", "<!-- config:edge:begin -->", "| stale |", "<!-- config:edge:end -->", "after"].join("\n");

describe("withBlocks", () => {
    it("replaces only what is between the markers", () => {
        const out = withBlocks(doc, (name) => (name === "edge" ? ["| fresh |"] : undefined));
        expect(out.split("\n")).toEqual([
            "# Edge",
            "why it is so",
            "<!-- config:edge:begin -->",
            expect.stringContaining("npm run schema"),
            "| fresh |",
            "<!-- config:edge:end -->",
            "after",
        ]);
        expect(withBlocks(out, () => ["| fresh |"])).toBe(out);
    });

    it("refuses a block without its end marker, or one it does not know", () => {
        expect(() => withBlocks(doc.replace("<!-- config:edge:end -->", ""), () => [])).toThrow(/config:edge:begin has no <!-- config:edge:end -->/);
        expect(() => withBlocks(doc, () => undefined)).toThrow(/config:edge is not a known block/);
    });

    it("lists the blocks of a doc", () => {
        expect(blockNames(`${doc}\n<!-- config:data:begin -->\n<!-- config:data:end -->\n`)).toEqual(["edge", "data"]);
    });
});

describe("blockRows", () => {
    it("takes the keys under each prefix, not those that only start alike, minus the excluded ones", () => {
        const all = [row("iam:services"), row("iam:services[].name"), row("iam:services[].workload"), row("iam:services[].workload.env"), row("iam:servicesExtra")];
        expect(blockRows(all, { include: ["iam:services"], exclude: ["iam:services[].workload"] }).map((r) => r.key)).toEqual(["iam:services", "iam:services[].name"]);
    });
});

describe("withEnvironmentDefaults", () => {
    it("names each environment's default where they differ, and keeps a shared one", () => {
        const merged = [row("a"), row("b", "`1`")];
        const out = withEnvironmentDefaults(merged, { prod: [row("a", "`true`"), row("b", "`1`")], staging: [row("a"), row("b", "`1`")] });
        expect(out.map((r) => r.byDefault)).toEqual(["prod `true`, staging none", "`1`"]);
    });
});

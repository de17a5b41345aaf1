import * as fs from "fs";
import * as path from "path";
import { applyPromotion, imageTags, promotionChanges, unpromoted } from "./promotionPlan";

const ROOT = path.resolve(__dirname, "..");
const prodText = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
const stagingText = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");

describe("promotion: the tag staging ran is the tag prod gets", () => {
    it("reads each service's tag from a stack file", () => {
        expect(Object.keys(imageTags(prodText))).toEqual(["iam-apiserver", "iam-authz-server", "iam-pump", "iam-watcher"]);
    });

    it("changes exactly prod's tag lines to staging's tags, every other byte as it was", () => {
        const staging = stagingText.replace(/tag: v1\.6\.3/g, "tag: v1.9.0");
        const changes = promotionChanges(imageTags(staging), imageTags(prodText));
        expect(changes).toEqual(["iam-apiserver", "iam-authz-server", "iam-pump", "iam-watcher"].map((service) => ({ service, from: "v1.6.3", to: "v1.9.0" })));
        const promoted = applyPromotion(prodText, changes);
        expect(imageTags(promoted)).toEqual(imageTags(staging));
        const before = prodText.split("\n");
        const after = promoted.split("\n");
        expect(after).toHaveLength(before.length);
        const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line.trim(), after[i].trim()]]));
        expect(changed).toEqual(Array(4).fill(["image: { tag: v1.6.3 }", "image: { tag: v1.9.0 }"]));
    });

    it("quotes a digest, and leaves a service staging does not run alone", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const promoted = applyPromotion(prodText, [{ service: "iam-pump", from: "v1.6.3", to: digest }]);
        expect(imageTags(promoted)["iam-pump"]).toBe(digest);
        expect(promoted).toContain(`image: { tag: "${digest}" }`);
        expect(unpromoted({ "iam-pump": "v2" }, imageTags(prodText))).toEqual(["iam-apiserver", "iam-authz-server", "iam-watcher"]);
        expect(promotionChanges({ "iam-pump": "v2" }, imageTags(prodText))).toEqual([{ service: "iam-pump", from: "v1.6.3", to: "v2" }]);
    });
});

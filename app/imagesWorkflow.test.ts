/**
 * .github/workflows/images.yml builds the images with marmotedu/iam's own
 * Makefile at the tag given: the arguments it passes and the image names it
 * retags must be what that Makefile does at the pinned release
 * (scripts/make-rules/image.mk and common.mk, recorded in the contract).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { IAM_CONTRACT, IAM_BINARIES } from "./iamContract";
import { IAM_RELEASES } from "./catalog";

interface Step {
    name?: string;
    run?: string;
}
const workflow = parse(fs.readFileSync(path.join(__dirname, "..", ".github", "workflows", "images.yml"), "utf8")) as {
    on: { workflow_dispatch: { inputs: { tag: { description: string } } } };
    jobs: { build: { steps: Step[] } };
};
const build = workflow.jobs.build.steps.find((s) => s.name === "Build the images with the IAM Makefile")?.run ?? "";

/** `NAME=value` or `NAME="a b"` arguments of the `make image` line. */
function makeArguments(script: string): Record<string, string> {
    const line = script.split("\n").find((l) => l.trim().startsWith("make image")) ?? "";
    return Object.fromEntries([...line.matchAll(/(\w+)=("([^"]*)"|\S+)/g)].map((m) => [m[1], m[3] ?? m[2]]));
}

describe("images.yml against the IAM Makefile at the pinned release", () => {
    const args = makeArguments(build);

    it("builds each IAM binary's image for a platform the Makefile knows", () => {
        expect(args.IMAGES.split(" ")).toEqual([...IAM_BINARIES]);
        for (const image of IAM_BINARIES) {
            expect(IAM_CONTRACT.images.names).toContain(image);
        }
        expect(IAM_CONTRACT.images.platforms).toContain(args.PLATFORM);
        expect(args.VERSION).toBe("$TAG");
    });

    it("retags exactly the name `docker build -t` gives (<REGISTRY_PREFIX>/<image>-<arch>:<VERSION>)", () => {
        const arch = args.PLATFORM.split("_")[1];
        const built = IAM_CONTRACT.images.tag
            .replace("$(REGISTRY_PREFIX)", args.REGISTRY_PREFIX)
            .replace("$(IMAGE)", "${image}")
            .replace("$(ARCH)", arch)
            .replace("$(VERSION)", "${TAG}");
        expect(build).toContain(`docker tag "${built}" "\${image}:\${TAG}"`);
    });

    it("gives a release that exists as its example", () => {
        const example = /e\.g\. (v[\d.]+)/.exec(workflow.on.workflow_dispatch.inputs.tag.description)?.[1];
        expect(IAM_RELEASES.map((r) => r.tag)).toContain(example);
    });
});

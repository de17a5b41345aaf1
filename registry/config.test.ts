/** `iam:registry` in the environment stack files: which registry the images come from. */
import { configProblems } from "../test/harness";

describe("iam:registry", () => {
    it("is valid in both stack files", () => {
        expect(configProblems("prod", () => undefined)).toEqual([]);
        expect(configProblems("staging", () => undefined)).toEqual([]);
    });

    it("is required: a stack must name the registry it deploys from", () => {
        expect(
            configProblems("prod", (v) => {
                delete v.registry;
            }),
        ).toEqual(["registry must be { account, region } naming the registry project's stack (docs/registry.md)"]);
    });

    it("names a bad account or region by path, with the fix", () => {
        expect(
            configProblems("staging", (v) => {
                v.registry = { account: "1234", region: "Ireland" };
            }),
        ).toEqual([
            'registry.account must be a 12-digit AWS account id in quotes, like "123456789012" (aws sts get-caller-identity)',
            "registry.region must be an AWS region like eu-west-1 (the registry stack's `region` output)",
        ]);
    });

    it("tells a stack file from before the registry project where its lifecycle keys went", () => {
        const problems = configProblems("prod", (v) => {
            v.registry = { account: "123456789012", region: "eu-west-1", untaggedImageExpiryDays: 7, keepTaggedImages: 50 };
        });
        expect(problems).toEqual([
            "registry.untaggedImageExpiryDays moved to the registry project: set it in registry/Pulumi.<stack>.yaml (docs/registry.md) and remove it here",
            "registry.keepTaggedImages moved to the registry project: set it in registry/Pulumi.<stack>.yaml (docs/registry.md) and remove it here",
        ]);
    });
});

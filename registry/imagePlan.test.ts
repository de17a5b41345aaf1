import { classifyLookupError, ImageRequest, imageRequests, LookupFailure, lookupArgs, missingImagesMessage, repositoryUrl, resolvedImage } from "./imagePlan";

const registry = { account: "123456789012", region: "eu-west-1" };
const services = [
    { name: "iam-apiserver", image: { repository: "iam-apiserver", tag: "v1.9.0" } },
    { name: "iam-pump", image: { repository: "iam-pump", tag: "v1.9.0" } },
    { name: "iam-watcher", image: { repository: "iam-watcher", tag: `sha256:${"0".repeat(64)}` } },
];
const [apiserver, pump, watcher] = imageRequests(services, registry);
const failure = (request: ImageRequest, kind: LookupFailure["kind"], message = "x"): LookupFailure => ({ request, kind, message });

describe("image references derive from the registry's account and region", () => {
    it("gives each repository its ECR URL (China's own domain included)", () => {
        expect(repositoryUrl(registry, "iam-apiserver")).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/iam-apiserver");
        expect(repositoryUrl({ account: "123456789012", region: "cn-north-1" }, "a")).toBe("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/a");
    });

    it("looks a tag up by tag and a pinned digest by digest, in the registry's account and region", () => {
        expect(lookupArgs(apiserver, registry)).toEqual({ registryId: "123456789012", region: "eu-west-1", repositoryName: "iam-apiserver", imageTag: "v1.9.0" });
        expect(lookupArgs(watcher, registry)).toEqual({ registryId: "123456789012", region: "eu-west-1", repositoryName: "iam-watcher", imageDigest: `sha256:${"0".repeat(64)}` });
    });

    it("pins the image the tag resolved to by digest", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        expect(resolvedImage(apiserver, digest).reference).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/iam-apiserver@${digest}`);
    });
});

describe("a failed look-up", () => {
    it.each([
        ["ImageNotFoundException: The image with imageId {imageTag:'v9'} does not exist within the repository", "image"],
        ["reading ECR Images: no matching ECR Image found", "image"],
        ["RepositoryNotFoundException: The repository with name 'x' does not exist in the registry with id '1'", "repository"],
        ["AccessDeniedException: User: arn:aws:sts::1:assumed-role/deploy is not authorized to perform: ecr:DescribeImages", "other"],
    ])("%s is a missing %s", (message, kind) => {
        expect(classifyLookupError(message)).toBe(kind);
    });
});

describe("the missing-images error", () => {
    it("lists every missing image and one push command per tag, naming only the missing repositories", () => {
        const message = missingImagesMessage([failure(apiserver, "image"), failure(pump, "image")], registry);
        expect(message.split("\n")).toEqual([
            "2 images are not deployable from the registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com; nothing was created:",
            "  - iam-apiserver:v1.9.0 (service iam-apiserver): not in the registry",
            "  - iam-pump:v1.9.0 (service iam-pump): not in the registry",
            "Push them from images built locally (named <repository>:<tag>), then preview again:",
            "  npm run images -- push v1.9.0 iam-apiserver iam-pump",
            "or build them from the IAM source and push them: gh workflow run images.yml -f tag=v1.9.0",
            "See docs/registry.md.",
        ]);
    });

    it("says what to do when the repository is missing or the look-up is refused, without a push command for them", () => {
        const message = missingImagesMessage([failure(apiserver, "repository"), failure(pump, "other", "AccessDeniedException: not authorized\nmore")], registry);
        expect(message).toContain(
            "iam-apiserver:v1.9.0 (service iam-apiserver): the repository iam-apiserver does not exist; add it to the registry project's repositories and run pulumi -C registry up",
        );
        expect(message).toContain(
            "iam-pump:v1.9.0 (service iam-pump): the look-up failed: AccessDeniedException: not authorized (is this account in the registry's pullAccounts? The look-up needs ecr:DescribeImages and ecr:DescribeRepositories on the repository)",
        );
        expect(message).not.toContain("npm run images");
    });

    it("names a missing digest with @ and does not offer to push it by name", () => {
        const message = missingImagesMessage([failure(watcher, "image")], registry);
        expect(message).toContain(`1 image is not deployable`);
        expect(message).toContain(`iam-watcher@sha256:${"0".repeat(64)}`);
        expect(message).toContain("A digest cannot be pushed by name");
        expect(message).not.toContain("npm run images");
    });
});

/**
 * Images are looked up before anything is deployed: the real staging and
 * prod stack files, run under mocks with images missing from the mocked
 * registry (registry/mocks.ts), fail with one error naming every missing
 * image and how to push it, and register nothing.
 */
import { rawStackConfig, settledRegistrations, runStack } from "../test/harness";
import { MissingImagesError } from "./imageCheck";
import { deniedRepositories, unpushedImages } from "./mocks";

type Service = { name: string; image: { tag: string } };

/** Sets the tag of the named services in the stack file. */
/** The registry host staging's stack file names (iam:registry). */
const registry = (): string => `${String((rawStackConfig("staging").values.registry as { account: string }).account)}.dkr.ecr.eu-west-1.amazonaws.com`;

const retag =
    (tag: string, names: string[]) =>
    (values: Record<string, unknown>): void => {
        for (const s of values.services as Service[]) {
            if (names.includes(s.name)) {
                s.image.tag = tag;
            }
        }
    };

afterEach(() => {
    unpushedImages.clear();
    deniedRepositories.clear();
});

describe.each([false, true])("a stack whose images are not all in the registry (preview: %s)", (preview) => {
    it("fails with ONE error listing every missing repository:tag and the command that pushes them, and registers nothing", async () => {
        unpushedImages.add("iam-apiserver:v1.9.0").add("iam-pump:v1.9.0");
        const failed = runStack("staging", { preview, edit: retag("v1.9.0", ["iam-apiserver", "iam-authz-server", "iam-pump"]) });
        await expect(failed).rejects.toBeInstanceOf(MissingImagesError);
        const error = (await failed.catch((e: unknown) => e)) as MissingImagesError;
        expect(error.failures.map((f) => `${f.request.repository}:${f.request.tag}`)).toEqual(["iam-apiserver:v1.9.0", "iam-pump:v1.9.0"]);
        expect(error.message).toContain(`2 images are not deployable from the registry ${registry()}; nothing was created:`);
        expect(error.message).toContain("  - iam-apiserver:v1.9.0 (service iam-apiserver): not in the registry");
        expect(error.message).toContain("  - iam-pump:v1.9.0 (service iam-pump): not in the registry");
        expect(error.message).toContain("  npm run images -- push v1.9.0 iam-apiserver iam-pump");
        // The authz server's v1.9.0 is there: it is not listed.
        expect(error.message).not.toContain("iam-authz-server:v1.9.0");
        expect(await settledRegistrations()).toBe(0);
    });
});

describe("a stack whose images are all in the registry", () => {
    it("deploys each service from the digest its tag had at look-up time", async () => {
        const run = await runStack("staging", { edit: retag("v1.9.0", ["iam-apiserver"]) });
        const images = run.outputs.images.value as Record<string, { tag: string; digest: string; reference: string }>;
        expect(images["iam-apiserver"].tag).toBe("v1.9.0");
        expect(images["iam-apiserver"].reference).toBe(`${registry()}/iam-apiserver@${images["iam-apiserver"].digest}`);
        expect(images["iam-watcher"].tag).not.toBe("v1.9.0");
    });

    it("looks a pinned digest up by digest and deploys exactly it", async () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const run = await runStack("staging", { edit: retag(digest, ["iam-watcher"]) });
        const images = run.outputs.images.value as Record<string, { digest: string; reference: string }>;
        expect(images["iam-watcher"]).toMatchObject({ digest, reference: `${registry()}/iam-watcher@${digest}` });
    });
});

describe("a look-up the registry refuses (AccessDenied: the account is not let in)", () => {
    it("fails the preview naming the image, AWS's reason and the pullAccounts hint with the actions the look-up needs, and registers nothing", async () => {
        deniedRepositories.add("iam-authz-server");
        const error = (await runStack("staging", { preview: true, edit: () => undefined }).catch((e: unknown) => e)) as MissingImagesError;
        expect(error).toBeInstanceOf(MissingImagesError);
        expect(error.failures.map((f) => [f.request.repository, f.kind])).toEqual([["iam-authz-server", "other"]]);
        expect(error.message).toMatch(
            /- iam-authz-server:\S+ \(service iam-authz-server\): the look-up failed: .*not authorized to perform: ecr:DescribeRepositories.* \(is this account in the registry's pullAccounts\? The look-up needs ecr:DescribeImages and ecr:DescribeRepositories on the repository\)/,
        );
        expect(error.message).not.toContain("npm run images");
        expect(await settledRegistrations()).toBe(0);
    });
});

/**
 * An image look-up the registry refuses (AccessDeniedException: the
 * environment's account is not in the registry's pullAccounts) fails the run
 * like a missing image: one MissingImagesError that names the image and ends
 * in the pull-accounts hint, with nothing registered. Dropping such a failure
 * would let the program go on and fail later with an internal error ("no
 * image was looked up") that tells the operator nothing.
 *
 * The mocked registry (registry/mocks.ts) only knows missing images; here its
 * getImage answer is wrapped, before the offline runner gathers the mocks
 * (offline/mocks.ts, loaded by the first run of this file), to refuse one
 * repository as ECR does.
 */
import type * as pulumi from "@pulumi/pulumi";
import { runStack, settledRegistrations } from "../test/harness";
import { MissingImagesError } from "./imageCheck";
import { registryCalls } from "./mocks";

const GET_IMAGE = "aws:ecr/getImage:getImage";
const DENIED_REPOSITORY = "iam-pump";
const answer = registryCalls[GET_IMAGE];
registryCalls[GET_IMAGE] = (args: pulumi.runtime.MockCallArgs) => {
    if (String(args.inputs.repositoryName) === DENIED_REPOSITORY) {
        // As the engine fails an invoke: a gRPC error whose `details` the SDK turns into the rejection's message.
        const message = `reading ECR Image (${DENIED_REPOSITORY}): operation error ECR: DescribeImages, https response error StatusCode: 400, api error AccessDeniedException: User: arn:aws:sts::210987654321:assumed-role/deploy/ci is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-west-1:123456789012:repository/${DENIED_REPOSITORY} because no resource-based policy allows the ecr:DescribeImages action`;
        throw Object.assign(new Error(message), { details: message });
    }
    return answer(args);
};

describe.each([false, true])("a stack whose image look-up the registry refuses (preview: %s)", (preview) => {
    it("fails with the MissingImagesError naming that image and ending in the pull-accounts hint, and registers nothing", async () => {
        // An edit that changes nothing: a run of its own (the shared runs were made with the plain mocks).
        const failed = runStack("staging", { preview, edit: () => undefined });
        await expect(failed).rejects.toBeInstanceOf(MissingImagesError);
        const error = (await failed.catch((e: unknown) => e)) as MissingImagesError;
        expect(error.failures.map((f) => [f.request.repository, f.kind])).toEqual([[DENIED_REPOSITORY, "other"]]);
        const line = error.message.split("\n").find((l) => l.includes(`${DENIED_REPOSITORY}:`));
        expect(line).toMatch(
            /^ {2}- iam-pump:v\d+\.\d+\.\d+ \(service iam-pump\): the look-up failed: .*AccessDeniedException.*\(is this account in the registry's pullAccounts\? The look-up needs ecr:DescribeImages and ecr:DescribeRepositories on the repository\)$/,
        );
        expect(error.message).not.toContain("no image was looked up");
        expect(await settledRegistrations()).toBe(0);
    });
});

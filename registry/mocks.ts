import { createHash } from "crypto";
import { getConfig } from "@pulumi/pulumi/runtime/config";
import { MOCK_ACCOUNT, MOCK_REGION, OutputMock, CallMock } from "../lib/mockTypes";

/**
 * Images the mocked registry does NOT have, as `repository:tag`. Empty: every
 * image a stack file names is there. A test adds names to it to see the
 * missing-image error, and clears it afterwards.
 */
export const unpushedImages = new Set<string>();

/**
 * Repositories whose look-up the mocked registry refuses (AccessDenied), as
 * ECR answers an account the repository policy does not let describe them.
 * Empty by default; a test adds names and clears them afterwards.
 */
export const deniedRepositories = new Set<string>();

/** The digest the mocked registry reports for an image: stable per registry, repository and tag. */
export function mockDigest(registryId: string, repository: string, tag: string): string {
    return `sha256:${createHash("sha256").update(`${registryId}/${repository}:${tag}`).digest("hex")}`;
}

/** Outputs of the registry's resource types under mocks. */
export const registryOutputs: Record<string, OutputMock> = {
    "aws:ecr/repository:Repository": (args) => {
        // ECR's registry id is the account the provider runs in: the registry project's declared account (iam-registry:account).
        const account = getConfig("iam-registry:account")?.replace(/"/g, "") ?? MOCK_ACCOUNT;
        return { repositoryUrl: `${account}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${String(args.inputs.name)}`, registryId: account };
    },
};

/** `aws.ecr.getImage` as ECR answers it: the image's digest, or ImageNotFoundException for an unpushed one. */
export const registryCalls: Record<string, CallMock> = {
    "aws:ecr/getImage:getImage": (args) => {
        const registryId = String(args.inputs.registryId);
        const repository = String(args.inputs.repositoryName);
        const tag = String(args.inputs.imageTag ?? args.inputs.imageDigest);
        if (deniedRepositories.has(repository)) {
            // The provider's wording when DescribeRepositories (its second call) is refused.
            const message = `reading ECR Images: operation error ECR: DescribeRepositories, https response error StatusCode: 400, api error AccessDeniedException: User: arn:aws:sts::210987654321:assumed-role/deploy/ci is not authorized to perform: ecr:DescribeRepositories on resource: arn:aws:ecr:${String(args.inputs.region ?? MOCK_REGION)}:${registryId}:repository/${repository} because no resource-based policy allows the ecr:DescribeRepositories action`;
            throw Object.assign(new Error(message), { details: message });
        }
        if (unpushedImages.has(`${repository}:${tag}`)) {
            // As the engine fails an invoke: a gRPC error whose `details` the SDK turns into the rejection's message.
            const message = `reading ECR Image (${repository}): ImageNotFoundException: The image with imageId {imageTag:'${tag}'} does not exist within the repository with name '${repository}' in the registry with id '${registryId}'`;
            throw Object.assign(new Error(message), { details: message });
        }
        const digest = args.inputs.imageDigest ? String(args.inputs.imageDigest) : mockDigest(registryId, repository, tag);
        return {
            id: `${registryId}/${repository}@${digest}`,
            imageDigest: digest,
            imageTag: args.inputs.imageTag,
            imageTags: args.inputs.imageTag ? [args.inputs.imageTag] : [],
            imageUri: `${registryId}.dkr.ecr.${String(args.inputs.region ?? MOCK_REGION)}.amazonaws.com/${repository}@${digest}`,
            imagePushedAt: 1764547200,
            imageSizeInBytes: 52_428_800,
            registryId,
            repositoryName: repository,
            region: args.inputs.region ?? MOCK_REGION,
        };
    },
};

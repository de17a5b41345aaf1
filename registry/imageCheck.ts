/**
 * Looks every service's image up in the registry before anything is
 * deployed. `deployEnvironment` (stack.ts) awaits this before it creates
 * the first resource, so a missing image fails `pulumi preview` (invokes run
 * in previews too) with one error naming every missing image, not a rollout
 * that times out on ImagePullBackOff twenty minutes into `pulumi up`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { classifyLookupError, ImageRequest, imageRequests, LookupFailure, lookupArgs, missingImagesMessage, RegistryRef, ResolvedImage, resolvedImage } from "./imagePlan";

/**
 * Thrown when images are missing. A RunError: Pulumi prints the message
 * alone, without a stack trace.
 */
export class MissingImagesError extends pulumi.RunError {
    constructor(
        readonly failures: readonly LookupFailure[],
        registry: RegistryRef,
    ) {
        super(missingImagesMessage(failures, registry));
        this.name = "MissingImagesError";
    }
}

/**
 * Resolves each service's tag to the digest the registry holds, all look-ups
 * at once; throws one MissingImagesError listing every failed one. Uses the
 * default AWS provider with the registry's region (`region` argument), so
 * the check registers no resource of its own.
 */
export async function lookUpImages(
    services: readonly { name: string; image: { repository: string; tag: string } }[],
    registry: RegistryRef,
): Promise<Record<string, ResolvedImage>> {
    const requests = imageRequests(services, registry);
    const results = await Promise.all(requests.map((request) => lookUp(request, registry)));
    const failures = results.filter((r): r is LookupFailure => "kind" in r);
    if (failures.length > 0) {
        throw new MissingImagesError(failures, registry);
    }
    return Object.fromEntries((results as ResolvedImage[]).map((image) => [image.service, image]));
}

async function lookUp(request: ImageRequest, registry: RegistryRef): Promise<ResolvedImage | LookupFailure> {
    try {
        const found = await aws.ecr.getImage(lookupArgs(request, registry));
        return resolvedImage(request, found.imageDigest);
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { request, kind: classifyLookupError(message), message };
    }
}

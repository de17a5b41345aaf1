/**
 * Which image each service deploys, and what to say when some are not in the
 * registry. Pure: no Pulumi. `imageCheck.ts` does the look-ups with it.
 */
import { IMAGE_LOOKUP_ACTIONS, registryHost } from "./registryPolicy";

/** The registry an environment deploys from (`iam:registry`). */
export interface RegistryRef {
    account: string;
    region: string;
}

/** A service's image as the stack file names it. */
export interface ImageRequest {
    /** The service (Deployment) it is for. */
    service: string;
    repository: string;
    /** A release tag, or a `sha256:` digest. */
    tag: string;
    /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>`, without tag. */
    repositoryUrl: string;
}

/** An image the registry has: what the Deployment runs, pinned by digest. */
export interface ResolvedImage extends ImageRequest {
    /** `sha256:...` of the image the tag points to at look-up time. */
    digest: string;
    /** `<repositoryUrl>@<digest>`: the pod runs exactly this image, whatever happens to the tag later. */
    reference: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The repository URL of a repository in the registry. */
export function repositoryUrl(registry: RegistryRef, repository: string): string {
    return `${registryHost(registry.account, registry.region)}/${repository}`;
}

/** One request per service, in catalog order. */
export function imageRequests(services: readonly { name: string; image: { repository: string; tag: string } }[], registry: RegistryRef): ImageRequest[] {
    return services.map((s) => ({ service: s.name, repository: s.image.repository, tag: s.image.tag, repositoryUrl: repositoryUrl(registry, s.image.repository) }));
}

/** The arguments of `aws.ecr.getImage` for a request: by digest when the stack pins one, else by tag. */
export function lookupArgs(request: ImageRequest, registry: RegistryRef): { registryId: string; region: string; repositoryName: string; imageTag?: string; imageDigest?: string } {
    const base = { registryId: registry.account, region: registry.region, repositoryName: request.repository };
    return DIGEST.test(request.tag) ? { ...base, imageDigest: request.tag } : { ...base, imageTag: request.tag };
}

/** The image a request resolved to. */
export function resolvedImage(request: ImageRequest, digest: string): ResolvedImage {
    return { ...request, digest, reference: `${request.repositoryUrl}@${digest}` };
}

/** `repository:tag`, or `repository@sha256:...` for a pinned digest. */
export function imageName(request: Pick<ImageRequest, "repository" | "tag">): string {
    return DIGEST.test(request.tag) ? `${request.repository}@${request.tag}` : `${request.repository}:${request.tag}`;
}

/** Why a look-up failed: the image is not there, the repository is not there, or something else (access, network). */
export type LookupFailureKind = "image" | "repository" | "other";

/** A look-up that failed, with the provider's message. */
export interface LookupFailure {
    request: ImageRequest;
    kind: LookupFailureKind;
    message: string;
}

/** Classifies the provider's error text of a failed `aws.ecr.getImage`. */
export function classifyLookupError(message: string): LookupFailureKind {
    if (/RepositoryNotFoundException/i.test(message)) {
        return "repository";
    }
    if (/ImageNotFoundException|no matching ECR Image|empty result|couldn't find resource|does not exist within the repository/i.test(message)) {
        return "image";
    }
    return "other";
}

/**
 * The one error a preview fails with when images are missing: every missing
 * `repository:tag`, and the commands that put them there.
 */
export function missingImagesMessage(failures: readonly LookupFailure[], registry: RegistryRef): string {
    const host = registryHost(registry.account, registry.region);
    const lines = [`${failures.length} image${failures.length === 1 ? " is" : "s are"} not deployable from the registry ${host}; nothing was created:`];
    for (const f of failures) {
        const name = imageName(f.request);
        if (f.kind === "image") {
            lines.push(`  - ${name} (service ${f.request.service}): not in the registry`);
        } else if (f.kind === "repository") {
            lines.push(
                `  - ${name} (service ${f.request.service}): the repository ${f.request.repository} does not exist; add it to the registry project's repositories and run pulumi -C registry up`,
            );
        } else {
            lines.push(
                `  - ${name} (service ${f.request.service}): the look-up failed: ${firstLine(f.message)} (is this account in the registry's pullAccounts? The look-up needs ${IMAGE_LOOKUP_ACTIONS.join(" and ")} on the repository)`,
            );
        }
    }
    const byTag = new Map<string, string[]>();
    for (const f of failures.filter((x) => x.kind === "image" && !DIGEST.test(x.request.tag))) {
        byTag.set(f.request.tag, [...(byTag.get(f.request.tag) ?? []), f.request.repository]);
    }
    if (byTag.size > 0) {
        lines.push("Push them from images built locally (named <repository>:<tag>), then preview again:");
        for (const [tag, repositories] of byTag) {
            lines.push(`  npm run images -- push ${tag} ${repositories.join(" ")}`);
        }
        lines.push(`or build them from the IAM source and push them: gh workflow run images.yml -f tag=${[...byTag.keys()][0]}`);
    }
    if (failures.some((x) => x.kind === "image" && DIGEST.test(x.request.tag))) {
        lines.push("A digest cannot be pushed by name: pin a tag the registry has, or push the image that has that digest.");
    }
    lines.push("See docs/registry.md.");
    return lines.join("\n");
}

/**
 * The part of the provider's error worth printing: its first line, from the
 * AWS error itself when the AWS SDK wrapped it (`... api error
 * AccessDeniedException: User ... is not authorized to perform: <action> ...`),
 * so the refused action is not cut off.
 */
function firstLine(message: string): string {
    const line =
        message
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l.length > 0) ?? message;
    const apiError = line.indexOf("api error ");
    const reason = apiError >= 0 ? line.slice(apiError + "api error ".length) : line;
    return reason.length > 300 ? `${reason.slice(0, 297)}...` : reason;
}

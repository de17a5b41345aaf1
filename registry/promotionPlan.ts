/**
 * Promotion: the tag staging ran is the tag prod gets. Reads the image tags
 * of one stack file and writes them into another's `iam:services`, keeping
 * its comments and layout. Pure (text in, text out); `npm run images --
 * promote` and the deploy workflow's promote job use it.
 */
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

/** One service whose tag changes. */
export interface TagChange {
    service: string;
    from: string;
    to: string;
}

const SERVICES = ["config", "iam:services"] as const;

/** Each service's image tag in a stack file, by service name. */
export function imageTags(stackFileText: string): Record<string, string> {
    const services = parseDocument(stackFileText).getIn(SERVICES, false) as unknown;
    const tags: Record<string, string> = {};
    if (isSeq(services)) {
        for (const item of services.items) {
            if (isMap(item)) {
                const name = item.get("name");
                const tag = item.getIn(["image", "tag"]);
                if (typeof name === "string" && typeof tag === "string") {
                    tags[name] = tag;
                }
            }
        }
    }
    return tags;
}

/**
 * The tag changes that make `target` run what `source` ran: for every service
 * both files deploy, the source's tag. A service only the target has keeps
 * its tag (and is reported by `unpromoted`).
 */
export function promotionChanges(source: Record<string, string>, target: Record<string, string>): TagChange[] {
    return Object.keys(target)
        .filter((s) => source[s] !== undefined && source[s] !== target[s])
        .map((s) => ({ service: s, from: target[s], to: source[s] }));
}

/** Services the target deploys that the source does not: nothing to promote them from. */
export function unpromoted(source: Record<string, string>, target: Record<string, string>): string[] {
    return Object.keys(target).filter((s) => source[s] === undefined);
}

/**
 * The target stack file with the changes applied: only each changed tag's
 * characters are replaced, so every other byte (comments, flow style) stays.
 */
export function applyPromotion(targetText: string, changes: readonly TagChange[]): string {
    const doc = parseDocument(targetText, { keepSourceTokens: true });
    const services = doc.getIn(SERVICES, false) as unknown;
    if (!isSeq(services)) {
        throw new Error("the stack file has no iam:services list");
    }
    const edits = changes.map((change) => {
        const item = services.items.find((i) => isMap(i) && i.get("name") === change.service);
        const tag = isMap(item) ? item.getIn(["image", "tag"], true) : undefined;
        if (!isScalar(tag) || !tag.range) {
            throw new Error(`the stack file has no image.tag for service ${change.service}`);
        }
        return { start: tag.range[0], end: tag.range[1], text: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(change.to) ? change.to : JSON.stringify(change.to) };
    });
    let text = targetText;
    for (const edit of edits.sort((a, b) => b.start - a.start)) {
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    }
    return text;
}

/**
 * Names that move from image to image by convention: writing one into a
 * stack file would make a deploy unrepeatable (and the registry's tags are
 * immutable, so the next push under it fails anyway).
 */
export const MOVING_TAGS = [
    "latest",
    "stable",
    "edge",
    "main",
    "master",
    "dev",
    "develop",
    "nightly",
    "head",
    "current",
    "release",
    "prod",
    "production",
    "staging",
    "test",
] as const;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Why `tag` may not be written into a stack file, or undefined when it may (a release tag or a sha256 digest). */
export function tagProblem(tag: string): string | undefined {
    if ((MOVING_TAGS as readonly string[]).includes(tag.toLowerCase())) {
        return `${JSON.stringify(tag)} is a moving tag (it names a different image over time): pin a release tag like v1.8.0 or a sha256:<64 hex> digest, so a deploy is repeatable`;
    }
    if (!TAG.test(tag) && !DIGEST.test(tag)) {
        return `${JSON.stringify(tag)} is not an image tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-') nor a sha256:<64 hex> digest`;
    }
    return undefined;
}

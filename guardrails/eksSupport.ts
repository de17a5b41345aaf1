/**
 * Which support phase a Kubernetes version is in, from the dated facts in
 * cluster/catalog.ts: the control plane costs six times as much in extended
 * support. Pure: no cloud SDK.
 */
import { EXTENDED_SUPPORT_ONLY, SUPPORTED_KUBERNETES_VERSIONS } from "../cluster/catalog";

/** standard: the base control-plane rate; extended: the extended-support rate; unsupported: past extended support; unknown: not in the catalog. */
export type SupportPhase = "standard" | "extended" | "unsupported" | "unknown";

/**
 * The phase of `version` at `now` by cluster/catalog.ts: a version the
 * catalog accepts is in standard support; one it lists as extended-only is in
 * extended support until that list's date.
 */
export function supportPhaseFromCatalog(version: string, now: Date): SupportPhase {
    if (SUPPORTED_KUBERNETES_VERSIONS[version]) {
        return "standard";
    }
    const extendedUntil = EXTENDED_SUPPORT_ONLY[version];
    if (extendedUntil) {
        return now.getTime() < Date.parse(`${extendedUntil}T00:00:00Z`) ? "extended" : "unsupported";
    }
    return "unknown";
}

/**
 * Which support phase a Kubernetes version is in, from the dated facts in
 * cluster/catalog.ts (each minor's end of standard and of extended support):
 * the control plane costs six times as much in extended support. Pure: no
 * cloud SDK.
 */
import { KUBERNETES_VERSIONS } from "../cluster/catalog";

/** standard: the base control-plane rate; extended: the extended-support rate; unsupported: past extended support; unknown: not in the catalog. */
export type SupportPhase = "standard" | "extended" | "unsupported" | "unknown";

/**
 * The phase of `version` at `now` by cluster/catalog.ts: standard support
 * until its end day (00:00 UTC, when EKS starts billing extended support),
 * then extended support until that one's end day.
 */
export function supportPhaseFromCatalog(version: string, now: Date): SupportPhase {
    const row = KUBERNETES_VERSIONS[version];
    if (!row) {
        return "unknown";
    }
    const before = (day: string): boolean => now.getTime() < Date.parse(`${day}T00:00:00Z`);
    if (before(row.endOfStandardSupport)) {
        return "standard";
    }
    return before(row.endOfExtendedSupport) ? "extended" : "unsupported";
}

/**
 * Pod Security Admission labels, pure. Every namespace the stack creates
 * carries them (the policy pack's `namespace-enforces-pod-security` refuses
 * one without `enforce`).
 */

/** `restricted` where the namespace's pods allow it; `baseline` otherwise, with the reason beside the call. */
export type PodSecurityLevel = "restricted" | "baseline";

/** The level in all three modes (reject, audit, warn), each at the cluster's own version of the standard. */
export function podSecurityLabels(level: PodSecurityLevel = "restricted"): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = level;
        // `latest`: the cluster's own version of the standard; the pods here
        // already satisfy it, so an upgrade cannot reject them.
        labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
    }
    return labels;
}

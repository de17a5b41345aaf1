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

/**
 * A container's securityContext under Pod Security `restricted`, with what
 * the stack adds to it (a read-only root filesystem, not privileged); the
 * caller sets the user and group where the image needs them. Shared by the
 * IAM binaries, the schema Job and the Redis TLS proxy sidecar.
 */
export function restrictedContainer(): RestrictedContainer {
    return {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The securityContext fields `restrictedContainer` sets (a fresh object each call: callers add the user). */
export interface RestrictedContainer {
    runAsNonRoot: boolean;
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    privileged: boolean;
    capabilities: { drop: string[] };
    seccompProfile: { type: string };
}

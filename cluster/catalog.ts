/**
 * What this program knows about EKS versions, as of the date below: which
 * Kubernetes versions it accepts, and the add-on versions pinned for each.
 *
 * The floor is STANDARD support. On 2026-11-21 EKS has 1.34 and 1.35 in
 * standard support; 1.33 is in extended support only (until 2027-07-29),
 * which costs six times the standard control-plane price and gets patches
 * only until that date, so a new or upgraded cluster may not start there.
 * The cluster's upgrade policy is STANDARD too (see cluster/cluster.ts), so
 * AWS upgrades a cluster that outstays standard support instead of billing
 * extended support silently.
 *
 * Adding a version: add a row with the add-on versions `aws eks
 * describe-addon-versions --kubernetes-version <v> --addon-name <name>`
 * reports as default, and the cluster-autoscaler release of the same minor.
 */

export const EKS_CATALOG_AS_OF = "2026-11-21";

/** Pinned versions that must match the cluster's Kubernetes minor version. */
export interface EksVersionPins {
    /** EKS add-on versions (`addonVersion` of `aws.eks.Addon`). */
    addons: {
        vpcCni: string;
        coredns: string;
        /** kube-proxy must be the cluster's minor version. */
        kubeProxy: string;
    };
    /** cluster-autoscaler's minor must equal the cluster's (it uses the scheduler's code of that release). */
    clusterAutoscalerImageTag: string;
}

/** Kubernetes versions in EKS standard support, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: Readonly<Record<string, EksVersionPins>> = {
    "1.34": {
        addons: { vpcCni: "v1.20.4-eksbuild.2", coredns: "v1.12.3-eksbuild.1", kubeProxy: "v1.34.0-eksbuild.2" },
        clusterAutoscalerImageTag: "v1.34.3",
    },
    "1.35": {
        addons: { vpcCni: "v1.21.1-eksbuild.3", coredns: "v1.13.2-eksbuild.1", kubeProxy: "v1.35.0-eksbuild.2" },
        clusterAutoscalerImageTag: "v1.35.0",
    },
};

/** Versions EKS still runs but only in (paid) extended support, with the date that ends. */
export const EXTENDED_SUPPORT_ONLY: Readonly<Record<string, string>> = {
    "1.33": "2027-07-29",
};

/** Helm charts of the cluster add-ons: the real repositories, versions pinned. */
export const ADDON_CHARTS = {
    metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.0" },
    clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.52.1" },
} as const;

/** The placeholder container of the headroom pods: does nothing, holds its resource requests. */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

const VERSION_PATTERN = /^1\.(\d{1,2})$/;

function minor(version: string): number {
    return Number(VERSION_PATTERN.exec(version)?.[1] ?? -1);
}

/** The versions accepted, oldest first. */
export function supportedVersions(): string[] {
    return Object.keys(SUPPORTED_KUBERNETES_VERSIONS).sort((a, b) => minor(a) - minor(b));
}

/**
 * Why `version` cannot be used for the cluster, or undefined when it can.
 * The message completes "cluster.version ...".
 */
export function kubernetesVersionProblem(version: string): string | undefined {
    const known = supportedVersions();
    if (!VERSION_PATTERN.test(version)) {
        return `must be a Kubernetes minor version like "${known[known.length - 1]}", got ${JSON.stringify(version)}`;
    }
    if (SUPPORTED_KUBERNETES_VERSIONS[version]) {
        return undefined;
    }
    const floor = known[0];
    const extendedUntil = EXTENDED_SUPPORT_ONLY[version];
    if (extendedUntil) {
        return `(${version}) is below the supported floor ${floor}: EKS runs it in paid extended support only (until ${extendedUntil}); use ${known.join(" or ")}`;
    }
    if (minor(version) < minor(floor)) {
        return `(${version}) is below the supported floor ${floor}: EKS no longer offers it in standard support; use ${known.join(" or ")}`;
    }
    return `(${version}) is not a version this program has pinned add-ons for (known: ${known.join(", ")}, as of ${EKS_CATALOG_AS_OF}); add it to cluster/catalog.ts`;
}

/**
 * The `eks-pod-identity-agent` add-on build pinned per Kubernetes minor
 * (the DaemonSet that hands pods their EKS Pod Identity credentials).
 * Source: `aws eks describe-addon-versions --addon-name eks-pod-identity-agent
 * --kubernetes-version <v>`; v1.3.10-eksbuild.3 was the default for 1.34
 * and compatible with 1.35 on 2026-11-21. Kept beside the other add-on pins
 * until the catalog's per-version rows carry it; every supported version
 * needs a row (cluster/catalog.test.ts).
 */
export const POD_IDENTITY_AGENT_VERSIONS: Readonly<Record<string, string>> = {
    "1.34": "v1.3.10-eksbuild.3",
    "1.35": "v1.3.10-eksbuild.3",
};

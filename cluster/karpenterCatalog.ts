/**
 * Karpenter's dated facts, per Kubernetes minor: the chart, the node images
 * its EC2NodeClasses pin, and the kubectl of the pod-floor CronJobs. Pure
 * data, each with its source and the day it was checked; re-exported by
 * cluster/catalog.ts. A minor EKS offers must have a row in each
 * (cluster/catalog.test.ts, cluster/karpenterCatalog.test.ts).
 */

/**
 * Karpenter, pinned per Kubernetes minor: the controller chart and its CRD
 * chart from `oci://public.ecr.aws/karpenter` (same version: Karpenter's CRDs
 * are coupled to its release). Source: karpenter.sh compatibility matrix
 * (website/content/en/docs/upgrading/compatibility.md in
 * aws/karpenter-provider-aws at 1d927085, "docs: update for patch release
 * v1.14.1", 2026-08-21; the same table at tag v1.14.1): 1.34 needs >= 1.6,
 * 1.35 needs >= 1.9, 1.36 needs 1.13 or later (the matrix's newest column,
 * "1.13.x"). Checked 2026-12-07. The CRD fields the program writes are
 * checked against this version's CRDs in cluster/karpenterCrds.test.ts.
 */
export const KARPENTER_CHARTS: Readonly<Record<string, { version: string; minimumForMinor: string }>> = {
    "1.34": { version: "1.14.1", minimumForMinor: "1.6.0" },
    "1.35": { version: "1.14.1", minimumForMinor: "1.9.0" },
    "1.36": { version: "1.14.1", minimumForMinor: "1.13.0" },
};

/** Where the Karpenter charts live (OCI registries; Helm pulls `<repository>/<chart>`). */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

/**
 * The node image versions Karpenter's EC2NodeClasses pin
 * (`amiSelectorTerms: [{ alias: "<family>@<version>" }]`, never `@latest`:
 * a new image then rolls the nodes only when this table changes, through
 * Karpenter's drift replacement within the disruption budgets). Karpenter
 * resolves an alias per Kubernetes minor (the image of that release built
 * for the cluster's minor), so `NODE_IMAGE_MINORS` lists the minors each
 * release was built for; the config refuses a node class whose family has
 * no image for the cluster's minor.
 * - al2023: EKS-optimized AL2023 release v20260714 (awslabs/amazon-eks-ami
 *   CHANGELOG "AMI Release v20260714": images
 *   amazon-eks-node-al2023-*-standard-1.30 ... -1.36-v20260714, i.e. built for
 *   Kubernetes 1.30-1.36; checked 2026-12-07).
 * - bottlerocket: v1.46.0 (the Bottlerocket alias Karpenter 1.14.1's own
 *   tests use, pkg/providers/amifamily/bottlerocket_test.go), for 1.34 and
 *   1.35 as pinned before; not for 1.36 (that release predates Kubernetes
 *   1.36: no aws-k8s-1.36 variant).
 * Checked 2026-12-03; newer releases may exist: bump after reading the
 * release notes (`aws ssm get-parameters-by-path --path
 * /aws/service/eks/optimized-ami/1.36/amazon-linux-2023/`).
 */
export const NODE_IMAGE_ALIASES = {
    al2023: "v20260714",
    bottlerocket: "v1.46.0",
} as const;

/** The Kubernetes minors each pinned node image release was built for (see NODE_IMAGE_ALIASES). */
export const NODE_IMAGE_MINORS: Readonly<Record<keyof typeof NODE_IMAGE_ALIASES, readonly string[]>> = {
    al2023: ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"],
    bottlerocket: ["1.34", "1.35"],
};

/**
 * kubectl for the scheduled pod-floor CronJobs (Karpenter mode), one per
 * Kubernetes minor (kubectl supports the API server's minor +/- 1).
 * Source: registry.k8s.io/kubectl, the image Kubernetes publishes with
 * each release (kubernetes CHANGELOG-1.36.md lists registry.k8s.io/kubectl
 * among each v1.36.x release's images; 1.36.2 is the patch EKS's AMI release
 * v20260714 is built on). Checked 2026-12-03 (1.36: 2026-12-07).
 */
export const KUBECTL_IMAGES: Readonly<Record<string, string>> = {
    "1.34": "registry.k8s.io/kubectl:v1.34.2",
    "1.35": "registry.k8s.io/kubectl:v1.35.0",
    "1.36": "registry.k8s.io/kubectl:v1.36.2",
};

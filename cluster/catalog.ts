/**
 * What this program knows about EKS versions, as of the date below: for each
 * Kubernetes minor, its EKS release date, end of standard support and end of
 * extended support (each with its source), and the add-on and chart versions
 * pinned for it. Pure data and pure functions: no Pulumi.
 *
 * Time is an input (`supportStatus(version, now)`): the config loader refuses
 * a version whose standard support has ended before anything is created, and
 * warns within `SUPPORT_WARNING_DAYS` of the end. Extended support (12 more
 * months) costs six times the standard control-plane price per cluster hour,
 * and the cluster's upgrade policy is STANDARD (cluster/cluster.ts): at the
 * end of standard support AWS upgrades the control plane by itself, and EKS
 * never downgrades, so a stack file left on the old version could not be
 * applied any more. The weekly workflow (.github/workflows/catalog-freshness.yml,
 * scripts/checkCatalog.ts) compares these tables with AWS and opens an issue
 * when a pin is stale or an end is within 90 days.
 *
 * Adding a version: add a row to KUBERNETES_VERSIONS with the three dates from
 * `aws eks describe-cluster-versions --cluster-versions <v>` (or the release
 * calendar below), and `pins` with the default of `aws eks
 * describe-addon-versions --kubernetes-version <v> --addon-name <name>` for
 * vpc-cni, coredns, kube-proxy, eks-pod-identity-agent and
 * amazon-cloudwatch-observability, plus the cluster-autoscaler release of the
 * same minor (github.com/kubernetes/autoscaler/releases), and the Karpenter
 * chart, kubectl image and node images below. A row without `pins` is known
 * (its dates are checked) but not deployable; the catalog test refuses a
 * minor EKS offers in standard support that is not deployable.
 *
 * An EKS add-on pin may be left out when no build has been confirmed: the
 * program then installs the version EKS names as the default for that minor,
 * read at every preview (`aws.eks.getAddonVersion`, `mostRecent: false`;
 * cluster/addonVersion.ts), and says so: a config warning, and the stack
 * output `unpinnedAddons` (docs/operations/upgrade.md). Unpinned, it changes
 * when AWS changes the default: pin it once known.
 */

/** The day these tables were last checked against their sources. */
export const EKS_CATALOG_AS_OF = "2026-12-03";

/** AWS's release calendar: the source of the EKS dates unless a row says otherwise. */
export const EKS_RELEASE_CALENDAR =
    "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar (Amazon EKS Kubernetes release calendar)";

/** Days before the end of standard support from which every preview warns. */
export const SUPPORT_WARNING_DAYS = 60;

/**
 * Pinned versions that must match the cluster's Kubernetes minor version. An
 * EKS add-on version left out (undefined) is resolved at preview to EKS's
 * default for the minor and reported as unpinned (see the header).
 */
export interface EksVersionPins {
    /** EKS add-on versions (`addonVersion` of `aws.eks.Addon`); the cluster config may override these three. */
    addons: {
        vpcCni?: string;
        coredns?: string;
        /** kube-proxy must be the cluster's minor version. */
        kubeProxy?: string;
    };
    /** `eks-pod-identity-agent` add-on build for this minor. */
    podIdentityAgent?: string;
    /** `amazon-cloudwatch-observability` add-on build (guardrails/alarms.ts installs it for Container Insights). */
    cloudwatchObservability?: string;
    /** cluster-autoscaler's minor must equal the cluster's (it uses the scheduler's code of that release); no AWS default to fall back on. */
    clusterAutoscalerImageTag: string;
}

/** The EKS add-on name of each add-on pin. */
export const EKS_ADDON_NAMES = {
    vpcCni: "vpc-cni",
    coredns: "coredns",
    kubeProxy: "kube-proxy",
    podIdentityAgent: "eks-pod-identity-agent",
    cloudwatchObservability: "amazon-cloudwatch-observability",
} as const;

/** The EKS add-ons (by EKS name) that `pins` leaves unpinned, in EKS_ADDON_NAMES order. */
export function unpinnedAddons(pins: EksVersionPins): string[] {
    const versions: Record<keyof typeof EKS_ADDON_NAMES, string | undefined> = {
        vpcCni: pins.addons.vpcCni,
        coredns: pins.addons.coredns,
        kubeProxy: pins.addons.kubeProxy,
        podIdentityAgent: pins.podIdentityAgent,
        cloudwatchObservability: pins.cloudwatchObservability,
    };
    return (Object.keys(EKS_ADDON_NAMES) as (keyof typeof EKS_ADDON_NAMES)[]).filter((k) => versions[k] === undefined).map((k) => EKS_ADDON_NAMES[k]);
}

/** One Kubernetes minor on EKS: its dates (UTC days) with their sources, and its pins. */
export interface KubernetesVersionRow {
    /** The day EKS released it. */
    released: string;
    /** The day standard support ends (EKS bills extended support from 00:00 UTC); from this day the version is refused. */
    endOfStandardSupport: string;
    /** The day extended support ends (12 months after standard support); AWS then upgrades the control plane. */
    endOfExtendedSupport: string;
    /** Where the three dates come from. */
    source: string;
    /** The add-on pins; absent for a version this program does not deploy. */
    pins?: EksVersionPins;
    /** Where the pins come from and when they were read. */
    pinsSource?: string;
}

/** Kubernetes minors on EKS, oldest first. */
export const KUBERNETES_VERSIONS: Readonly<Record<string, KubernetesVersionRow>> = {
    "1.33": {
        released: "2025-05-29",
        endOfStandardSupport: "2026-07-29",
        endOfExtendedSupport: "2027-07-29",
        source: EKS_RELEASE_CALENDAR,
    },
    "1.34": {
        released: "2025-10-02",
        endOfStandardSupport: "2026-12-02",
        endOfExtendedSupport: "2027-12-02",
        source: EKS_RELEASE_CALENDAR,
        // Kept after its end: a 1.34 stack is refused with its date, and tests pin earlier clocks.
        pins: {
            addons: { vpcCni: "v1.20.4-eksbuild.2", coredns: "v1.12.3-eksbuild.1", kubeProxy: "v1.34.0-eksbuild.2" },
            podIdentityAgent: "v1.3.10-eksbuild.3",
            cloudwatchObservability: "v4.5.0-eksbuild.1",
            clusterAutoscalerImageTag: "v1.34.3",
        },
        pinsSource:
            "aws eks describe-addon-versions --kubernetes-version 1.34 (defaults read 2026-11-21; eks-pod-identity-agent default on 1.34 v1.3.10-eksbuild.3 as of 2026-06-24); cluster-autoscaler release cluster-autoscaler-1.34.3",
    },
    "1.35": {
        released: "2026-01-28",
        endOfStandardSupport: "2027-03-27",
        endOfExtendedSupport: "2028-03-27",
        source: EKS_RELEASE_CALENDAR,
        pins: {
            addons: { vpcCni: "v1.21.1-eksbuild.3", coredns: "v1.13.2-eksbuild.1", kubeProxy: "v1.35.0-eksbuild.2" },
            podIdentityAgent: "v1.3.10-eksbuild.3",
            cloudwatchObservability: "v4.5.0-eksbuild.1",
            clusterAutoscalerImageTag: "v1.35.0",
        },
        pinsSource:
            "aws eks describe-addon-versions --kubernetes-version 1.35 (defaults read 2026-11-21; eks-pod-identity-agent v1.3.10-eksbuild.3 and amazon-cloudwatch-observability v4.5.0-eksbuild.1 compatible with 1.35); cluster-autoscaler release cluster-autoscaler-1.35.0",
    },
    "1.36": {
        released: "2026-06-02",
        endOfStandardSupport: "2027-08-02",
        endOfExtendedSupport: "2028-08-02",
        source: "EKS release calendar entry as reported by `aws eks describe-cluster-versions` (standard support to 2027-08-02, recorded 2026-09-16); release date 2026-06-02 from the EKS 1.36 launch; extended end = standard end + 12 months (EKS policy). Re-read the calendar before relying on it.",
        // amazon-cloudwatch-observability: no build for 1.36 confirmed here, so it is
        // left unpinned: EKS's default for 1.36 is installed, read at preview, and warned about.
        pins: {
            addons: { vpcCni: "v1.22.4-eksbuild.3", coredns: "v1.14.3-eksbuild.16", kubeProxy: "v1.36.0-eksbuild.21" },
            podIdentityAgent: "v1.3.10-eksbuild.3",
            clusterAutoscalerImageTag: "v1.36.1",
        },
        pinsSource:
            "aws eks describe-addon-versions --kubernetes-version 1.36 (defaults recorded in this catalog 2026-09-16: vpc-cni v1.22.4-eksbuild.3, kube-proxy v1.36.0-eksbuild.21, coredns v1.14.3-eksbuild.16, eks-pod-identity-agent v1.3.10-eksbuild.3); cluster-autoscaler release cluster-autoscaler-1.36.1 (2026-07-23); amazon-cloudwatch-observability unpinned (EKS default at preview)",
    },
};

/** A Helm chart the program installs: repository, chart, pinned version, and when it was released and checked. */
export interface ChartPin {
    repo: string;
    chart: string;
    version: string;
    /** The day this chart version was published, when known. */
    released?: string;
    /** The day the pin was last compared with the chart index. */
    checked: string;
    /** Where the version and date come from. */
    source: string;
}

/** Helm charts of the cluster add-ons: the real repositories, versions pinned. */
export const ADDON_CHARTS = {
    metricsServer: {
        repo: "https://kubernetes-sigs.github.io/metrics-server/",
        chart: "metrics-server",
        version: "3.13.0",
        checked: "2026-12-03",
        source: "https://kubernetes-sigs.github.io/metrics-server/index.yaml (metrics-server v0.8.x; in use by 2025-09)",
    },
    clusterAutoscaler: {
        repo: "https://kubernetes.github.io/autoscaler",
        chart: "cluster-autoscaler",
        version: "9.52.1",
        checked: "2026-12-03",
        source: "https://kubernetes.github.io/autoscaler/index.yaml; the image tag is set per minor (clusterAutoscalerImageTag), so the chart's own appVersion does not matter",
    },
} as const satisfies Record<string, ChartPin>;

/** The placeholder container of the headroom pods: does nothing, holds its resource requests. */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

const VERSION_PATTERN = /^1\.(\d{1,2})$/;

function minor(version: string): number {
    return Number(VERSION_PATTERN.exec(version)?.[1] ?? -1);
}

/** The versions that have pins, oldest first (whether or not still in standard support). */
export function supportedVersions(): string[] {
    return Object.keys(SUPPORTED_KUBERNETES_VERSIONS).sort((a, b) => minor(a) - minor(b));
}

/** Pinned versions only (what `cluster.version` may name), by version. */
export const SUPPORTED_KUBERNETES_VERSIONS: Readonly<Record<string, EksVersionPins>> = Object.fromEntries(
    Object.entries(KUBERNETES_VERSIONS).flatMap(([version, row]) => (row.pins ? [[version, row.pins]] : [])),
);

/**
 * Why `version` cannot be used for the cluster regardless of the date, or
 * undefined when it can. The message completes "cluster.version ...".
 */
export function kubernetesVersionProblem(version: string): string | undefined {
    const known = supportedVersions();
    if (!VERSION_PATTERN.test(version)) {
        return `must be a Kubernetes minor version like "${known[known.length - 1]}", got ${JSON.stringify(version)}`;
    }
    if (SUPPORTED_KUBERNETES_VERSIONS[version]) {
        return undefined;
    }
    const row = KUBERNETES_VERSIONS[version];
    if (row) {
        return `(${version}) is a version EKS offers but this program has no add-on pins for (pinned: ${known.join(", ")}, as of ${EKS_CATALOG_AS_OF}); add its pins to cluster/catalog.ts`;
    }
    if (minor(version) < minor(known[0])) {
        return `(${version}) is older than every version this program pins (${known.join(", ")}); EKS no longer offers it in standard support`;
    }
    return `(${version}) is not a version this program knows (pinned: ${known.join(", ")}, as of ${EKS_CATALOG_AS_OF}); add it to cluster/catalog.ts`;
}

/** What the clock says about a version: refused (`problem`), warned (`warning`), or neither. */
export interface SupportStatus {
    /** Completes "cluster.version ...": standard support has ended. */
    problem?: string;
    /** Completes "cluster.version ...": standard support ends within SUPPORT_WARNING_DAYS. */
    warning?: string;
    /** Whole days until the end of standard support (negative once it has ended). */
    daysLeft: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole UTC days from `now` to the start of `day` (YYYY-MM-DD), rounded up: 0 on the day itself. */
export function daysUntil(day: string, now: Date): number {
    return Math.ceil((Date.parse(`${day}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

/**
 * The next minor (EKS upgrades one at a time), when the catalog knows it.
 * Undefined when it does not.
 */
export function nextVersion(version: string): string | undefined {
    const next = `1.${minor(version) + 1}`;
    return KUBERNETES_VERSIONS[next] ? next : undefined;
}

/**
 * The support status of a catalog version at `now`. From the end day of
 * standard support (00:00 UTC, when EKS starts billing extended support) the
 * version is refused; within SUPPORT_WARNING_DAYS before it, warned.
 * A version not in KUBERNETES_VERSIONS has neither (kubernetesVersionProblem reports it).
 */
export function supportStatus(version: string, now: Date): SupportStatus {
    const row = KUBERNETES_VERSIONS[version];
    if (!row) {
        return { daysLeft: Number.POSITIVE_INFINITY };
    }
    const daysLeft = daysUntil(row.endOfStandardSupport, now);
    const next = nextVersion(version);
    const moveTo = next
        ? `move to ${next}${SUPPORTED_KUBERNETES_VERSIONS[next] ? "" : ` (add its add-on pins to cluster/catalog.ts first)`}, one minor at a time (docs/operations/upgrade.md)`
        : "move to the next minor (add it to cluster/catalog.ts), one minor at a time (docs/operations/upgrade.md)";
    if (daysLeft <= 0) {
        return {
            daysLeft,
            problem:
                `(${version}): EKS standard support for ${version} ended on ${row.endOfStandardSupport}; ` +
                `with upgradePolicy STANDARD AWS upgrades the control plane itself and never downgrades; ${moveTo}`,
        };
    }
    if (daysLeft <= SUPPORT_WARNING_DAYS) {
        return {
            daysLeft,
            warning:
                `(${version}): EKS standard support for ${version} ends on ${row.endOfStandardSupport} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}); ` +
                `after that this program refuses it and AWS upgrades the control plane; ${moveTo}`,
        };
    }
    return { daysLeft };
}

/**
 * The `eks-pod-identity-agent` add-on build pinned per Kubernetes minor
 * (the DaemonSet that hands pods their EKS Pod Identity credentials), by
 * version: read from each row's `pins.podIdentityAgent` above (source in the
 * row's `pinsSource`), so there is one place to update. Undefined for a minor
 * that leaves it unpinned (resolved at preview).
 */
export const POD_IDENTITY_AGENT_VERSIONS: Readonly<Record<string, string | undefined>> = Object.fromEntries(
    Object.entries(SUPPORTED_KUBERNETES_VERSIONS).map(([version, pins]) => [version, pins.podIdentityAgent]),
);

/**
 * The AWS Load Balancer Controller's Helm chart (eks-charts), pinned. It only
 * registers pod IPs into the target groups Pulumi owns (TargetGroupBinding),
 * so its version follows Kubernetes support and the TargetGroupBinding CRD
 * (`elbv2.k8s.aws/v1beta1`, validated against the same release in
 * edge/targetGroupBindingSchema.test.ts).
 *
 * Source: kubernetes-sigs/aws-load-balancer-controller tag v3.5.0 (2026-08-03):
 * helm/aws-load-balancer-controller/Chart.yaml (version 3.5.0, appVersion
 * v3.5.0); docs/deploy/installation.md "v2.5.0+ requires Kubernetes 1.22+" and
 * go.mod client-go v0.36.2, so 1.34 and 1.35 are covered. Checked 2026-12-03.
 * Upgrading: bump chart, image and `crdManifests` together (the tag in each
 * URL), re-read the CRD and the chart's values (templates/deployment.yaml,
 * webhook.yaml) at the new tag.
 *
 * `crdManifests`: the chart keeps its CRDs in `crds/` (crds.yaml:
 * TargetGroupBinding, IngressClassParams, ALBTargetControlConfig,
 * GlobalAccelerator; gateway-crds.yaml: the gateway.k8s.aws configurations),
 * which Helm installs once and never upgrades; and there is no CRD chart (no
 * such chart in eks-charts or in the controller's helm/ folder at v3.5.0).
 * So the release skips them and Pulumi applies these two files, at the same
 * tag as the chart, as the chart's README tells an upgrade to do by hand
 * (`kubectl apply -k .../crds`). Checked 2026-12-07 against
 * kubernetes-sigs/aws-load-balancer-controller tag v3.5.0
 * (helm/aws-load-balancer-controller/crds/, .helmignore).
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
    repo: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    appVersion: "v3.5.0",
    released: "2026-08-03",
    checked: "2026-12-03",
    crdManifests: {
        crds: "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml",
        "gateway-crds": "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/gateway-crds.yaml",
    },
} as const;

// Karpenter's rows (chart per minor, node images, kubectl): cluster/karpenterCatalog.ts.
export { KARPENTER_CHART_REPOSITORY, KARPENTER_CHARTS, KUBECTL_IMAGES, NODE_IMAGE_ALIASES, NODE_IMAGE_MINORS } from "./karpenterCatalog";

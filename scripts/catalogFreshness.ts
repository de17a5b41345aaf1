/**
 * The comparison behind the weekly catalog check (scripts/checkCatalog.ts,
 * .github/workflows/catalog-freshness.yml), pure: what AWS and the chart
 * repositories say (the AWS CLI's JSON and a Helm repository's index.yaml,
 * parsed; an OCI registry's tag list; an SSM parameter) against what
 * cluster/catalog.ts and data/catalog.ts pin (add-ons, the Load Balancer
 * Controller and credential-sync charts, Karpenter's charts, the kubectl
 * images, the AL2023 node image alias), at a given
 * time. Each finding says what to change. No I/O here, so it is tested with
 * fixture JSON shaped like the real output (scripts/fixtures/).
 */
import type { EksVersionPins, KubernetesVersionRow } from "../cluster/catalog";

/** `aws eks describe-cluster-versions --output json` (the fields used). */
export interface DescribeClusterVersions {
    clusterVersions: {
        clusterVersion: string;
        releaseDate?: string;
        endOfStandardSupportDate?: string;
        endOfExtendedSupportDate?: string;
        status?: string;
        defaultVersion?: boolean;
    }[];
}

/** `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name> --output json` (the fields used). */
export interface DescribeAddonVersions {
    addons: {
        addonName: string;
        addonVersions: {
            addonVersion: string;
            compatibilities: { clusterVersion: string; defaultVersion: boolean }[];
        }[];
    }[];
}

/** A Helm repository's `index.yaml`, parsed (the fields used). */
export interface HelmRepositoryIndex {
    entries: Record<string, { version: string; created?: string; appVersion?: string }[]>;
}

/** One thing to act on. `subject` identifies it across weeks (the issue lists them). */
export interface Finding {
    kind:
        | "support-ending"
        | "support-ended"
        | "date-differs"
        | "version-not-in-catalog"
        | "version-not-pinned"
        | "addon-stale"
        | "addon-not-offered"
        | "addon-unpinned"
        | "chart-stale"
        | "chart-missing"
        | "not-pinned-for-version"
        | "image-stale"
        | "image-missing"
        | "node-image-stale";
    subject: string;
    message: string;
}

/** The EKS add-on names of the pins in cluster/catalog.ts. */
export const ADDON_NAMES: Readonly<Record<"vpcCni" | "coredns" | "kubeProxy" | "podIdentityAgent" | "cloudwatchObservability", string>> = {
    vpcCni: "vpc-cni",
    coredns: "coredns",
    kubeProxy: "kube-proxy",
    podIdentityAgent: "eks-pod-identity-agent",
    cloudwatchObservability: "amazon-cloudwatch-observability",
};

/** The add-on versions a row pins, by EKS add-on name (an unpinned one, resolved at preview, is not listed). */
export function pinnedAddons(pins: EksVersionPins): Record<string, string> {
    const all: Record<string, string | undefined> = {
        [ADDON_NAMES.vpcCni]: pins.addons.vpcCni,
        [ADDON_NAMES.coredns]: pins.addons.coredns,
        [ADDON_NAMES.kubeProxy]: pins.addons.kubeProxy,
        [ADDON_NAMES.podIdentityAgent]: pins.podIdentityAgent,
        [ADDON_NAMES.cloudwatchObservability]: pins.cloudwatchObservability,
    };
    return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Days ahead from which an end of standard support is reported. */
export const FRESHNESS_WARNING_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day (YYYY-MM-DD) of an AWS timestamp such as `2025-11-25T16:00:00-08:00`. */
export function utcDay(timestamp: string): string {
    return new Date(timestamp).toISOString().slice(0, 10);
}

function daysUntil(day: string, now: Date): number {
    return Math.ceil((Date.parse(`${day}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

/**
 * Orders versions like `v1.21.1-eksbuild.3`, `9.52.1`, `1.35`: numeric
 * major.minor.patch, then the eksbuild number. Negative when a < b.
 */
export function compareVersions(a: string, b: string): number {
    const parts = (v: string): number[] => {
        const [core, build] = v.replace(/^v/, "").split("-eksbuild.");
        return [...core.split(".").map((n) => Number.parseInt(n, 10) || 0), 0, 0].slice(0, 3).concat(Number(build ?? 0));
    };
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < x.length; i++) {
        if (x[i] !== y[i]) {
            return x[i] - y[i];
        }
    }
    return 0;
}

/** A chart version that is a release, not a pre-release (`1.2.3`, `v1.2.3`; not `1.2.3-rc.1`). */
export function isRelease(version: string): boolean {
    return /^v?\d+\.\d+\.\d+$/.test(version);
}

/**
 * The stacks' Kubernetes versions against the clock: an end of standard
 * support within FRESHNESS_WARNING_DAYS (or past) is a finding.
 */
export function checkStackVersions(stacks: Readonly<Record<string, string>>, catalog: Readonly<Record<string, KubernetesVersionRow>>, now: Date): Finding[] {
    return Object.entries(stacks).flatMap(([stack, version]): Finding[] => {
        const row = catalog[version];
        if (!row) {
            return [];
        }
        const days = daysUntil(row.endOfStandardSupport, now);
        const next = `1.${Number(version.split(".")[1]) + 1}`;
        if (days <= 0) {
            return [
                {
                    kind: "support-ended",
                    subject: `${stack}: Kubernetes ${version}`,
                    message: `Stack ${stack} pins Kubernetes ${version}, whose EKS standard support ended on ${row.endOfStandardSupport}: the program refuses it. Move to ${next} (docs/operations/upgrade.md).`,
                },
            ];
        }
        if (days <= FRESHNESS_WARNING_DAYS) {
            return [
                {
                    kind: "support-ending",
                    subject: `${stack}: Kubernetes ${version}`,
                    message: `Stack ${stack} pins Kubernetes ${version}; EKS standard support ends on ${row.endOfStandardSupport} (in ${days} days). Plan the upgrade to ${next} (docs/operations/upgrade.md).`,
                },
            ];
        }
        return [];
    });
}

/**
 * The catalog's dates against `describe-cluster-versions`, and the versions
 * AWS offers that the catalog lacks (or has without pins).
 */
export function checkClusterVersions(catalog: Readonly<Record<string, KubernetesVersionRow>>, aws: DescribeClusterVersions): Finding[] {
    const findings: Finding[] = [];
    for (const offered of aws.clusterVersions) {
        const version = offered.clusterVersion;
        const row = catalog[version];
        if (!row) {
            findings.push({
                kind: "version-not-in-catalog",
                subject: `Kubernetes ${version}`,
                message: `EKS offers Kubernetes ${version} (${offered.status ?? "status unknown"}); cluster/catalog.ts has no row for it. Add its dates and pins.`,
            });
            continue;
        }
        const fields: [string, string | undefined, string][] = [
            ["release date", offered.releaseDate, row.released],
            ["end of standard support", offered.endOfStandardSupportDate, row.endOfStandardSupport],
            ["end of extended support", offered.endOfExtendedSupportDate, row.endOfExtendedSupport],
        ];
        for (const [what, theirs, ours] of fields) {
            if (theirs && utcDay(theirs) !== ours) {
                findings.push({
                    kind: "date-differs",
                    subject: `Kubernetes ${version} ${what}`,
                    message: `AWS gives ${utcDay(theirs)} as the ${what} of ${version}; cluster/catalog.ts says ${ours}. Correct the row.`,
                });
            }
        }
        if (!row.pins && offered.status === "STANDARD_SUPPORT") {
            findings.push({
                kind: "version-not-pinned",
                subject: `Kubernetes ${version} pins`,
                message: `Kubernetes ${version} is in EKS standard support but cluster/catalog.ts pins no add-ons for it, so no stack can move to it. Add its pins (docs/operations/upgrade.md, step 1).`,
            });
        }
    }
    return findings;
}

/**
 * One pinned add-on against `describe-addon-versions` for its Kubernetes
 * version: older than EKS's default build is stale; not listed at all is
 * not offered (a typo, or withdrawn).
 */
export function checkAddonPin(kubernetesVersion: string, addonName: string, pinned: string, aws: DescribeAddonVersions): Finding[] {
    const versions = aws.addons
        .filter((a) => a.addonName === addonName)
        .flatMap((a) => a.addonVersions)
        .filter((v) => v.compatibilities.some((c) => c.clusterVersion === kubernetesVersion));
    const subject = `${addonName} on ${kubernetesVersion}`;
    if (!versions.some((v) => v.addonVersion === pinned)) {
        return [
            {
                kind: "addon-not-offered",
                subject,
                message: `cluster/catalog.ts pins ${addonName} ${pinned} for Kubernetes ${kubernetesVersion}, which EKS does not offer for that version. Pin one it lists.`,
            },
        ];
    }
    const fallback = [...versions].sort((a, b) => compareVersions(b.addonVersion, a.addonVersion))[0];
    const preferred = versions.find((v) => v.compatibilities.some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion)) ?? fallback;
    if (preferred && compareVersions(pinned, preferred.addonVersion) < 0) {
        return [
            {
                kind: "addon-stale",
                subject,
                message: `cluster/catalog.ts pins ${addonName} ${pinned} for Kubernetes ${kubernetesVersion}; EKS's default is now ${preferred.addonVersion}. Update the pin.`,
            },
        ];
    }
    return [];
}

/**
 * An add-on the catalog leaves unpinned for a minor (stacks get EKS's
 * default, read at preview): reported every week with the default EKS names
 * now, so the pin is added once one is offered.
 */
export function checkAddonUnpinned(kubernetesVersion: string, addonName: string, aws: DescribeAddonVersions): Finding[] {
    const versions = aws.addons.filter((a) => a.addonName === addonName).flatMap((a) => a.addonVersions);
    const preferred = versions.find((v) => v.compatibilities.some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion));
    return [
        {
            kind: "addon-unpinned",
            subject: `${addonName} on ${kubernetesVersion}`,
            message: preferred
                ? `cluster/catalog.ts pins no ${addonName} for Kubernetes ${kubernetesVersion}: stacks install EKS's default, now ${preferred.addonVersion}. Pin it.`
                : `cluster/catalog.ts pins no ${addonName} for Kubernetes ${kubernetesVersion}, and EKS names no default for it yet: stacks get whatever EKS resolves at preview.`,
        },
    ];
}

/** Where a Helm repository publishes its index. */
export function chartIndexUrl(repo: string): string {
    return `${repo.replace(/\/+$/, "")}/index.yaml`;
}

/** A pinned chart against its repository's index: a newer release is stale; a pin the index lacks is missing. */
export function checkChartPin(pin: { chart: string; version: string; repo: string }, index: HelmRepositoryIndex): Finding[] {
    const releases = (index.entries[pin.chart] ?? []).filter((e) => isRelease(e.version));
    const subject = `chart ${pin.chart}`;
    if (!releases.some((e) => e.version === pin.version)) {
        return [{ kind: "chart-missing", subject, message: `${pin.chart} ${pin.version} is not in ${chartIndexUrl(pin.repo)}. Check the pin.` }];
    }
    const newest = [...releases].sort((a, b) => compareVersions(b.version, a.version))[0];
    if (compareVersions(pin.version, newest.version) < 0) {
        const when = newest.created ? ` (published ${utcDay(newest.created)})` : "";
        return [
            {
                kind: "chart-stale",
                subject,
                message: `${pin.chart} is pinned at ${pin.version}; ${pin.repo} has ${newest.version}${when}. Read its changelog, update the pin and its date.${CHART_UPGRADE_NOTES[pin.chart] ? ` ${CHART_UPGRADE_NOTES[pin.chart]}` : ""}`,
            },
        ];
    }
    return [];
}

/** An OCI registry's `GET /v2/<repository>/tags/list` answer (Helm charts in OCI registries, container images). */
export interface OciTagList {
    name: string;
    tags: string[];
}

/** `aws ssm get-parameter --name <name> --output json` (the fields used). */
export interface SsmGetParameter {
    Parameter: { Name: string; Value: string };
}

/**
 * What Helm does not do on a chart upgrade, said with each stale chart:
 * Helm installs a chart's `crds/` folder once and never upgrades it.
 */
export const CHART_UPGRADE_NOTES: Readonly<Record<string, string>> = {
    "aws-load-balancer-controller":
        "Its CRDs (TargetGroupBinding, IngressClassParams) are in the chart's crds/ folder, which Helm never upgrades: apply the new ones first (docs/operations/upgrade.md, Load Balancer Controller).",
    karpenter:
        "Bump KARPENTER_CHARTS for every Kubernetes minor it supports; the karpenter-crd chart moves with it (the stack upgrades the CRDs through that chart). Read Karpenter's upgrade guide for the version.",
};

/** A chart pinned in an OCI registry (Karpenter's) against the registry's tags: a newer release is stale; an absent pin is missing. */
export function checkOciChartPin(pin: { chart: string; version: string; repo: string }, tags: OciTagList): Finding[] {
    return checkChartPin(pin, { entries: { [pin.chart]: tags.tags.map((version) => ({ version })) } }).map((f) =>
        f.kind === "chart-missing" ? { ...f, message: `${pin.chart} ${pin.version} is not among the tags of ${pin.repo}/${pin.chart}. Check the pin.` } : f,
    );
}

/**
 * Every Kubernetes minor the catalog pins add-ons for must pin what the
 * program deploys with it too: a Karpenter chart (KARPENTER_CHARTS) and a
 * kubectl image (KUBECTL_IMAGES); otherwise no stack can move to it.
 */
export function checkVersionCoverage(pinnedVersions: readonly string[], tables: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Finding[] {
    return pinnedVersions.flatMap((version) =>
        Object.entries(tables)
            .filter(([, table]) => table[version] === undefined)
            .map(([name]) => ({
                kind: "not-pinned-for-version" as const,
                subject: `${name} for Kubernetes ${version}`,
                message: `cluster/catalog.ts pins add-ons for Kubernetes ${version} but ${name} has no entry for it: add one before a stack moves to ${version} (docs/operations/upgrade.md, step 1).`,
            })),
    );
}

/**
 * A kubectl image (`registry.k8s.io/kubectl:v1.35.0`) against the image's
 * tags: a newer patch release of the same minor is stale; an absent tag is missing.
 */
export function checkKubectlImage(kubernetesVersion: string, image: string, tags: OciTagList): Finding[] {
    const pinned = image.slice(image.lastIndexOf(":") + 1);
    const subject = `kubectl image for Kubernetes ${kubernetesVersion}`;
    if (!tags.tags.includes(pinned)) {
        return [{ kind: "image-missing", subject, message: `${image} is not among the tags of ${image.slice(0, image.lastIndexOf(":"))}. Check KUBECTL_IMAGES.` }];
    }
    const sameMinor = tags.tags.filter((t) => isRelease(t) && t.replace(/^v/, "").startsWith(`${kubernetesVersion}.`));
    const newest = [...sameMinor].sort((a, b) => compareVersions(b, a))[0];
    if (newest && compareVersions(pinned, newest) < 0) {
        return [
            { kind: "image-stale", subject, message: `KUBECTL_IMAGES pins ${image}; ${newest} is out (a patch release of ${kubernetesVersion}). Update the pin and its date.` },
        ];
    }
    return [];
}

/**
 * The AL2023 node image alias Karpenter's EC2NodeClasses pin
 * (`al2023@v20260714`) against EKS's recommended release for a Kubernetes
 * version: the SSM parameter
 * `/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/release_version`
 * holds `<kubernetes patch>-<YYYYMMDD>` (AWS: "Retrieve recommended Amazon
 * Linux AMI IDs", whose `recommended` parameter carries `release_version`).
 * A newer date is a new image: bumping the alias rolls the nodes through
 * drift, within the NodePools' budgets.
 */
export function checkNodeImageAlias(kubernetesVersion: string, pinned: string, recommended: SsmGetParameter): Finding[] {
    const latest = /-(\d{8})$/.exec(recommended.Parameter.Value)?.[1];
    const ours = /^v(\d{8})$/.exec(pinned)?.[1];
    if (latest && ours && latest > ours) {
        return [
            {
                kind: "node-image-stale",
                subject: `AL2023 node image (Kubernetes ${kubernetesVersion})`,
                message: `NODE_IMAGE_ALIASES pins al2023@${pinned}; EKS recommends release ${recommended.Parameter.Value} for ${kubernetesVersion} (alias al2023@v${latest}). Read the amazon-eks-ami release notes, then bump the alias: Karpenter replaces the nodes within the disruption budgets, outside the no-disruption window (docs/operations/upgrade.md).`,
            },
        ];
    }
    return [];
}

/** The issue body: every finding, grouped, with the day it was checked. */
export function renderReport(findings: readonly Finding[], now: Date): string {
    const lines = [`Weekly check of the version catalog (cluster/catalog.ts, data/catalog.ts) against AWS and the chart repositories, ${now.toISOString().slice(0, 10)}.`, ""];
    if (findings.length === 0) {
        return [...lines, "Nothing to do: every pin is current and no end of support is within 90 days."].join("\n") + "\n";
    }
    lines.push(`${findings.length} finding${findings.length === 1 ? "" : "s"}:`, "");
    for (const finding of findings) {
        lines.push(`- [ ] **${finding.subject}** (${finding.kind}): ${finding.message}`);
    }
    lines.push(
        "",
        "Procedure: docs/operations/upgrade.md (Kubernetes) and the header of each catalog file. This issue is updated by .github/workflows/catalog-freshness.yml each week.",
    );
    return lines.join("\n") + "\n";
}

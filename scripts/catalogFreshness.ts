/**
 * The comparison behind the weekly catalog check (scripts/checkCatalog.ts,
 * .github/workflows/catalog-freshness.yml), pure: what AWS and the chart
 * repositories say (the AWS CLI's JSON and a Helm repository's index.yaml,
 * parsed) against what cluster/catalog.ts and data/catalog.ts pin, at a given
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
        | "chart-missing";
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
                message: `${pin.chart} is pinned at ${pin.version}; ${pin.repo} has ${newest.version}${when}. Read its changelog, update the pin and its date.`,
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

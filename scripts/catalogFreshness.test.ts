/**
 * The weekly catalog check's comparison, on fixture JSON shaped like the real
 * AWS CLI output (`describe-cluster-versions`, `describe-addon-versions`,
 * `ssm get-parameter`), a Helm repository index and OCI tag lists
 * (scripts/fixtures/). The fixtures' 1.37 row and newer builds, releases and
 * tags (Karpenter 1.15.0, kubectl v1.34.3 and v1.35.1, the AL2023 release of
 * 2026-11-12) are made up to exercise the findings; the rest mirrors the
 * catalog. Pure: no AWS, no network.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
    KARPENTER_CHART_REPOSITORY,
    KARPENTER_CHARTS,
    KUBECTL_IMAGES,
    KUBERNETES_VERSIONS,
    KubernetesVersionRow,
    LOAD_BALANCER_CONTROLLER_CHART,
    NODE_IMAGE_ALIASES,
} from "../cluster/catalog";
import {
    checkAddonPin,
    checkAddonUnpinned,
    checkChartPin,
    checkClusterVersions,
    checkKubectlImage,
    checkNodeImageAlias,
    checkOciChartPin,
    checkStackVersions,
    checkVersionCoverage,
    compareVersions,
    DescribeAddonVersions,
    DescribeClusterVersions,
    HelmRepositoryIndex,
    OciTagList,
    renderReport,
    SsmGetParameter,
    utcDay,
} from "./catalogFreshness";

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const clusterVersions = JSON.parse(fixture("describe-cluster-versions.json")) as DescribeClusterVersions;
const kubeProxy135 = JSON.parse(fixture("describe-addon-versions.kube-proxy.1.35.json")) as DescribeAddonVersions;
const esoIndex = parseYaml(fixture("helm-index.external-secrets.yaml")) as HelmRepositoryIndex;
const karpenterTags = JSON.parse(fixture("oci-tags.karpenter.json")) as OciTagList;
const kubectlTags = JSON.parse(fixture("oci-tags.kubectl.json")) as OciTagList;
const al2023Release135 = JSON.parse(fixture("ssm.al2023-release-version.1.35.json")) as SsmGetParameter;
const at = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

describe("the stacks' Kubernetes versions against the clock", () => {
    it("reports a version within 90 days of its end of standard support, with the date and the next minor", () => {
        expect(checkStackVersions({ prod: "1.35" }, KUBERNETES_VERSIONS, at("2026-12-27"))).toEqual([
            {
                kind: "support-ending",
                subject: "prod: Kubernetes 1.35",
                message: "Stack prod pins Kubernetes 1.35; EKS standard support ends on 2027-03-27 (in 90 days). Plan the upgrade to 1.36 (docs/operations/upgrade.md).",
            },
        ]);
    });

    it("is quiet 91 days ahead", () => {
        expect(checkStackVersions({ prod: "1.35", staging: "1.35" }, KUBERNETES_VERSIONS, at("2026-12-26"))).toEqual([]);
    });

    it("reports a version past its end", () => {
        expect(checkStackVersions({ staging: "1.34" }, KUBERNETES_VERSIONS, at("2026-12-03"))).toEqual([
            expect.objectContaining({ kind: "support-ended", subject: "staging: Kubernetes 1.34" }),
        ]);
    });
});

describe("the catalog against describe-cluster-versions", () => {
    it("reads AWS's timestamps as UTC days (16:00 Pacific is the next day in UTC)", () => {
        expect(utcDay("2026-12-01T16:00:00-08:00")).toBe("2026-12-02");
        expect(utcDay("2027-03-26T17:00:00-07:00")).toBe("2027-03-27");
    });

    it("agrees with the catalog's dates, and reports a version AWS offers that the catalog lacks, and one it has without pins", () => {
        expect(checkClusterVersions(KUBERNETES_VERSIONS, clusterVersions)).toEqual([expect.objectContaining({ kind: "version-not-in-catalog", subject: "Kubernetes 1.37" })]);
        // A row AWS offers but with no pins (1.36 before this catalog pinned it).
        const { pins: _pins, ...unpinned } = KUBERNETES_VERSIONS["1.36"];
        void _pins;
        expect(checkClusterVersions({ ...KUBERNETES_VERSIONS, "1.36": unpinned }, clusterVersions)).toEqual([
            expect.objectContaining({ kind: "version-not-in-catalog", subject: "Kubernetes 1.37" }),
            expect.objectContaining({ kind: "version-not-pinned", subject: "Kubernetes 1.36 pins" }),
        ]);
    });

    it("reports a date that differs, naming both", () => {
        const catalog: Record<string, KubernetesVersionRow> = { ...KUBERNETES_VERSIONS, "1.35": { ...KUBERNETES_VERSIONS["1.35"], endOfStandardSupport: "2027-03-28" } };
        expect(checkClusterVersions(catalog, clusterVersions)).toContainEqual({
            kind: "date-differs",
            subject: "Kubernetes 1.35 end of standard support",
            message: "AWS gives 2027-03-27 as the end of standard support of 1.35; cluster/catalog.ts says 2027-03-28. Correct the row.",
        });
    });
});

describe("an add-on pin against describe-addon-versions", () => {
    it("is stale when EKS's default build for the version is newer", () => {
        expect(checkAddonPin("1.35", "kube-proxy", "v1.35.0-eksbuild.2", kubeProxy135)).toEqual([
            {
                kind: "addon-stale",
                subject: "kube-proxy on 1.35",
                message: "cluster/catalog.ts pins kube-proxy v1.35.0-eksbuild.2 for Kubernetes 1.35; EKS's default is now v1.35.3-eksbuild.2. Update the pin.",
            },
        ]);
    });

    it("is current at the default", () => {
        expect(checkAddonPin("1.35", "kube-proxy", "v1.35.3-eksbuild.2", kubeProxy135)).toEqual([]);
    });

    it("reports an add-on the catalog leaves unpinned, with the default EKS names now", () => {
        expect(checkAddonUnpinned("1.35", "kube-proxy", kubeProxy135)).toEqual([
            {
                kind: "addon-unpinned",
                subject: "kube-proxy on 1.35",
                message: expect.stringMatching(
                    /^cluster\/catalog\.ts pins no kube-proxy for Kubernetes 1\.35: stacks install EKS's default, now v1\.35\.\d+-eksbuild\.\d+\. Pin it\.$/,
                ),
            },
        ]);
    });

    it("is reported when EKS does not offer it for that version", () => {
        expect(checkAddonPin("1.35", "kube-proxy", "v1.35.9-eksbuild.1", kubeProxy135)).toEqual([expect.objectContaining({ kind: "addon-not-offered" })]);
        expect(checkAddonPin("1.36", "kube-proxy", "v1.35.3-eksbuild.2", kubeProxy135)).toEqual([expect.objectContaining({ kind: "addon-not-offered" })]);
    });
});

describe("a chart pin against its repository index", () => {
    const pin = { chart: "external-secrets", version: "2.6.0", repo: "https://charts.external-secrets.io" };

    it("is stale when a newer release exists, ignoring pre-releases", () => {
        expect(checkChartPin(pin, esoIndex)).toEqual([
            {
                kind: "chart-stale",
                subject: "chart external-secrets",
                message:
                    "external-secrets is pinned at 2.6.0; https://charts.external-secrets.io has 2.9.0 (published 2026-08-08). Read its changelog, update the pin and its date.",
            },
        ]);
    });

    it("is current at the newest release", () => {
        expect(checkChartPin({ ...pin, version: "2.9.0" }, esoIndex)).toEqual([]);
    });

    it("is reported when the index does not have it", () => {
        expect(checkChartPin({ ...pin, version: "2.7.0" }, esoIndex)).toEqual([
            expect.objectContaining({ kind: "chart-missing", message: expect.stringContaining("https://charts.external-secrets.io/index.yaml") }),
        ]);
    });
});

describe("versions and the report", () => {
    it("orders versions numerically, then by eksbuild", () => {
        expect(compareVersions("v1.9.0-eksbuild.1", "v1.10.0-eksbuild.1")).toBeLessThan(0);
        expect(compareVersions("v1.35.0-eksbuild.10", "v1.35.0-eksbuild.9")).toBeGreaterThan(0);
        expect(compareVersions("9.52.1", "9.52.1")).toBe(0);
    });

    it("renders one checklist line per finding, and a quiet report without", () => {
        const report = renderReport(checkChartPin({ chart: "external-secrets", version: "2.6.0", repo: "https://charts.external-secrets.io" }, esoIndex), at("2026-12-07"));
        expect(report).toMatch(/, 2026-12-07\.\n\n1 finding:\n\n- \[ \] \*\*chart external-secrets\*\* \(chart-stale\): external-secrets is pinned at 2\.6\.0/);
        expect(renderReport([], at("2026-12-07"))).toMatch(/Nothing to do/);
    });
});

describe("Karpenter's charts, the kubectl images and the node image alias", () => {
    const karpenter = { chart: "karpenter", version: KARPENTER_CHARTS["1.35"].version, repo: KARPENTER_CHART_REPOSITORY };

    it("reports a newer Karpenter release (not a release candidate), with what moves with the chart", () => {
        expect(checkOciChartPin(karpenter, karpenterTags)).toEqual([
            {
                kind: "chart-stale",
                subject: "chart karpenter",
                message: expect.stringMatching(
                    /^karpenter is pinned at 1\.14\.1; oci:\/\/public\.ecr\.aws\/karpenter has 1\.15\.0\. .*Bump KARPENTER_CHARTS .*karpenter-crd chart moves with it/,
                ),
            },
        ]);
        expect(checkOciChartPin({ ...karpenter, version: "1.15.0" }, karpenterTags)).toEqual([]);
        expect(checkOciChartPin({ ...karpenter, version: "1.14.2" }, karpenterTags)).toEqual([
            expect.objectContaining({ kind: "chart-missing", message: "karpenter 1.14.2 is not among the tags of oci://public.ecr.aws/karpenter/karpenter. Check the pin." }),
        ]);
    });

    it("tells to apply the Load Balancer Controller's CRDs by hand when its chart is stale", () => {
        const index: HelmRepositoryIndex = { entries: { [LOAD_BALANCER_CONTROLLER_CHART.chart]: [{ version: LOAD_BALANCER_CONTROLLER_CHART.version }, { version: "3.6.0" }] } };
        expect(checkChartPin(LOAD_BALANCER_CONTROLLER_CHART, index)).toEqual([
            expect.objectContaining({
                kind: "chart-stale",
                message: expect.stringContaining("Its CRDs (TargetGroupBinding, IngressClassParams) are in the chart's crds/ folder, which Helm never upgrades"),
            }),
        ]);
    });

    it("reports a pinned Kubernetes minor without a Karpenter chart or a kubectl image", () => {
        expect(checkVersionCoverage(["1.35", "1.36"], { KARPENTER_CHARTS, KUBECTL_IMAGES })).toEqual([]);
        const withoutCharts = Object.fromEntries(Object.entries(KARPENTER_CHARTS).filter(([minor]) => minor !== "1.36"));
        expect(checkVersionCoverage(["1.36"], { KARPENTER_CHARTS: withoutCharts, KUBECTL_IMAGES: {} })).toEqual([
            expect.objectContaining({ kind: "not-pinned-for-version", subject: "KARPENTER_CHARTS for Kubernetes 1.36" }),
            expect.objectContaining({ kind: "not-pinned-for-version", subject: "KUBECTL_IMAGES for Kubernetes 1.36" }),
        ]);
    });

    it("reports a kubectl image behind its minor's newest patch, ignoring pre-releases and other minors", () => {
        expect(checkKubectlImage("1.35", KUBECTL_IMAGES["1.35"], kubectlTags)).toEqual([
            {
                kind: "image-stale",
                subject: "kubectl image for Kubernetes 1.35",
                message: "KUBECTL_IMAGES pins registry.k8s.io/kubectl:v1.35.0; v1.35.1 is out (a patch release of 1.35). Update the pin and its date.",
            },
        ]);
        expect(checkKubectlImage("1.35", "registry.k8s.io/kubectl:v1.35.1", kubectlTags)).toEqual([]);
        expect(checkKubectlImage("1.35", "registry.k8s.io/kubectl:v1.35.7", kubectlTags)).toEqual([expect.objectContaining({ kind: "image-missing" })]);
    });

    it("reports an AL2023 alias older than EKS's recommended release, and is quiet at it", () => {
        expect(checkNodeImageAlias("1.35", NODE_IMAGE_ALIASES.al2023, al2023Release135)).toEqual([
            expect.objectContaining({
                kind: "node-image-stale",
                message: expect.stringMatching(/^NODE_IMAGE_ALIASES pins al2023@v20260714; EKS recommends release 1\.35\.2-20261112 for 1\.35 \(alias al2023@v20261112\)/),
            }),
        ]);
        expect(checkNodeImageAlias("1.35", "v20261112", al2023Release135)).toEqual([]);
    });
});

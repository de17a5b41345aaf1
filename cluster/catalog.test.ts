import { instanceArchitecture } from "./schema";
import {
    ADDON_CHARTS,
    daysUntil,
    EKS_CATALOG_AS_OF,
    KUBERNETES_VERSIONS,
    kubernetesVersionProblem,
    nextVersion,
    SUPPORT_WARNING_DAYS,
    supportedVersions,
    supportStatus,
    SUPPORTED_KUBERNETES_VERSIONS,
    KARPENTER_CHARTS,
    KUBECTL_IMAGES,
    NODE_IMAGE_MINORS,
    unpinnedAddons,
} from "./catalog";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const at = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

describe("the EKS version catalog (invariants)", () => {
    it("dates every version: released < end of standard (14 months) < end of extended (12 more), each with a source", () => {
        for (const [version, row] of Object.entries(KUBERNETES_VERSIONS)) {
            for (const day of [row.released, row.endOfStandardSupport, row.endOfExtendedSupport]) {
                expect(day).toMatch(DAY);
                expect(Number.isNaN(Date.parse(day))).toBe(false);
            }
            expect(row.source.length).toBeGreaterThan(10);
            const months = (a: string, b: string): number => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
            expect([version, months(row.released, row.endOfStandardSupport)]).toEqual([version, 14]);
            expect([version, months(row.endOfStandardSupport, row.endOfExtendedSupport)]).toEqual([version, 12]);
            expect(row.endOfExtendedSupport.slice(8)).toBe(row.endOfStandardSupport.slice(8));
        }
    });

    it("holds the dates AWS published: 1.34 ended 2026-12-02, 1.35 released 2026-01-28 and supported until 2027-03-27", () => {
        expect(KUBERNETES_VERSIONS["1.34"].endOfStandardSupport).toBe("2026-12-02");
        expect(KUBERNETES_VERSIONS["1.35"]).toMatchObject({ released: "2026-01-28", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" });
    });

    it("lists consecutive minors, oldest first", () => {
        const minors = Object.keys(KUBERNETES_VERSIONS).map((v) => Number(v.split(".")[1]));
        minors.forEach((m, i) => i > 0 && expect(m).toBe(minors[i - 1] + 1));
    });

    it("pins every add-on of a deployable version to an EKS build (or leaves it out, to be resolved), kube-proxy and the autoscaler to its own minor, with a source", () => {
        for (const [version, row] of Object.entries(KUBERNETES_VERSIONS)) {
            if (!row.pins) {
                continue;
            }
            expect(row.pinsSource).toBeTruthy();
            expect(row.pins.addons.kubeProxy?.startsWith(`v${version}.`) ?? true).toBe(true);
            expect(row.pins.clusterAutoscalerImageTag.startsWith(`v${version}.`)).toBe(true);
            for (const addon of [...Object.values(row.pins.addons), row.pins.podIdentityAgent, row.pins.cloudwatchObservability].filter((a) => a !== undefined)) {
                expect(addon).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
            }
            // An add-on left out is named in the row's source as unpinned, not forgotten.
            for (const name of unpinnedAddons(row.pins)) {
                expect([version, row.pinsSource]).toEqual([version, expect.stringContaining(`${name} unpinned`)]);
            }
        }
    });

    it("makes every minor EKS offers in standard support deployable: add-on pins, a Karpenter chart, a kubectl image and a node image", () => {
        const offered = Object.entries(KUBERNETES_VERSIONS)
            .filter(([version, row]) => row.released <= EKS_CATALOG_AS_OF && supportStatus(version, at(EKS_CATALOG_AS_OF)).problem === undefined)
            .map(([version]) => version);
        expect(offered).toEqual(["1.35", "1.36"]);
        for (const version of offered) {
            expect([version, kubernetesVersionProblem(version)]).toEqual([version, undefined]);
            expect([version, KARPENTER_CHARTS[version]?.version]).toEqual([version, expect.any(String)]);
            expect([version, KUBECTL_IMAGES[version]]).toEqual([version, expect.any(String)]);
            expect([version, NODE_IMAGE_MINORS.al2023.includes(version)]).toEqual([version, true]);
        }
    });

    it("has at least one pinned version in standard support on the day it was checked", () => {
        expect(supportedVersions().some((v) => supportStatus(v, at(EKS_CATALOG_AS_OF)).problem === undefined)).toBe(true);
    });

    it("pins every chart exactly, with the day it was checked and a source", () => {
        for (const chart of Object.values(ADDON_CHARTS)) {
            expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
            expect(chart.repo).toMatch(/^https:\/\//);
            expect(chart.checked).toMatch(DAY);
            expect(chart.source).toBeTruthy();
        }
    });
});

describe("kubernetesVersionProblem (independent of the date)", () => {
    it("accepts the versions with pins", () => {
        expect(supportedVersions()).toEqual(["1.34", "1.35", "1.36"]);
        expect(kubernetesVersionProblem("1.35")).toBeUndefined();
        expect(kubernetesVersionProblem("1.36")).toBeUndefined();
    });

    it("leaves on 1.36 only amazon-cloudwatch-observability unpinned (resolved to EKS's default at preview)", () => {
        expect(unpinnedAddons(SUPPORTED_KUBERNETES_VERSIONS["1.36"])).toEqual(["amazon-cloudwatch-observability"]);
        expect(unpinnedAddons(SUPPORTED_KUBERNETES_VERSIONS["1.35"])).toEqual([]);
    });

    it("rejects a version EKS has but this program has no pins for", () => {
        expect(kubernetesVersionProblem("1.33")).toMatch(/^\(1\.33\) is a version EKS offers but this program has no add-on pins for \(pinned: 1\.34, 1\.35, 1\.36/);
    });

    it("rejects versions older than the catalog and unknown ones", () => {
        expect(kubernetesVersionProblem("1.28")).toMatch(/^\(1\.28\) is older than every version this program pins/);
        expect(kubernetesVersionProblem("1.41")).toMatch(/^\(1\.41\) is not a version this program knows/);
    });

    it("rejects what is not a minor version", () => {
        expect(kubernetesVersionProblem("1.34.2")).toMatch(/must be a Kubernetes minor version like "1\.36"/);
        expect(kubernetesVersionProblem("v1.34")).toMatch(/must be a Kubernetes minor version/);
    });
});

describe("supportStatus (the clock is an argument)", () => {
    it("is silent more than 60 days before the end", () => {
        expect(supportStatus("1.35", at("2027-01-25"))).toEqual({ daysLeft: 61 });
    });

    it(`warns from ${SUPPORT_WARNING_DAYS} days before the end to the day before`, () => {
        expect(supportStatus("1.35", at("2027-01-26")).warning).toMatch(/^\(1\.35\): EKS standard support for 1\.35 ends on 2027-03-27 \(in 60 days\)/);
        expect(supportStatus("1.35", new Date("2027-03-26T23:59:00Z")).warning).toMatch(/\(in 1 day\)/);
        expect(supportStatus("1.35", at("2027-03-26")).problem).toBeUndefined();
    });

    it("refuses from 00:00 UTC on the end day (when EKS starts billing extended support)", () => {
        const status = supportStatus("1.34", at("2026-12-02"));
        expect(status.problem).toBe(
            "(1.34): EKS standard support for 1.34 ended on 2026-12-02; with upgradePolicy STANDARD AWS upgrades the control plane itself and never downgrades; move to 1.35, one minor at a time (docs/operations/upgrade.md)",
        );
        expect(status.warning).toBeUndefined();
    });

    it("names the next minor, one at a time, even when it is not pinned yet", () => {
        expect(nextVersion("1.34")).toBe("1.35");
        expect(nextVersion("1.36")).toBeUndefined();
        expect(supportStatus("1.36", at("2027-08-02")).problem).toMatch(/move to the next minor \(add it to cluster\/catalog\.ts\)/);
    });

    it("counts whole UTC days", () => {
        expect(daysUntil("2026-12-02", at("2026-12-01"))).toBe(1);
        expect(daysUntil("2026-12-02", new Date("2026-12-01T12:00:00Z"))).toBe(1);
        expect(daysUntil("2026-12-02", at("2026-12-02"))).toBe(0);
        expect(daysUntil("2026-12-02", at("2026-12-03"))).toBe(-1);
    });

    it("keeps SUPPORTED_KUBERNETES_VERSIONS to the rows with pins", () => {
        expect(Object.keys(SUPPORTED_KUBERNETES_VERSIONS)).toEqual(supportedVersions());
    });
});

describe("instanceArchitecture", () => {
    it.each(["m7g.large", "c6gn.xlarge", "t4g.medium", "r8g.2xlarge", "a1.large", "g5g.xlarge", "x2gd.large"])("%s is arm64", (type) => {
        expect(instanceArchitecture(type)).toBe("arm64");
    });
    it.each(["m6i.large", "m6a.large", "m5.large", "g5.xlarge", "m7i-flex.large", "t3.medium", "inf2.xlarge"])("%s is x86_64", (type) => {
        expect(instanceArchitecture(type)).toBe("x86_64");
    });
});

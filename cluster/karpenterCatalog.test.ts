import { KARPENTER_CHARTS, KUBECTL_IMAGES, NODE_IMAGE_ALIASES, NODE_IMAGE_MINORS, supportedVersions } from "./catalog";

const semver = (v: string): number[] => v.split(".").map(Number);
const atLeast = (v: string, floor: string): boolean => {
    const [a, b] = [semver(v), semver(floor)];
    return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];
};

describe("Karpenter's catalog rows", () => {
    it("pin a Karpenter chart at or above karpenter.sh's minimum, and a kubectl of the same minor, for every supported Kubernetes version", () => {
        for (const version of supportedVersions()) {
            const chart = KARPENTER_CHARTS[version];
            expect([version, chart !== undefined]).toEqual([version, true]);
            expect([version, atLeast(chart.version, chart.minimumForMinor)]).toEqual([version, true]);
            expect(KUBECTL_IMAGES[version]).toMatch(new RegExp(`^registry\\.k8s\\.io/kubectl:v${version.replace(".", "\\.")}\\.\\d+$`));
            // The default node family (AL2023) has an image of every supported minor; Bottlerocket may lag (the config refuses it there).
            expect([version, NODE_IMAGE_MINORS.al2023.includes(version)]).toEqual([version, true]);
        }
    });

    it("pin exact node image versions, never latest", () => {
        expect(NODE_IMAGE_ALIASES.al2023).toMatch(/^v\d{8}$/);
        expect(NODE_IMAGE_ALIASES.bottlerocket).toMatch(/^v\d+\.\d+\.\d+$/);
    });
});

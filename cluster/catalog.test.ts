import { instanceArchitecture } from "./config";
import { kubernetesVersionProblem, SUPPORTED_KUBERNETES_VERSIONS, supportedVersions } from "./catalog";

describe("kubernetesVersionProblem", () => {
    it("accepts exactly the versions in EKS standard support (1.34 and 1.35 in late 2026)", () => {
        expect(supportedVersions()).toEqual(["1.34", "1.35"]);
        expect(kubernetesVersionProblem("1.34")).toBeUndefined();
        expect(kubernetesVersionProblem("1.35")).toBeUndefined();
    });

    it("rejects 1.33 as extended support only, naming the floor and the end date", () => {
        expect(kubernetesVersionProblem("1.33")).toMatch(/below the supported floor 1\.34: EKS runs it in paid extended support only \(until 2027-07-29\)/);
    });

    it("rejects older versions as below the floor", () => {
        expect(kubernetesVersionProblem("1.28")).toMatch(/\(1\.28\) is below the supported floor 1\.34/);
    });

    it("rejects versions it has no pinned add-ons for", () => {
        expect(kubernetesVersionProblem("1.36")).toMatch(/not a version this program has pinned add-ons for \(known: 1\.34, 1\.35/);
    });

    it("rejects what is not a minor version", () => {
        expect(kubernetesVersionProblem("1.34.2")).toMatch(/must be a Kubernetes minor version like "1\.35"/);
        expect(kubernetesVersionProblem("v1.34")).toMatch(/must be a Kubernetes minor version/);
    });

    it("pins kube-proxy and the cluster-autoscaler to each version's own minor", () => {
        for (const [version, pins] of Object.entries(SUPPORTED_KUBERNETES_VERSIONS)) {
            expect(pins.addons.kubeProxy.startsWith(`v${version}.`)).toBe(true);
            expect(pins.clusterAutoscalerImageTag.startsWith(`v${version}.`)).toBe(true);
            for (const addon of Object.values(pins.addons)) {
                expect(addon).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
            }
        }
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

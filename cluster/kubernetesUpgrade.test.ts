/**
 * A Kubernetes minor upgrade as the upgrade guide does it (docs/operations/upgrade.md):
 * staging's `cluster.version` from 1.35 to 1.36, the only edit. EKS has offered
 * 1.36 since 2026-06-02, so it must be accepted and render: the control plane
 * and nodes at 1.36, every pinned version of 1.36, the one add-on the catalog
 * leaves unpinned resolved to EKS's default at preview and reported (a
 * warning, the `unpinnedAddons` output), and no resource replaced by name.
 */
import { KARPENTER_CHARTS, KUBECTL_IMAGES, SUPPORTED_KUBERNETES_VERSIONS } from "./catalog";
import { mockDefaultAddonVersion } from "./mocks";
import { configProblems, ofType, runStack, runVariant, StackRun } from "../test/harness";

const ADDON = "aws:eks/addon:Addon";

let before: StackRun;
let after: StackRun;
beforeAll(async () => {
    before = await runStack("staging");
    after = await runVariant("staging-kubernetes-1.36");
});

const addon = (run: StackRun, name: string): Record<string, unknown> => {
    const found = ofType(run, ADDON).find((a) => a.inputs.addonName === name);
    if (!found) {
        throw new Error(`no ${name} add-on`);
    }
    return found.inputs;
};

describe("staging from Kubernetes 1.35 to 1.36", () => {
    it("is accepted, with one warning naming the add-on left unpinned and how to pin it", () => {
        expect(configProblems("staging", (v) => ((v.cluster as Record<string, unknown>).version = "1.36"))).toEqual([]);
        expect(after.config.warnings.filter((w) => w.startsWith("cluster.version"))).toEqual([
            "cluster.version (1.36): cluster/catalog.ts pins no version of amazon-cloudwatch-observability for 1.36; each is installed at the version EKS names as its default for 1.36, read at every preview (stack output unpinnedAddons), so it changes when AWS changes that default: pin it in cluster/catalog.ts (or alarms.containerInsights.addonVersion) (docs/operations/upgrade.md)",
        ]);
        expect(before.config.warnings.filter((w) => w.startsWith("cluster.version"))).toEqual([]);
    });

    it("renders the control plane, the node groups and the pinned add-ons at 1.36", () => {
        const pins = SUPPORTED_KUBERNETES_VERSIONS["1.36"];
        expect(ofType(after, "eks:index:Cluster")[0].inputs.version).toBe("1.36");
        for (const group of ofType(after, "aws:eks/nodeGroup:NodeGroup")) {
            expect(group.inputs.version).toBe("1.36");
        }
        expect(addon(after, "kube-proxy").addonVersion).toBe(pins.addons.kubeProxy);
        expect(addon(after, "vpc-cni").addonVersion).toBe(pins.addons.vpcCni);
        expect(addon(after, "coredns").addonVersion).toBe(pins.addons.coredns);
        expect(addon(after, "eks-pod-identity-agent").addonVersion).toBe(pins.podIdentityAgent);
        expect(after.resources.find((r) => r.name === "iam-karpenter-controller" && r.type === "kubernetes:helm.sh/v3:Release")?.inputs.version).toBe(
            KARPENTER_CHARTS["1.36"].version,
        );
        const floors = ofType(after, "kubernetes:batch/v1:CronJob").map((j) => JSON.stringify(j.inputs));
        expect(floors.length).toBeGreaterThan(0);
        floors.forEach((job) => expect(job).toContain(KUBECTL_IMAGES["1.36"]));
    });

    it("installs the unpinned add-on at EKS's default for 1.36 (read at preview) and shows it in the unpinnedAddons output", () => {
        const resolved = mockDefaultAddonVersion("amazon-cloudwatch-observability", "1.36");
        expect(addon(after, "amazon-cloudwatch-observability").addonVersion).toBe(resolved);
        expect(after.outputs.unpinnedAddons).toEqual({ known: true, secret: false, value: { "amazon-cloudwatch-observability": resolved } });
        expect(before.outputs.unpinnedAddons?.value).toEqual({});
    });

    it("replaces nothing: every resource keeps its URN", () => {
        expect(after.resources.map((r) => r.urn).sort()).toEqual(before.resources.map((r) => r.urn).sort());
    });
});

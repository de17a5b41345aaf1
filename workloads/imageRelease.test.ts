/**
 * Day 2: an image release. The prod stack file is run as it is and with one
 * service's image tag bumped (the `prod-authz-server-release` variant:
 * iam-authz-server v1.6.3 -> v1.6.4; the mocked registry has every tag, each
 * with its own digest). A reviewer of that preview should read one diff: the
 * service's Deployment (its pod template's image digest, version label and
 * `iam/image` annotation). Its ServiceAccount, env ConfigMap, Services, PDB
 * and HPA carry no version label and stay as they are, and no resource is
 * added, deleted or renamed.
 */
import { isDeepStrictEqual } from "util";
import { ResourceRecord, runStack, runVariant, StackRun } from "../test/harness";

/** The URNs whose recorded inputs differ between two runs (both must register the same URNs). */
function changedInputs(before: StackRun, after: StackRun): string[] {
    const byUrn = new Map<string, ResourceRecord>(before.resources.map((r) => [r.urn, r]));
    return after.resources.filter((r) => !isDeepStrictEqual(r.inputs, byUrn.get(r.urn)?.inputs)).map((r) => r.urn);
}

const urnOf = (run: StackRun, type: string, name: string): string => {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        throw new Error(`no ${type} named ${name}`);
    }
    return found.urn;
};

describe("an image tag bump (iam-authz-server v1.6.3 -> v1.6.4, prod)", () => {
    let before: StackRun;
    let after: StackRun;
    beforeAll(async () => {
        [before, after] = await Promise.all([runStack("prod"), runVariant("prod-authz-server-release")]);
    });

    it("adds, deletes and renames nothing", () => {
        expect(after.resources.map((r) => r.urn).sort()).toEqual(before.resources.map((r) => r.urn).sort());
    });

    it("changes the inputs of iam-authz-server's Deployment and of nothing else", () => {
        expect(changedInputs(before, after)).toEqual([urnOf(before, "kubernetes:apps/v1:Deployment", "iam-workload-iam-authz-server-deployment")]);
    });

    it("changes that Deployment in place: its selector stays, the version label moves on it and its pods, the image digest rolls the pods", () => {
        const deployment = (run: StackRun) =>
            run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "iam-workload-iam-authz-server-deployment")?.inputs as {
                metadata: { labels: Record<string, string>; annotations: Record<string, string> };
                spec: { selector: unknown; template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } } };
            };
        const [old, next] = [deployment(before), deployment(after)];
        expect(next.spec.selector).toEqual(old.spec.selector);
        expect([old.metadata.labels["app.kubernetes.io/version"], next.metadata.labels["app.kubernetes.io/version"]]).toEqual(["v1.6.3", "v1.6.4"]);
        expect(next.spec.template.metadata.labels["app.kubernetes.io/version"]).toBe("v1.6.4");
        expect(next.spec.template.spec.containers[0].image).not.toBe(old.spec.template.spec.containers[0].image);
        expect(next.spec.template.spec.containers[0].image).toMatch(/\/iam-authz-server@sha256:[0-9a-f]{64}$/);
    });
});

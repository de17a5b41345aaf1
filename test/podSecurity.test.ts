/**
 * Every namespace the stack creates enforces a Pod Security level, in all
 * three modes; restricted unless a chart's pods need less (none do today).
 */
import { ofType, runStack, StackRun } from "./harness";

interface Meta {
    name: string;
    labels?: Record<string, string>;
}

describe.each(["prod", "staging"])("namespaces of the %s stack", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("each enforce, audit and warn Pod Security restricted at the cluster's version", () => {
        const namespaces = ofType(run, "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata as Meta);
        const podFloors = (run.config.cluster.karpenter?.podFloors.length ?? 0) > 0 ? ["pod-floors"] : [];
        expect(namespaces.map((n) => n.name).sort()).toEqual(["cluster-headroom", "external-secrets", run.config.workloads.namespace, "reloader", ...podFloors].sort());
        for (const namespace of namespaces) {
            expect({ name: namespace.name, labels: namespace.labels }).toEqual({
                name: namespace.name,
                labels: expect.objectContaining({
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                }),
            });
        }
    });
});

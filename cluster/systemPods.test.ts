/**
 * The pods on the system node group: every Helm release the program installs
 * (and every pod template it writes itself that tolerates the system taint)
 * gives each of its pods CPU and memory requests and a memory limit. Without
 * them a pod is BestEffort: the first the kubelet evicts when a small system
 * node runs short, and the External Secrets webhook fails closed while it is
 * gone. Also: metrics-server's replicas sit on different nodes.
 *
 * Offline there is no Helm to render the charts, so the table below says,
 * per chart at its pinned version, which values hold its pods' resources
 * (read in each chart's values.yaml and templates at that tag). A release of
 * a chart not in the table fails here until it is added.
 */
import { ofType, ResourceRecord, runStack, runVariant, StackRun } from "../test/harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

/** Per chart (last segment of `chart`), the value paths of its pods' `resources`. */
const POD_RESOURCES: Record<string, { paths: string[]; source: string }> = {
    karpenter: { paths: ["controller.resources"], source: "aws/karpenter-provider-aws charts/karpenter/values.yaml 1.14.1 (the one Deployment's container)" },
    "karpenter-crd": { paths: [], source: "charts/karpenter-crd 1.14.1: CRDs only, no pods" },
    "metrics-server": { paths: ["resources"], source: "kubernetes-sigs/metrics-server charts/metrics-server/values.yaml at metrics-server-helm-chart-3.13.0" },
    "aws-load-balancer-controller": { paths: ["resources"], source: "kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/values.yaml at v3.5.0" },
    "external-secrets": {
        paths: ["resources", "webhook.resources", "certController.resources"],
        source: "external-secrets/external-secrets deploy/charts/external-secrets/values.yaml at helm-chart-2.6.0 (bitwarden-sdk-server off by default)",
    },
    reloader: { paths: ["reloader.deployment.resources"], source: "stakater/Reloader deployments/kubernetes/chart/reloader/values.yaml at chart-v2.2.14" },
    "cluster-autoscaler": { paths: ["resources"], source: "kubernetes/autoscaler charts/cluster-autoscaler/values.yaml 9.52.1" },
};

const chartName = (release: ResourceRecord): string => String(release.inputs.chart).split("/").pop() ?? "";

function at(values: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), values);
}

/** What is missing from a `resources` block: CPU and memory requests, a memory limit. */
function missing(resources: unknown): string[] {
    return ["requests.cpu", "requests.memory", "limits.memory"].filter((p) => at(resources, p) === undefined);
}

type PodSpec = { tolerations?: { key?: string }[]; containers: { name: string; resources?: unknown }[] };
function podSpecOf(r: ResourceRecord): PodSpec | undefined {
    const spec = r.inputs.spec as Record<string, unknown> | undefined;
    const template = (r.type.endsWith(":CronJob") ? at(spec, "jobTemplate.spec.template") : at(spec, "template")) as { spec?: PodSpec } | undefined;
    return template?.spec;
}

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
    runs["staging-cluster-autoscaler"] = await runVariant("staging-cluster-autoscaler");
});

describe.each(["prod", "staging", "staging-cluster-autoscaler"])("system pods of %s", (name) => {
    it("every Helm release's pods have CPU and memory requests and a memory limit", () => {
        const releases = ofType(runs[name], RELEASE);
        expect(releases.length).toBeGreaterThan(3);
        const problems = releases.flatMap((release) => {
            const known = POD_RESOURCES[chartName(release)];
            if (!known) {
                return [`${release.name}: chart ${chartName(release)} is not in POD_RESOURCES (which values hold its pods' resources?)`];
            }
            return known.paths.flatMap((path) => missing(at(release.inputs.values, path)).map((m) => `${release.name}: ${path}.${m} unset`));
        });
        expect(problems).toEqual([]);
    });

    it("every pod template the program writes that tolerates the system taint has requests and a memory limit on each container", () => {
        const templates = runs[name].resources
            .filter((r) => /:(Deployment|CronJob|Job|DaemonSet)$/.test(r.type))
            .flatMap((r) => {
                const pod = podSpecOf(r);
                return pod?.tolerations?.some((t) => t.key === "CriticalAddonsOnly") ? [{ r, pod }] : [];
            });
        const problems = templates.flatMap(({ r, pod }) => pod.containers.flatMap((c) => missing(c.resources).map((m) => `${r.name}/${c.name}: ${m} unset`)));
        expect(problems).toEqual([]);
    });

    it("spreads metrics-server's replicas one per node (and across zones where it can)", () => {
        const release = ofType(runs[name], RELEASE).find((r) => chartName(r) === "metrics-server") as ResourceRecord;
        const selector = { matchLabels: { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": release.inputs.name } };
        expect(at(release.inputs.values, "topologySpreadConstraints")).toEqual([
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: selector },
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
        ]);
    });
});

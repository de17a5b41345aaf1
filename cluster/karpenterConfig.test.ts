/**
 * Bad node autoscaler config (`cluster.autoscaler`, `cluster.karpenter`) is
 * rejected before anything is created, each problem naming its YAML path;
 * checked on the real stack files.
 */
import { configProblems } from "../test/harness";
import { clusterAutoscalerMode } from "../test/clusterAutoscalerMode";

type Values = Record<string, unknown>;
const cluster = (v: Values): Values => v.cluster as Values;
const karpenter = (v: Values): Values => cluster(v).karpenter as Values;
const pool = (v: Values, i = 0): Values => (karpenter(v).nodePools as Values[])[i];

describe("node autoscaler config validation", () => {
    it.each<[string, string, (v: Values) => void, RegExp]>([
        [
            "an unknown autoscaler",
            "prod",
            (v) => {
                cluster(v).autoscaler = "keda";
            },
            /^cluster\.autoscaler must be one of karpenter, cluster-autoscaler$/,
        ],
        [
            "Karpenter without its section",
            "prod",
            (v) => {
                delete cluster(v).karpenter;
            },
            /^cluster\.karpenter is required when cluster\.autoscaler is karpenter/,
        ],
        [
            "a Karpenter section with the cluster-autoscaler",
            "staging",
            (v) => {
                cluster(v).autoscaler = "cluster-autoscaler";
                cluster(v).nodeGroups = [{ name: "general", instanceTypes: ["m6i.large", "m6a.large"], capacityType: "SPOT", minSize: 1, maxSize: 2 }];
            },
            /^cluster\.karpenter is set but cluster\.autoscaler is cluster-autoscaler/,
        ],
        [
            "no system group in Karpenter mode",
            "prod",
            (v) => {
                (cluster(v).nodeGroups as Values[])[0].taints = [];
            },
            /^cluster\.nodeGroups must have a system group tainted CriticalAddonsOnly=true:NoSchedule/,
        ],
        [
            "no NodePool",
            "prod",
            (v) => {
                karpenter(v).nodePools = [];
            },
            /^cluster\.karpenter\.nodePools must list at least one NodePool/,
        ],
        [
            "a pool with an unknown node class",
            "prod",
            (v) => {
                pool(v).nodeClass = "gpu";
            },
            /^cluster\.karpenter\.nodePools\[0\]\.nodeClass names node class "gpu", which is not in cluster\.karpenter\.nodeClasses \(default\)$/,
        ],
        [
            "a pool without limits",
            "prod",
            (v) => {
                delete pool(v).limits;
            },
            /^cluster\.karpenter\.nodePools\[0\]\.limits must be an object with cpu and memory$/,
        ],
        [
            "a zero CPU limit",
            "staging",
            (v) => {
                pool(v).limits = { cpu: 0, memory: "8Gi" };
            },
            /^cluster\.karpenter\.nodePools\[0\]\.limits\.cpu must be at least 1 vCPU$/,
        ],
        [
            "a memory limit without unit",
            "prod",
            (v) => {
                pool(v).limits = { cpu: 8, memory: "256" };
            },
            /^cluster\.karpenter\.nodePools\[0\]\.limits\.memory must be a memory size in Gi like 256Gi$/,
        ],
        [
            "an unknown architecture",
            "prod",
            (v) => {
                pool(v).architectures = ["x86"];
            },
            /^cluster\.karpenter\.nodePools\[0\]\.architectures\[0\] must be amd64 or arm64$/,
        ],
        [
            "an unknown capacity type",
            "staging",
            (v) => {
                pool(v).capacityTypes = ["reserved"];
            },
            /^cluster\.karpenter\.nodePools\[0\]\.capacityTypes\[0\] must be on-demand or spot$/,
        ],
        [
            "a budget with a schedule but no duration",
            "prod",
            (v) => {
                pool(v).budgets = [{ nodes: "0", schedule: "0 9 * * 1-5" }];
            },
            /^cluster\.karpenter\.nodePools\[0\]\.budgets\[0\] needs both schedule and duration, or neither$/,
        ],
        [
            "a bad budget size",
            "prod",
            (v) => {
                pool(v).budgets = [{ nodes: "ten" }];
            },
            /^cluster\.karpenter\.nodePools\[0\]\.budgets\[0\]\.nodes must be a node count like "1" or a percentage like "10%"$/,
        ],
        [
            "a bad no-disruption window cron",
            "prod",
            (v) => {
                pool(v).noDisruptionWindow = { schedule: "0 25 * * 1-5", duration: "8h" };
            },
            /^cluster\.karpenter\.nodePools\[0\]\.noDisruptionWindow\.schedule has a bad hour field "25"/,
        ],
        [
            "a window duration in seconds",
            "prod",
            (v) => {
                pool(v).noDisruptionWindow = { schedule: "0 7 * * 1-5", duration: "30s" };
            },
            /^cluster\.karpenter\.nodePools\[0\]\.noDisruptionWindow\.duration must be minutes or hours/,
        ],
        [
            "a bad expireAfter",
            "prod",
            (v) => {
                pool(v).expireAfter = "30 days";
            },
            /^cluster\.karpenter\.nodePools\[0\]\.expireAfter must be a duration like 720h, or Never$/,
        ],
        [
            "a drain deadline shorter than the longest shutdown a workload may ask for",
            "prod",
            (v) => {
                pool(v).terminationGracePeriod = "30m";
            },
            /^cluster\.karpenter\.nodePools\[0\]\.terminationGracePeriod \(30m\) must be at least 1h: a workload may ask for up to 3600 s/,
        ],
        [
            "a drain deadline that is not a duration",
            "staging",
            (v) => {
                pool(v).terminationGracePeriod = "Never";
            },
            /^cluster\.karpenter\.nodePools\[0\]\.terminationGracePeriod must be a duration like 2h or 90m$/,
        ],
        [
            "a typo in a pool key",
            "prod",
            (v) => {
                pool(v).capacityType = ["spot"];
            },
            /^cluster\.karpenter\.nodePools\[0\]\.capacityType is not a known key \(allowed: .*\): did you mean capacityTypes\?$/,
        ],
        [
            "two pools with one name",
            "prod",
            (v) => {
                (karpenter(v).nodePools as Values[]).push({ ...pool(v) });
            },
            /^cluster\.karpenter\.nodePools\[1\]\.name repeats the NodePool name "general"$/,
        ],
        [
            "a node class disk below 20 GiB",
            "prod",
            (v) => {
                karpenter(v).nodeClasses = [{ name: "default", diskSizeGiB: 8 }];
            },
            /^cluster\.karpenter\.nodeClasses\[0\]\.diskSizeGiB must be at least 20 GiB$/,
        ],
        [
            "an unknown OS",
            "prod",
            (v) => {
                karpenter(v).nodeClasses = [{ name: "default", amiFamily: "Ubuntu" }];
            },
            /^cluster\.karpenter\.nodeClasses\[0\]\.amiFamily must be AL2023 or Bottlerocket$/,
        ],
        [
            "a pod floor of 0",
            "staging",
            (v) => {
                (karpenter(v).podFloors as Values[])[0].minReplicas = 0;
            },
            /^cluster\.karpenter\.podFloors\[0\]\.minReplicas must be at least 1 \(0 would stop the service\)$/,
        ],
        [
            "a pod floor in an unknown time zone",
            "staging",
            (v) => {
                (karpenter(v).podFloors as Values[])[0].timeZone = "Europe/Atlantis";
            },
            /^cluster\.karpenter\.podFloors\[0\]\.timeZone is not a known IANA time zone/,
        ],
    ])("rejects %s, naming the field", (_what, stack, edit, message) => {
        const found = configProblems(stack, edit);
        expect(found).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
        expect(found.filter((p) => p.startsWith("cluster")).length).toBe(1);
    });

    it("accepts both stack files as they are, and both put back on the cluster-autoscaler", () => {
        for (const stack of ["prod", "staging"]) {
            expect(configProblems(stack, () => undefined)).toEqual([]);
            expect(configProblems(stack, (v) => clusterAutoscalerMode(stack, v))).toEqual([]);
        }
    });
});

/**
 * Bad cluster config is rejected before anything is created, each problem
 * naming its field; checked against the real stack files.
 */
import { clusterArgsProblems, ClusterArgs } from "./cluster";
import { parseStackConfig, RawStackConfig } from "../config";
import { logConfigWarnings } from "../stackConfig";
import { configProblems, rawStackConfig, registeredWithMonitor, runStack } from "../test/harness";
import { clusterAutoscalerMode } from "../test/clusterAutoscalerMode";

type Values = Record<string, unknown>;

const cluster = (v: Values): Values => v.cluster as Values;
const group = (v: Values, i = 0): Values => (cluster(v).nodeGroups as Values[])[i];
const schedule = (v: Values, i = 0): Values => (cluster(v).scheduledScaling as Values[])[i];
/** The edit, on the stack file put back in cluster-autoscaler mode (the node groups as they were before Karpenter). */
const ca =
    (stack: string, edit: (v: Values) => void) =>
    (v: Values): void => {
        clusterAutoscalerMode(stack, v);
        edit(v);
    };

describe.each(["prod", "staging"])("the %s cluster config", (stack) => {
    it("is valid", () => {
        expect(configProblems(stack, () => undefined)).toEqual([]);
    });
});

describe("the system node group's floor", () => {
    it("accepts one on-demand system node (an on-demand floor) as well as two Spot ones", () => {
        expect(configProblems("staging", (v) => Object.assign(group(v), { minSize: 1, desiredSize: 1, capacityType: "ON_DEMAND" }))).toEqual([]);
        expect(configProblems("staging", () => undefined)).toEqual([]);
    });
});

describe("cluster config validation", () => {
    it.each<[string, string, (v: Values) => void, RegExp]>([
        [
            "min > max",
            "prod",
            (v) => {
                Object.assign(group(v), { minSize: 5, maxSize: 3, desiredSize: 4 });
            },
            /^cluster\.nodeGroups\[0\]\.minSize \(5\) must be <= maxSize \(3\)$/,
        ],
        [
            "desired above max",
            "prod",
            ca("prod", (v) => {
                group(v).desiredSize = 12;
            }),
            /^cluster\.nodeGroups\[0\]\.desiredSize \(12\) must be between minSize \(3\) and maxSize \(9\)$/,
        ],
        [
            "desired below min",
            "staging",
            ca("staging", (v) => {
                Object.assign(group(v), { minSize: 2, desiredSize: 1 });
            }),
            /^cluster\.nodeGroups\[0\]\.desiredSize \(1\) must be between minSize \(2\) and maxSize \(4\)$/,
        ],
        [
            "a prod group of one node",
            "prod",
            (v) => {
                Object.assign(group(v), { minSize: 1, desiredSize: 1 });
            },
            /^cluster\.nodeGroups\[0\]\.minSize \(1\) must be at least 2 in prod/,
        ],
        [
            "1.34 after its end of standard support",
            "prod",
            (v) => {
                cluster(v).version = "1.34";
            },
            /^cluster\.version \(1\.34\): EKS standard support for 1\.34 ended on 2026-12-02; .*move to 1\.35/,
        ],
        [
            "1.33 (extended support only, no pins)",
            "prod",
            (v) => {
                cluster(v).version = "1.33";
            },
            /^cluster\.version \(1\.33\) is a version EKS offers but this program has no add-on pins for/,
        ],
        [
            "an old version",
            "staging",
            (v) => {
                cluster(v).version = "1.29";
            },
            /^cluster\.version \(1\.29\) is older than every version this program pins/,
        ],
        [
            "a version with no pinned add-ons",
            "prod",
            (v) => {
                cluster(v).version = "1.33";
            },
            /^cluster\.version \(1\.33\) is a version EKS offers but this program has no add-on pins for \(pinned: 1\.34, 1\.35, 1\.36/,
        ],
        [
            "a version EKS does not have",
            "prod",
            (v) => {
                cluster(v).version = "1.40";
            },
            /^cluster\.version \(1\.40\) is not a version this program knows/,
        ],
        [
            "an unquoted version",
            "prod",
            (v) => {
                cluster(v).version = 1.3;
            },
            /^cluster\.version must be a quoted string like "1\.34" \(YAML reads 1\.30 as the number 1\.3\)/,
        ],
        [
            "spot with one instance type",
            "staging",
            (v) => {
                group(v).instanceTypes = ["m6i.large"];
            },
            /^cluster\.nodeGroups\[0\]\.instanceTypes must list at least 2 instance types for SPOT capacity/,
        ],
        [
            "no instance type",
            "prod",
            (v) => {
                group(v).instanceTypes = [];
            },
            /^cluster\.nodeGroups\[0\]\.instanceTypes must have at least 1 item/,
        ],
        [
            "an ARM instance on an x86 image",
            "prod",
            (v) => {
                group(v).instanceTypes = ["m7g.large", "m6i.large"];
            },
            /^cluster\.nodeGroups\[0\]\.instanceTypes\[0\] \(m7g\.large\) is an arm64 instance type but amiType AL2023_x86_64_STANDARD is x86_64/,
        ],
        [
            "no node group",
            "prod",
            (v) => {
                cluster(v).nodeGroups = [];
            },
            /^cluster\.nodeGroups must have at least 1 item/,
        ],
        [
            "empty subnets (no zones)",
            "staging",
            (v) => {
                (v.network as Values).availabilityZones = [];
            },
            /^cluster needs private subnets in at least 2 zones/,
        ],
        [
            "every group tainted",
            "prod",
            ca("prod", (v) => {
                group(v).taints = [{ key: "dedicated", value: "batch", effect: "NoSchedule" }];
            }),
            /^cluster\.nodeGroups must have one group without NoSchedule\/NoExecute taints/,
        ],
        [
            "a bad taint effect",
            "prod",
            ca("prod", (v) => {
                group(v).taints = [{ key: "dedicated", effect: "NoWay" }];
            }),
            /^cluster\.nodeGroups\[0\]\.taints\[0\]\.effect must be one of NoSchedule, NoExecute, PreferNoSchedule/,
        ],
        [
            "a duplicate group name",
            "prod",
            (v) => {
                (cluster(v).nodeGroups as Values[]).push({ ...group(v) });
            },
            /^cluster\.nodeGroups\[1\]\.name duplicates node group name "general"/,
        ],
        [
            "an STS session as admin",
            "prod",
            (v) => {
                cluster(v).adminPrincipals = ["arn:aws:sts::123456789012:assumed-role/admin/alice"];
            },
            /^cluster\.adminPrincipals\[0\] must be an IAM role or user ARN, not a session/,
        ],
        [
            "a malformed admin ARN",
            "prod",
            (v) => {
                cluster(v).adminPrincipals = ["platform-admin"];
            },
            /^cluster\.adminPrincipals\[0\] must be an IAM role or user ARN like/,
        ],
        [
            "two admins with one name",
            "prod",
            (v) => {
                cluster(v).adminPrincipals = ["arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/team/admin"];
            },
            /^cluster\.adminPrincipals\[1\] duplicates principal name "role-admin"/,
        ],
        [
            "no admin",
            "prod",
            (v) => {
                cluster(v).adminPrincipals = [];
            },
            /^cluster\.adminPrincipals must have at least 1 item/,
        ],
        [
            "a public endpoint open to the internet",
            "prod",
            (v) => {
                cluster(v).publicAccessCidrs = ["0.0.0.0/0"];
            },
            /^cluster\.publicAccessCidrs\[0\] \(0\.0\.0\.0\/0\) is too wide for the public API endpoint/,
        ],
        [
            "a Service CIDR overlapping the VPC",
            "prod",
            (v) => {
                cluster(v).serviceCidr = "10.20.0.0/16";
            },
            /^cluster\.serviceCidr \(10\.20\.0\.0\/16\) overlaps the VPC CIDR 10\.20\.0\.0\/16/,
        ],
        [
            "a Service CIDR overlapping a peer",
            "prod",
            (v) => {
                cluster(v).serviceCidr = "10.0.0.0/16";
            },
            /^cluster\.serviceCidr \(10\.0\.0\.0\/16\) overlaps peer network 10\.0\.0\.0\/16/,
        ],
        [
            "no audit log",
            "prod",
            (v) => {
                cluster(v).logTypes = ["api", "authenticator"];
            },
            /^cluster\.logTypes must include api, audit, authenticator .*missing audit/,
        ],
        [
            "a retention CloudWatch does not offer",
            "prod",
            (v) => {
                cluster(v).logRetentionDays = 100;
            },
            /^cluster\.logRetentionDays \(100\) must be a period CloudWatch Logs accepts/,
        ],
        [
            "an IMDS hop limit of 3",
            "prod",
            (v) => {
                cluster(v).metadataHopLimit = 3;
            },
            /^cluster\.metadataHopLimit \(3\) must be <= 2/,
        ],
        [
            "a kube-proxy of another minor",
            "prod",
            (v) => {
                cluster(v).addonVersions = { kubeProxy: "v1.33.0-eksbuild.2" };
            },
            /^cluster\.addonVersions\.kubeProxy \(v1\.33\.0-eksbuild\.2\) must be a kube-proxy build of the cluster's version 1\.35/,
        ],
        [
            "a bad headroom size",
            "prod",
            (v) => {
                cluster(v).headroom = { replicas: 1, cpu: "lots", memory: "2Gi" };
            },
            /^cluster\.headroom\.cpu must be a CPU quantity/,
        ],
        [
            "a bad cron",
            "staging",
            ca("staging", (v) => {
                schedule(v).recurrence = "0 25 * * 1-5";
            }),
            /^cluster\.scheduledScaling\[0\]\.recurrence has a bad hour field "25"/,
        ],
        [
            "an unknown time zone",
            "staging",
            ca("staging", (v) => {
                schedule(v).timeZone = "Europe/Atlantis";
            }),
            /^cluster\.scheduledScaling\[0\]\.timeZone is not a known IANA time zone/,
        ],
        [
            "a schedule for an unknown group",
            "staging",
            ca("staging", (v) => {
                schedule(v).nodeGroups = ["batch"];
            }),
            /^cluster\.scheduledScaling\[0\]\.nodeGroups\[0\] names node group "batch", which is not in cluster\.nodeGroups/,
        ],
        [
            "a schedule above the group's max",
            "staging",
            ca("staging", (v) => {
                Object.assign(schedule(v, 1), { maxSize: 10 });
            }),
            /^cluster\.scheduledScaling\[1\]\.maxSize \(10\) must be <= node group general's maxSize \(4\)/,
        ],
        [
            "a schedule with min > max",
            "staging",
            ca("staging", (v) => {
                Object.assign(schedule(v), { minSize: 2, maxSize: 1 });
            }),
            /^cluster\.scheduledScaling\[0\]\.minSize \(2\) must be <= maxSize \(1\)/,
        ],
        [
            "a prod schedule down to one node",
            "prod",
            (v) => {
                cluster(v).scheduledScaling = [{ name: "night", recurrence: "0 22 * * *", timeZone: "UTC", minSize: 1, maxSize: 1, desiredSize: 1 }];
            },
            /^cluster\.scheduledScaling\[0\]\.minSize \(1\) must be at least 2 in prod/,
        ],
        [
            "one Spot system node (staging as it was)",
            "staging",
            (v) => {
                Object.assign(group(v), { minSize: 1, desiredSize: 1 });
            },
            /^cluster\.nodeGroups\[0\]\.minSize \(1\) leaves the system group general with one Spot node at its minimum: .*set minSize: 2 \(two nodes in two zones\) or capacityType: ON_DEMAND/,
        ],
        [
            "a system group that may shrink to no node",
            "staging",
            (v) => {
                Object.assign(group(v), { minSize: 0, desiredSize: 1, capacityType: "ON_DEMAND" });
            },
            /^cluster\.nodeGroups\[0\]\.minSize \(0\) leaves the system group general with no node at its minimum/,
        ],
        [
            "a Bottlerocket node class on a minor its pinned release was not built for",
            "staging",
            (v) => {
                cluster(v).version = "1.36";
                ((cluster(v).karpenter as Values).nodeClasses as Values[])[0].amiFamily = "Bottlerocket";
            },
            /^cluster\.karpenter\.nodeClasses\[0\]\.amiFamily \(Bottlerocket\) has no node image pinned for Kubernetes 1\.36 \(cluster\/catalog\.ts NODE_IMAGE_ALIASES: bottlerocket built for 1\.34, 1\.35\)/,
        ],
        [
            "a typo in a node group key",
            "prod",
            (v) => {
                group(v).minsize = 3;
            },
            /^cluster\.nodeGroups\[0\]\.minsize is not a known key/,
        ],
    ])("rejects %s, naming the field", (_what, stack, edit, message) => {
        const found = configProblems(stack, edit);
        expect(found).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
        // One mistake, one message: nothing else in the file is blamed for it.
        expect(found.filter((p) => p.startsWith("cluster")).length).toBe(1);
    });

    it("creates nothing when the cluster config is invalid", async () => {
        await expect(
            runStack("prod", {
                edit: (v) => {
                    Object.assign(group(v), { minSize: 5, maxSize: 3 });
                },
            }),
        ).rejects.toThrow(/cluster\.nodeGroups\[0\]\.minSize \(5\) must be <= maxSize \(3\)/);
        expect(registeredWithMonitor()).toBe(0);
    });
});

describe("the Kubernetes version against the clock (the clock is pinned: test/harness.ts TEST_NOW)", () => {
    /** The version's warnings (the stack files also carry example-value warnings: test/configSchema.test.ts). */
    const versionWarnings = (warnings: readonly string[]): string[] => warnings.filter((w) => /^(config: )?cluster\.version /.test(w));
    const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
    const on1_34 = (v: Values): void => {
        cluster(v).version = "1.34";
    };

    it("accepts 1.34 silently more than 60 days before its end of standard support", () => {
        expect(configProblems("prod", on1_34, day("2026-10-02"))).toEqual([]);
        expect(versionWarnings(parseStackConfig(withVersion("1.34", day("2026-10-02"))).warnings)).toEqual([]);
    });

    it("warns within 60 days of the end, naming the version, the date and the version to move to, and still deploys", () => {
        const config = parseStackConfig(withVersion("1.34", day("2026-11-01")));
        expect(versionWarnings(config.warnings)).toEqual([
            "cluster.version (1.34): EKS standard support for 1.34 ends on 2026-12-02 (in 31 days); after that this program refuses it and AWS upgrades the control plane; move to 1.35, one minor at a time (docs/operations/upgrade.md)",
        ]);
        expect(config.cluster.version).toBe("1.34");
    });

    it("logs every warning on the run (pulumi.log.warn in index.ts)", () => {
        const logged: string[] = [];
        logConfigWarnings(parseStackConfig(withVersion("1.34", day("2026-11-30"))), (m) => logged.push(m));
        expect(versionWarnings(logged)).toEqual([expect.stringMatching(/^config: cluster\.version \(1\.34\): EKS standard support for 1\.34 ends on 2026-12-02 \(in 2 days\)/)]);
    });

    it("refuses 1.34 from the day standard support ended (2026-12-02), naming the date and 1.35", () => {
        expect(configProblems("prod", on1_34, day("2026-12-02"))).toEqual([
            "cluster.version (1.34): EKS standard support for 1.34 ended on 2026-12-02; with upgradePolicy STANDARD AWS upgrades the control plane itself and never downgrades; move to 1.35, one minor at a time (docs/operations/upgrade.md)",
        ]);
    });

    it("refuses 1.35 after 2027-03-27, pointing at 1.36 (pinned: no catalog work first)", () => {
        expect(configProblems("staging", () => undefined, day("2027-03-28"))).toEqual([
            expect.stringMatching(
                /^cluster\.version \(1\.35\): EKS standard support for 1\.35 ended on 2027-03-27; .*; move to 1\.36, one minor at a time \(docs\/operations\/upgrade\.md\)$/,
            ),
        ]);
    });

    it("creates nothing for a version past its end: the refusal comes before the first resource", async () => {
        await expect(runStack("prod", { edit: on1_34 })).rejects.toThrow(/cluster\.version \(1\.34\): EKS standard support for 1\.34 ended on 2026-12-02/);
        expect(registeredWithMonitor()).toBe(0);
    });

    it("runs the stack files as they are without a warning on the pinned day", () => {
        for (const stack of ["prod", "staging"]) {
            expect(versionWarnings(parseStackConfig(rawStackConfig(stack)).warnings)).toEqual([]);
        }
    });

    function withVersion(version: string, now: Date): RawStackConfig {
        const raw = rawStackConfig("prod", undefined, now);
        on1_34(raw.values);
        cluster(raw.values).version = version;
        return raw;
    }
});

describe("Cluster arguments", () => {
    const args = (privateSubnetIds: string[], nodeGroups: unknown[] = [{}]): ClusterArgs => ({
        config: { nodeGroups } as unknown as ClusterArgs["config"],
        vpcId: "vpc-1",
        privateSubnetIds,
        nodeSecurityGroupId: "sg-1",
        controlPlaneRules: [],
        securityGroupIds: { loadBalancer: "sg-2", appNodes: "sg-1", mariadb: "sg-3", redis: "sg-4", mongodb: "sg-5", endpoints: "sg-6" },
        protect: false,
        instanceTags: {},
    });

    it("rejects empty subnets and no node groups, naming the argument", () => {
        expect(clusterArgsProblems(args([]))).toEqual([expect.stringMatching(/^privateSubnetIds is empty/)]);
        expect(clusterArgsProblems(args(["subnet-a"]))).toEqual([expect.stringMatching(/^privateSubnetIds has one subnet/)]);
        expect(clusterArgsProblems(args(["subnet-a", "subnet-b"], []))).toEqual([expect.stringMatching(/^config\.nodeGroups is empty/)]);
        expect(clusterArgsProblems(args(["subnet-a", "subnet-b"]))).toEqual([]);
    });
});

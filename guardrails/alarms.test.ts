/**
 * Alarms against the real stacks: every alarm notifies the encrypted topic
 * when it fires and when it recovers, watches the resources the program
 * actually creates (the edge's load balancer and target groups, the data
 * tier's store nodes, the cluster), and Container Insights is installed with
 * a role only its agent can assume. Plus the `alarms` config validation.
 */
import { KUBERNETES_VERSIONS } from "../cluster/catalog";
import { configProblems, ofType, resource, ResourceRecord, runStack, StackRun, transitiveDependencies } from "../test/harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
type Values = Record<string, unknown>;

/** The alarm whose name ends in `-<key>`. */
function alarm(run: StackRun, key: string): ResourceRecord {
    return resource(run, ALARM, `iam-alarms-${key}`);
}

/** Every dimension map an alarm watches (a single metric's, or each metric of its math). */
function dimensionsOf(record: ResourceRecord): Record<string, unknown>[] {
    const queries = (record.inputs.metricQueries ?? []) as { metric?: { dimensions?: Record<string, unknown> } }[];
    return record.inputs.dimensions ? [record.inputs.dimensions as Record<string, unknown>] : queries.flatMap((q) => (q.metric?.dimensions ? [q.metric.dimensions] : []));
}

describe.each(["prod", "staging"])("alarms on the %s stack", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("notify an SNS topic encrypted with a key CloudWatch may use", () => {
        const topic = resource(run, "aws:sns/topic:Topic", "iam-alarms-topic");
        const key = resource(run, "aws:kms/key:Key", "iam-alarms-topic-key");
        expect(topic.inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
        expect(topic.propertyDependencies.kmsMasterKeyId).toEqual([key.urn]);
        const statements = JSON.parse(String(key.inputs.policy)).Statement as { Principal: Record<string, string>; Action: string | string[] }[];
        expect(statements).toContainEqual(expect.objectContaining({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] }));
        expect(key.inputs.enableKeyRotation).toBe(true);
    });

    it("subscribe every configured endpoint, and the secret on-call webhook as a secret", () => {
        const subscriptions = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
        const plain = subscriptions.filter((s) => s.name !== "iam-alarms-oncall-webhook");
        expect(plain.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual(run.config.alarms.subscriptions.map((s) => [s.protocol, s.endpoint]));
        const webhook = resource(run, "aws:sns/topicSubscription:TopicSubscription", "iam-alarms-oncall-webhook");
        expect(webhook.inputs).toMatchObject({ protocol: "https", endpoint: "[secret]", endpointAutoConfirms: true });
        expect(webhook.secretPaths).toEqual(["endpoint"]);
        expect(JSON.stringify(run.resources)).not.toContain("0123456789abcdef0123456789abcdef");
    });

    it("send both the alarm and the recovery to the topic, and decide what missing data means", () => {
        const topicArn = `arn:aws:sns:eu-west-1:123456789012:iam-${stack}-alarms`;
        const alarms = ofType(run, ALARM);
        expect(alarms.length).toBeGreaterThan(10);
        for (const a of alarms) {
            expect([a.name, a.inputs.alarmActions, a.inputs.okActions]).toEqual([a.name, [topicArn], [topicArn]]);
            expect([a.name, a.inputs.treatMissingData]).toEqual([a.name, expect.stringMatching(/^(missing|notBreaching|breaching)$/)]);
            expect(a.inputs.name).toMatch(new RegExp(`^iam-${stack}-`));
            expect(String(a.inputs.alarmDescription).length).toBeGreaterThan(20);
        }
    });

    it("watch the load balancer and every target group the edge creates", () => {
        const alb = ofType(run, "aws:lb/loadBalancer:LoadBalancer")[0];
        const albSuffix = `app/${alb.name}/50dc6c495c0c9188`;
        expect(dimensionsOf(alarm(run, "alb-5xx-rate"))).toEqual([{ LoadBalancer: albSuffix }, { LoadBalancer: albSuffix }, { LoadBalancer: albSuffix }]);
        const publicServices = run.config.services.filter((s) => s.public).map((s) => s.name);
        expect(publicServices.length).toBeGreaterThan(0);
        const groups = ofType(run, "aws:lb/targetGroup:TargetGroup");
        for (const service of publicServices) {
            for (const key of ["unhealthy-targets", "no-healthy-targets", "response-time"]) {
                const [dims] = dimensionsOf(alarm(run, `${service}-${key}`));
                expect(dims.LoadBalancer).toBe(albSuffix);
                expect(groups.map((g) => `targetgroup/${g.name}/73e2d6bc24d8a067`)).toContain(dims.TargetGroup);
            }
        }
    });

    it("watch every managed store node by its real identifier", () => {
        const rds = ofType(run, "aws:rds/instance:Instance");
        const redis = ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup");
        const docdb = ofType(run, "aws:docdb/clusterInstance:ClusterInstance");
        const managed = (store: "mariadb" | "redis" | "mongodb"): boolean => run.config.dataStores[store]?.mode === "managed";
        expect([rds.length, redis.length, docdb.length > 0]).toEqual([managed("mariadb") ? 1 : 0, managed("redis") ? 1 : 0, managed("mongodb")]);
        for (const instance of rds) {
            expect(dimensionsOf(alarm(run, "mariadb-cpu"))).toEqual([{ DBInstanceIdentifier: instance.inputs.identifier }]);
            expect(dimensionsOf(alarm(run, "mariadb-free-storage"))).toEqual([{ DBInstanceIdentifier: instance.inputs.identifier }]);
        }
        for (const group of redis) {
            const nodes = Number(group.inputs.numCacheClusters);
            const members = Array.from({ length: nodes }, (_, i) => `${String(group.inputs.replicationGroupId)}-00${i + 1}`);
            expect(members.map((_, i) => dimensionsOf(alarm(run, `redis-${i + 1}-evictions`))[0].CacheClusterId)).toEqual(members);
        }
        docdb.forEach((instance, i) => {
            expect(dimensionsOf(alarm(run, `docdb-${i + 1}-cpu`))).toEqual([{ DBInstanceIdentifier: instance.inputs.identifier }]);
        });
    });

    it("watch each workload's restarts and the cluster's nodes through Container Insights", () => {
        const clusterName = run.outputs.clusterName.value;
        expect(dimensionsOf(alarm(run, "cluster-failed-nodes"))).toEqual([{ ClusterName: clusterName }]);
        for (const service of run.config.services) {
            expect(dimensionsOf(alarm(run, `${service.name}-restarts`))).toEqual([{ ClusterName: clusterName, Namespace: run.config.workloads.namespace, PodName: service.name }]);
        }
        // PodName is the Deployment's name: the restart alarms must name the Deployments that exist.
        const deployments = ofType(run, "kubernetes:apps/v1:Deployment")
            .map((d) => d.inputs.metadata as { name: string; namespace: string })
            .filter((m) => m.namespace === run.config.workloads.namespace)
            .map((m) => m.name);
        expect(deployments.sort()).toEqual(run.config.services.map((s) => s.name).sort());
    });

    it("pin the observability add-on to the catalog's build for the cluster's version (an unpinned add-on floats with AWS's default)", () => {
        const addon = resource(run, "aws:eks/addon:Addon", "iam-alarms-observability");
        expect(addon.inputs.addonVersion).toBe(KUBERNETES_VERSIONS[run.config.cluster.version].pins?.cloudwatchObservability);
        expect(addon.inputs.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    });

    it("install the observability add-on after its agent's Pod Identity association and the nodes exist", () => {
        const addon = resource(run, "aws:eks/addon:Addon", "iam-alarms-observability");
        const role = resource(run, "aws:iam/role:Role", "iam-alarms-cloudwatch-agent");
        expect(addon.inputs).toMatchObject({ addonName: "amazon-cloudwatch-observability", clusterName: run.outputs.clusterName.value });
        expect(addon.inputs.serviceAccountRoleArn).toBeUndefined();
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
        expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
        const association = resource(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "iam-alarms-cloudwatch-agent-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" });
        expect(association.propertyDependencies.roleArn).toEqual([role.urn]);
        expect(addon.dependencies).toContain(association.urn);
        const policy = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((a) => a.propertyDependencies.role?.includes(role.urn));
        expect(policy?.inputs.policyArn).toBe("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
        // Pods without nodes leave the add-on DEGRADED and its create times out.
        const waitsFor = transitiveDependencies(run, addon.urn);
        for (const nodeGroup of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
            expect(waitsFor).toContain(nodeGroup.urn);
        }
    });

    it("exports the topic for other alerting (e.g. a chat integration)", () => {
        expect(run.outputs.alarmTopicArn).toMatchObject({ known: true, value: `arn:aws:sns:eu-west-1:123456789012:iam-${stack}-alarms` });
    });
});

describe("alarm thresholds come from config", () => {
    it("uses the stack's overrides and the defaults elsewhere", async () => {
        const staging = await runStack("staging");
        expect(alarm(staging, "alb-5xx-rate").inputs.threshold).toBe(10);
        expect(alarm(staging, "mariadb-cpu").inputs.threshold).toBe(80);
    });

    it("keeps every alarm on a fresh stack's preview", async () => {
        const preview = await runStack("prod", { preview: true });
        const full = await runStack("prod");
        expect(
            ofType(preview, ALARM)
                .map((a) => a.name)
                .sort(),
        ).toEqual(
            ofType(full, ALARM)
                .map((a) => a.name)
                .sort(),
        );
    });
});

describe("alarms config validation", () => {
    const alarms = (v: Values): Values => v.alarms as Values;
    it.each<[string, (v: Values) => void, RegExp]>([
        [
            "prod without a subscriber",
            (v) => {
                alarms(v).subscriptions = [];
                delete v.alarmWebhookUrl;
            },
            /^alarms\.subscriptions must list at least one subscriber in prod/,
        ],
        [
            "prod without the section",
            (v) => {
                delete v.alarms;
                delete v.alarmWebhookUrl;
            },
            /^alarms\.subscriptions must list at least one subscriber in prod/,
        ],
        [
            "a webhook that is not https",
            (v) => {
                v.alarmWebhookUrl = "http://events.example.com/integration/secret-key-123/enqueue";
            },
            /^alarmWebhookUrl must be an https:\/\/ URL with a host \(the value is secret and not shown/,
        ],
        [
            "a malformed email",
            (v) => {
                alarms(v).subscriptions = [{ protocol: "email", endpoint: "oncall.example.com" }];
            },
            /^alarms\.subscriptions\[0\]\.endpoint must be an email address/,
        ],
        [
            "a plain-http endpoint",
            (v) => {
                alarms(v).subscriptions = [{ protocol: "https", endpoint: "http://hooks.example.com/sns" }];
            },
            /^alarms\.subscriptions\[0\]\.endpoint must be an https:\/\/ URL/,
        ],
        [
            "an unsupported protocol",
            (v) => {
                alarms(v).subscriptions = [{ protocol: "sms", endpoint: "+3531234567" }];
            },
            /^alarms\.subscriptions\[0\]\.protocol must be one of email, https/,
        ],
        [
            "a duplicate subscriber",
            (v) => {
                alarms(v).subscriptions = [
                    { protocol: "email", endpoint: "a@example.com" },
                    { protocol: "email", endpoint: "A@example.com" },
                ];
            },
            /^alarms\.subscriptions\[1\] duplicates subscriptions\[0\]/,
        ],
        [
            "a percentage over 100",
            (v) => {
                alarms(v).thresholds = { alb5xxPercent: 150 };
            },
            /^alarms\.thresholds\.alb5xxPercent \(150\) must be >= 0\.1 and <= 100/,
        ],
        [
            "a fractional count",
            (v) => {
                alarms(v).thresholds = { podRestarts: 2.5 };
            },
            /^alarms\.thresholds\.podRestarts must be a whole number/,
        ],
        [
            "a threshold as text",
            (v) => {
                alarms(v).thresholds = { rdsCpuPercent: "80%" };
            },
            /^alarms\.thresholds\.rdsCpuPercent must be a number/,
        ],
        [
            "an unknown threshold",
            (v) => {
                alarms(v).thresholds = { cpuPercent: 80 };
            },
            /^alarms\.thresholds\.cpuPercent is not a known key/,
        ],
        [
            "a malformed add-on version",
            (v) => {
                alarms(v).containerInsights = { addonVersion: "latest" };
            },
            /^alarms\.containerInsights\.addonVersion must be an EKS add-on version/,
        ],
    ])("rejects %s, naming the field", (_what, edit, message) => {
        expect(configProblems("prod", edit)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("never shows the secret webhook in an error", () => {
        const found = configProblems("prod", (v) => {
            v.alarmWebhookUrl = "http://events.example.com/integration/secret-key-123/enqueue";
        });
        expect(found).toHaveLength(1);
        expect(found.join("\n")).not.toContain("secret-key-123");
    });

    it("lets prod page through the secret webhook alone", () => {
        expect(
            configProblems("prod", (v) => {
                alarms(v).subscriptions = [];
            }),
        ).toEqual([]);
    });

    it("lets staging go without subscribers", () => {
        expect(
            configProblems("staging", (v) => {
                alarms(v).subscriptions = [];
                delete v.alarmWebhookUrl;
            }),
        ).toEqual([]);
    });

    it("accepts an https endpoint", () => {
        expect(
            configProblems("prod", (v) => {
                alarms(v).subscriptions = [{ protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue" }];
            }),
        ).toEqual([]);
    });
});

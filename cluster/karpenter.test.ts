/**
 * Karpenter as the program registers it for the real prod and staging stack
 * files: NodePools and EC2NodeClasses from config, the nodes' role and access
 * entry, interruption handling, the controller's chart, identity, policy and
 * placement, headroom on Karpenter's nodes, the scheduled pod floors, and
 * what waits for what.
 */
import { KARPENTER_CHARTS, NODE_IMAGE_ALIASES } from "./catalog";
import { ofType, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies } from "../test/harness";

const CR_NODEPOOL = "kubernetes:karpenter.sh/v1:NodePool";
const CR_NODECLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

const runs: Record<string, StackRun> = {};
let caRun: StackRun;
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
    caRun = await runVariant("staging-cluster-autoscaler");
});

type Spec = Record<string, unknown>;

/**
 * The order `pulumi destroy` deletes a run's resources in: the engine deletes
 * a resource only after everything that depends on it (its `dependsOn` and
 * input dependencies, its children, the resources using it as provider).
 * Kahn's algorithm over the recorded graph, dependents first; ties in
 * registration order.
 */
function destroyOrder(run: StackRun): string[] {
    const dependents = new Map<string, Set<string>>(run.resources.map((r) => [r.urn, new Set<string>()]));
    for (const r of run.resources) {
        const provider = r.provider?.slice(0, r.provider.lastIndexOf("::"));
        for (const on of [...r.dependencies, ...(r.parent ? [r.parent] : []), ...(provider ? [provider] : [])]) {
            dependents.get(on)?.add(r.urn);
        }
    }
    const order: string[] = [];
    const left = new Set(dependents.keys());
    while (left.size > 0) {
        const ready = [...left].filter((urn) => [...(dependents.get(urn) ?? [])].every((d) => !left.has(d)));
        if (ready.length === 0) {
            throw new Error(`dependency cycle among ${[...left].join(", ")}`);
        }
        ready.forEach((urn) => left.delete(urn));
        order.push(...ready);
    }
    return order;
}
const spec = (r: ResourceRecord): Spec => r.inputs.spec as Spec;
const values = (r: ResourceRecord): Spec => r.inputs.values as Spec;
const controller = (run: StackRun): ResourceRecord => resource(run, RELEASE, "iam-karpenter-controller");
type Doc = {
    Statement: {
        Sid?: string;
        Effect: string;
        Action: string | string[];
        Resource?: string | string[];
        Condition?: Record<string, Record<string, unknown>>;
        Principal?: unknown;
    }[];
};
const doc = (value: unknown): Doc => JSON.parse(String(value)) as Doc;

describe.each(["prod", "staging"])("%s NodePools and EC2NodeClasses", (stack) => {
    it("registers one karpenter.sh/v1 NodePool per configured pool, with its requirements, limits and disruption", () => {
        const run = runs[stack];
        const pools = run.config.cluster.karpenter?.nodePools ?? [];
        expect(pools.length).toBeGreaterThan(0);
        expect(ofType(run, CR_NODEPOOL)).toHaveLength(pools.length);
        for (const pool of pools) {
            const s = spec(resource(run, CR_NODEPOOL, `iam-karpenter-pool-${pool.name}`)) as {
                template: {
                    spec: { requirements: { key: string; values?: string[] }[]; nodeClassRef: unknown; expireAfter: string; terminationGracePeriod: string; taints?: unknown };
                };
                limits: unknown;
                disruption: { consolidationPolicy: string; budgets: unknown[] };
            };
            const requirement = (key: string) => s.template.spec.requirements.find((r) => r.key === key)?.values;
            expect(requirement("karpenter.sh/capacity-type")).toEqual(pool.capacityTypes);
            expect(requirement("kubernetes.io/arch")).toEqual(pool.architectures);
            expect(requirement("karpenter.k8s.aws/instance-category")).toEqual(pool.instanceCategories);
            expect(requirement("karpenter.k8s.aws/instance-size")).toEqual(pool.instanceSizes);
            expect(s.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.nodeClass });
            expect(s.template.spec.expireAfter).toBe(pool.expireAfter);
            // Expiry ignores the budgets: the drain it starts is bounded (docs/cluster.md, node expiry).
            expect(s.template.spec.terminationGracePeriod).toBe(pool.terminationGracePeriod);
            expect(pool.terminationGracePeriod).toBe("2h");
            // No taints: every pod that does not tolerate the system group lands here.
            expect(s.template.spec.taints).toBeUndefined();
            expect(s.limits).toEqual({ cpu: String(pool.limits.cpu), memory: pool.limits.memory });
            expect(s.disruption.consolidationPolicy).toBe(pool.consolidation.policy);
            expect(s.disruption.budgets).toEqual(expect.arrayContaining(pool.budgets.map((b) => expect.objectContaining({ nodes: b.nodes }))));
        }
    });

    it("pins each EC2NodeClass's image alias to the catalog (never latest), IMDSv2 at hop limit 1, an encrypted gp3 root, and discovery-tag selectors", () => {
        const run = runs[stack];
        const tag = { "karpenter.sh/discovery": run.config.cluster.name };
        for (const nodeClass of run.config.cluster.karpenter?.nodeClasses ?? []) {
            const s = spec(resource(run, CR_NODECLASS, `iam-karpenter-class-${nodeClass.name}`)) as Spec & {
                amiSelectorTerms: { alias: string }[];
                blockDeviceMappings: { rootVolume?: boolean; ebs: Spec }[];
            };
            expect(s.amiSelectorTerms).toEqual([
                { alias: nodeClass.amiFamily === "AL2023" ? `al2023@${NODE_IMAGE_ALIASES.al2023}` : `bottlerocket@${NODE_IMAGE_ALIASES.bottlerocket}` },
            ]);
            expect(JSON.stringify(s)).not.toContain("latest");
            expect(s.metadataOptions).toEqual({ httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
            expect(s.blockDeviceMappings.filter((b) => b.rootVolume)).toEqual([
                expect.objectContaining({ ebs: { volumeSize: `${nodeClass.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } }),
            ]);
            expect(s.subnetSelectorTerms).toEqual([{ tags: tag }]);
            expect(s.securityGroupSelectorTerms).toEqual([{ tags: tag }]);
            expect(s.role).toBe(resource(run, ROLE, "iam-karpenter-node-role").inputs.name ?? "iam-karpenter-node-role-a1b2c3d");
            expect(s.tags).toMatchObject({ project: "iam", environment: run.config.environment });
        }
    });

    it("puts the discovery tag on the private subnets and the app nodes' group only (not the public subnets, not the EKS cluster group)", () => {
        const run = runs[stack];
        const tagged = run.resources.filter((r) => r.custom && (r.inputs.tags as Record<string, string> | undefined)?.["karpenter.sh/discovery"] === run.config.cluster.name);
        const zones = run.config.network.availabilityZones;
        expect(tagged.map((r) => r.name).sort()).toEqual([...zones.map((z) => `iam-network-private-${z}`), "iam-access-appnodes"].sort());
    });

    it("lets Karpenter's nodes join through their own role's EC2_LINUX access entry, created before any node class", () => {
        const run = runs[stack];
        const role = resource(run, ROLE, "iam-karpenter-node-role");
        const entry = ofType(run, "aws:eks/accessEntry:AccessEntry").find((e) => e.inputs.type === "EC2_LINUX");
        expect(entry?.propertyDependencies.principalArn).toEqual([role.urn]);
        expect(entry?.inputs.clusterName).toBe(run.config.cluster.name);
        for (const nodeClass of ofType(run, CR_NODECLASS)) {
            expect(nodeClass.dependencies).toContain(entry?.urn);
        }
    });
});

describe("capacity types per environment", () => {
    it("prod launches on-demand only; staging prefers spot with on-demand behind it", () => {
        for (const pool of runs.prod.config.cluster.karpenter?.nodePools ?? []) {
            expect(pool.capacityTypes).toEqual(["on-demand"]);
        }
        expect(runs.staging.config.cluster.karpenter?.nodePools[0].capacityTypes).toEqual(["spot", "on-demand"]);
    });

    it("prod blocks voluntary disruption in its configured window with a zero-node budget on that schedule", () => {
        const pool = runs.prod.config.cluster.karpenter?.nodePools[0];
        const budgets = (spec(resource(runs.prod, CR_NODEPOOL, `iam-karpenter-pool-${pool?.name}`)).disruption as { budgets: unknown[] }).budgets;
        expect(budgets).toContainEqual({ nodes: "0", schedule: pool?.noDisruptionWindow?.schedule, duration: pool?.noDisruptionWindow?.duration });
    });
});

describe.each(["prod", "staging"])("%s interruption handling", (stack) => {
    it("feeds an SSE-encrypted queue from EventBridge rules for spot interruption, rebalance, instance state change and health events, and tells the controller", () => {
        const run = runs[stack];
        const queue = resource(run, "aws:sqs/queue:Queue", "iam-karpenter-interruption");
        expect(queue.inputs).toMatchObject({ sqsManagedSseEnabled: true, messageRetentionSeconds: 300 });
        const detailTypes = ofType(run, "aws:cloudwatch/eventRule:EventRule").map((r) => JSON.parse(String(r.inputs.eventPattern))["detail-type"][0]);
        expect(detailTypes).toEqual(
            expect.arrayContaining([
                "EC2 Spot Instance Interruption Warning",
                "EC2 Instance Rebalance Recommendation",
                "EC2 Instance State-change Notification",
                "AWS Health Event",
            ]),
        );
        for (const target of ofType(run, "aws:cloudwatch/eventTarget:EventTarget")) {
            expect(target.propertyDependencies.arn).toEqual([queue.urn]);
        }
        const policy = doc(resource(run, "aws:sqs/queuePolicy:QueuePolicy", "iam-karpenter-interruption").inputs.policy);
        expect(policy.Statement[0]).toMatchObject({
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
            Action: "sqs:SendMessage",
            Resource: queue.inputs.arn ?? expect.stringContaining("iam-karpenter-interruption"),
        });
        expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        expect((values(controller(run)).settings as Spec).interruptionQueue).toBe("iam-karpenter-interruption-a1b2c3d");
    });
});

describe.each(["prod", "staging"])("%s Karpenter controller", (stack) => {
    it("installs the CRD chart and the controller chart at the version pinned for the cluster's minor, from the OCI registry", () => {
        const run = runs[stack];
        const version = KARPENTER_CHARTS[run.config.cluster.version].version;
        expect(resource(run, RELEASE, "iam-karpenter-crd").inputs).toMatchObject({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version, namespace: "kube-system" });
        expect(controller(run).inputs).toMatchObject({ chart: "oci://public.ecr.aws/karpenter/karpenter", version, namespace: "kube-system", skipCrds: true });
    });

    it("runs only on the system node group (tainted CriticalAddonsOnly), never on a node Karpenter manages", () => {
        const run = runs[stack];
        const v = values(controller(run)) as {
            tolerations: unknown[];
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: unknown[] }[] } } };
        };
        expect(v.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
        const terms = v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        for (const term of terms) {
            expect(term.matchExpressions).toContainEqual({ key: "karpenter.sh/nodepool", operator: "DoesNotExist" });
        }
        const groups = run.config.cluster.nodeGroups;
        expect(groups.every((g) => g.taints.some((t) => t.key === "CriticalAddonsOnly" && t.effect === "NoSchedule"))).toBe(true);
        for (const group of ofType(run, NODE_GROUP)) {
            expect(group.inputs.taints).toContainEqual({ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" });
        }
    });

    it("gets its role through Pod Identity (kube-system/karpenter) before it starts, and a policy scoped to this cluster", () => {
        const run = runs[stack];
        const association = resource(run, ASSOCIATION, "iam-karpenter-controller-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "kube-system", serviceAccount: "karpenter" });
        expect(controller(run).dependencies).toContain(association.urn);
        const name = run.config.cluster.name;
        const policy = doc(resource(run, "aws:iam/rolePolicy:RolePolicy", "iam-karpenter-controller").inputs.policy);
        const writes = policy.Statement.filter((s) =>
            [s.Action]
                .flat()
                .some(
                    (a) =>
                        /^(ec2|iam):/.test(a) &&
                        /RunInstances|CreateFleet|CreateLaunchTemplate|CreateTags|Terminate|Delete|InstanceProfile$|TagInstanceProfile|AddRole|RemoveRole/.test(a) &&
                        !/^iam:(Get|List)/.test(a),
                ),
        );
        expect(writes.length).toBeGreaterThan(5);
        for (const statement of writes.filter((s) => s.Sid !== "AllowScopedEC2InstanceAccessActions")) {
            expect([statement.Sid, JSON.stringify(statement.Condition)]).toEqual([statement.Sid, expect.stringContaining(`kubernetes.io/cluster/${name}`)]);
        }
        const passRole = policy.Statement.find((s) => s.Action === "iam:PassRole");
        expect(passRole?.Resource).toBe(`arn:aws:iam::123456789012:role/iam-karpenter-node-role-a1b2c3d`);
        // Inline role policies are capped at 10,240 characters.
        expect(String(resource(run, "aws:iam/rolePolicy:RolePolicy", "iam-karpenter-controller").inputs.policy).length).toBeLessThan(10240);
    });

    it("waits only for the system node groups and its CRDs; the controller waits for no application", () => {
        const run = runs[stack];
        const waits = transitiveDependencies(run, controller(run).urn);
        // Through the cluster's Kubernetes provider, which waits for the (system) node groups.
        const provider = resource(run, "pulumi:providers:kubernetes", "iam-cluster-k8s");
        expect(controller(run).provider?.startsWith(`${provider.urn}::`)).toBe(true);
        expect(ofType(run, NODE_GROUP).every((g) => transitiveDependencies(run, provider.urn).has(g.urn))).toBe(true);
        expect([...waits].filter((urn) => /Workload|StoreCredentials|Edge|DataTier/.test(urn))).toEqual([]);
        expect(waits.has(resource(run, RELEASE, "iam-karpenter-crd").urn)).toBe(true);
    });

    it("on `pulumi destroy`, removes every NodePool and EC2NodeClass while the controller still runs (it drains and terminates their nodes), then the controller, then its identity", () => {
        const run = runs[stack];
        const order = destroyOrder(run);
        const at = (urn: string): number => order.indexOf(urn);
        const ctl = at(controller(run).urn);
        const customResources = [...ofType(run, CR_NODEPOOL), ...ofType(run, CR_NODECLASS)];
        expect(customResources.length).toBeGreaterThan(1);
        for (const r of customResources) {
            // Direct: not only through the CRD release, which the controller also waits for.
            expect(r.dependencies).toContain(controller(run).urn);
            expect([r.name, at(r.urn) < ctl]).toEqual([r.name, true]);
        }
        // A NodePool before its EC2NodeClass (Karpenter's finalizer on the class waits for its NodeClaims).
        for (const pool of ofType(run, CR_NODEPOOL)) {
            const nodeClass = resource(
                run,
                CR_NODECLASS,
                `iam-karpenter-class-${(spec(pool) as { template: { spec: { nodeClassRef: { name: string } } } }).template.spec.nodeClassRef.name}`,
            );
            expect(at(pool.urn)).toBeLessThan(at(nodeClass.urn));
        }
        // The controller keeps its role, policy and Pod Identity association, and the CRDs, until it is gone.
        for (const after of [
            resource(run, "aws:iam/rolePolicy:RolePolicy", "iam-karpenter-controller"),
            ...ofType(run, ASSOCIATION).filter((a) => a.name.startsWith("iam-karpenter-")),
            resource(run, RELEASE, "iam-karpenter-crd"),
        ]) {
            expect([after.name, at(after.urn) > ctl]).toEqual([after.name, true]);
        }
    });

    it("is the only node autoscaler: no cluster-autoscaler, its role or policy", () => {
        const run = runs[stack];
        expect(run.resources.filter((r) => /autoscaler/.test(r.name)).map((r) => r.name)).toEqual([]);
    });
});

describe.each(["prod", "staging"])("%s headroom and placement on Karpenter's nodes", (stack) => {
    it("keeps the headroom pods off the system group and on Karpenter's nodes, where pending ones make Karpenter launch a node", () => {
        const run = runs[stack];
        const podSpec = (spec(resource(run, "kubernetes:apps/v1:Deployment", "iam-addons-headroom")) as { template: { spec: { tolerations?: unknown; affinity: unknown } } })
            .template.spec;
        expect(podSpec.tolerations).toBeUndefined();
        expect(podSpec.affinity).toEqual({
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "Exists" }] }] } },
        });
    });

    it("sends no application pod to the system group: no workload tolerates its taint, and every Deployment waits for a NodePool", () => {
        const run = runs[stack];
        const apps = ofType(run, "kubernetes:apps/v1:Deployment").filter((d) => d.name.startsWith("iam-workload-"));
        expect(apps.length).toBeGreaterThan(0);
        for (const app of apps) {
            expect(JSON.stringify(spec(app))).not.toContain("CriticalAddonsOnly");
            const waits = transitiveDependencies(run, app.urn);
            expect(ofType(run, CR_NODEPOOL).some((p) => waits.has(p.urn))).toBe(true);
        }
    });

    it("lets the credentials sync run on the system group, so it waits for no application node", () => {
        const run = runs[stack];
        const eso = values(resource(run, RELEASE, "iam-store-credentials-external-secrets")) as {
            tolerations: unknown[];
            webhook: { tolerations: unknown[] };
            certController: { tolerations: unknown[] };
        };
        for (const tolerations of [eso.tolerations, eso.webhook.tolerations, eso.certController.tolerations]) {
            expect(tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists" });
        }
    });
});

describe("scheduled pod floors (staging: nights and weekends)", () => {
    it("lowers every HPA's minReplicas in the evening and restores the configured floors in the morning, from the system nodes", () => {
        const run = runs.staging;
        const hpas = ofType(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => ({
            name: (h.inputs.metadata as { name: string }).name,
            min: (h.inputs.spec as { minReplicas: number }).minReplicas,
        }));
        expect(hpas.length).toBeGreaterThan(0);
        const patches = (name: string) => {
            const job = spec(resource(run, "kubernetes:batch/v1:CronJob", `iam-pod-floors-${name}`)) as {
                schedule: string;
                timeZone: string;
                jobTemplate: { spec: { template: { spec: { containers: { command: string[] }[]; tolerations: unknown[] } } } };
            };
            const pod = job.jobTemplate.spec.template.spec;
            expect(pod.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
            return { job, floors: Object.fromEntries(pod.containers.map((c) => [c.command[3], JSON.parse(c.command[c.command.length - 1]).spec.minReplicas])) };
        };
        const evening = patches("evening");
        expect(evening.job).toMatchObject({ schedule: "0 20 * * 1-5", timeZone: "Europe/Dublin" });
        expect(evening.floors).toEqual(Object.fromEntries(hpas.map((h) => [h.name, 1])));
        expect(patches("morning").floors).toEqual(Object.fromEntries(hpas.map((h) => [h.name, h.min])));
    });

    it("may only get and patch those HPAs, in the application namespace", () => {
        const run = runs.staging;
        const role = resource(run, "kubernetes:rbac.authorization.k8s.io/v1:Role", "iam-pod-floors-role");
        expect((role.inputs.metadata as { namespace: string }).namespace).toBe(run.config.workloads.namespace);
        expect(role.inputs.rules).toEqual([
            {
                apiGroups: ["autoscaling"],
                resources: ["horizontalpodautoscalers"],
                resourceNames: ofType(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => (h.inputs.metadata as { name: string }).name),
                verbs: ["get", "patch"],
            },
        ]);
    });

    it("is absent where none is configured (prod)", () => {
        expect(ofType(runs.prod, "kubernetes:batch/v1:CronJob")).toEqual([]);
    });
});

describe("cluster-autoscaler mode (cluster.autoscaler: cluster-autoscaler)", () => {
    it("installs no Karpenter, tags nothing for discovery, and keeps the node groups untainted", () => {
        expect(caRun.resources.filter((r) => r.name.startsWith("iam-karpenter") || r.name.startsWith("iam-pod-floors"))).toEqual([]);
        expect(caRun.resources.filter((r) => (r.inputs.tags as Record<string, string> | undefined)?.["karpenter.sh/discovery"] !== undefined)).toEqual([]);
        expect(resource(caRun, RELEASE, "iam-addons-cluster-autoscaler")).toBeDefined();
        const podSpec = (spec(resource(caRun, "kubernetes:apps/v1:Deployment", "iam-addons-headroom")) as { template: { spec: { affinity?: unknown } } }).template.spec;
        expect(podSpec.affinity).toBeUndefined();
    });
});

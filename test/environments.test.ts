/**
 * Staging is a real second environment: the same code as prod (same
 * components, same resource types, except where its config switches a
 * feature off), smaller and cheaper (one NAT gateway, spot nodes where
 * configured, scheduled scale-down), and disposable (nothing protected, no
 * deletion protection); prod protects every stateful resource.
 */
import { ResourceRecord, runStack, StackRun } from "./harness";

let prod: StackRun;
let staging: StackRun;
beforeAll(async () => {
    prod = await runStack("prod");
    staging = await runStack("staging");
});

const ofType = (run: StackRun, type: string): ResourceRecord[] => run.resources.filter((r) => r.type === type);

/**
 * Resource types one stack may have and the other not, each with the config
 * switch that decides it; anything else that differs is a code difference.
 */
const CONFIG_GATED: { feature: string; enabled: (run: StackRun) => boolean; types: string[] }[] = [
    {
        feature: "edge.accessLogs.enabled",
        enabled: (run) => run.config.edge.accessLogs.enabled,
        types: [
            "iam:edge:AccessLogs",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ],
    },
    { feature: "network.flowLogs.enabled", enabled: (run) => run.config.network.flowLogs.enabled, types: ["aws:ec2/flowLog:FlowLog"] },
    { feature: "cluster.scheduledScaling", enabled: (run) => run.config.cluster.scheduledScaling.length > 0, types: ["aws:autoscaling/schedule:Schedule"] },
    {
        feature: "cluster.karpenter.podFloors",
        enabled: (run) => (run.config.cluster.karpenter?.podFloors.length ?? 0) > 0,
        types: ["iam:cluster:PodFloors", "kubernetes:batch/v1:CronJob", "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"],
    },
    // The final-snapshot suffix exists only where stores take a final snapshot on destroy (prod).
    { feature: "final snapshots (prod data stores)", enabled: (run) => run.config.environment === "prod", types: ["random:index/randomId:RandomId"] },
];

/** The resource types a run has, less those its config switched on. */
function ungatedTypes(run: StackRun): string[] {
    const gated = new Set(CONFIG_GATED.flatMap((g) => g.types));
    return [...new Set(run.resources.map((r) => r.type))].filter((t) => !gated.has(t)).sort();
}

describe("prod and staging run the same code", () => {
    it("register the same resource types, but for the features their config switches", () => {
        expect(ungatedTypes(staging)).toEqual(ungatedTypes(prod));
        for (const gate of CONFIG_GATED) {
            for (const run of [prod, staging]) {
                const present = gate.types.some((t) => ofType(run, t).length > 0);
                expect([run.stack, gate.feature, present]).toEqual([run.stack, gate.feature, gate.enabled(run)]);
            }
        }
    });

    it("build the same components, under the same names", () => {
        const gated = new Set(CONFIG_GATED.flatMap((g) => g.types));
        const components = (run: StackRun): string[] =>
            run.resources
                .filter((r) => !r.custom && !gated.has(r.type))
                .map((r) => `${r.type} ${r.name}`)
                .sort();
        expect(components(staging)).toEqual(components(prod));
        expect(components(prod).length).toBeGreaterThan(10);
    });
});

describe("staging is smaller", () => {
    it("has one NAT gateway; prod has one per zone", () => {
        expect(ofType(staging, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        expect(ofType(prod, "aws:ec2/natGateway:NatGateway")).toHaveLength(prod.config.network.availabilityZones.length);
        expect(prod.config.network.availabilityZones).toHaveLength(3);
    });

    it("runs spot nodes where its config says so, and fewer of them than prod", () => {
        const groups = ofType(staging, "aws:eks/nodeGroup:NodeGroup");
        expect(groups).toHaveLength(staging.config.cluster.nodeGroups.length);
        for (const group of staging.config.cluster.nodeGroups) {
            const registered = groups.find((g) => (g.inputs.labels as Record<string, string>)["iam/node-group"] === group.name);
            expect(registered?.inputs.capacityType).toBe(group.capacityType);
        }
        expect(groups.some((g) => g.inputs.capacityType === "SPOT")).toBe(true);
        const capacity = (run: StackRun, key: "minSize" | "maxSize"): number =>
            ofType(run, "aws:eks/nodeGroup:NodeGroup").reduce((sum, g) => sum + Number((g.inputs.scalingConfig as Record<string, number>)[key]), 0);
        expect(capacity(staging, "maxSize")).toBeLessThan(capacity(prod, "maxSize"));
        // Both keep two system nodes at least (cluster/autoscalerConfig.ts systemFloorProblem); staging's are Spot.
        expect(capacity(staging, "minSize")).toBeLessThanOrEqual(capacity(prod, "minSize"));
        // Prod's nodes are never reclaimed by EC2.
        expect(ofType(prod, "aws:eks/nodeGroup:NodeGroup").map((g) => g.inputs.capacityType)).not.toContain("SPOT");
    });

    it("scales down on a schedule: with Karpenter by lowering the HPAs' floors, with the cluster-autoscaler by resizing the node groups", () => {
        if (staging.config.cluster.autoscaler === "karpenter") {
            // The CronJobs' kubectl patches: no action raises a floor above the configured one.
            // (Staging's configured floors are already 1, so its evening action lowers nothing today;
            // cluster/karpenter.test.ts checks the lowering itself.)
            const floors = ofType(staging, "kubernetes:batch/v1:CronJob").flatMap((job) =>
                (job.inputs.spec as { jobTemplate: { spec: { template: { spec: { containers: { command: string[] }[] } } } } }).jobTemplate.spec.template.spec.containers.map(
                    (c) => JSON.parse(c.command[c.command.length - 1]).spec.minReplicas as number,
                ),
            );
            const configured = Math.max(...staging.config.services.map((s) => s.workload.replicas.min));
            expect(floors.length).toBeGreaterThan(0);
            expect(floors.every((f) => f <= configured)).toBe(true);
            expect(ofType(staging, "aws:autoscaling/schedule:Schedule")).toEqual([]);
            return;
        }
        const schedules = ofType(staging, "aws:autoscaling/schedule:Schedule");
        expect(schedules.map((s) => s.inputs.scheduledActionName).sort()).toEqual(staging.config.cluster.scheduledScaling.map((s) => s.name).sort());
        const configuredMax = Math.max(...staging.config.cluster.nodeGroups.map((g) => g.maxSize));
        expect(schedules.some((s) => Number(s.inputs.maxSize) < configuredMax)).toBe(true);
    });

    it("runs smaller data stores", () => {
        const rds = (run: StackRun): ResourceRecord => ofType(run, "aws:rds/instance:Instance")[0];
        expect(rds(staging).inputs.multiAz).toBe(false);
        expect(rds(prod).inputs.multiAz).toBe(true);
        expect(ofType(staging, "aws:docdb/clusterInstance:ClusterInstance").length).toBeLessThan(ofType(prod, "aws:docdb/clusterInstance:ClusterInstance").length);
    });
});

/** What holds state (or, lost, takes the stack down): each must be protected in prod. */
const STATEFUL_TYPES = [
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:docdb/cluster:Cluster",
    "aws:ecr/repository:Repository",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "eks:index:Cluster",
    "aws:eks/cluster:Cluster",
];

/** Inputs that turn on AWS-side deletion protection, by type. */
const DELETION_PROTECTION: Record<string, string> = {
    "aws:rds/instance:Instance": "deletionProtection",
    "aws:docdb/cluster:Cluster": "deletionProtection",
    "eks:index:Cluster": "deletionProtection",
    "aws:lb/loadBalancer:LoadBalancer": "enableDeletionProtection",
};

describe("protection", () => {
    it("prod protects every stateful resource", () => {
        const stateful = prod.resources.filter((r) => STATEFUL_TYPES.includes(r.type));
        // Every kind of store the stack creates is covered.
        // (ECR repositories live in the registry project: registry/registryProject.test.ts protects them.)
        for (const type of ["aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:docdb/cluster:Cluster", "aws:s3/bucket:Bucket"]) {
            expect(stateful.map((r) => r.type)).toContain(type);
        }
        expect(stateful.filter((r) => !r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it("prod turns on deletion protection where AWS has it", () => {
        const covered = prod.resources.filter((r) => DELETION_PROTECTION[r.type] !== undefined);
        expect(covered.length).toBeGreaterThanOrEqual(4);
        expect(covered.filter((r) => r.inputs[DELETION_PROTECTION[r.type]] !== true).map((r) => r.name)).toEqual([]);
    });

    it("staging protects nothing and can be destroyed whole", () => {
        expect(staging.resources.filter((r) => r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        const covered = staging.resources.filter((r) => DELETION_PROTECTION[r.type] !== undefined);
        expect(covered.length).toBeGreaterThanOrEqual(4);
        expect(covered.filter((r) => r.inputs[DELETION_PROTECTION[r.type]] !== false).map((r) => r.name)).toEqual([]);
        // Stores without a final snapshot go with the stack.
        expect(ofType(staging, "aws:rds/instance:Instance").every((r) => r.inputs.skipFinalSnapshot === true)).toBe(true);
    });
});

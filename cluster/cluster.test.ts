/**
 * The EKS cluster as the program registers it for the real prod and staging
 * stack files: control plane, access, node groups, add-ons, headroom,
 * scheduled scaling, the Kubernetes provider, and what waits for what.
 */
import { SUPPORTED_KUBERNETES_VERSIONS, ADDON_CHARTS } from "./catalog";
import { ofType, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies, UNKNOWN } from "../test/harness";
import { mockAsgName, mockIssuer } from "./mocks";

const EKS = "eks:index:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ADDON = "aws:eks/addon:Addon";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";
const SCHEDULE = "aws:autoscaling/schedule:Schedule";
const K8S_PROVIDER = "pulumi:providers:kubernetes";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

const runs: Record<string, StackRun> = {};
/** The stack files put back on the cluster-autoscaler (test/clusterAutoscalerMode.ts): that mode stays tested. */
const caRuns: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
    runs.preview = await runStack("prod", { preview: true });
    caRuns.prod = await runVariant("prod-cluster-autoscaler");
    caRuns.staging = await runVariant("staging-cluster-autoscaler");
});

type Doc = {
    Statement: {
        Effect: string;
        Principal?: Record<string, string>;
        Action: string | string[];
        Resource?: string | string[];
        Condition?: Record<string, Record<string, string>>;
    }[];
};
const json = (value: unknown): Doc => JSON.parse(String(value)) as Doc;
const input = <T>(r: ResourceRecord, key: string): T => r.inputs[key] as T;
const eks = (run: StackRun): ResourceRecord => resource(run, EKS, "iam-cluster-eks");
const privateSubnets = (run: StackRun): string[] => run.config.network.availabilityZones.map((z) => `iam-network-private-${z}-id`);
const groupId = (run: StackRun, role: string): string => {
    const found = ofType(run, "aws:ec2/securityGroup:SecurityGroup").find((g) => (g.inputs.tags as Record<string, string>)["iam/role"] === role);
    return `${found?.name}-id`;
};
const addon = (run: StackRun, name: string): ResourceRecord => {
    const found = ofType(run, ADDON).find((a) => a.inputs.addonName === name);
    if (!found) {
        throw new Error(`no ${name} add-on`);
    }
    return found;
};

describe.each(["prod", "staging"])("%s control plane", (stack) => {
    it("runs the pinned version with a private endpoint and the public one limited to the configured CIDRs", () => {
        const run = runs[stack];
        const cluster = run.config.cluster;
        expect(eks(run).inputs).toMatchObject({
            name: cluster.name,
            version: cluster.version,
            endpointPrivateAccess: true,
            endpointPublicAccess: cluster.publicAccessCidrs.length > 0,
            publicAccessCidrs: cluster.publicAccessCidrs,
            authenticationMode: "API",
            createOidcProvider: true,
            upgradePolicy: { supportType: "STANDARD" },
            kubernetesServiceIpAddressRange: cluster.serviceCidr,
        });
        expect(cluster.version).toBe("1.35");
        expect(cluster.publicAccessCidrs).not.toContain("0.0.0.0/0");
    });

    it("lives in the private subnets only: no public subnet, no default node group", () => {
        const run = runs[stack];
        expect(eks(run).inputs).toMatchObject({ privateSubnetIds: privateSubnets(run), skipDefaultNodeGroup: true });
        expect(eks(run).inputs.publicSubnetIds).toBeUndefined();
        expect(eks(run).inputs.subnetIds).toBeUndefined();
    });

    it("is built with the stack's AWS provider (a remote component inherits none), so it carries the default tags", () => {
        const run = runs[stack];
        const [provider] = run.resources.filter((r) => r.type === "pulumi:providers:aws");
        expect(eks(run).providers.aws).toMatch(new RegExp(`^${provider.urn}::`));
    });

    it("envelope-encrypts secrets with a KMS key that rotates", () => {
        const run = runs[stack];
        const [key] = ofType(run, "aws:kms/key:Key").filter((k) => k.name === "iam-cluster-secrets-key");
        expect(key.inputs).toMatchObject({ enableKeyRotation: true });
        expect(eks(run).inputs.encryptionConfigKeyArn).toMatch(/key\/iam-cluster-secrets-key-key-id$/);
    });

    it("sends api, audit and authenticator logs to a log group with a retention period, created first", () => {
        const run = runs[stack];
        expect(eks(run).inputs.enabledClusterLogTypes).toEqual(expect.arrayContaining(["api", "audit", "authenticator"]));
        const logs = resource(run, "aws:cloudwatch/logGroup:LogGroup", "iam-cluster-control-plane-logs");
        expect(logs.inputs).toEqual({ name: `/aws/eks/${run.config.cluster.name}/cluster`, retentionInDays: run.config.cluster.logRetentionDays });
        expect(eks(run).dependencies).toContain(logs.urn);
    });

    it("gives each configured admin principal cluster-admin through an access entry", () => {
        const run = runs[stack];
        const entries = ofType(run, "aws:eks/accessEntry:AccessEntry").filter((e) => e.inputs.type === "STANDARD" && e.name.includes("-admin-"));
        const associations = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        expect(entries.map((e) => e.inputs.principalArn).sort()).toEqual([...run.config.cluster.adminPrincipals].sort());
        for (const principal of run.config.cluster.adminPrincipals) {
            expect(associations.find((a) => a.inputs.principalArn === principal)?.inputs).toMatchObject({
                clusterName: run.config.cluster.name,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            });
        }
    });
});

describe("protection", () => {
    it("prod protects the cluster, its secrets key and its logs, with EKS deletion protection", () => {
        const run = runs.prod;
        expect(eks(run).protect).toBe(true);
        expect(eks(run).inputs.deletionProtection).toBe(true);
        expect(resource(run, "aws:kms/key:Key", "iam-cluster-secrets-key").protect).toBe(true);
        expect(resource(run, "aws:cloudwatch/logGroup:LogGroup", "iam-cluster-control-plane-logs").protect).toBe(true);
    });

    it("staging can be destroyed", () => {
        expect(eks(runs.staging).protect).toBe(false);
        expect(eks(runs.staging).inputs.deletionProtection).toBe(false);
    });
});

describe.each(["prod", "staging"])("%s node groups", (stack) => {
    it("creates each configured group with its sizes, capacity, instance types, labels and taints, in every zone's private subnet", () => {
        const run = runs[stack];
        const groups = ofType(run, NODE_GROUP);
        expect(groups).toHaveLength(run.config.cluster.nodeGroups.length);
        for (const config of run.config.cluster.nodeGroups) {
            const group = resource(run, NODE_GROUP, `iam-cluster-${config.name}-nodes`);
            expect(group.inputs).toMatchObject({
                clusterName: run.config.cluster.name,
                version: run.config.cluster.version,
                capacityType: config.capacityType,
                instanceTypes: config.instanceTypes,
                scalingConfig: { minSize: config.minSize, maxSize: config.maxSize, desiredSize: config.desiredSize },
                subnetIds: privateSubnets(run),
                labels: { ...config.labels, "iam/node-group": config.name },
            });
            expect((group.inputs.taints as unknown[]) ?? []).toHaveLength(config.taints.length);
        }
    });

    it("leaves the node count to the autoscaler after creation", () => {
        for (const group of ofType(runs[stack], NODE_GROUP)) {
            expect(group.ignoreChanges).toContain("scalingConfig.desiredSize");
        }
    });

    it("launches nodes with IMDSv2 only, hop limit 1-2, an encrypted root volume, and the app-node security group only", () => {
        const run = runs[stack];
        for (const group of ofType(run, NODE_GROUP)) {
            const template = ofType(run, LAUNCH_TEMPLATE).find((t) => `${t.name}-id` === (group.inputs.launchTemplate as { id: string }).id);
            expect(template).toBeDefined();
            const metadata = input<{ httpTokens: string; httpPutResponseHopLimit: number }>(template as ResourceRecord, "metadataOptions");
            expect(metadata.httpTokens).toBe("required");
            expect(metadata.httpPutResponseHopLimit).toBeGreaterThanOrEqual(1);
            expect(metadata.httpPutResponseHopLimit).toBeLessThanOrEqual(2);
            const [root] = input<{ deviceName: string; ebs: { encrypted: string } }[]>(template as ResourceRecord, "blockDeviceMappings");
            expect(root).toMatchObject({ deviceName: "/dev/xvda", ebs: { encrypted: "true" } });
            // Not EKS's cluster group (it allows all egress): EKS adds none when a launch template sets groups,
            // so the matrix's rules are every flow the nodes have (test/nodeEgress.test.ts lists them).
            expect(template?.inputs.vpcSecurityGroupIds).toEqual([groupId(run, "appNodes")]);
            expect(template?.inputs.imageId).toBeUndefined();
        }
    });

    it("gives the node role the worker, CNI, image-pull and SSM policies before the nodes start", () => {
        const run = runs[stack];
        const attachments = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("iam-cluster-node-"));
        expect(attachments.map((a) => String(a.inputs.policyArn).split("/").pop()).sort()).toEqual([
            "AmazonEC2ContainerRegistryPullOnly",
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonSSMManagedInstanceCore",
        ]);
        for (const group of ofType(run, NODE_GROUP)) {
            const waitsFor = transitiveDependencies(run, group.urn);
            expect(attachments.every((a) => waitsFor.has(a.urn))).toBe(true);
        }
    });
});

describe("private endpoint access", () => {
    it("opens the API's 443 on the cluster's group to each configured network, and to nothing by default", async () => {
        expect(ofType(runs.prod, INGRESS).filter((r) => r.name.startsWith("iam-cluster-api-from-"))).toEqual([]);
        const run = await runVariant("prod-private-access");
        const rules = ofType(run, INGRESS).filter((r) => r.name.startsWith("iam-cluster-api-from-"));
        expect(rules.map((r) => r.inputs)).toEqual([
            expect.objectContaining({
                securityGroupId: "sg-iam-prod-cluster",
                cidrIpv4: "10.0.0.0/16",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
            }),
        ]);
    });
});

describe("node group rules per environment", () => {
    it("prod keeps at least two on-demand nodes per group", () => {
        for (const group of ofType(runs.prod, NODE_GROUP)) {
            expect((group.inputs.scalingConfig as { minSize: number }).minSize).toBeGreaterThanOrEqual(2);
        }
    });

    it("staging runs on spot across several instance types", () => {
        const [group] = ofType(runs.staging, NODE_GROUP);
        expect(group.inputs.capacityType).toBe("SPOT");
        expect((group.inputs.instanceTypes as string[]).length).toBeGreaterThanOrEqual(2);
    });
});

describe("scheduled scaling", () => {
    it("staging (cluster-autoscaler mode) resizes each node group's auto-scaling group on the configured cron, in the configured time zone", () => {
        const run = caRuns.staging;
        const schedules = ofType(run, SCHEDULE);
        const actions = run.config.cluster.scheduledScaling;
        expect(actions.length).toBeGreaterThan(0);
        expect(schedules).toHaveLength(actions.length * run.config.cluster.nodeGroups.length);
        for (const action of actions) {
            for (const group of action.nodeGroups) {
                const schedule = resource(run, SCHEDULE, `iam-cluster-${group}-${action.name}`);
                expect(schedule.inputs).toEqual({
                    autoscalingGroupName: mockAsgName(`iam-cluster-${group}-nodes-a1b2c3d`),
                    scheduledActionName: action.name,
                    recurrence: action.recurrence,
                    timeZone: action.timeZone,
                    minSize: action.minSize,
                    maxSize: action.maxSize,
                    desiredCapacity: action.desiredSize,
                });
            }
        }
    });

    it("staging (cluster-autoscaler mode) scales down in the evening and back up on weekday mornings", () => {
        const byName = Object.fromEntries(caRuns.staging.config.cluster.scheduledScaling.map((a) => [a.name, a]));
        expect(byName["evening-scale-down"]).toMatchObject({ recurrence: "0 20 * * 1-5", maxSize: 1 });
        expect(byName["morning-scale-up"]).toMatchObject({ recurrence: "0 7 * * 1-5", maxSize: 4 });
    });

    it("prod has no scheduled scaling", () => {
        expect(ofType(runs.prod, SCHEDULE)).toHaveLength(0);
    });
});

describe.each(["prod", "staging"])("%s core add-ons", (stack) => {
    it("pins vpc-cni, kube-proxy and coredns to the versions for the cluster's Kubernetes version", () => {
        const run = runs[stack];
        const pins = SUPPORTED_KUBERNETES_VERSIONS[run.config.cluster.version].addons;
        expect(addon(run, "vpc-cni").inputs.addonVersion).toBe(pins.vpcCni);
        expect(addon(run, "kube-proxy").inputs.addonVersion).toBe(pins.kubeProxy);
        expect(addon(run, "coredns").inputs.addonVersion).toBe(pins.coredns);
        for (const name of ["vpc-cni", "kube-proxy", "coredns"]) {
            expect(addon(run, name).inputs).toMatchObject({ clusterName: run.config.cluster.name, resolveConflictsOnCreate: "OVERWRITE", preserve: true });
        }
        // eks.Cluster must not install a second, unpinned copy of any of them.
        expect(eks(run).inputs).toMatchObject({ useDefaultVpcCni: true, kubeProxyAddonOptions: { enabled: false }, corednsAddonOptions: { enabled: false } });
    });

    it("turns on the VPC CNI's network policy agent, so the workloads' NetworkPolicies are enforced", () => {
        expect(JSON.parse(String(addon(runs[stack], "vpc-cni").inputs.configurationValues))).toEqual({ enableNetworkPolicy: "true" });
    });

    it("installs the CNI alongside the node groups, and CoreDNS once they exist", () => {
        const run = runs[stack];
        const groups = ofType(run, NODE_GROUP).map((g) => g.urn);
        expect(groups.some((g) => transitiveDependencies(run, addon(run, "vpc-cni").urn).has(g))).toBe(false);
        expect(groups.every((g) => transitiveDependencies(run, addon(run, "coredns").urn).has(g))).toBe(true);
    });
});

describe.each(["prod", "staging"])("%s Kubernetes provider", (stack) => {
    it("is built from the cluster's kubeconfig (a secret) and waits for the node groups", () => {
        const run = runs[stack];
        const provider = resource(run, K8S_PROVIDER, "iam-cluster-k8s");
        expect(provider.secretPaths).toContain("kubeconfig");
        const waitsFor = transitiveDependencies(run, provider.urn);
        expect(waitsFor.has(eks(run).urn)).toBe(true);
        expect(ofType(run, NODE_GROUP).every((g) => waitsFor.has(g.urn))).toBe(true);
    });

    it("is the provider of every Kubernetes resource in the program", () => {
        const run = runs[stack];
        const provider = resource(run, K8S_PROVIDER, "iam-cluster-k8s");
        const kubernetes = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
        expect(kubernetes.length).toBeGreaterThan(0);
        expect(kubernetes.filter((r) => !r.provider?.startsWith(`${provider.urn}::`)).map((r) => r.name)).toEqual([]);
    });
});

describe.each(["prod", "staging"])("%s cluster-autoscaler (cluster.autoscaler: cluster-autoscaler)", (stack) => {
    it("runs with an IAM role given to its service account alone through EKS Pod Identity, before its pods start", () => {
        const run = caRuns[stack];
        const role = resource(run, ROLE, "iam-addons-autoscaler");
        const [statement, ...others] = json(role.inputs.assumeRolePolicy).Statement;
        expect(others).toEqual([]);
        expect(statement.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
        const association = resource(run, ASSOCIATION, "iam-addons-autoscaler-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "kube-system", serviceAccount: "cluster-autoscaler" });
        expect(association.propertyDependencies.roleArn).toEqual([role.urn]);
        // It lists the auto-scaling groups as it starts: the agent must be there.
        expect(association.dependencies).toContain(addon(run, "eks-pod-identity-agent").urn);
        expect(resource(run, RELEASE, "iam-addons-cluster-autoscaler").dependencies).toContain(association.urn);
    });

    it("may resize only this cluster's auto-scaling groups", () => {
        const run = caRuns[stack];
        const policy = json(resource(run, "aws:iam/rolePolicy:RolePolicy", "iam-addons-autoscaler").inputs.policy);
        const writes = policy.Statement.filter((s) => ([] as string[]).concat(s.Action).some((a) => !/:(Describe|Get)/.test(a)));
        expect(writes).toEqual([
            {
                Sid: "ResizeThisClustersGroupsOnly",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${run.config.cluster.name}`]: "owned" } },
            },
        ]);
    });

    it("is the pinned chart from the real repository, using that role and the cluster's own minor version", () => {
        const run = caRuns[stack];
        const release = resource(run, RELEASE, "iam-addons-cluster-autoscaler");
        expect(release.inputs).toMatchObject({
            chart: "cluster-autoscaler",
            version: ADDON_CHARTS.clusterAutoscaler.version,
            repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
            namespace: "kube-system",
            values: {
                autoDiscovery: { clusterName: run.config.cluster.name },
                awsRegion: run.config.region,
                rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
            },
        });
        const tag = (release.inputs.values as { image: { tag: string } }).image.tag;
        expect(tag.startsWith(`v${run.config.cluster.version}.`)).toBe(true);
    });
});

describe.each(["prod", "staging"])("%s metrics and headroom", (stack) => {
    it("installs metrics-server from its real chart repository, version pinned", () => {
        const release = resource(runs[stack], RELEASE, "iam-addons-metrics-server");
        expect(release.inputs).toMatchObject({ chart: "metrics-server", version: "3.13.0", repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" } });
    });

    it("keeps placeholder pods at a negative priority the cluster-autoscaler still acts on, sized from config", () => {
        const run = caRuns[stack];
        const priority = resource(run, "kubernetes:scheduling.k8s.io/v1:PriorityClass", "iam-addons-headroom");
        const value = priority.inputs.value as number;
        const cutoff = (resource(run, RELEASE, "iam-addons-cluster-autoscaler").inputs.values as { extraArgs: Record<string, number> }).extraArgs[
            "expendable-pods-priority-cutoff"
        ];
        expect(value).toBeLessThan(0);
        expect(value).toBeGreaterThanOrEqual(cutoff);
        expect(priority.inputs).toMatchObject({ globalDefault: false, preemptionPolicy: "Never" });

        const headroom = run.config.cluster.headroom;
        const deployment = resource(run, "kubernetes:apps/v1:Deployment", "iam-addons-headroom");
        const spec = deployment.inputs.spec as { replicas: number; template: { spec: { priorityClassName: string; containers: { image: string; resources: unknown }[] } } };
        expect(spec.replicas).toBe(headroom.replicas);
        expect(spec.template.spec.priorityClassName).toBe("headroom");
        expect(spec.template.spec.containers).toEqual([
            expect.objectContaining({
                image: expect.stringMatching(/^registry\.k8s\.io\/pause:/),
                resources: { requests: { cpu: headroom.cpu, memory: headroom.memory }, limits: { cpu: headroom.cpu, memory: headroom.memory } },
            }),
        ]);
    });
});

describe("prod is sized for availability", () => {
    it("runs two metrics-server replicas with a disruption budget", () => {
        const values = resource(runs.prod, RELEASE, "iam-addons-metrics-server").inputs.values as { replicas: number; podDisruptionBudget: { enabled: boolean } };
        expect(values).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    });
});

describe.each(["prod", "staging"])("%s outputs and parallelism", (stack) => {
    it("exports the cluster name, a secret kubeconfig, the OIDC provider (for users' own IRSA) and one name per node group", () => {
        const run = runs[stack];
        expect(run.outputs.clusterName).toEqual({ known: true, secret: false, value: run.config.cluster.name });
        expect(run.outputs.kubeconfig.secret).toBe(true);
        expect(JSON.parse(String(run.outputs.kubeconfig.value))).toMatchObject({ kind: "Config" });
        expect(run.outputs.oidcProviderArn.value).toBe(`arn:aws:iam::123456789012:oidc-provider/${mockIssuer(run.config.cluster.name)}`);
        expect(run.outputs.nodeGroupNames.value).toEqual(run.config.cluster.nodeGroups.map((g) => `iam-cluster-${g.name}-nodes-a1b2c3d`));
    });

    it("starts the control plane as soon as the network, the secrets key and the log group exist", () => {
        const run = runs[stack];
        const waitsFor = [...transitiveDependencies(run, eks(run).urn)].map((urn) => urn.split("::").pop());
        const allowed = /^(iam-network|iam-cluster-secrets-key|iam-cluster-control-plane-logs|aws$)/;
        expect(waitsFor.filter((name) => !allowed.test(String(name)))).toEqual([]);
    });

    it("puts nothing Kubernetes, no Helm chart and no add-on in front of the node groups", () => {
        const run = runs[stack];
        for (const group of ofType(run, NODE_GROUP)) {
            const waitsFor = [...transitiveDependencies(run, group.urn)];
            expect(waitsFor.filter((urn) => /kubernetes|Addon|Release|iam-addons/.test(urn))).toEqual([]);
        }
    });

    it("lets no load balancer, certificate or data store wait for the cluster", () => {
        const run = runs[stack];
        const independent = run.resources.filter((r) => /^aws:(lb\/loadBalancer|acm\/|rds\/|elasticache\/|docdb\/)/.test(r.type));
        expect(independent.length).toBeGreaterThan(0);
        for (const r of independent) {
            expect([...transitiveDependencies(run, r.urn)].filter((urn) => urn.includes("iam-cluster"))).toEqual([]);
        }
    });
});

describe("a new stack's preview (every cluster output unknown)", () => {
    it("plans the whole cluster without failing", () => {
        const run = runs.preview;
        expect(run.outputs.clusterName).toMatchObject({ known: false });
        expect(ofType(run, NODE_GROUP)).toHaveLength(run.config.cluster.nodeGroups.length);
        expect(resource(run, NODE_GROUP, "iam-cluster-general-nodes").inputs.clusterName).toBe(UNKNOWN);
        // metrics-server; the cluster-autoscaler only in that mode.
        expect(ofType(run, RELEASE).filter((r) => r.name.startsWith("iam-addons-"))).toHaveLength(run.config.cluster.autoscaler === "karpenter" ? 1 : 2);
        // The cluster's provider, and the Load Balancer Controller's CRD-only provider (it adopts what Helm installed).
        expect(
            ofType(run, K8S_PROVIDER)
                .map((p) => p.name)
                .sort(),
        ).toEqual(["iam-cluster-k8s", "iam-lb-controller-crds-k8s"]);
    });
});

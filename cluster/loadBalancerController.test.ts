/**
 * The AWS Load Balancer Controller as the program registers it for the real
 * prod and staging stack files: the pinned chart, values that make it a
 * TargetGroupBinding-only controller with no IMDS dependency, its own role
 * through EKS Pod Identity with the small policy, and that only the bindings
 * (and, through them, the host rules and public Services) wait for it.
 */
import { LOAD_BALANCER_CONTROLLER_CHART } from "./catalog";
import { loadBalancerControllerPolicy } from "./loadBalancerControllerPolicy";
import { ofType, resource, ResourceRecord, runStack, StackRun, transitiveDependencies } from "../test/harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";
const RULE = "aws:lb/listenerRule:ListenerRule";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const NAME = "iam-lb-controller";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ADDON = "aws:eks/addon:Addon";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

const release = (run: StackRun): ResourceRecord => resource(run, RELEASE, `${NAME}-release`);
const values = (run: StackRun): Record<string, unknown> => release(run).inputs.values as Record<string, unknown>;

describe.each(["prod", "staging"])("%s load balancer controller", (stack) => {
    it("installs the pinned chart into kube-system", () => {
        const r = release(runs[stack]);
        expect(r.inputs).toMatchObject({
            name: "aws-load-balancer-controller",
            namespace: "kube-system",
            chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
            version: LOAD_BALANCER_CONTROLLER_CHART.version,
            repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repo },
            atomic: true,
        });
        expect(values(runs[stack]).image).toEqual({ tag: LOAD_BALANCER_CONTROLLER_CHART.appVersion });
    });

    it("takes its CRDs from the chart's crds/ files at the chart's own tag, applied by Pulumi before the release (Helm never upgrades crds/)", () => {
        const run = runs[stack];
        const files = ofType(run, CONFIG_FILE).filter((f) => f.parent === resource(run, "iam:cluster:LoadBalancerController", NAME).urn);
        const tag = `/v${LOAD_BALANCER_CONTROLLER_CHART.version}/helm/${LOAD_BALANCER_CONTROLLER_CHART.chart}/crds/`;
        expect(files.map((f) => f.inputs.file).sort()).toEqual([
            `https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller${tag}crds.yaml`,
            `https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller${tag}gateway-crds.yaml`,
        ]);
        expect(release(run).inputs.skipCrds).toBe(true);
        for (const file of files) {
            expect(release(run).dependencies).toContain(file.urn);
        }
    });

    it("applies the CRDs through a provider that adopts the ones Helm installed before (and only those)", () => {
        const run = runs[stack];
        const files = ofType(run, CONFIG_FILE).filter((f) => f.parent === resource(run, "iam:cluster:LoadBalancerController", NAME).urn);
        const providers = ofType(run, "pulumi:providers:kubernetes");
        const adopting = providers.filter((p) => String(p.inputs.upsertExistingObjects) === "true");
        expect(adopting.map((p) => p.name)).toEqual([`${NAME}-crds-k8s`]);
        expect(adopting[0].inputs).toMatchObject({ enablePatchForce: "true", enableServerSideApply: "true" });
        for (const file of files) {
            expect(file.providers.kubernetes?.startsWith(`${adopting[0].urn}::`)).toBe(true);
        }
    });

    it("is told its cluster, region and VPC, so it never asks the instance metadata service", () => {
        const run = runs[stack];
        expect(values(run)).toMatchObject({ clusterName: run.config.cluster.name, region: run.config.region, vpcId: "iam-network-vpc-id" });
    });

    it("reconciles TargetGroupBindings only: no Service, Ingress or Gateway reconciling, no cluster-wide Service/Ingress webhooks, no security groups of its own", () => {
        expect(values(runs[stack])).toMatchObject({
            controllerConfig: { featureGates: { EnableServiceController: false, ALBGatewayAPI: false, NLBGatewayAPI: false } },
            createIngressClassResource: false,
            ingressClassParams: { create: false },
            enableServiceMutatorWebhook: false,
            webhookConfig: { disableIngressValidation: true },
            enableBackendSecurityGroup: false,
            enableWaf: false,
            enableWafv2: false,
            enableShield: false,
        });
    });

    it("never blocks pod creation: the readiness-gate webhook ignores failures", () => {
        expect(values(runs[stack]).podMutatorWebhookConfig).toEqual({ failurePolicy: "Ignore" });
    });

    it("runs two replicas on the system nodes (system-cluster-critical, tolerating CriticalAddonsOnly), one at a time disrupted", () => {
        expect(values(runs[stack])).toMatchObject({
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
        });
    });

    it("has its own role, given to its service account alone through EKS Pod Identity (before its pods start), with the small TargetGroupBinding policy and nothing else", () => {
        const run = runs[stack];
        const role = resource(run, ROLE, `${NAME}-role`);
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: unknown; Action: string[] }[] };
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
        const association = resource(run, ASSOCIATION, `${NAME}-role-pod-identity`);
        expect(association.inputs).toMatchObject({ namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" });
        expect(association.propertyDependencies.roleArn).toEqual([role.urn]);
        expect(association.dependencies).toContain(ofType(run, ADDON).find((a) => a.inputs.addonName === "eks-pod-identity-agent")?.urn);
        expect(release(run).dependencies).toContain(association.urn);
        // No IRSA annotation: the association is the only link between the role and the pods.
        expect(values(run).serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller" });
        const roleName = `${NAME}-role-a1b2c3d`;
        const policies = ofType(run, ROLE_POLICY).filter((p) => p.inputs.role === roleName);
        expect(policies).toHaveLength(1);
        const registered = JSON.parse(String(policies[0].inputs.policy)) as { Statement: { Action: string[]; Resource: string; Condition?: unknown }[] };
        expect(registered).toEqual(loadBalancerControllerPolicy(`arn:aws:elasticloadbalancing:eu-west-1:${run.config.accountId}`, stack));
        // Writes only into this stack's tagged target groups, in its region and account.
        expect(registered.Statement.filter((st) => st.Action.some((a) => !/:Describe/.test(a)))).toEqual([
            {
                Sid: expect.any(String),
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: `arn:aws:elasticloadbalancing:eu-west-1:${run.config.accountId}:targetgroup/*/*`,
                Condition: { StringEquals: { "aws:ResourceTag/iam/target-registration": stack } },
            },
        ]);
        expect(ofType(run, POLICY_ATTACHMENT).filter((a) => a.inputs.role === roleName)).toEqual([]);
        // The release waits for the policy: the controller never starts without its permissions.
        expect(release(run).dependencies).toContain(policies[0].urn);
    });

    it("is waited for by the bindings, the host rules and (after its rule) each public Service only: never a Deployment, a data store or the load balancer", () => {
        const run = runs[stack];
        const controller = release(run).urn;
        const waiting = run.resources.filter((r) => r.custom && transitiveDependencies(run, r.urn).has(controller));
        const publicCount = run.config.services.filter((s) => s.public).length;
        expect([...new Set(waiting.map((r) => r.type))].sort()).toEqual([BINDING, RULE, SERVICE].sort());
        expect(waiting.filter((r) => r.type === BINDING)).toHaveLength(publicCount);
        expect(waiting.filter((r) => r.type === RULE)).toHaveLength(publicCount);
        expect(
            waiting
                .filter((r) => r.type === SERVICE)
                .map((r) => r.name)
                .sort(),
        ).toEqual(
            run.config.services
                .filter((s) => s.public)
                .map((s) => `iam-workload-${s.name}-public`)
                .sort(),
        );
        expect(ofType(run, DEPLOYMENT).length).toBeGreaterThan(0);
    });
});

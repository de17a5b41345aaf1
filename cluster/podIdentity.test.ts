/**
 * EKS Pod Identity across the whole program, for the real prod and staging
 * stack files: every role a pod uses trusts exactly the Pod Identity
 * service for this account, cluster and its one service account (session
 * tags), each (namespace, service account)
 * has one association, no IRSA is left (no role trusts the OIDC provider, no
 * `eks.amazonaws.com/role-arn` annotation anywhere), and the agent add-on is
 * pinned and installed alongside the node groups.
 */
import { POD_IDENTITY_AGENT_VERSIONS, supportedVersions } from "./catalog";
import { ofType, resource, ResourceRecord, runStack, StackRun, transitiveDependencies } from "../test/harness";

const ROLE = "aws:iam/role:Role";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ADDON = "aws:eks/addon:Addon";

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

type Trust = { Statement: { Principal?: Record<string, string> }[] };
const trustOf = (role: ResourceRecord): Trust => JSON.parse(String(role.inputs.assumeRolePolicy)) as Trust;
const roleOf = (run: StackRun, association: ResourceRecord): ResourceRecord => {
    const role = ofType(run, ROLE).find((r) => association.propertyDependencies.roleArn?.includes(r.urn));
    if (!role) {
        throw new Error(`association ${association.name} has no role of this program`);
    }
    return role;
};

describe.each(["prod", "staging"])("%s Pod Identity", (stack) => {
    it("gives each service account that calls AWS exactly one association", () => {
        const run = runs[stack];
        const pairs = ofType(run, ASSOCIATION).map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`);
        expect(new Set(pairs).size).toBe(pairs.length);
        expect(pairs).toEqual(
            expect.arrayContaining([
                run.config.cluster.autoscaler === "karpenter" ? "kube-system/karpenter" : "kube-system/cluster-autoscaler",
                "external-secrets/external-secrets",
                "amazon-cloudwatch/cloudwatch-agent",
            ]),
        );
        for (const association of ofType(run, ASSOCIATION)) {
            expect(association.inputs.clusterName).toBe(run.config.cluster.name);
        }
    });

    it("lets only EKS Pod Identity, for this account, this cluster and the association's own service account, assume each associated role", () => {
        const run = runs[stack];
        const clusterArn = `arn:aws:eks:${run.config.region}:${run.config.accountId}:cluster/${run.config.cluster.name}`;
        for (const association of ofType(run, ASSOCIATION)) {
            expect([association.name, trustOf(roleOf(run, association))]).toEqual([
                association.name,
                {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "pods.eks.amazonaws.com" },
                            Action: ["sts:AssumeRole", "sts:TagSession"],
                            Condition: {
                                StringEquals: {
                                    "aws:SourceAccount": run.config.accountId,
                                    "aws:RequestTag/eks-cluster-arn": clusterArn,
                                    "aws:RequestTag/kubernetes-namespace": association.inputs.namespace,
                                    "aws:RequestTag/kubernetes-service-account": association.inputs.serviceAccount,
                                },
                            },
                        },
                    ],
                },
            ]);
        }
    });

    it("leaves no IRSA: no role trusts a web identity, no Kubernetes object or chart value carries the role annotation", () => {
        const run = runs[stack];
        const federated = ofType(run, ROLE).filter((r) => trustOf(r).Statement.some((s) => s.Principal?.Federated !== undefined || /oidc/i.test(JSON.stringify(s))));
        expect(federated.map((r) => r.name)).toEqual([]);
        const annotated = run.resources.filter((r) => r.type.startsWith("kubernetes:") && JSON.stringify(r.inputs).includes("eks.amazonaws.com/role-arn"));
        expect(annotated.map((r) => r.name)).toEqual([]);
    });

    it("installs the pinned Pod Identity agent alongside the node groups, not after them", () => {
        const run = runs[stack];
        const agent = ofType(run, ADDON).find((a) => a.inputs.addonName === "eks-pod-identity-agent");
        expect(agent?.inputs).toMatchObject({ addonVersion: POD_IDENTITY_AGENT_VERSIONS[run.config.cluster.version], clusterName: run.config.cluster.name });
        const waitsFor = transitiveDependencies(run, agent?.urn ?? "");
        expect(ofType(run, "aws:eks/nodeGroup:NodeGroup").filter((g) => waitsFor.has(g.urn))).toEqual([]);
    });

    it("creates every association before the pods it serves: each Helm release or add-on using one waits for it", () => {
        const run = runs[stack];
        const release = (name: string): string => resource(run, "kubernetes:helm.sh/v3:Release", name).urn;
        const users: Record<string, string> = {
            ...(run.config.cluster.autoscaler === "karpenter"
                ? { "kube-system/karpenter": release("iam-karpenter-controller") }
                : { "kube-system/cluster-autoscaler": release("iam-addons-cluster-autoscaler") }),
            "external-secrets/external-secrets": release("iam-store-credentials-external-secrets"),
            "amazon-cloudwatch/cloudwatch-agent": resource(run, ADDON, "iam-alarms-observability").urn,
        };
        const checked = ofType(run, ASSOCIATION).filter((a) => users[`${a.inputs.namespace}/${a.inputs.serviceAccount}`] !== undefined);
        expect(checked).toHaveLength(Object.keys(users).length);
        for (const association of checked) {
            const user = users[`${association.inputs.namespace}/${association.inputs.serviceAccount}`];
            expect([association.name, transitiveDependencies(run, user).has(association.urn)]).toEqual([association.name, true]);
        }
    });
});

describe("the Pod Identity agent's catalog row", () => {
    it("pins an EKS add-on build for every supported Kubernetes version", () => {
        for (const version of supportedVersions()) {
            expect([version, POD_IDENTITY_AGENT_VERSIONS[version]]).toEqual([version, expect.stringMatching(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/)]);
        }
    });
});

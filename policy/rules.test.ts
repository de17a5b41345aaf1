/**
 * Each guardrail fires on the bad shape it exists for and stays quiet on the
 * good one. (test/policy.test.ts runs them over the real stacks.)
 */
import { STORE_PORTS } from "../network/accessMatrixPlan";
import { PolicyResource, Props } from "./props";
import { DATA_STORE_PORTS, resourceViolations } from "./rules";
import { stackViolations } from "./stackRules";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY = "aws:ec2/securityGroupRule:SecurityGroupRule";
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const LISTENER = "aws:lb/listener:Listener";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const APP_URN = "urn:pulumi:prod::iam::iam:workload:Workload$kubernetes:apps/v1:Deployment::iam-apiserver";

/** The rule names that fire for a resource. */
function fired(type: string, props: Props, urn = ""): string[] {
    return [...new Set(resourceViolations(type, props, urn).map((v) => v.rule))];
}

describe("no-world-ingress-except-web", () => {
    it.each<[string, string, Props]>([
        ["SSH from 0.0.0.0/0", INGRESS, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }],
        ["an app port from ::/0", INGRESS, { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv6: "::/0" }],
        ["every protocol from the internet", INGRESS, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }],
        ["a range that includes 443", INGRESS, { ipProtocol: "tcp", fromPort: 1, toPort: 1024, cidrIpv4: "0.0.0.0/0" }],
        ["UDP 443", INGRESS, { ipProtocol: "udp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }],
        ["half the internet", INGRESS, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" }],
        ["a legacy rule", LEGACY, { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
        ["an inline block", GROUP, { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }] }],
    ])("fires on %s", (_what, type, props) => {
        expect(fired(type, props)).toContain("no-world-ingress-except-web");
    });

    it.each<[string, string, Props]>([
        ["HTTPS from the internet", INGRESS, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }],
        ["HTTP from ::/0", INGRESS, { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" }],
        ["SSH from an admin range", INGRESS, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24" }],
        ["a legacy egress rule", LEGACY, { type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
    ])("allows %s", (_what, type, props) => {
        expect(fired(type, props)).not.toContain("no-world-ingress-except-web");
    });
});

describe("data-store-ports-only-from-security-groups", () => {
    it.each<[string, string, Props]>([
        ["MariaDB from the VPC CIDR", INGRESS, { ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIpv4: "10.20.0.0/16" }],
        ["a range covering Redis", INGRESS, { ipProtocol: "tcp", fromPort: 6000, toPort: 7000, cidrIpv4: "10.0.0.0/8" }],
        ["every port from a CIDR", INGRESS, { ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }],
        ["MongoDB from a prefix list", INGRESS, { ipProtocol: "tcp", fromPort: 27017, toPort: 27017, prefixListId: "pl-123" }],
        ["a legacy rule from a CIDR", LEGACY, { type: "ingress", protocol: "6", fromPort: 27017, toPort: 27017, cidrBlocks: ["10.0.0.0/16"] }],
    ])("fires on %s", (_what, type, props) => {
        expect(fired(type, props)).toContain("data-store-ports-only-from-security-groups");
    });

    it("allows a store port from a security group, and other ports from a CIDR", () => {
        expect(fired(INGRESS, { ipProtocol: "tcp", fromPort: 3306, toPort: 3306, referencedSecurityGroupId: "sg-app" })).toEqual([]);
        expect(fired(LEGACY, { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, sourceSecurityGroupId: "sg-app" })).toEqual([]);
        expect(fired(INGRESS, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" })).toEqual([]);
    });

    it("guards the same ports the access matrix gives the stores", () => {
        expect([...DATA_STORE_PORTS].sort()).toEqual(Object.values(STORE_PORTS).sort());
    });

    it("refuses a publicly accessible RDS instance", () => {
        expect(fired("aws:rds/instance:Instance", { publiclyAccessible: true })).toEqual(["rds-not-publicly-accessible"]);
        expect(fired("aws:rds/instance:Instance", { publiclyAccessible: false })).toEqual([]);
    });
});

describe("listeners", () => {
    const https = { protocol: "HTTPS", port: 443, certificateArn: "arn:cert", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" };
    const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

    it("requires a TLS 1.3 policy and a certificate on HTTPS", () => {
        expect(fired(LISTENER, https)).toEqual([]);
        expect(fired(LISTENER, { ...https, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09" })).toEqual([]);
        expect(fired(LISTENER, { ...https, sslPolicy: undefined })).toEqual(["https-listener-tls13"]);
        expect(fired(LISTENER, { ...https, sslPolicy: "ELBSecurityPolicy-2016-08" })).toEqual(["https-listener-tls13"]);
        expect(fired("aws:alb/listener:Listener", { ...https, certificateArn: undefined })).toEqual(["https-listener-tls13"]);
    });

    it("requires plain HTTP to answer 301 to HTTPS on 443", () => {
        expect(fired(LISTENER, { protocol: "HTTP", port: 80, defaultActions: [redirect] })).toEqual([]);
        for (const action of [
            { type: "forward", targetGroupArn: "arn:tg" },
            { ...redirect, redirect: { ...redirect.redirect, port: "#{port}" } },
            { ...redirect, redirect: { ...redirect.redirect, statusCode: "HTTP_302" } },
            { ...redirect, redirect: { ...redirect.redirect, protocol: "HTTP" } },
        ]) {
            expect(fired(LISTENER, { protocol: "HTTP", port: 80, defaultActions: [action] })).toEqual(["http-listener-redirects-to-https"]);
        }
        expect(fired(LISTENER, { protocol: "HTTP", port: 80, defaultActions: [] })).toEqual(["http-listener-redirects-to-https"]);
    });
});

describe("ECR and EKS", () => {
    it("requires scan on push and immutable tags", () => {
        const good = { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } };
        expect(fired("aws:ecr/repository:Repository", good)).toEqual([]);
        expect(resourceViolations("aws:ecr/repository:Repository", {})).toHaveLength(2);
        expect(fired("aws:ecr/repository:Repository", { ...good, imageTagMutability: "MUTABLE" })).toEqual(["ecr-scan-on-push-immutable-tags"]);
    });

    it.each<[string, Props, string[]]>([
        ["defaults (public to 0.0.0.0/0, no key)", {}, ["eks-endpoint-not-open-to-the-world", "eks-secrets-encrypted"]],
        ["public to the world", { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], encryptionConfigKeyArn: "arn:key" }, ["eks-endpoint-not-open-to-the-world"]],
        ["private with a key", { endpointPublicAccess: false, encryptionConfigKeyArn: "arn:key" }, []],
        ["public to an admin range", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"], encryptionConfigKeyArn: "arn:key" }, []],
    ])("judges an eks:index:Cluster with %s", (_what, props, rules) => {
        expect(fired("eks:index:Cluster", props)).toEqual(rules);
    });

    it.each<[string, Props, string[]]>([
        ["defaults", { vpcConfig: {} }, ["eks-endpoint-not-open-to-the-world", "eks-secrets-encrypted"]],
        ["secrets encrypted, endpoint private", { vpcConfig: { endpointPublicAccess: false }, encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:key" } } }, []],
        [
            "an encryption config without the key",
            { vpcConfig: { endpointPublicAccess: false }, encryptionConfig: { resources: ["secrets"], provider: {} } },
            ["eks-secrets-encrypted"],
        ],
    ])("judges an aws:eks/cluster:Cluster with %s", (_what, props, rules) => {
        expect(fired("aws:eks/cluster:Cluster", props)).toEqual(rules);
    });

    it("gives a verdict on a fresh stack, whose KMS key ARN is still unknown", () => {
        // The policy SDK's own proxy: reading an unknown value throws, as in `pulumi preview`.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(value: T): T; unknownStringValue: string };
        const props = sdk.unknownCheckingProxy({ endpointPublicAccess: false, encryptionConfigKeyArn: sdk.unknownStringValue });
        expect(() => resourceViolations("eks:index:Cluster", props)).not.toThrow();
        expect(resourceViolations("eks:index:Cluster", props)).toEqual([]);
    });
});

/** A Deployment that passes every workload rule. */
function deployment(edit: (container: Props, pod: Props) => void = () => undefined): Props {
    const container: Props = {
        name: "app",
        readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        securityContext: { allowPrivilegeEscalation: false },
    };
    const pod: Props = { securityContext: { runAsNonRoot: true, runAsUser: 65532 }, containers: [container] };
    edit(container, pod);
    return {
        metadata: { name: "iam-apiserver", namespace: "iam" },
        spec: { selector: { matchLabels: { app: "iam-apiserver" } }, template: { metadata: { labels: { app: "iam-apiserver", tier: "api" } }, spec: pod } },
    };
}

describe("workload rules", () => {
    it("pass a hardened Deployment", () => {
        expect(fired(DEPLOYMENT, deployment(), APP_URN)).toEqual([]);
    });

    it.each<[string, (c: Props, p: Props) => void, string]>([
        [
            "no readiness probe",
            (c) => {
                delete c.readinessProbe;
            },
            "workload-probes-and-resources",
        ],
        [
            "no liveness probe",
            (c) => {
                delete c.livenessProbe;
            },
            "workload-probes-and-resources",
        ],
        [
            "no memory limit",
            (c) => {
                c.resources = { requests: { cpu: "1", memory: "1Gi" } };
            },
            "workload-probes-and-resources",
        ],
        [
            "no CPU request",
            (c) => {
                c.resources = { requests: { memory: "1Gi" }, limits: { memory: "1Gi" } };
            },
            "workload-probes-and-resources",
        ],
        [
            "an init container without resources",
            (_c, p) => {
                p.initContainers = [{ name: "migrate", securityContext: { allowPrivilegeEscalation: false } }];
            },
            "workload-probes-and-resources",
        ],
        [
            "no runAsNonRoot",
            (_c, p) => {
                p.securityContext = { runAsUser: 65532 };
            },
            "workload-runs-as-non-root",
        ],
        [
            "a container overriding runAsNonRoot",
            (c) => {
                c.securityContext = { runAsNonRoot: false, allowPrivilegeEscalation: false };
            },
            "workload-runs-as-non-root",
        ],
        [
            "UID 0",
            (c) => {
                c.securityContext = { runAsUser: 0, allowPrivilegeEscalation: false };
            },
            "workload-runs-as-non-root",
        ],
        [
            "a privileged container",
            (c) => {
                c.securityContext = { privileged: true, allowPrivilegeEscalation: false };
            },
            "workload-runs-as-non-root",
        ],
        [
            "privilege escalation left on",
            (c) => {
                c.securityContext = {};
            },
            "workload-runs-as-non-root",
        ],
    ])("fire on %s", (_what, edit, rule) => {
        expect(fired(DEPLOYMENT, deployment(edit), APP_URN)).toEqual([rule]);
    });

    it("exempt an annotated placeholder from probes, never from resources or non-root", () => {
        const placeholder = (reason: string, edit: (c: Props, p: Props) => void): Props => {
            const d = deployment((c, p) => {
                delete c.readinessProbe;
                delete c.livenessProbe;
                edit(c, p);
            });
            (d.metadata as Props).annotations = { "guardrails.iam/placeholder": reason };
            return d;
        };
        expect(
            fired(
                DEPLOYMENT,
                placeholder("pause pods that keep room free", () => undefined),
                APP_URN,
            ),
        ).toEqual([]);
        expect(
            fired(
                DEPLOYMENT,
                placeholder("because", () => undefined),
                APP_URN,
            ),
        ).toEqual(["workload-probes-and-resources"]);
        expect(
            fired(
                DEPLOYMENT,
                placeholder("pause pods that keep room free", (c) => {
                    delete c.resources;
                }),
                APP_URN,
            ),
        ).toEqual(["workload-probes-and-resources"]);
        expect(
            fired(
                DEPLOYMENT,
                placeholder("pause pods that keep room free", (c) => {
                    c.securityContext = {};
                }),
                APP_URN,
            ),
        ).toEqual(["workload-runs-as-non-root"]);
    });

    it("leave Deployments a Helm chart renders to the chart", () => {
        const chartUrn = "urn:pulumi:prod::iam::iam:cluster:Addons$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::metrics-server";
        expect(
            fired(
                DEPLOYMENT,
                deployment((c) => {
                    delete c.readinessProbe;
                }),
                chartUrn,
            ),
        ).toEqual([]);
    });
});

describe("stack rules", () => {
    const res = (type: string, name: string, props: Props, propertyDependencies: Record<string, string[]> = {}): PolicyResource => ({
        type,
        name,
        urn: `urn:${name}`,
        props,
        propertyDependencies,
    });
    const lbGroup = res(GROUP, "lb-sg", {});
    const nodeGroup = res(GROUP, "nodes-sg", {});
    const alb = res("aws:lb/loadBalancer:LoadBalancer", "alb", {}, { securityGroups: [lbGroup.urn] });
    const world443 = { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" };
    const rules = (resources: PolicyResource[]): string[] => stackViolations(resources).map((v) => `${v.rule} ${v.urn}`);

    it("allow internet ingress only on the load balancer's security group", () => {
        expect(rules([lbGroup, nodeGroup, alb, res(INGRESS, "web", world443, { securityGroupId: [lbGroup.urn] })])).toEqual([]);
        expect(rules([lbGroup, nodeGroup, alb, res(INGRESS, "web", world443, { securityGroupId: [nodeGroup.urn] })])).toEqual(["world-ingress-only-on-load-balancer urn:web"]);
        expect(rules([lbGroup, alb, res(INGRESS, "literal", { ...world443, securityGroupId: "sg-123" })])).toEqual(["world-ingress-only-on-load-balancer urn:literal"]);
    });

    it("refuse a listener rule that forwards around the HTTP redirect", () => {
        const http = res(LISTENER, "http", { protocol: "HTTP" });
        const httpsListener = res(LISTENER, "https", { protocol: "HTTPS" });
        const forward = { actions: [{ type: "forward", targetGroupArn: "arn:tg" }] };
        expect(rules([http, httpsListener, res("aws:lb/listenerRule:ListenerRule", "api", forward, { listenerArn: [httpsListener.urn] })])).toEqual([]);
        expect(rules([http, res("aws:lb/listenerRule:ListenerRule", "sneaky", forward, { listenerArn: [http.urn] })])).toEqual([
            "http-listener-rules-redirect-to-https urn:sneaky",
        ]);
    });

    const app = res(DEPLOYMENT, "app", deployment());
    app.urn = APP_URN;
    const hpa = res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", {
        metadata: { name: "iam-apiserver", namespace: "iam" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "iam-apiserver" }, minReplicas: 2, maxReplicas: 6 },
    });
    const pdb = (spec: Props, namespace = "iam"): PolicyResource =>
        res("kubernetes:policy/v1:PodDisruptionBudget", "pdb", {
            metadata: { name: "iam-apiserver", namespace },
            spec: { selector: { matchLabels: { app: "iam-apiserver" } }, ...spec },
        });

    it("require an HPA and a PDB for every Deployment", () => {
        expect(rules([app, hpa, pdb({ maxUnavailable: 1 })])).toEqual([]);
        expect(rules([app, pdb({ maxUnavailable: 1 })])).toEqual([`deployment-has-hpa-and-pdb ${APP_URN}`]);
        expect(rules([app, hpa])).toEqual([`deployment-has-hpa-and-pdb ${APP_URN}`]);
        expect(rules([app, hpa, pdb({ maxUnavailable: 1 }, "other")])).toEqual([`deployment-has-hpa-and-pdb ${APP_URN}`]);
        const wrongLabels = res("kubernetes:policy/v1:PodDisruptionBudget", "pdb", {
            metadata: { namespace: "iam" },
            spec: { selector: { matchLabels: { app: "other" } }, maxUnavailable: 1 },
        });
        expect(rules([app, hpa, wrongLabels])).toEqual([`deployment-has-hpa-and-pdb ${APP_URN}`]);
    });

    it("need no HPA or PDB for an annotated placeholder", () => {
        const placeholder = res(DEPLOYMENT, "headroom", {
            ...deployment(),
            metadata: { name: "headroom", namespace: "x", annotations: { "guardrails.iam/placeholder": "pause pods that keep room free" } },
        });
        expect(rules([placeholder])).toEqual([]);
    });

    it.each<[string, Props]>([
        ["maxUnavailable 0", { maxUnavailable: 0 }],
        ["minAvailable equal to minReplicas", { minAvailable: 2 }],
        ["minAvailable 100%", { minAvailable: "100%" }],
    ])("refuse a PDB that blocks node drains (%s)", (_what, spec) => {
        expect(stackViolations([app, hpa, pdb(spec)]).map((v) => v.message)).toEqual([expect.stringMatching(/blocks node drains/)]);
    });
});

describe("service-trust-has-source-conditions", () => {
    const ROLE = "aws:iam/role:Role";
    const POD_IDENTITY_CONDITION = {
        StringEquals: {
            "aws:SourceAccount": "123456789012",
            "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/iam",
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:requesttag/kubernetes-service-account": "karpenter",
        },
    };
    const trust = (principal: Record<string, unknown>, condition?: Record<string, unknown>): Props => ({
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
        }),
    });

    it.each<[string, Props]>([
        ["VPC flow logs without a condition", trust({ Service: "vpc-flow-logs.amazonaws.com" })],
        ["RDS enhanced monitoring without a condition", trust({ Service: "monitoring.rds.amazonaws.com" })],
        ["Pod Identity with an unrelated condition", trust({ Service: "pods.eks.amazonaws.com" }, { StringEquals: { "aws:RequestTag/x": "y" } })],
        [
            "Pod Identity conditioned on aws:SourceArn (a key it does not document: the assume may never match)",
            trust(
                { Service: "pods.eks.amazonaws.com" },
                { StringEquals: { "aws:sourceaccount": "123456789012" }, ArnEquals: { "aws:SourceArn": "arn:aws:eks:eu-west-1:123456789012:cluster/iam" } },
            ),
        ],
        [
            "Pod Identity scoped to the cluster but not to one service account",
            trust({ Service: "pods.eks.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": "1", "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:1:cluster/iam" } }),
        ],
        [
            "Pod Identity with every condition but without sts:TagSession",
            {
                assumeRolePolicy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: POD_IDENTITY_CONDITION }],
                }),
            },
        ],
        ["a list of services where one is guarded", trust({ Service: ["ec2.amazonaws.com", "events.amazonaws.com"] })],
        ["a trust given as an object", { assumeRolePolicy: { Statement: { Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "sts:AssumeRole" } } }],
    ])("fires on %s", (_what, props) => {
        expect(fired(ROLE, props)).toEqual(["service-trust-has-source-conditions"]);
    });

    it.each<[string, Props]>([
        [
            "flow logs with aws:SourceAccount and aws:SourceArn",
            trust(
                { Service: "vpc-flow-logs.amazonaws.com" },
                { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" } },
            ),
        ],
        [
            "Pod Identity with sts:TagSession, its account and its session tags",
            {
                assumeRolePolicy: JSON.stringify({
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: POD_IDENTITY_CONDITION },
                    ],
                }),
            },
        ],
        ["the node role (EC2)", trust({ Service: "ec2.amazonaws.com" })],
        ["the cluster role (EKS)", trust({ Service: "eks.amazonaws.com" })],
        ["an IRSA trust (federated, conditioned on the service account)", trust({ Federated: "arn:aws:iam::123456789012:oidc-provider/x" })],
        ["a trust not known yet (preview)", { assumeRolePolicy: "<computed>" }],
    ])("allows %s", (_what, props) => {
        expect(fired(ROLE, props)).toEqual([]);
    });
});

describe("namespace-enforces-pod-security", () => {
    const NAMESPACE = "kubernetes:core/v1:Namespace";
    const ns = (labels?: Record<string, string>): Props => ({ metadata: { name: "x", labels } });

    it("fires on a namespace without an enforce label, or one that enforces nothing", () => {
        expect(fired(NAMESPACE, ns())).toEqual(["namespace-enforces-pod-security"]);
        expect(fired(NAMESPACE, ns({ "pod-security.kubernetes.io/warn": "restricted" }))).toEqual(["namespace-enforces-pod-security"]);
        expect(fired(NAMESPACE, ns({ "pod-security.kubernetes.io/enforce": "privileged" }))).toEqual(["namespace-enforces-pod-security"]);
    });

    it("allows restricted and baseline", () => {
        expect(fired(NAMESPACE, ns({ "pod-security.kubernetes.io/enforce": "restricted" }))).toEqual([]);
        expect(fired(NAMESPACE, ns({ "pod-security.kubernetes.io/enforce": "baseline" }))).toEqual([]);
    });
});

describe("hpa-can-scale", () => {
    const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
    const hpa = (minReplicas: number | undefined, maxReplicas: number): Props => ({
        spec: { scaleTargetRef: { kind: "Deployment", name: "iam-watcher" }, minReplicas, maxReplicas },
    });

    it("fires when the minimum is the maximum (or above it), including the default minimum of 1", () => {
        expect(fired(HPA, hpa(2, 2))).toEqual(["hpa-can-scale"]);
        expect(fired(HPA, hpa(undefined, 1))).toEqual(["hpa-can-scale"]);
        expect(fired(HPA, hpa(3, 2))).toEqual(["hpa-can-scale"]);
    });

    it("allows an HPA with room to scale", () => {
        expect(fired(HPA, hpa(2, 4))).toEqual([]);
        expect(fired(HPA, hpa(undefined, 3))).toEqual([]);
    });
});

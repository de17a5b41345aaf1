/**
 * The workloads as the program registers them for the real prod and staging
 * stack files: every Kubernetes object is a valid object on the cluster's
 * provider, and every Deployment has its HPA, PDB, probes on declared ports
 * and Services whose selectors match its pods.
 */
import { ServiceSpec } from "./schema";
import { ofType, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies } from "../test/harness";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const SERVICE = "kubernetes:core/v1:Service";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const ROLE = "aws:iam/role:Role";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const K8S_PROVIDER = "pulumi:providers:kubernetes::iam-cluster-k8s";

type Labels = Record<string, string>;
interface Meta {
    name: string;
    namespace?: string;
    labels?: Labels;
    annotations?: Record<string, string>;
}
interface ContainerPort {
    name: string;
    containerPort: number;
}
interface Probe {
    httpGet: { path: string; port: string };
}
interface Container {
    name: string;
    image: string;
    ports: ContainerPort[];
    startupProbe: Probe;
    readinessProbe: Probe;
    livenessProbe: Probe;
    envFrom: { secretRef?: { name: string } }[];
}
interface DeploymentSpec {
    replicas?: number;
    selector: { matchLabels: Labels };
    strategy: { rollingUpdate: { maxUnavailable: number } };
    template: { metadata: { labels: Labels }; spec: { containers: Container[]; serviceAccountName: string; automountServiceAccountToken: boolean } };
}
interface ServiceObject {
    type: string;
    selector: Labels;
    ports: { name: string; port: number; targetPort: string }[];
}

const meta = (r: ResourceRecord): Meta => r.inputs.metadata as Meta;
const spec = <T>(r: ResourceRecord): T => r.inputs.spec as T;
const isKubernetesObject = (r: ResourceRecord): boolean => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm");
const matches = (selector: Labels, labels: Labels): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

/** The Kubernetes objects of the workloads area: the application namespace and everything in it. */
function appObjects(run: StackRun): ResourceRecord[] {
    const ns = run.config.workloads.namespace;
    return run.resources.filter((r) => isKubernetesObject(r) && ((r.type === NAMESPACE && meta(r).name === ns) || meta(r)?.namespace === ns));
}

function deploymentOf(run: StackRun, service: ServiceSpec): ResourceRecord {
    const found = ofType(run, DEPLOYMENT).filter((d) => meta(d).namespace === run.config.workloads.namespace && meta(d).name === service.name);
    expect(found).toHaveLength(1);
    return found[0];
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

describe.each(["prod", "staging"])("%s workloads", (stack) => {
    it("run in their own namespace, with Pod Security restricted enforced, audited and warned", () => {
        const run = runs[stack];
        const [namespace] = ofType(run, NAMESPACE).filter((n) => meta(n).name === run.config.workloads.namespace);
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(meta(namespace).labels?.[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
        }
        expect(run.outputs.appNamespace).toEqual({ known: true, secret: false, value: run.config.workloads.namespace });
    });

    it("turn on the load balancer controller's readiness gates in their namespace, so a rollout waits for healthy targets", () => {
        const run = runs[stack];
        const [namespace] = ofType(run, NAMESPACE).filter((n) => meta(n).name === run.config.workloads.namespace);
        expect(meta(namespace).labels?.["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
        // Only there: the add-ons' namespaces get no gates.
        const others = ofType(run, NAMESPACE).filter((n) => meta(n).name !== run.config.workloads.namespace);
        expect(others.filter((n) => meta(n).labels?.["elbv2.k8s.aws/pod-readiness-gate-inject"] !== undefined)).toEqual([]);
    });

    it("registers only valid Kubernetes objects, all on the cluster's provider", () => {
        const run = runs[stack];
        const objects = appObjects(run);
        expect(objects.length).toBeGreaterThan(20);
        for (const object of objects) {
            const where = `${object.type} ${object.name}`;
            expect([where, typeof object.inputs.apiVersion, typeof object.inputs.kind]).toEqual([where, "string", "string"]);
            expect([where, DNS_SUBDOMAIN.test(meta(object).name)]).toEqual([where, true]);
            if (object.type !== NAMESPACE) {
                expect([where, meta(object).namespace]).toEqual([where, run.config.workloads.namespace]);
            }
            for (const [key, value] of Object.entries(meta(object).labels ?? {})) {
                expect([where, key, LABEL_KEY.test(key), LABEL_VALUE.test(value) && value.length <= 63]).toEqual([where, key, true, true]);
            }
            expect([where, object.provider?.includes(K8S_PROVIDER)]).toEqual([where, true]);
        }
        const names = objects.map((o) => `${o.type}/${meta(o).name}`);
        expect(new Set(names).size).toBe(names.length);
    });

    it("gives every catalog entry one Deployment with the recommended labels, a pinned image and a replica count only when fixed", () => {
        const run = runs[stack];
        for (const service of run.config.services) {
            const deployment = deploymentOf(run, service);
            const d = spec<DeploymentSpec>(deployment);
            const { min, max } = service.workload.replicas;
            expect(d.replicas).toBe(min === max ? min : undefined);
            expect(d.strategy.rollingUpdate.maxUnavailable).toBe(0);
            expect(d.template.metadata.labels).toMatchObject(d.selector.matchLabels);
            expect(Object.keys(d.template.metadata.labels)).toEqual(
                expect.arrayContaining(["name", "instance", "version", "component", "part-of", "managed-by"].map((k) => `app.kubernetes.io/${k}`)),
            );
            const [container] = d.template.spec.containers;
            // Pinned by the digest the registry reported for the tag; the tag stays readable on the Deployment.
            const repositoryUrl = (run.outputs.repositoryUrls.value as Record<string, string>)[service.image.repository];
            const image = (run.outputs.images.value as Record<string, { tag: string; digest: string; reference: string }>)[service.name];
            expect(image.tag).toBe(service.image.tag);
            expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
            expect(container.image).toBe(`${repositoryUrl}@${image.digest}`);
            expect((deployment.inputs.metadata as { annotations?: Record<string, string> }).annotations).toMatchObject({
                "iam/image": `${service.image.repository}:${service.image.tag}`,
            });
        }
    });

    it("probes every Deployment on a declared container port and the configured health path", () => {
        const run = runs[stack];
        for (const service of run.config.services) {
            const [container] = spec<DeploymentSpec>(deploymentOf(run, service)).template.spec.containers;
            const declared = container.ports.map((p) => p.name);
            for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
                expect(declared).toContain(probe.httpGet.port);
                expect(probe.httpGet.path).toBe(service.health.path);
            }
            for (const port of container.ports) {
                expect(port.containerPort).toBeGreaterThanOrEqual(1);
                expect(port.containerPort).toBeLessThanOrEqual(65535);
            }
        }
    });

    it("gives every scalable Deployment an HPA that can scale (min >= 2 in prod), a fixed one spec.replicas and no HPA, and each a PDB that selects its pods", () => {
        const run = runs[stack];
        const hpas = ofType(run, HPA);
        const pdbs = ofType(run, PDB);
        for (const service of run.config.services) {
            const deployment = deploymentOf(run, service);
            const podLabels = spec<DeploymentSpec>(deployment).template.metadata.labels;
            const hpa = hpas.filter(
                (h) =>
                    meta(h).namespace === meta(deployment).namespace &&
                    JSON.stringify(spec<{ scaleTargetRef: unknown }>(h).scaleTargetRef) ===
                        JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", name: meta(deployment).name }),
            );
            const { min, max } = service.workload.replicas;
            expect(min).toBeGreaterThanOrEqual(stack === "prod" ? 2 : 1);
            if (min === max) {
                expect(hpa).toEqual([]);
                expect(spec<{ replicas?: number }>(deployment).replicas).toBe(min);
            } else {
                expect(hpa).toHaveLength(1);
                expect(spec<{ replicas?: number }>(deployment).replicas).toBeUndefined();
                const { minReplicas, maxReplicas } = spec<{ minReplicas: number; maxReplicas: number }>(hpa[0]);
                expect({ minReplicas, maxReplicas }).toEqual({ minReplicas: min, maxReplicas: max });
                expect(minReplicas).toBeLessThan(maxReplicas);
            }
            const pdb = pdbs.filter(
                (p) => meta(p).namespace === meta(deployment).namespace && matches(spec<{ selector: { matchLabels: Labels } }>(p).selector.matchLabels, podLabels),
            );
            expect(pdb).toHaveLength(1);
            expect(spec<{ maxUnavailable: number }>(pdb[0]).maxUnavailable).toBe(1);
        }
    });

    it("exposes HTTP services by ClusterIP only (the public port on its own Service, bound to the target group), workers not at all, no NodePort anywhere", () => {
        const run = runs[stack];
        const services = ofType(run, SERVICE).filter((s) => meta(s).namespace === run.config.workloads.namespace);
        const deployments = run.config.services.map((s) => deploymentOf(run, s));
        for (const svc of services) {
            const s = spec<ServiceObject>(svc);
            const selected = deployments.filter((d) => matches(s.selector, spec<DeploymentSpec>(d).template.metadata.labels));
            expect([meta(svc).name, selected.length]).toEqual([meta(svc).name, 1]);
            const declared = spec<DeploymentSpec>(selected[0]).template.spec.containers[0].ports;
            for (const port of s.ports) {
                const target = declared.find((p) => p.name === port.targetPort);
                expect(target?.containerPort).toBe(port.port);
            }
        }
        for (const service of run.config.services) {
            const own = services.filter((svc) => matches(spec<ServiceObject>(svc).selector, spec<DeploymentSpec>(deploymentOf(run, service)).template.metadata.labels));
            if (service.kind === "worker") {
                expect(own).toEqual([]);
            } else if (service.public) {
                const publicService = resource(run, SERVICE, `iam-workload-${service.name}-public`);
                expect(own.map((svc) => svc.urn)).toContain(publicService.urn);
                expect(spec<ServiceObject>(publicService)).toEqual({
                    type: "ClusterIP",
                    selector: expect.any(Object),
                    ports: [{ name: service.public.port, port: expect.any(Number), targetPort: service.public.port, protocol: "TCP" }],
                });
            }
        }
        // Every Service of the stack, the add-ons' included: no NodePort, no LoadBalancer.
        for (const svc of ofType(run, SERVICE)) {
            expect([meta(svc).name, spec<ServiceObject>(svc).type ?? "ClusterIP"]).toEqual([meta(svc).name, "ClusterIP"]);
            expect(JSON.stringify(svc.inputs)).not.toMatch(/nodePort/i);
        }
        const grpc = resource(run, SERVICE, "iam-workload-iam-apiserver-cluster");
        expect(spec<ServiceObject>(grpc)).toMatchObject({ type: "ClusterIP", ports: [{ name: "grpc", port: 8081, targetPort: "grpc" }] });
    });

    it("runs each workload under its own token-less service account, with credentials only from Secrets", () => {
        const run = runs[stack];
        for (const service of run.config.services) {
            const pod = spec<DeploymentSpec>(deploymentOf(run, service)).template.spec;
            const account = ofType(run, SERVICE_ACCOUNT).filter((a) => meta(a).namespace === run.config.workloads.namespace && meta(a).name === pod.serviceAccountName);
            expect(account).toHaveLength(1);
            expect(account[0].inputs.automountServiceAccountToken).toBe(false);
            expect(pod.automountServiceAccountToken).toBe(false);
            expect(pod.containers[0].envFrom.filter((e) => e.secretRef).length).toBe(service.stores.length);
        }
    });

    it("starts pods only after their network policies and store connections exist", () => {
        const run = runs[stack];
        const inNamespace = (r: ResourceRecord): boolean => isKubernetesObject(r) && meta(r)?.namespace === run.config.workloads.namespace;
        const policies = ofType(run, NETWORK_POLICY).filter(inNamespace);
        expect(policies.map((p) => meta(p).name)).toEqual(expect.arrayContaining(["default-deny-all", "allow-dns", "iam-apiserver-ingress", "iam-authz-server-egress"]));
        // The data tier's objects that become the Secrets/ConfigMaps the pods read with envFrom.
        const connections = run.resources.filter(
            (r) =>
                inNamespace(r) &&
                /ExternalSecret|core\/v1:ConfigMap/.test(r.type) &&
                !meta(r).name.includes("-env-") &&
                meta(r).labels?.["app.kubernetes.io/name"] !== "iam-schema" &&
                !r.parent?.includes("iam:app:AppConfig"),
        );
        expect(connections.length).toBeGreaterThan(0);
        for (const service of run.config.services) {
            const waitsFor = transitiveDependencies(run, deploymentOf(run, service).urn);
            for (const needed of [...policies, ...connections]) {
                expect([service.name, needed.name, waitsFor.has(needed.urn)]).toEqual([service.name, needed.name, true]);
            }
            // And its own config file's Secret (app/appConfig.ts).
            expect(waitsFor.has(resource(run, "kubernetes:external-secrets.io/v1:ExternalSecret", `iam-app-config-${service.name}`).urn)).toBe(true);
        }
    });
});

describe("a workload with a Pod Identity role", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runVariant("prod-pump-pod-identity");
    });

    it("gives the role to its own service account only, through one association the Deployment waits for", () => {
        const role = resource(run, ROLE, "iam-workload-iam-pump-role");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: { Principal: Record<string, string> }[] };
        expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: "pods.eks.amazonaws.com" } })]);
        const association = resource(run, ASSOCIATION, "iam-workload-iam-pump-role-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: run.config.workloads.namespace, serviceAccount: "iam-pump" });
        expect(association.propertyDependencies.roleArn).toEqual([role.urn]);
        const account = resource(run, SERVICE_ACCOUNT, "iam-workload-iam-pump-sa");
        expect(meta(account).annotations?.["eks.amazonaws.com/role-arn"]).toBeUndefined();
        expect(account.inputs.automountServiceAccountToken).toBe(true);
        expect(resource(run, "kubernetes:apps/v1:Deployment", "iam-workload-iam-pump-deployment").dependencies).toContain(association.urn);
        const attachment = resource(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "iam-workload-iam-pump-role-AmazonS3ReadOnlyAccess");
        expect(attachment.inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        // Only the configured workload gets a role.
        expect(ofType(run, ROLE).filter((r) => r.name.startsWith("iam-workload-"))).toHaveLength(1);
    });

    it("lets that workload reach the node's Pod Identity agent and HTTPS, and no other workload", () => {
        const egress = (name: string): string => JSON.stringify(resource(run, NETWORK_POLICY, `iam-network-policies-${name}-egress`).inputs.spec);
        expect(egress("iam-pump")).toContain('"cidr":"0.0.0.0/0"');
        expect(egress("iam-pump")).toContain('{"ports":[{"port":80,"protocol":"TCP"}],"to":[{"ipBlock":{"cidr":"169.254.170.23/32"}}]}');
        expect(egress("iam-apiserver")).not.toContain("0.0.0.0/0");
        expect(egress("iam-apiserver")).not.toContain("169.254.170.23");
    });
});

describe("a new stack's preview", () => {
    it("plans every workload object while the cluster is still unknown, showing the exact image it will run", async () => {
        const run = await runStack("prod", { preview: true });
        for (const service of run.config.services) {
            const deployment = deploymentOf(run, service);
            expect(meta(deployment).name).toBe(service.name);
            // The image was looked up before anything was planned: the preview shows its digest.
            expect(spec<DeploymentSpec>(deployment).template.spec.containers[0].image).toMatch(new RegExp(`/${service.image.repository}@sha256:[a-f0-9]{64}$`));
        }
        expect(ofType(run, HPA)).toHaveLength(run.config.services.filter((s) => s.workload.replicas.min < s.workload.replicas.max).length);
    });
});

describe("iam-watcher (min = max: a Redis-locked job runner and its standby)", () => {
    it.each(["prod", "staging"])("runs a fixed count in %s, with no HPA", (stack) => {
        const run = runs[stack];
        const watcher = run.config.services.find((s) => s.name === "iam-watcher");
        if (!watcher) {
            throw new Error("the stack files deploy iam-watcher");
        }
        expect(spec<{ replicas?: number }>(deploymentOf(run, watcher)).replicas).toBe(stack === "prod" ? 2 : 1);
        expect(ofType(run, HPA).filter((h) => meta(h).name === "iam-watcher")).toEqual([]);
    });
});

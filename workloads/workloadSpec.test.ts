import { parseStackConfig } from "../config";
import { ServiceSpec } from "./schema";
import { rawStackConfig } from "../test/harness";
import { STORE_CONNECTIONS } from "../data/storeConnection";
import {
    calledPorts,
    deploymentSpec,
    envConfigMap,
    hpaSpec,
    imageReference,
    isValidLabelValue,
    pdbSpec,
    PodInputs,
    servicePlans,
    serviceSpec,
    startupFailureThreshold,
    toLabelValue,
    workloadLabels,
    workloadNames,
} from "./workloadSpec";

const prod = parseStackConfig(rawStackConfig("prod"));
const staging = parseStackConfig(rawStackConfig("staging"));
const byName = (catalog: readonly ServiceSpec[], name: string): ServiceSpec => {
    const found = catalog.find((s) => s.name === name);
    if (!found) {
        throw new Error(`no ${name}`);
    }
    return found;
};
const apiserver = byName(prod.services, "iam-apiserver");
const authz = byName(prod.services, "iam-authz-server");
const pump = byName(prod.services, "iam-pump");
const context = { stack: "prod", partOf: "iam" };

// Plain-data views of the spec (the builders return Pulumi input types).
interface Probe {
    httpGet: { path: string; port: string };
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}
interface Container {
    ports: { name: string; containerPort: number }[];
    startupProbe: Probe;
    readinessProbe: Probe;
    livenessProbe: Probe;
    lifecycle?: { preStop: { sleep?: { seconds: number }; exec?: unknown } };
    envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    securityContext: Record<string, unknown>;
    volumeMounts: { name: string; mountPath: string }[];
}
interface Pod {
    automountServiceAccountToken: boolean;
    terminationGracePeriodSeconds: number;
    securityContext: Record<string, unknown>;
    containers: Container[];
    volumes: { name: string; emptyDir?: unknown }[];
    topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } }[];
}
interface Deployment {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    strategy: { type: string; rollingUpdate: { maxUnavailable: number; maxSurge: number | string } };
    minReadySeconds: number;
    revisionHistoryLimit: number;
    template: { metadata: { labels: Record<string, string> }; spec: Pod };
}

function build(service: ServiceSpec, podIdentity = false): Deployment {
    const { labels, selector } = workloadLabels(service, context);
    const pod: PodInputs = { image: "repo:tag", labels, selector, names: workloadNames(service), podIdentity };
    return deploymentSpec(service, pod) as unknown as Deployment;
}

describe("image and labels", () => {
    it("pins the image by tag, or by digest with @", () => {
        expect(imageReference("1.dkr.ecr/iam-apiserver", "v1.8.0")).toBe("1.dkr.ecr/iam-apiserver:v1.8.0");
        const digest = `sha256:${"a".repeat(64)}`;
        expect(imageReference("1.dkr.ecr/iam-apiserver", digest)).toBe(`1.dkr.ecr/iam-apiserver@${digest}`);
    });

    it("turns any tag, even a digest, into a valid version label", () => {
        for (const tag of ["v1.8.0", `sha256:${"f".repeat(64)}`, "_build.1-", "x".repeat(128)]) {
            expect(isValidLabelValue(toLabelValue(tag))).toBe(true);
        }
        expect(isValidLabelValue("sha256:abc")).toBe(false);
        expect(isValidLabelValue("a".repeat(64))).toBe(false);
    });

    it("selects pods by name and instance only, so a new version never changes the selector", () => {
        const { labels, selector } = workloadLabels(apiserver, context);
        expect(Object.keys(labels).sort()).toEqual([
            "app.kubernetes.io/component",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/managed-by",
            "app.kubernetes.io/name",
            "app.kubernetes.io/part-of",
            "app.kubernetes.io/version",
        ]);
        expect(selector).toEqual({ "app.kubernetes.io/name": "iam-apiserver", "app.kubernetes.io/instance": "iam-apiserver-prod" });
        const next = workloadLabels({ ...apiserver, image: { ...apiserver.image, tag: "v1.9.0" } }, context);
        expect(next.selector).toEqual(selector);
        expect(next.labels["app.kubernetes.io/version"]).toBe("v1.9.0");
    });

    it("keeps the version label off the workload's other objects, so a release changes only the Deployment", () => {
        const { labels, objectLabels } = workloadLabels(apiserver, context);
        const { "app.kubernetes.io/version": version, ...rest } = labels;
        expect(version).toBe(toLabelValue(apiserver.image.tag));
        expect(objectLabels).toEqual(rest);
        expect(workloadLabels({ ...apiserver, image: { ...apiserver.image, tag: "v1.9.0" } }, context).objectLabels).toEqual(objectLabels);
    });
});

describe.each([
    ["prod", prod],
    ["staging", staging],
])("%s Deployments", (_stack, config) => {
    it.each(config.services.map((s) => [s.name, s] as const))("%s: replicas only when fixed (else the HPA owns them), never below capacity during a rollout", (_name, service) => {
        const spec = build(service);
        const { min, max } = service.workload.replicas;
        expect(spec.replicas).toBe(min === max ? min : undefined);
        expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: service.workload.rollout.maxSurge } });
        expect(spec.minReadySeconds).toBeGreaterThan(0);
        expect(spec.revisionHistoryLimit).toBe(service.workload.rollout.revisionHistoryLimit);
        // The selector is a subset of the pod labels (the API rejects it otherwise).
        expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    });

    it.each(config.services.map((s) => [s.name, s] as const))("%s: probes the health path on a declared port, leniently enough not to cascade", (_name, service) => {
        const [container] = build(service).template.spec.containers;
        const declared = container.ports.map((p) => p.name);
        for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
            expect(probe.httpGet).toMatchObject({ path: service.health.path, port: service.health.port });
            expect(declared).toContain(probe.httpGet.port);
        }
        const { startupProbe, readinessProbe, livenessProbe } = container;
        expect(startupProbe.failureThreshold * startupProbe.periodSeconds).toBeGreaterThanOrEqual(service.workload.startupTimeoutSeconds);
        expect(livenessProbe.failureThreshold * livenessProbe.periodSeconds).toBeGreaterThan(readinessProbe.failureThreshold * readinessProbe.periodSeconds);
        expect(livenessProbe.failureThreshold).toBeGreaterThan(readinessProbe.failureThreshold);
        expect(livenessProbe.timeoutSeconds).toBeGreaterThan(readinessProbe.timeoutSeconds);
    });

    it.each(config.services.map((s) => [s.name, s] as const))("%s: runs hardened (non-root, read-only root, no capabilities, RuntimeDefault seccomp)", (_name, service) => {
        const pod = build(service).template.spec;
        expect(pod.securityContext).toMatchObject({
            runAsNonRoot: true,
            runAsUser: service.workload.runAsUser,
            runAsGroup: service.workload.runAsGroup,
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(service.workload.runAsUser).toBeGreaterThan(0);
        const [container] = pod.containers;
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        // Writable only /tmp; the application's files and the RDS CA bundle (a store user's) are mounted read-only.
        const caBundle = service.stores.length > 0;
        expect(container.volumeMounts).toEqual([
            { name: "tmp", mountPath: "/tmp" },
            { name: "iam-files", mountPath: "/etc/iam", readOnly: true },
            ...(caBundle ? [{ name: "rds-ca-bundle", mountPath: "/etc/ssl/aws-rds", readOnly: true }] : []),
        ]);
        expect(pod.volumes).toEqual([
            expect.objectContaining({ name: "tmp", emptyDir: expect.anything() }),
            expect.objectContaining({ name: "iam-files", projected: expect.anything() }),
            ...(caBundle ? [expect.objectContaining({ name: "rds-ca-bundle", configMap: expect.objectContaining({ name: "rds-ca-bundle" }) })] : []),
        ]);
        expect(pod.automountServiceAccountToken).toBe(false);
    });

    it.each(config.services.map((s) => [s.name, s] as const))("%s: requests CPU and memory, limits memory, takes credentials only from Secrets", (_name, service) => {
        const [container] = build(service).template.spec.containers;
        expect(container.resources).toEqual({
            requests: { cpu: service.workload.resources.cpu, memory: service.workload.resources.memory },
            limits: { memory: service.workload.resources.memoryLimit },
        });
        const secrets = container.envFrom.flatMap((e) => (e.secretRef ? [e.secretRef.name] : []));
        expect(secrets).toEqual(service.stores.map((s) => STORE_CONNECTIONS[s].secretName));
        const configMaps = container.envFrom.flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : []));
        expect(configMaps).toEqual(expect.arrayContaining(service.stores.map((s) => STORE_CONNECTIONS[s].configMapName)));
    });
});

describe("shutdown", () => {
    it("keeps an HTTP pod serving (sleep action, no shell needed) while it leaves the Services, within the grace period", () => {
        const pod = build(apiserver).template.spec;
        const sleep = pod.containers[0].lifecycle?.preStop.sleep?.seconds ?? 0;
        expect(sleep).toBe(apiserver.workload.shutdown.preStopSleepSeconds);
        expect(sleep).toBeGreaterThan(0);
        expect(pod.containers[0].lifecycle?.preStop.exec).toBeUndefined();
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep);
    });

    it("sends a worker SIGTERM at once and gives it the configured grace to finish its job", () => {
        const pod = build(pump).template.spec;
        expect(pod.containers[0].lifecycle).toBeUndefined();
        expect(pod.terminationGracePeriodSeconds).toBe(180);
    });
});

describe("spread, autoscaling and disruption", () => {
    it("spreads pods over zones and hosts by the workload's own selector, the zones hard only on request", () => {
        const spread = build(apiserver).template.spec.topologySpreadConstraints;
        const { selector } = workloadLabels(apiserver, context);
        expect(spread.map((c) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
            ["topology.kubernetes.io/zone", "ScheduleAnyway"],
            ["kubernetes.io/hostname", "ScheduleAnyway"],
        ]);
        const hard = build({ ...apiserver, workload: { ...apiserver.workload, zoneSpread: "required" } }).template.spec.topologySpreadConstraints;
        expect(hard.map((c) => c.whenUnsatisfiable)).toEqual(["DoNotSchedule", "ScheduleAnyway"]);
        for (const constraint of spread) {
            expect(constraint.labelSelector.matchLabels).toEqual(selector);
        }
    });

    it("scales on CPU (and memory when configured), up fast and down slowly", () => {
        const spec = hpaSpec(authz, "iam-authz-server") as unknown as {
            scaleTargetRef: unknown;
            minReplicas: number;
            maxReplicas: number;
            metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
            behavior: { scaleUp: { stabilizationWindowSeconds: number }; scaleDown: { stabilizationWindowSeconds: number; policies: { type: string; value: number }[] } };
        };
        expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "iam-authz-server" });
        expect([spec.minReplicas, spec.maxReplicas]).toEqual([3, 20]);
        expect(spec.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([["cpu", 60]]);
        expect(spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
        expect(spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
        expect(spec.behavior.scaleDown.policies).toContainEqual(expect.objectContaining({ type: "Pods", value: 1 }));

        const withMemory = { ...authz, workload: { ...authz.workload, autoscaling: { ...authz.workload.autoscaling, targetMemoryUtilization: 80 } } };
        const metrics = (hpaSpec(withMemory, "x") as unknown as { metrics: { resource: { name: string } }[] }).metrics;
        expect(metrics.map((m) => m.resource.name)).toEqual(["cpu", "memory"]);
    });

    it("lets one pod at a time be evicted, so a drain is never blocked even at one replica", () => {
        const { selector } = workloadLabels(apiserver, context);
        expect(pdbSpec(selector)).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    });

    it("gives a slow starter the whole startup timeout", () => {
        expect(startupFailureThreshold(120) * 5).toBeGreaterThanOrEqual(120);
        expect(startupFailureThreshold(121) * 5).toBeGreaterThanOrEqual(121);
        expect(startupFailureThreshold(1)).toBe(1);
    });
});

describe("Services", () => {
    it("exposes an HTTP service's public port on a ClusterIP Service of its own (bound to the target group) and the called ports in-cluster only", () => {
        expect(servicePlans(apiserver, prod.services)).toEqual([
            { name: "iam-apiserver-public", role: "public", type: "ClusterIP", ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }] },
            { name: "iam-apiserver", role: "cluster", type: "ClusterIP", ports: [{ name: "grpc", port: 8081, targetPort: "grpc", protocol: "TCP" }] },
        ]);
        expect(servicePlans(authz, prod.services).map((p) => [p.role, p.type])).toEqual([["public", "ClusterIP"]]);
        expect(calledPorts(apiserver, prod.services)).toEqual(["grpc"]);
    });

    it("gives workers no Service", () => {
        expect(servicePlans(pump, prod.services)).toEqual([]);
    });

    it("opens no NodePort: both Services are ClusterIP, selecting the pods (whose IPs the controller registers)", () => {
        const { selector } = workloadLabels(apiserver, context);
        const specs = servicePlans(apiserver, prod.services).map((p) => serviceSpec(p, selector));
        expect(specs).toHaveLength(2);
        for (const spec of specs) {
            expect(spec).toEqual({ type: "ClusterIP", selector, ports: expect.any(Array) });
            expect(JSON.stringify(spec)).not.toContain("nodePort");
        }
    });
});

describe("configuration and identity", () => {
    it("names the env ConfigMap after its content, so a change rolls the pods", () => {
        const withEnv = { ...apiserver, workload: { ...apiserver.workload, env: { IAM_APISERVER_LOG_LEVEL: "info" } } };
        const first = envConfigMap(withEnv);
        const changed = envConfigMap({ ...apiserver, workload: { ...apiserver.workload, env: { IAM_APISERVER_LOG_LEVEL: "debug" } } });
        expect(first?.name).toMatch(/^iam-apiserver-env-[0-9a-f]{10}$/);
        expect(changed?.name).not.toBe(first?.name);
        expect(envConfigMap(pump)).toBeUndefined();
        const [container] = build(withEnv).template.spec.containers;
        expect(container.envFrom[0]).toEqual({ configMapRef: { name: first?.name } });
    });

    it("mounts a token only for pods with a Pod Identity role", () => {
        expect(build(apiserver, true).template.spec.automountServiceAccountToken).toBe(true);
    });
});

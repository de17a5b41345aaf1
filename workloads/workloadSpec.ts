/**
 * The Kubernetes specs of one catalog entry, pure: names, labels, the Deployment's pod,
 * the HPA, the PodDisruptionBudget and the Services. No resources are created here, so
 * every rule is checked in a unit test; `Workload` (workload.ts) only wraps these.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PROBE_TIMINGS, WORKLOAD_DEFAULTS } from "./defaults";
import { portNumber, ServiceSpec } from "./schema";
import { RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "../data/storeConnection";
import { appFilesVolume, appSecretEnv } from "./appFiles";
import { restrictedContainer } from "../lib/podSecurity";
import { RedisTlsProxyPod, withRedisTlsProxy } from "../app/redisTlsProxy";

type Labels = Record<string, string>;

/** Who the workload belongs to: fills the `app.kubernetes.io/instance` and `part-of` labels. */
export interface WorkloadContext {
    /** The stack name: `app.kubernetes.io/instance` is `<service>-<stack>`. */
    stack: string;
    /** The application the service is part of (`app.kubernetes.io/part-of`), e.g. `iam`. */
    partOf: string;
}

/** The `metadata.name` of every object of a workload. */
export interface WorkloadNames {
    deployment: string;
    serviceAccount: string;
    hpa: string;
    pdb: string;
    /** The ClusterIP Service in-cluster callers use (`<service>.<namespace>.svc`). */
    clusterService: string;
    /**
     * The ClusterIP Service of the public port: the load balancer's
     * TargetGroupBinding names it, and the controller registers its ready
     * endpoints (pod IPs) in the target group.
     */
    publicService: string;
    /** The ConfigMap holding `workload.env`; its name carries a hash of the content (see `envConfigMap`). */
    envConfigMap?: string;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Whether `value` is a valid Kubernetes label value (<= 63 characters, alphanumeric at both ends). */
export function isValidLabelValue(value: string): boolean {
    return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Makes a label value out of free text (an image tag): invalid characters become '-', at most 63, alphanumeric ends. */
export function toLabelValue(text: string): string {
    return text
        .replace(/[^A-Za-z0-9_.-]/g, "-")
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+/, "")
        .replace(/[^A-Za-z0-9]+$/, "");
}

/** `repo:tag`, or `repo@sha256:...` for a digest (a digest is immutable: the safest pin). */
export function imageReference(repositoryUrl: string, tag: string): string {
    return tag.startsWith("sha256:") ? `${repositoryUrl}@${tag}` : `${repositoryUrl}:${tag}`;
}

/**
 * The selector labels (name + instance) never change for the life of the
 * Deployment (its selector is immutable); the other recommended labels
 * (component, part-of, managed-by) are on every object and pod, in no selector.
 * The version label (the image tag) is only on the Deployment and its pod
 * template (`labels`), not on the ServiceAccount, env ConfigMap, Services, PDB
 * or HPA (`objectLabels`): an image release changes the Deployment alone.
 */
export function workloadLabels(service: ServiceSpec, context: WorkloadContext): { selector: Labels; labels: Labels; objectLabels: Labels } {
    const selector = {
        "app.kubernetes.io/name": service.name,
        "app.kubernetes.io/instance": toLabelValue(`${service.name}-${context.stack}`),
    };
    const objectLabels = {
        ...selector,
        "app.kubernetes.io/component": service.kind === "http" ? "server" : "worker",
        "app.kubernetes.io/part-of": context.partOf,
        "app.kubernetes.io/managed-by": "pulumi",
    };
    const labels = { ...objectLabels, "app.kubernetes.io/version": toLabelValue(service.image.tag) };
    return { selector, labels, objectLabels };
}

export function workloadNames(service: ServiceSpec): WorkloadNames {
    const env = envConfigMap(service);
    return {
        deployment: service.name,
        serviceAccount: service.name,
        hpa: service.name,
        pdb: service.name,
        clusterService: service.name,
        publicService: `${service.name}-public`,
        envConfigMap: env?.name,
    };
}

/**
 * The ConfigMap of `workload.env`, or none when it is empty. It is immutable
 * and named after a hash of its content, so a config change creates a new
 * ConfigMap and rolls the Deployment through its normal safe rollout (old pods
 * keep the old config until they are replaced), as kustomize's generator does.
 */
export function envConfigMap(service: ServiceSpec): { name: string; data: Labels } | undefined {
    const data = service.workload.env;
    const keys = Object.keys(data).sort();
    if (keys.length === 0) {
        return undefined;
    }
    const hash = createHash("sha256")
        .update(JSON.stringify(keys.map((k) => [k, data[k]])))
        .digest("hex")
        .slice(0, 10);
    return { name: `${service.name}-env-${hash}`, data };
}

/** Startup probe attempts that cover `startupTimeoutSeconds` (at least one). */
export function startupFailureThreshold(startupTimeoutSeconds: number): number {
    return Math.max(1, Math.ceil(startupTimeoutSeconds / PROBE_TIMINGS.startup.periodSeconds));
}

/** The three probes on the declared health port (by name). */
export function probes(service: ServiceSpec): Pick<k8s.types.input.core.v1.Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
    // Resolving the port proves it is declared (config validation already checked it).
    portNumber(service, service.health.port);
    const httpGet = { path: service.health.path, port: service.health.port, scheme: "HTTP" };
    return {
        // Liveness and readiness start only once this passes: a slow start is not a crash.
        startupProbe: { httpGet, ...PROBE_TIMINGS.startup, failureThreshold: startupFailureThreshold(service.workload.startupTimeoutSeconds) },
        readinessProbe: { httpGet, ...PROBE_TIMINGS.readiness, successThreshold: 1 },
        livenessProbe: { httpGet, ...PROBE_TIMINGS.liveness },
    };
}

/** `envFrom`: the service's own ConfigMap, then each store's endpoint ConfigMap and credentials Secret. */
export function envFrom(service: ServiceSpec, names: WorkloadNames): k8s.types.input.core.v1.EnvFromSource[] {
    const own = names.envConfigMap ? [{ configMapRef: { name: names.envConfigMap } }] : [];
    return [
        ...own,
        ...service.stores.flatMap((store) => [{ configMapRef: { name: STORE_CONNECTIONS[store].configMapName } }, { secretRef: { name: STORE_CONNECTIONS[store].secretName } }]),
    ];
}

export interface PodInputs {
    /** The full image reference (`imageReference`). */
    image: pulumi.Input<string>;
    labels: Labels;
    selector: Labels;
    names: WorkloadNames;
    /** True when the pods get an IAM role (EKS Pod Identity): the service account token is mounted then. */
    podIdentity: boolean;
    /** The Redis TLS proxy sidecar (app/redisTlsProxy.ts), for the pods that need it. */
    redisTlsProxy?: RedisTlsProxyPod;
}

/**
 * The replica count of a workload that cannot scale (`replicas.min` equals
 * `replicas.max`, e.g. iam-watcher: a Redis-locked job runner and its standby),
 * or undefined when an HPA scales it. A fixed workload gets `spec.replicas`
 * and no HPA: an HPA whose minimum is its maximum can never act, and the
 * policy pack's `hpa-can-scale` refuses one.
 */
export function fixedReplicas(service: ServiceSpec): number | undefined {
    const { min, max } = service.workload.replicas;
    return min === max ? min : undefined;
}

/**
 * The Deployment spec. No `replicas` when an HPA scales the workload: the HPA owns
 * the count, and a `replicas` field here would reset it on every `pulumi up` (the API
 * server starts a new Deployment at 1; the HPA raises it to its minimum within
 * seconds). A fixed workload (`fixedReplicas`) states its count here instead.
 */
export function deploymentSpec(service: ServiceSpec, pod: PodInputs): k8s.types.input.apps.v1.DeploymentSpec {
    const w = service.workload;
    const replicas = fixedReplicas(service);
    return {
        ...(replicas !== undefined ? { replicas } : {}),
        selector: { matchLabels: pod.selector },
        // Never below the desired capacity: a new pod must be ready (for
        // minReadySeconds) before an old one is stopped.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: w.rollout.maxSurge } },
        minReadySeconds: w.rollout.minReadySeconds,
        revisionHistoryLimit: w.rollout.revisionHistoryLimit,
        progressDeadlineSeconds: w.rollout.progressDeadlineSeconds,
        template: {
            metadata: { labels: pod.labels },
            spec: withRedisTlsProxy(podSpec(service, pod), pod.redisTlsProxy),
        },
    };
}

function podSpec(service: ServiceSpec, pod: PodInputs): k8s.types.input.core.v1.PodSpec {
    const w = service.workload;
    const caBundle = caBundleVolume(service);
    // The config file (and certificates) the image's CMD reads: app/mounts.ts.
    const files = appFilesVolume(service.name);
    return {
        serviceAccountName: pod.names.serviceAccount,
        // Only pods with a role get a token (the SA has no RBAC bindings; the token
        // exists for the AWS web-identity exchange).
        automountServiceAccountToken: pod.podIdentity,
        // No `<SERVICE>_PORT=tcp://...` variables: they can collide with the
        // store connection keys (REDIS_PORT) and leak the namespace's layout.
        enableServiceLinks: false,
        terminationGracePeriodSeconds: w.shutdown.terminationGracePeriodSeconds,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: w.runAsUser,
            runAsGroup: w.runAsGroup,
            fsGroup: w.runAsGroup,
            seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: topologySpread(pod.selector, w.zoneSpread),
        containers: [
            {
                name: service.name,
                image: pod.image,
                imagePullPolicy: "IfNotPresent",
                ports: service.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })),
                envFrom: envFrom(service, pod.names),
                env: [{ name: "TZ", value: "UTC" }, ...appSecretEnv(service)], // v1.6.3's images set Asia/Shanghai, its MySQL DSN loc=Local; RDS is UTC
                resources: {
                    requests: { cpu: w.resources.cpu, memory: w.resources.memory },
                    // No CPU limit: CFS throttling adds latency even when the node
                    // has idle CPU; the request already guarantees the share.
                    limits: { memory: w.resources.memoryLimit },
                },
                ...probes(service),
                ...(w.shutdown.preStopSleepSeconds > 0
                    ? // The kubelet's sleep action (GA since 1.34, on by default since
                      // 1.30) needs no shell, so it works on distroless images.
                      { lifecycle: { preStop: { sleep: { seconds: w.shutdown.preStopSleepSeconds } } } }
                    : {}),
                securityContext: {
                    ...restrictedContainer(),
                    runAsUser: w.runAsUser,
                    runAsGroup: w.runAsGroup,
                },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, files.volumeMount, ...caBundle.volumeMounts],
            },
        ],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: WORKLOAD_DEFAULTS.tmpSizeLimit } }, files.volume, ...caBundle.volumes],
    };
}

/**
 * The Amazon RDS CA bundle, read-only at `RDS_CA_BUNDLE_MOUNT.mountPath`, in
 * every pod that uses a store (the file `*_TLS_CA_FILE` names); none for a
 * pod without stores. A whole-directory mount, not `subPath`, so a rotated
 * bundle reaches the running pods' file.
 */
export function caBundleVolume(service: ServiceSpec): { volumes: k8s.types.input.core.v1.Volume[]; volumeMounts: k8s.types.input.core.v1.VolumeMount[] } {
    if (service.stores.length === 0) {
        return { volumes: [], volumeMounts: [] };
    }
    return {
        volumes: [
            {
                name: RDS_CA_BUNDLE_MOUNT.volumeName,
                configMap: { name: RDS_CA_BUNDLE_MOUNT.configMapName, items: [{ key: RDS_CA_BUNDLE_MOUNT.key, path: RDS_CA_BUNDLE_MOUNT.key }], defaultMode: 0o444 },
            },
        ],
        volumeMounts: [{ name: RDS_CA_BUNDLE_MOUNT.volumeName, mountPath: RDS_CA_BUNDLE_MOUNT.mountPath, readOnly: true }],
    };
}

/**
 * Spread over zones (`workload.zoneSpread`: soft by default, hard on request)
 * and hosts (soft: a small cluster may have fewer nodes than pods).
 * `pod-template-hash` counts each ReplicaSet on its own, so a rollout's surge
 * pods are spread too; `nodeTaintsPolicy: Honor` ignores nodes the pods cannot
 * run on (a failed zone's tainted nodes), so a zone outage does not block
 * rescheduling under a hard spread.
 */
export function topologySpread(selector: Labels, zoneSpread: "required" | "preferred"): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    const common = { maxSkew: 1, labelSelector: { matchLabels: selector }, matchLabelKeys: ["pod-template-hash"], nodeTaintsPolicy: "Honor" };
    return [
        { ...common, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: zoneSpread === "required" ? "DoNotSchedule" : "ScheduleAnyway" },
        { ...common, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" },
    ];
}

/** HPA: CPU (and optional memory) targets; scale up fast, scale down slowly. */
export function hpaSpec(service: ServiceSpec, deploymentName: string): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const a = service.workload.autoscaling;
    const utilization = (resource: string, percent: number): k8s.types.input.autoscaling.v2.MetricSpec => ({
        type: "Resource",
        resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: service.workload.replicas.min,
        maxReplicas: service.workload.replicas.max,
        metrics: [utilization("cpu", a.targetCpuUtilization), ...(a.targetMemoryUtilization !== undefined ? [utilization("memory", a.targetMemoryUtilization)] : [])],
        behavior: {
            // React at once: double the pods or add 4, whichever is more, every 15 s.
            scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: 100, periodSeconds: 15 },
                    { type: "Pods", value: 4, periodSeconds: 15 },
                ],
            },
            // Only after the load stayed low for the window, then one pod (or
            // 10 %) a minute: a dip between two peaks does not drain the fleet.
            scaleDown: {
                stabilizationWindowSeconds: a.scaleDownStabilizationSeconds,
                selectPolicy: "Max",
                policies: [
                    { type: "Pods", value: 1, periodSeconds: 60 },
                    { type: "Percent", value: 10, periodSeconds: 60 },
                ],
            },
        },
    };
}

/**
 * One pod at a time may be evicted (drains, node upgrades): never blocks a
 * drain, even at one replica; a pod that is not ready may always be evicted,
 * so a crash-looping pod does not block one either.
 */
export function pdbSpec(selector: Labels): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" };
}

export interface ServicePortPlan {
    name: string;
    /** The Service port: the container port's number (the VPC CNI policy agent matches it to the pod port). */
    port: number;
    /** The declared container port, by name. */
    targetPort: string;
    protocol: "TCP";
}

export interface ServicePlan {
    name: string;
    /** What the Service is for: `public` is bound to the load balancer's target group, `cluster` serves in-cluster callers. */
    role: "public" | "cluster";
    /** Always ClusterIP: nothing is exposed on the nodes' ports. */
    type: "ClusterIP";
    ports: ServicePortPlan[];
}

/** The declared ports of `service` that other services of the catalog call (in catalog order, no repeats). */
export function calledPorts(service: ServiceSpec, catalog: readonly ServiceSpec[]): string[] {
    const called = new Set(catalog.flatMap((caller) => caller.calls.filter((c) => c.service === service.name).map((c) => c.port)));
    return service.ports.filter((p) => called.has(p.name)).map((p) => p.name);
}

/**
 * The Services of a workload, both ClusterIP: one with only the public port
 * (its endpoints are what the load balancer controller registers as IP
 * targets), and one with only the ports other services call. A worker gets
 * none; so does a port nobody uses.
 */
export function servicePlans(service: ServiceSpec, catalog: readonly ServiceSpec[]): ServicePlan[] {
    if (service.kind === "worker") {
        return [];
    }
    const names = workloadNames(service);
    const plans: ServicePlan[] = [];
    if (service.public) {
        const port = service.public.port;
        plans.push({
            name: names.publicService,
            role: "public",
            type: "ClusterIP",
            ports: [{ name: port, port: portNumber(service, port), targetPort: port, protocol: "TCP" }],
        });
    }
    const internal = calledPorts(service, catalog);
    if (internal.length > 0) {
        plans.push({
            name: names.clusterService,
            role: "cluster",
            type: "ClusterIP",
            ports: internal.map((port) => ({ name: port, port: portNumber(service, port), targetPort: port, protocol: "TCP" })),
        });
    }
    return plans;
}

/**
 * A Service's spec. An existing NodePort Service becomes ClusterIP in place:
 * the API server drops the allocated nodePorts when the type changes.
 */
export function serviceSpec(plan: ServicePlan, selector: Labels): k8s.types.input.core.v1.ServiceSpec {
    return { type: plan.type, selector, ports: plan.ports };
}

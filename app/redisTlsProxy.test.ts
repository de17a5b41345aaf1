/**
 * The Redis TLS proxy as the real stacks deploy it: iam-pump and iam-watcher
 * (whose redsync lock client cannot speak TLS) reach ElastiCache through an
 * HAProxy sidecar on 127.0.0.1:6379 that verifies the server; iam-apiserver
 * and iam-authz-server keep speaking TLS themselves; a Redis without TLS
 * needs no proxy.
 */
import { parse } from "yaml";
import { configProblems, ofType, resource, ResourceRecord, runStack, runVariant, StackRun } from "../test/harness";
import { configFileKey } from "./mounts";
import { REDIS_TLS_PROXY_IMAGE_DEFAULT } from "./schema";
import { haproxyConfig, REDIS_TLS_PROXY, redisTlsProxyConfigMapName } from "./redisTlsProxy";
import type * as k8s from "@pulumi/kubernetes";

type Container = k8s.types.input.core.v1.Container;
type Pod = { initContainers?: Container[]; containers: Container[]; volumes: { name: string; configMap?: { name: string } }[] };

const PROXIED = ["iam-pump", "iam-watcher"];
const DIRECT = ["iam-apiserver", "iam-authz-server"];

const pod = (run: StackRun, service: string): Pod =>
    (resource(run, "kubernetes:apps/v1:Deployment", `iam-workload-${service}-deployment`).inputs.spec as { template: { spec: Pod } }).template.spec;

/** The config file's `redis` section, secrets left as their template expressions. */
function redisSection(run: StackRun, service: string): Record<string, unknown> {
    const es = resource(run, "kubernetes:external-secrets.io/v1:ExternalSecret", `iam-app-config-${service}`);
    const template = (es.inputs.spec as { target: { template: { data: Record<string, string> } } }).target.template.data[configFileKey(service)];
    return (parse(template.replace(/\{\{.*?\}\}/g, '"secret"')) as { redis: Record<string, unknown> }).redis;
}

const proxyConfigMaps = (run: StackRun): ResourceRecord[] =>
    ofType(run, "kubernetes:core/v1:ConfigMap").filter((c) => (c.inputs.metadata as { name: string }).name.endsWith("-redis-tls-proxy"));

describe.each(["prod", "staging"])("the %s stack's Redis TLS proxy (ElastiCache requires TLS)", (stack) => {
    let run: StackRun;
    let host: string;
    beforeAll(async () => {
        run = await runStack(stack);
        expect(ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup")[0].inputs.transitEncryptionMode).toBe("required");
        host = (run.outputs.dataStoreEndpoints.value as Record<string, { host: string; port: number }>).redis.host;
    });

    it.each(PROXIED)("runs %s with the proxy as a native sidecar: pinned image, Pod Security restricted, sized, probed", (service) => {
        const spec = pod(run, service);
        expect(spec.initContainers).toHaveLength(1);
        const proxy = (spec.initContainers ?? [])[0];
        expect(proxy).toMatchObject({
            name: REDIS_TLS_PROXY.containerName,
            image: run.config.application.redisTlsProxy.image,
            restartPolicy: "Always",
            command: ["haproxy", "-db", "-f", `${REDIS_TLS_PROXY.mountPath}/haproxy.cfg`],
            securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            },
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        });
        expect(run.config.application.redisTlsProxy.image).toBe(REDIS_TLS_PROXY_IMAGE_DEFAULT);
        expect(REDIS_TLS_PROXY_IMAGE_DEFAULT).toMatch(/^public\.ecr\.aws\/docker\/library\/haproxy:3\.2\.\d+-alpine@sha256:[a-f0-9]{64}$/);
        // The app container starts once the startup probe passed; readiness keeps the pod out while the proxy is down.
        const httpGet = { path: REDIS_TLS_PROXY.healthPath, port: REDIS_TLS_PROXY.healthPortName, scheme: "HTTP" };
        expect(proxy.startupProbe).toMatchObject({ httpGet });
        expect(proxy.readinessProbe).toMatchObject({ httpGet });
        expect(proxy.ports).toEqual([{ name: REDIS_TLS_PROXY.healthPortName, containerPort: REDIS_TLS_PROXY.healthPort, protocol: "TCP" }]);
        expect(proxy.volumeMounts).toEqual([{ name: REDIS_TLS_PROXY.volumeName, mountPath: REDIS_TLS_PROXY.mountPath, readOnly: true }]);
        expect(spec.volumes).toContainEqual({ name: REDIS_TLS_PROXY.volumeName, configMap: { name: redisTlsProxyConfigMapName(service), defaultMode: 0o444 } });
        // A new endpoint in the ConfigMap restarts the pods.
        const deployment = resource(run, "kubernetes:apps/v1:Deployment", `iam-workload-${service}-deployment`);
        const annotations = (deployment.inputs.metadata as { annotations: Record<string, string> }).annotations;
        expect(annotations["configmap.reloader.stakater.com/reload"].split(",")).toContain(redisTlsProxyConfigMapName(service));
    });

    it.each(PROXIED)("points %s's config file at the proxy on 127.0.0.1:6379 without TLS, the token still sent", (service) => {
        expect(redisSection(run, service)).toMatchObject({ host: "127.0.0.1", port: 6379, "use-ssl": false, password: "secret" });
    });

    it("gives each proxy the ElastiCache primary endpoint, TLS verified against the system CA bundle, SNI and host name checked; no secret in it", () => {
        const maps = proxyConfigMaps(run);
        expect(maps.map((c) => (c.inputs.metadata as { name: string }).name).sort()).toEqual(PROXIED.map(redisTlsProxyConfigMapName).sort());
        for (const map of maps) {
            const cfg = (map.inputs.data as Record<string, string>)["haproxy.cfg"];
            expect(cfg).toBe(haproxyConfig(host, 6379));
            expect(cfg).toContain(`bind 127.0.0.1:6379`);
            expect(cfg).toContain(`server redis ${host}:6379 ssl verify required ca-file /etc/ssl/certs/ca-certificates.crt sni str(${host}) verifyhost ${host} `);
            expect(cfg).not.toMatch(/verify none|password|stats socket|pidfile/i);
        }
        // Each Deployment waits for its proxy's ConfigMap.
        for (const service of PROXIED) {
            const map = maps.find((c) => (c.inputs.metadata as { name: string }).name === redisTlsProxyConfigMapName(service));
            expect(resource(run, "kubernetes:apps/v1:Deployment", `iam-workload-${service}-deployment`).dependencies).toContain(map?.urn);
        }
    });

    it.each(DIRECT)("leaves %s without a sidecar, speaking TLS to ElastiCache itself", (service) => {
        expect(pod(run, service).initContainers).toBeUndefined();
        expect(redisSection(run, service)).toMatchObject({ host, port: 6379, "use-ssl": true, "ssl-insecure-skip-verify": false });
    });
});

describe("an external Redis without TLS (staging variant)", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runVariant("staging-external-redis");
    });

    it("gets no proxy: every binary connects to it directly, without TLS", () => {
        expect(proxyConfigMaps(run)).toEqual([]);
        for (const service of [...PROXIED, ...DIRECT]) {
            expect(pod(run, service).initContainers).toBeUndefined();
            expect(redisSection(run, service)).toMatchObject({ host: "redis.legacy.internal", port: 6379, "use-ssl": false });
        }
    });
});

describe("application.redisTlsProxy.image", () => {
    it("must be pinned by digest: a tag alone could move under the running pods", () => {
        const problems = configProblems("prod", (values) => {
            values.application = { redisTlsProxy: { image: "public.ecr.aws/docker/library/haproxy:3.2" } };
        });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^application\.redisTlsProxy\.image must be an image pinned by digest/);
    });
});

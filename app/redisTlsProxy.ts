/**
 * Pure. The Redis TLS proxy of iam-pump and iam-watcher: an HAProxy sidecar
 * that listens on 127.0.0.1:6379 in plain TCP and connects to Redis with
 * TLS, verifying the server's certificate against the image's system CA
 * bundle and its name against the endpoint host (SNI and `verifyhost`).
 *
 * Why (marmotedu/iam v1.6.3): both binaries build a second go-redis client
 * for their redsync lock from `redis.host`/`port`/`username`/`password`
 * alone, without TLS and ignoring `redis.use-ssl`
 * (internal/pump/server.go:44-48, internal/watcher/watcher.go:36-40).
 * ElastiCache requires in-transit encryption (data/redis.ts), so that lock
 * never succeeds: the pump never moves analytics, the watcher never runs its
 * jobs, while /healthz stays 200. Through the proxy both clients (the lock's
 * and the analytics one) speak plain TCP to localhost, and only TLS leaves
 * the pod. iam-apiserver and iam-authz-server honour `use-ssl` and keep
 * connecting with TLS themselves. Redis without TLS needs no proxy.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { StoreAddress } from "./configFile";
import { restrictedContainer } from "../lib/podSecurity";

/** The binaries whose lock client ignores `redis.use-ssl` (see above): only they get the proxy. */
export const REDIS_TLS_PROXY_SERVICES: readonly string[] = ["iam-pump", "iam-watcher"];

export const REDIS_TLS_PROXY = {
    containerName: "redis-tls-proxy",
    /** Where the binaries connect (their config file's `redis.host`/`redis.port`). */
    listenHost: "127.0.0.1",
    listenPort: 6379,
    /**
     * HAProxy's `monitor-uri` on the pod IP, for the kubelet's probes: a
     * probe connects to the pod IP, never to the pod's loopback, so the
     * Redis listener itself cannot be probed. It answers 200 and nothing else.
     */
    healthPortName: "proxy-health",
    healthPort: 8404,
    healthPath: "/healthz",
    /** The system CA bundle of the Alpine-based official image (ElastiCache's certificates chain to a public Amazon root). */
    caFile: "/etc/ssl/certs/ca-certificates.crt",
    volumeName: "redis-tls-proxy",
    mountPath: "/etc/redis-tls-proxy",
    configKey: "haproxy.cfg",
} as const;

/** True when `service`'s pods get the proxy: one of `REDIS_TLS_PROXY_SERVICES`, and its Redis requires TLS. */
export function needsRedisTlsProxy(service: string, redis: { tls: boolean } | undefined): boolean {
    return REDIS_TLS_PROXY_SERVICES.includes(service) && redis !== undefined && redis.tls;
}

/** The ConfigMap holding the proxy's `haproxy.cfg` (no secret in it: host and port only). */
export function redisTlsProxyConfigMapName(service: string): string {
    return `${service}-redis-tls-proxy`;
}

/** Redis as a proxied binary's config file names it: the proxy on localhost, plain TCP (TLS is the proxy's). */
export function proxiedRedisAddress(address: StoreAddress): StoreAddress {
    return { ...address, host: REDIS_TLS_PROXY.listenHost, port: REDIS_TLS_PROXY.listenPort, tls: false };
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * The proxy's `haproxy.cfg` (HAProxy 3.2 configuration manual: `server`
 * keywords `ssl`, `verify required`, `ca-file`, `sni`, `verifyhost`,
 * `resolvers`, `init-addr`). It writes nothing: no pid file, no stats
 * socket, logs to stdout. The endpoint is re-resolved every 10 s through
 * the pod's resolv.conf, so an ElastiCache failover (the primary endpoint's
 * DNS moving) reaches the proxy without a restart.
 */
export function haproxyConfig(host: string, port: number): string {
    if (!HOST.test(host)) throw new Error(`redis-tls-proxy: ${JSON.stringify(host)} is not a host name`);
    const p = REDIS_TLS_PROXY;
    return [
        "global",
        "    log stdout format raw daemon notice",
        "    maxconn 256",
        "resolvers dns",
        "    parse-resolv-conf",
        "    hold valid 10s",
        "defaults",
        "    log global",
        "    timeout connect 5s",
        // go-redis keeps idle pool connections up to 30 min (ConnMaxIdleTime default).
        "    timeout client 35m",
        "    timeout server 35m",
        "frontend health",
        "    mode http",
        `    bind :${p.healthPort}`,
        `    monitor-uri ${p.healthPath}`,
        "    timeout client 5s",
        "frontend redis",
        "    mode tcp",
        `    bind ${p.listenHost}:${p.listenPort}`,
        "    default_backend redis",
        "backend redis",
        "    mode tcp",
        `    server redis ${host}:${port} ssl verify required ca-file ${p.caFile} sni str(${host}) verifyhost ${host} resolvers dns init-addr libc,none`,
        "",
    ].join("\n");
}

/** What a pod needs for the proxy: its image (`application.redisTlsProxy.image`) and its ConfigMap. */
export interface RedisTlsProxyPod {
    image: string;
    configMapName: string;
}

/**
 * The proxy as a Kubernetes native sidecar (an init container with
 * `restartPolicy: Always`, on by default since 1.29): it starts before the
 * app container, which starts only once the proxy's startup probe passed,
 * and it stops after it. Pod Security restricted, like the app container.
 */
export function redisTlsProxyContainer(proxy: RedisTlsProxyPod): k8s.types.input.core.v1.Container {
    const p = REDIS_TLS_PROXY;
    const httpGet = { path: p.healthPath, port: p.healthPortName, scheme: "HTTP" };
    return {
        name: p.containerName,
        image: proxy.image,
        imagePullPolicy: "IfNotPresent",
        restartPolicy: "Always",
        // In the foreground (-db): no daemon, no master process, no pid file.
        command: ["haproxy", "-db", "-f", `${p.mountPath}/${p.configKey}`],
        ports: [{ name: p.healthPortName, containerPort: p.healthPort, protocol: "TCP" }],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        startupProbe: { httpGet, periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { httpGet, periodSeconds: 10, failureThreshold: 3 },
        securityContext: restrictedContainer(),
        volumeMounts: [{ name: p.volumeName, mountPath: p.mountPath, readOnly: true }],
    };
}

/** `spec` with the proxy sidecar and its config volume added; `spec` itself when the pod needs no proxy. */
export function withRedisTlsProxy(spec: k8s.types.input.core.v1.PodSpec, proxy: RedisTlsProxyPod | undefined): k8s.types.input.core.v1.PodSpec {
    if (!proxy) return spec;
    const volume = { name: REDIS_TLS_PROXY.volumeName, configMap: { name: proxy.configMapName, defaultMode: 0o444 } };
    return { ...spec, initContainers: [redisTlsProxyContainer(proxy)], volumes: [...((spec.volumes as k8s.types.input.core.v1.Volume[] | undefined) ?? []), volume] };
}

/** Reloader's ConfigMap annotation with the proxy's ConfigMap added: a new endpoint restarts the pods. */
export function withProxyReload(annotations: Record<string, string>, proxy: RedisTlsProxyPod | undefined): Record<string, string> {
    if (!proxy) return annotations;
    const key = "configmap.reloader.stakater.com/reload";
    return { ...annotations, [key]: [...(annotations[key] ? annotations[key].split(",") : []), proxy.configMapName].join(",") };
}

/**
 * Pure. Where the IAM application's files sit inside its containers, and the
 * Kubernetes Secrets that carry them: the one contract between the config
 * files (app/configFile*), the internal TLS (app/internalTls*) and the
 * Deployments that mount both (workloads/).
 *
 * marmotedu/iam v1.6.3, build/docker/<name>/Dockerfile:
 * `ENTRYPOINT ["/opt/iam/bin/<name>"]`, `CMD ["-c", "/etc/iam/<name>.yaml"]`.
 */

/** The directory every image's CMD reads its config file from. */
export const CONFIG_DIR = "/etc/iam";

/** The config file a binary reads (`-c` in the image's CMD). */
export function configPath(service: string): string {
    return `${CONFIG_DIR}/${service}.yaml`;
}

/** The services that serve TLS: iam-apiserver (HTTPS 8443, gRPC 8081) and iam-authz-server (HTTPS 9443). */
export const TLS_SERVERS = ["iam-apiserver", "iam-authz-server"] as const;
export type TlsServer = (typeof TLS_SERVERS)[number];

/** The Kubernetes Secret (type kubernetes.io/tls, keys `tls.crt`, `tls.key`, `ca.crt`) holding a server's certificate. */
export function tlsSecretName(service: TlsServer): string {
    return `${service}-tls`;
}

/** The Secret holding only the stack's internal CA certificate (key `ca.crt`), for clients such as iam-authz-server. */
export const INTERNAL_CA_SECRET = "iam-internal-ca";

/** Where a server's certificate Secret is mounted, read-only. */
export const TLS_MOUNT_DIR = `${CONFIG_DIR}/cert`;
/** Where the internal CA Secret is mounted, read-only. */
export const CA_MOUNT_DIR = `${CONFIG_DIR}/ca`;

export const TLS_CERT_FILE = `${TLS_MOUNT_DIR}/tls.crt`;
export const TLS_KEY_FILE = `${TLS_MOUNT_DIR}/tls.key`;
export const INTERNAL_CA_FILE = `${CA_MOUNT_DIR}/ca.crt`;

/**
 * Pure. What a Deployment of an IAM binary mounts, and the Secrets whose
 * change must restart its pods: the config file Secret (rendered by
 * `AppConfig`), and for the TLS servers their certificate Secret and, for
 * iam-authz-server, the internal CA (both created from app/paths.ts's names
 * by the internal TLS). Names only: the Secrets are created elsewhere.
 */
import { CA_MOUNT_DIR, CONFIG_DIR, configPath, INTERNAL_CA_SECRET, TLS_MOUNT_DIR, TLS_SERVERS, tlsSecretName, TlsServer } from "./paths";

/** The Secret holding `<service>.yaml`, rendered by External Secrets from the config template. */
export function configSecretName(service: string): string {
    return `${service}-config`;
}

/** The key of the config file in its Secret: the file name the image's CMD reads. */
export function configFileKey(service: string): string {
    return configPath(service).slice(CONFIG_DIR.length + 1);
}

/** The one volume that carries the application's files, at CONFIG_DIR. */
export const APP_FILES_VOLUME = "iam-files";
/** Owner and group may read (the pod's fsGroup is the group): a private key is among the files. */
export const APP_FILES_MODE = 0o440;

/** One Secret's keys projected into the files volume, each at a path relative to CONFIG_DIR. */
export interface AppFileSource {
    secretName: string;
    items: Array<{ key: string; path: string }>;
}

function isTlsServer(service: string): service is TlsServer {
    return (TLS_SERVERS as readonly string[]).includes(service);
}

const relative = (dir: string): string => dir.slice(CONFIG_DIR.length + 1);

/**
 * The Secrets a binary reads its files from, projected into one read-only
 * volume at CONFIG_DIR (one volume, not three nested mounts: a mount point
 * inside a read-only Secret volume cannot be created; and no `subPath`, so a
 * rotated Secret reaches the files):
 * - `<name>.yaml` from `<name>-config` (the image's CMD reads `/etc/iam/<name>.yaml`);
 * - iam-apiserver and iam-authz-server: `cert/tls.crt`, `cert/tls.key` (TLS_MOUNT_DIR) from `<name>-tls`;
 * - iam-authz-server: `ca/ca.crt` (CA_MOUNT_DIR) from `iam-internal-ca`, to verify the apiserver's gRPC certificate.
 */
export function appFileSources(service: string): AppFileSource[] {
    const sources: AppFileSource[] = [{ secretName: configSecretName(service), items: [{ key: configFileKey(service), path: configFileKey(service) }] }];
    if (isTlsServer(service)) {
        sources.push({
            secretName: tlsSecretName(service),
            items: ["tls.crt", "tls.key"].map((key) => ({ key, path: `${relative(TLS_MOUNT_DIR)}/${key}` })),
        });
    }
    if (service === "iam-authz-server") {
        sources.push({ secretName: INTERNAL_CA_SECRET, items: [{ key: "ca.crt", path: `${relative(CA_MOUNT_DIR)}/ca.crt` }] });
    }
    return sources;
}

/** The Secrets whose change restarts the binary's pods (Reloader): the binaries read these files only when they start. */
export function appReloadSecrets(service: string): string[] {
    return appFileSources(service).map((s) => s.secretName);
}

/**
 * The env variable iam-pump's mongo pump takes its URL from over the file's
 * (`envconfig.Process("PMP_MONGO", ...)` on MongoConf, field MongoURL:
 * internal/pump/pumps/mongo.go at v1.6.3), and the key of the config Secret
 * that holds it: the URL with its credentials stays out of the config file,
 * which every binary logs whole at start.
 */
export const MONGO_URL_ENV = "PMP_MONGO_MONGOURL";

/** The env a binary reads from its config Secret: iam-pump's Mongo URL, when it uses MongoDB. */
export function appSecretEnv(service: { name: string; stores: readonly string[] }): Array<{ name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }> {
    if (service.name !== "iam-pump" || !service.stores.includes("mongodb")) return [];
    return [{ name: MONGO_URL_ENV, valueFrom: { secretKeyRef: { name: configSecretName(service.name), key: MONGO_URL_ENV } } }];
}

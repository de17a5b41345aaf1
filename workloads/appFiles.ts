/**
 * Pure. The IAM application's files in a pod (app/mounts.ts: the config file
 * Secret, and the TLS Secrets for the TLS servers), as one projected,
 * read-only volume at `/etc/iam`, and the Reloader annotation that restarts
 * the pods when any Secret they read changes.
 */
import type * as k8s from "@pulumi/kubernetes";
import { APP_FILES_MODE, APP_FILES_VOLUME, appFileSources, appReloadSecrets } from "../app/mounts";
export { appSecretEnv } from "../app/mounts";
import { CONFIG_DIR } from "../app/paths";
import { credentialsReloadAnnotations } from "../data/storeConnection";
import type { DataStore } from "../network/accessMatrixPlan";

/** The files volume and its mount: `/etc/iam/<name>.yaml` where the image's CMD reads it, plus `cert/` and `ca/` where they apply. */
export function appFilesVolume(service: string): { volume: k8s.types.input.core.v1.Volume; volumeMount: k8s.types.input.core.v1.VolumeMount } {
    return {
        volume: {
            name: APP_FILES_VOLUME,
            projected: {
                defaultMode: APP_FILES_MODE,
                sources: appFileSources(service).map((s) => ({ secret: { name: s.secretName, items: s.items } })),
            },
        },
        volumeMount: { name: APP_FILES_VOLUME, mountPath: CONFIG_DIR, readOnly: true },
    };
}

const SECRET_RELOAD = "secret.reloader.stakater.com/reload";

/**
 * Reloader's annotations for a Deployment: its stores' credentials and
 * endpoints (data tier) and the Secrets its files come from (the config
 * file, the certificates): the binaries read all of them only when they start.
 */
export function reloadAnnotations(service: string, stores: readonly DataStore[]): Record<string, string> {
    const annotations = credentialsReloadAnnotations(stores);
    const secrets = [...(annotations[SECRET_RELOAD] ? annotations[SECRET_RELOAD].split(",") : []), ...appReloadSecrets(service)];
    return { ...annotations, [SECRET_RELOAD]: secrets.join(",") };
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CredentialsSyncConfig } from "./schema";
import { podSecurityLabels } from "../lib/podSecurity";
import type { PodIdentityCluster } from "../cluster/podIdentity";
import { podIdentityRole } from "../cluster/podIdentity";
import { CREDENTIAL_SYNC_CHARTS } from "./catalog";
import { SYSTEM_TOLERATION } from "../cluster/karpenterPlan";
import { DataStore } from "../network/accessMatrixPlan";
import { RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "./storeConnection";
import { credentialKeys, endpointConfigData, StoreEndpoint } from "./storeEndpoint";
import { secretsReadPolicy } from "./storeCredentialsPolicy";

/**
 * Pulumi's Kubernetes provider does not wait for a custom resource to become
 * ready unless told: this makes it wait for the object's Ready condition.
 */
const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" };

export interface StoreCredentialsArgs {
    /** The application namespace (`AppNamespace.name`): the ConfigMaps and Secrets are written there. */
    namespace: pulumi.Input<string>;
    /** The cluster's Pod Identity side (`Cluster.podIdentity`): the External Secrets controller gets the reader role there. */
    podIdentity: PodIdentityCluster;
    /** The stack's region: External Secrets reads Secrets Manager there. */
    region: string;
    /** `DataTier.endpoints`: every store the services use. */
    endpoints: Partial<Record<DataStore, StoreEndpoint>>;
    sync: CredentialsSyncConfig;
    /**
     * The Amazon RDS CA bundle (PEM), checked (`loadRdsCaBundle`): written to
     * the `RDS_CA_BUNDLE_MOUNT` ConfigMap that every pod using a store mounts.
     * A new bundle updates the ConfigMap in place and Reloader rolls the pods.
     */
    rdsCaBundle: pulumi.Input<string>;
    /**
     * Further Secrets Manager secrets the reader may read for the application
     * namespace (the IAM config files' JWT key: app/). Default none.
     */
    additionalSecretArns?: pulumi.Input<string>[];
}

/** The External Secrets controller's service account: its Pod Identity association gives it the reader role. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = "external-secrets";
/** The SecretStore every store's ExternalSecret reads through. */
export const SECRET_STORE_NAME = "aws-secrets-manager";
export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";
/** The system node group's taint, tolerated by the controllers here (cluster/karpenterPlan.ts). */
const CONTROLLER_TOLERATION = SYSTEM_TOLERATION;
export const RELOADER_NAMESPACE = "reloader";

/**
 * Requests and memory limits of the credential-sync pods (no CPU limit: a
 * throttled webhook answers late, and CPU is shared fairly by requests).
 * Sized for one namespace's few ExternalSecrets and Secrets; the chart
 * examples' own numbers (10m / 32Mi for External Secrets, 10m / 128Mi with a
 * 512Mi limit for Reloader) are the floor.
 */
export const EXTERNAL_SECRETS_RESOURCES = {
    controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    webhook: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    certController: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } },
} as const;
export const RELOADER_RESOURCES = { requests: { cpu: "10m", memory: "128Mi" }, limits: { memory: "256Mi" } } as const;

/**
 * The data tier, Kubernetes side: each store's endpoint as a ConfigMap and
 * its credentials as a Secret in the application namespace, under the names
 * in `STORE_CONNECTIONS` (the workloads read them with `envFrom`).
 *
 * Why External Secrets and not a Secret written by Pulumi: RDS and
 * DocumentDB rotate their managed master passwords in Secrets Manager (every
 * 7 days by default), so a copy taken at deploy time goes stale within a
 * week and the apps lose the database. Here External Secrets Operator
 * re-reads Secrets Manager every `sync.refreshInterval` and rewrites the
 * Secret; Stakater Reloader then rolls the Deployments that opt in (the
 * annotation in `credentialsReloadAnnotations`), because environment
 * variables from `envFrom` are read only when a container starts. No
 * password passes through Pulumi (config, state or program) on this side.
 *
 * Least privilege: a dedicated IAM role, allowed
 * `secretsmanager:GetSecretValue` on exactly the stores' secrets, given
 * through EKS Pod Identity to the External Secrets controller's service
 * account alone. The controller is scoped to the application namespace
 * (`scopedNamespace` + `scopedRBAC`: it reconciles nothing elsewhere and
 * ignores cluster-wide stores), and the SecretStore there uses the
 * controller's own credentials, so only that namespace reads through it.
 *
 * Needs the `aws` and `kubernetes` providers in `providers`.
 */
export class StoreCredentials extends pulumi.ComponentResource {
    /** The IAM role External Secrets assumes to read the stores' secrets. */
    readonly readerRoleArn: pulumi.Output<string>;
    /** ConfigMap and Secret names per store, as the workloads reference them. */
    readonly connections: Partial<Record<DataStore, { configMapName: string; secretName: string }>>;

    constructor(name: string, args: StoreCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:data:StoreCredentials", name, {}, opts);
        const endpoints = Object.values(args.endpoints);
        const labels = (component: string): Record<string, string> => ({
            "app.kubernetes.io/part-of": "iam",
            "app.kubernetes.io/component": component,
            "app.kubernetes.io/managed-by": "pulumi",
        });

        // Same resource name as the IRSA role it replaces: the trust is updated in place.
        const { role, association } = podIdentityRole(
            `${name}-reader`,
            {
                cluster: args.podIdentity,
                serviceAccount: { namespace: EXTERNAL_SECRETS_NAMESPACE, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
                description: "External Secrets: reads the IAM data stores' credentials from Secrets Manager",
                // The SecretStore below turns Ready only once the controller has read with it.
                waitForAgent: true,
            },
            this,
        );
        const kmsKeyArns = endpoints.flatMap((e) => (e.credentialsKmsKeyArn ? [e.credentialsKmsKeyArn] : []));
        const readPolicy = new aws.iam.RolePolicy(
            `${name}-read-secrets`,
            {
                role: role.name,
                policy: pulumi
                    .all([...endpoints.map((e) => e.credentialsSecretArn), ...(args.additionalSecretArns ?? [])])
                    .apply((arns) => JSON.stringify(secretsReadPolicy(arns, kmsKeyArns, args.region))),
            },
            { parent: this },
        );

        // restricted: the chart's controller, webhook and cert-controller run as
        // UID 1000, non-root, read-only, no capabilities, RuntimeDefault seccomp
        // (its default securityContext), on the pod network (hostNetwork false).
        const esoNamespace = new k8s.core.v1.Namespace(
            `${name}-eso-ns`,
            {
                metadata: { name: EXTERNAL_SECRETS_NAMESPACE, labels: { ...labels("external-secrets"), ...podSecurityLabels("restricted") } },
            },
            { parent: this },
        );
        const externalSecrets = new k8s.helm.v3.Release(
            `${name}-external-secrets`,
            {
                name: "external-secrets",
                chart: CREDENTIAL_SYNC_CHARTS.externalSecrets.chart,
                version: args.sync.externalSecretsChartVersion,
                repositoryOpts: { repo: CREDENTIAL_SYNC_CHARTS.externalSecrets.repo },
                namespace: esoNamespace.metadata.name,
                // The CRDs (SecretStore, ExternalSecret) come with the release, so
                // the objects below wait for it.
                values: {
                    installCRDs: true,
                    serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
                    // The controller holds the reader role: it works for the application namespace only.
                    scopedNamespace: args.namespace,
                    scopedRBAC: true,
                    processClusterStore: false,
                    processClusterExternalSecret: false,
                    // Controllers: they may run on the system node group (Karpenter mode), so the
                    // credentials sync waits for no application node.
                    tolerations: [CONTROLLER_TOLERATION],
                    // Requests and a memory limit on each of the three Deployments (chart 2.6.0:
                    // `resources`, `webhook.resources`, `certController.resources`, all {} by
                    // default): without them they are BestEffort, the first pods the kubelet
                    // evicts from the small system nodes, and the webhook fails closed.
                    resources: EXTERNAL_SECRETS_RESOURCES.controller,
                    webhook: { tolerations: [CONTROLLER_TOLERATION], resources: EXTERNAL_SECRETS_RESOURCES.webhook },
                    certController: { tolerations: [CONTROLLER_TOLERATION], resources: EXTERNAL_SECRETS_RESOURCES.certController },
                },
                maxHistory: 5,
            },
            { parent: this, dependsOn: [association] },
        );

        // restricted: Reloader runs with the pod and container security contexts
        // set below (non-root, RuntimeDefault seccomp, no capabilities, read-only).
        const reloaderNamespace = new k8s.core.v1.Namespace(
            `${name}-reloader-ns`,
            {
                metadata: { name: RELOADER_NAMESPACE, labels: { ...labels("reloader"), ...podSecurityLabels("restricted") } },
            },
            { parent: this },
        );
        new k8s.helm.v3.Release(
            `${name}-reloader`,
            {
                name: "reloader",
                chart: CREDENTIAL_SYNC_CHARTS.reloader.chart,
                version: args.sync.reloaderChartVersion,
                repositoryOpts: { repo: CREDENTIAL_SYNC_CHARTS.reloader.repo },
                namespace: reloaderNamespace.metadata.name,
                values: {
                    reloader: {
                        // A pod-template annotation instead of an injected env var:
                        // nothing Pulumi manages in the Deployments' containers changes.
                        reloadStrategy: "annotations",
                        // Only the application namespace's workloads are rolled.
                        namespaceSelector: pulumi.interpolate`kubernetes.io/metadata.name=${args.namespace}`,
                        readOnlyRootFileSystem: true,
                        deployment: {
                            tolerations: [CONTROLLER_TOLERATION],
                            // Chart 2.2.14 `reloader.deployment.resources` ({} by default): not BestEffort on the system nodes.
                            resources: RELOADER_RESOURCES,
                            // Stated, not left to the chart's defaults: the namespace enforces restricted.
                            securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                            containerSecurityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                        },
                    },
                },
                maxHistory: 5,
            },
            { parent: this },
        );

        const secretStore = new k8s.apiextensions.CustomResource(
            `${name}-store`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: SECRET_STORE_NAME, namespace: args.namespace, labels: labels("store-credentials"), annotations: WAIT_FOR_READY },
                spec: {
                    provider: {
                        aws: {
                            service: "SecretsManager",
                            region: args.region,
                            // No auth: the controller's own (Pod Identity) credentials.
                        },
                    },
                },
            },
            { parent: this, dependsOn: [externalSecrets, readPolicy] },
        );

        // Public certificates, not a secret; never immutable, so AWS's next
        // bundle replaces the file in the running pods' mounts.
        new k8s.core.v1.ConfigMap(
            `${name}-rds-ca-bundle`,
            {
                metadata: { name: RDS_CA_BUNDLE_MOUNT.configMapName, namespace: args.namespace, labels: labels("rds-ca-bundle") },
                data: { [RDS_CA_BUNDLE_MOUNT.key]: args.rdsCaBundle },
            },
            { parent: this },
        );

        this.connections = {};
        for (const endpoint of endpoints) {
            const connection = STORE_CONNECTIONS[endpoint.store];
            new k8s.core.v1.ConfigMap(
                `${name}-${endpoint.store}-endpoint`,
                {
                    metadata: { name: connection.configMapName, namespace: args.namespace, labels: labels(endpoint.store) },
                    data: endpoint.host.apply((host) =>
                        endpointConfigData(endpoint.store, { host, port: endpoint.port, tls: endpoint.tls, trust: endpoint.trust, database: endpoint.database }),
                    ),
                },
                { parent: this },
            );
            new k8s.apiextensions.CustomResource(
                `${name}-${endpoint.store}-credentials`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    // Ready means the Secret exists: the Deployments that wait for this
                    // never start pods that cannot read their credentials, and a broken
                    // sync (trust, KMS) fails here, where its cause is, not in a rollout.
                    metadata: { name: connection.secretName, namespace: args.namespace, labels: labels(endpoint.store), annotations: WAIT_FOR_READY },
                    spec: {
                        refreshInterval: args.sync.refreshInterval,
                        secretStoreRef: { kind: "SecretStore", name: SECRET_STORE_NAME },
                        // The Secret belongs to the ExternalSecret: deleting one deletes the other.
                        target: { name: connection.secretName, creationPolicy: "Owner" },
                        data: credentialKeys(endpoint.store).map((key) => ({
                            secretKey: key.secretKey,
                            remoteRef: { key: endpoint.credentialsSecretArn, property: key.property },
                        })),
                    },
                },
                { parent: this, dependsOn: [secretStore] },
            );
            this.connections[endpoint.store] = { configMapName: connection.configMapName, secretName: connection.secretName };
        }

        this.readerRoleArn = role.arn;
        this.registerOutputs({ readerRoleArn: this.readerRoleArn });
    }
}

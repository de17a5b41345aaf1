/**
 * The data tier's Kubernetes side for the real stack files: every store's
 * endpoint ConfigMap and credentials Secret (through External Secrets) in the
 * application namespace, under the names the workloads read, and an IAM role
 * that can read exactly those secrets.
 */
import { DATA_STORES, DataStore } from "../network/accessMatrixPlan";
import { RDS_CA_BUNDLE_MOUNT, STORE_CONNECTIONS } from "./storeConnection";
import { appReloadSecrets } from "../app/mounts";
import { ofType, resource, ResourceRecord, runStack, runVariant, StackRun, transitiveDependencies } from "../test/harness";
import { EXTERNAL_MONGODB } from "../test/variants";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const K8S_SECRET = "kubernetes:core/v1:Secret";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const SECRET_STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

const runs: Record<string, StackRun> = {};
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
});

interface ObjectMeta {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
}
const meta = (r: ResourceRecord): ObjectMeta => r.inputs.metadata as ObjectMeta;
const byObjectName = (run: StackRun, type: string, name: string): ResourceRecord => {
    const found = ofType(run, type).filter((r) => meta(r).name === name);
    expect(found.map((r) => meta(r).name)).toEqual([name]);
    return found[0];
};
const secretArns = (run: StackRun): Record<DataStore, string> => run.outputs.dataStoreCredentialSecretArns.value as Record<DataStore, string>;
const endpoints = (run: StackRun): Record<DataStore, { host: string; port: number }> => run.outputs.dataStoreEndpoints.value as Record<DataStore, { host: string; port: number }>;

interface ExternalSecretSpec {
    refreshInterval: string;
    secretStoreRef: { kind: string; name: string };
    target: { name: string; creationPolicy: string };
    data: { secretKey: string; remoteRef: { key: string; property: string } }[];
}

describe.each(["prod", "staging"])("%s store credentials", (stack) => {
    it("writes each store's endpoint ConfigMap with exactly the contract's keys, in the application namespace", () => {
        const run = runs[stack];
        const namespace = run.config.workloads.namespace;
        for (const store of DATA_STORES) {
            const map = byObjectName(run, CONFIG_MAP, STORE_CONNECTIONS[store].configMapName);
            expect(meta(map).namespace).toBe(namespace);
            const data = map.inputs.data as Record<string, string>;
            expect(Object.keys(data).sort()).toEqual([...STORE_CONNECTIONS[store].configKeys].sort());
            expect(Object.keys(data).some((key) => /PASSWORD|USERNAME/.test(key))).toBe(false);
        }
        const prefix = { mariadb: "MARIADB", redis: "REDIS", mongodb: "MONGODB" } as const;
        for (const store of DATA_STORES) {
            const data = byObjectName(run, CONFIG_MAP, STORE_CONNECTIONS[store].configMapName).inputs.data as Record<string, string>;
            expect(data[`${prefix[store]}_HOST`]).toBe(endpoints(run)[store].host);
            expect(data[`${prefix[store]}_PORT`]).toBe(String(endpoints(run)[store].port));
        }
    });

    it("tells every app to use TLS to every store that requires it and to verify the server: DocumentDB against the RDS CA bundle (MariaDB: docs/data.md)", () => {
        const run = runs[stack];
        const data = (store: string): Record<string, string> => byObjectName(run, CONFIG_MAP, `${store}-endpoint`).inputs.data as Record<string, string>;
        expect(data("mariadb")).toMatchObject({ MARIADB_TLS: "false", MARIADB_TLS_VERIFY: "false", MARIADB_TLS_CA_FILE: "" });
        expect(data("mongodb")).toMatchObject({ MONGODB_TLS: "true", MONGODB_TLS_VERIFY: "true", MONGODB_TLS_CA_FILE: RDS_CA_BUNDLE_MOUNT.file });
        // ElastiCache's certificates chain to a public Amazon root: the system trust store.
        expect(data("redis")).toMatchObject({ REDIS_TLS: "true", REDIS_TLS_VERIFY: "true", REDIS_TLS_CA_FILE: "" });
    });

    it("writes the checked RDS CA bundle (certificates only) to the ConfigMap the pods mount", () => {
        const run = runs[stack];
        const map = byObjectName(run, CONFIG_MAP, RDS_CA_BUNDLE_MOUNT.configMapName);
        expect(meta(map).namespace).toBe(run.config.workloads.namespace);
        const pem = (map.inputs.data as Record<string, string>)[RDS_CA_BUNDLE_MOUNT.key];
        expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(pem).not.toContain("TEST FIXTURE generated");
        expect(map.inputs.immutable).toBeUndefined();
    });

    it("mounts the bundle read-only in every pod that uses a store, and rolls the pods when it changes", () => {
        const run = runs[stack];
        interface Pod {
            volumes: { name: string; configMap?: { name: string } }[];
            containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
        }
        for (const service of run.config.services.filter((s) => s.stores.length > 0)) {
            const deployment = byObjectName(run, DEPLOYMENT, service.name);
            const pod = (deployment.inputs.spec as { template: { spec: Pod } }).template.spec;
            expect(pod.volumes).toContainEqual(
                expect.objectContaining({ name: RDS_CA_BUNDLE_MOUNT.volumeName, configMap: expect.objectContaining({ name: RDS_CA_BUNDLE_MOUNT.configMapName }) }),
            );
            for (const container of pod.containers) {
                expect(container.volumeMounts).toContainEqual({ name: RDS_CA_BUNDLE_MOUNT.volumeName, mountPath: RDS_CA_BUNDLE_MOUNT.mountPath, readOnly: true });
            }
            expect(meta(deployment).annotations?.["configmap.reloader.stakater.com/reload"]?.split(",")).toContain(RDS_CA_BUNDLE_MOUNT.configMapName);
            // The contract's CA file is inside the mount.
            expect(RDS_CA_BUNDLE_MOUNT.file).toBe(`${RDS_CA_BUNDLE_MOUNT.mountPath}/${RDS_CA_BUNDLE_MOUNT.key}`);
        }
    });

    it("produces each store's credentials Secret through an ExternalSecret that re-reads Secrets Manager", () => {
        const run = runs[stack];
        for (const store of DATA_STORES) {
            const { secretName, secretKeys } = STORE_CONNECTIONS[store];
            const external = byObjectName(run, EXTERNAL_SECRET, secretName);
            expect(meta(external).namespace).toBe(run.config.workloads.namespace);
            const spec = external.inputs.spec as ExternalSecretSpec;
            expect(spec.refreshInterval).toBe(run.config.dataStores.credentialsSync.refreshInterval);
            expect(spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "aws-secrets-manager" });
            expect(spec.target).toEqual({ name: secretName, creationPolicy: "Owner" });
            // Pulumi waits until the Secret exists, so no pod starts without its credentials.
            expect(meta(external).annotations).toEqual({ "pulumi.com/waitFor": "condition=Ready" });
            expect(spec.data.map((d) => d.secretKey)).toEqual(secretKeys);
            // The RDS / DocumentDB secret they manage and rotate, or the generated Redis token's.
            expect(new Set(spec.data.map((d) => d.remoteRef.key))).toEqual(new Set([secretArns(run)[store]]));
            expect(spec.data.map((d) => d.remoteRef.property)).toEqual(secretKeys.map((k) => (k.endsWith("_USERNAME") ? "username" : "password")));
        }
        expect(secretArns(run).mariadb).toContain(":secret:rds!db-");
        expect(secretArns(run).mongodb).toContain(":secret:rds!cluster-");
    });

    it("never writes a password through Pulumi: no Kubernetes Secret object, no secret value in any Kubernetes input", () => {
        const run = runs[stack];
        expect(ofType(run, K8S_SECRET).filter((s) => Object.values(STORE_CONNECTIONS).some((c) => c.secretName === meta(s).name))).toEqual([]);
        const kubernetes = run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.urn.includes("StoreCredentials"));
        expect(kubernetes.length).toBeGreaterThan(0);
        expect(kubernetes.flatMap((r) => r.secretPaths)).toEqual([]);
    });

    it("gives a role that reads exactly the stores' secrets to the External Secrets controller alone, through Pod Identity", () => {
        const run = runs[stack];
        const role = resource(run, ROLE, "iam-store-credentials-reader");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: { Principal: Record<string, string> }[] };
        expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: "pods.eks.amazonaws.com" } })]);
        const associations = ofType(run, ASSOCIATION).filter((a) => a.propertyDependencies.roleArn?.includes(role.urn));
        expect(associations.map((a) => [a.inputs.namespace, a.inputs.serviceAccount])).toEqual([["external-secrets", "external-secrets"]]);

        const policy = JSON.parse(resource(run, ROLE_POLICY, "iam-store-credentials-read-secrets").inputs.policy as string) as {
            Statement: { Action: string; Resource: string[] }[];
        };
        // The stores' secrets and the JWT signing key the apiserver's config file reads (app/).
        // The stores' credentials, the JWT key and the MariaDB application user (the config files read both).
        const readable = [...Object.values(secretArns(run)), run.outputs.jwtSigningKeySecretArn.value as string, run.outputs.appDbUserSecretArn.value as string].sort();
        expect(policy.Statement).toEqual([expect.objectContaining({ Action: "secretsmanager:GetSecretValue", Resource: readable })]);
    });

    it("keeps the controller (and so the role) to the application namespace: no other namespace, no cluster-wide store", () => {
        const run = runs[stack];
        const eso = resource(run, RELEASE, "iam-store-credentials-external-secrets");
        expect(eso.inputs.values).toMatchObject({
            serviceAccount: { name: "external-secrets" },
            scopedNamespace: run.config.workloads.namespace,
            scopedRBAC: true,
            processClusterStore: false,
            processClusterExternalSecret: false,
        });
        // Pods created before the association get no credentials.
        const association = ofType(run, ASSOCIATION).find((a) => a.inputs.serviceAccount === "external-secrets");
        expect(eso.dependencies).toContain(association?.urn);
    });

    it("reads through a namespaced SecretStore, with the controller's own credentials, that waits for the release and the role's policy", () => {
        const run = runs[stack];
        const store = byObjectName(run, SECRET_STORE, "aws-secrets-manager");
        expect(meta(store).namespace).toBe(run.config.workloads.namespace);
        expect(store.inputs.spec).toEqual({ provider: { aws: { service: "SecretsManager", region: run.config.region } } });
        const release = resource(run, RELEASE, "iam-store-credentials-external-secrets");
        expect(store.dependencies).toEqual(expect.arrayContaining([release.urn, resource(run, ROLE_POLICY, "iam-store-credentials-read-secrets").urn]));
        for (const external of ofType(run, EXTERNAL_SECRET)) {
            expect(external.dependencies).toContain(store.urn);
        }
    });

    it("installs External Secrets (with its CRDs) and Reloader at the pinned chart versions, Reloader limited to the app namespace", () => {
        const run = runs[stack];
        const sync = run.config.dataStores.credentialsSync;
        const eso = resource(run, RELEASE, "iam-store-credentials-external-secrets");
        expect(eso.inputs).toMatchObject({ chart: "external-secrets", version: sync.externalSecretsChartVersion, namespace: "external-secrets", values: { installCRDs: true } });
        const reloader = resource(run, RELEASE, "iam-store-credentials-reloader");
        expect(reloader.inputs).toMatchObject({
            chart: "reloader",
            version: sync.reloaderChartVersion,
            values: { reloader: { reloadStrategy: "annotations", namespaceSelector: `kubernetes.io/metadata.name=${run.config.workloads.namespace}` } },
        });
    });

    it("starts each workload only after its stores' ConfigMaps and ExternalSecrets exist, and lets Reloader roll it", () => {
        const run = runs[stack];
        for (const service of run.config.services.filter((s) => s.stores.length > 0)) {
            const deployment = ofType(run, DEPLOYMENT).find((d) => meta(d).name === service.name);
            if (!deployment) {
                throw new Error(`no Deployment for ${service.name}`);
            }
            const waitsFor = transitiveDependencies(run, deployment.urn);
            for (const store of service.stores) {
                expect(waitsFor).toContain(byObjectName(run, EXTERNAL_SECRET, STORE_CONNECTIONS[store].secretName).urn);
                expect(waitsFor).toContain(byObjectName(run, CONFIG_MAP, STORE_CONNECTIONS[store].configMapName).urn);
            }
            // The stores' credentials, then the Secrets the binary's files come from (app/mounts.ts).
            expect(meta(deployment).annotations?.["secret.reloader.stakater.com/reload"]).toBe(
                [...service.stores.map((s) => STORE_CONNECTIONS[s].secretName), ...appReloadSecrets(service.name)].join(","),
            );
        }
    });
});

describe("an external store's credentials", () => {
    const arn = EXTERNAL_MONGODB.credentialsSecretArn;
    const key = EXTERNAL_MONGODB.credentialsKmsKeyArn;
    let run: StackRun;
    beforeAll(async () => {
        run = await runVariant("staging-external-mongodb");
    });

    it("point the ConfigMap at the configured host and the ExternalSecret at the configured secret", () => {
        expect(byObjectName(run, CONFIG_MAP, "mongodb-endpoint").inputs.data).toEqual({
            MONGODB_HOST: "mongo.legacy.internal",
            MONGODB_PORT: "27017",
            MONGODB_TLS: "false",
            MONGODB_TLS_VERIFY: "false",
            MONGODB_TLS_CA_FILE: "",
            MONGODB_DATABASE: "analytics",
        });
        const spec = byObjectName(run, EXTERNAL_SECRET, "mongodb-credentials").inputs.spec as ExternalSecretSpec;
        expect(spec.data.map((d) => d.remoteRef.key)).toEqual([arn, arn]);
    });

    it("let the reader decrypt with the secret's KMS key, only through Secrets Manager", () => {
        const policy = JSON.parse(resource(run, ROLE_POLICY, "iam-store-credentials-read-secrets").inputs.policy as string) as {
            Statement: { Action: string; Resource: string[]; Condition?: unknown }[];
        };
        expect(policy.Statement[0].Resource).toContain(arn);
        expect(policy.Statement[1]).toEqual(
            expect.objectContaining({
                Action: "kms:Decrypt",
                Resource: [key],
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
            }),
        );
    });
});

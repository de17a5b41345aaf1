/**
 * The internal TLS and the schema Job as the program registers them for the
 * real prod and staging stack files (the harness's shared runs).
 */
import { configProblems, ofType, onlyOfType, resource, ResourceRecord, runStack, StackRun, transitiveDependencies } from "../test/harness";
import { schemaJobPlan } from "./schemaJobPlan";

const SECRET = "kubernetes:core/v1:Secret";
const JOB = "kubernetes:batch/v1:Job";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CA_CERT = "tls:index/selfSignedCert:SelfSignedCert";
const SERVER_CERT = "tls:index/locallySignedCert:LocallySignedCert";
const CSR = "tls:index/certRequest:CertRequest";
const SM_SECRET = "aws:secretsmanager/secret:Secret";

type Inputs = Record<string, never>;
const inputs = (r: ResourceRecord): Inputs => r.inputs as Inputs;
const metaName = (r: ResourceRecord): string => (r.inputs.metadata as { name: string }).name;
const deployment = (run: StackRun, name: string): ResourceRecord => {
    const found = ofType(run, DEPLOYMENT).find((d) => metaName(d) === name);
    if (!found) throw new Error(`no Deployment ${name}`);
    return found;
};

describe.each(["prod", "staging"])("%s: internal TLS", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("has one private CA, a CA certificate with cert_signing, valid application.tls.caValidityDays", () => {
        const ca = onlyOfType(run, CA_CERT);
        expect(inputs(ca)).toMatchObject({
            isCaCertificate: true,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            validityPeriodHours: run.config.application.tls.caValidityDays * 24,
        });
        expect(ca.secretPaths).toContain("privateKeyPem");
    });

    it("issues the apiserver a certificate naming the Service iam-authz-server dials, in every form", () => {
        const namespace = run.config.workloads.namespace;
        const csr = resource(run, CSR, "iam-internal-tls-iam-apiserver-csr");
        expect(inputs(csr).dnsNames).toEqual(["iam-apiserver", `iam-apiserver.${namespace}`, `iam-apiserver.${namespace}.svc`, `iam-apiserver.${namespace}.svc.cluster.local`]);
        expect(csr.secretPaths).toContain("privateKeyPem");
        expect(inputs(resource(run, CSR, "iam-internal-tls-iam-authz-server-csr")).dnsNames).toContain(`iam-authz-server.${namespace}.svc`);
    });

    it("reissues each server certificate on the first `pulumi up` inside its renewal window (validity and window from config)", () => {
        const { validityDays, renewBeforeDays } = run.config.application.tls;
        const certs = ofType(run, SERVER_CERT);
        expect(certs.map((c) => c.name).sort()).toEqual(["iam-internal-tls-iam-apiserver-cert", "iam-internal-tls-iam-authz-server-cert"]);
        for (const cert of certs) {
            expect(inputs(cert)).toMatchObject({
                validityPeriodHours: validityDays * 24,
                earlyRenewalHours: renewBeforeDays * 24,
                allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
            });
            expect(cert.secretPaths).toContain("caPrivateKeyPem");
        }
    });

    it("writes each server's kubernetes.io/tls Secret (its key, certificate and the CA) and the CA Secret into the app namespace, as Pulumi secrets", () => {
        const secrets = ofType(run, SECRET).filter((s) => s.name.startsWith("iam-internal-tls-"));
        const byName = Object.fromEntries(secrets.map((s) => [metaName(s), s]));
        expect(Object.keys(byName).sort()).toEqual(["iam-apiserver-tls", "iam-authz-server-tls", "iam-internal-ca"]);
        const ca = onlyOfType(run, CA_CERT);
        for (const server of ["iam-apiserver", "iam-authz-server"]) {
            const secret = byName[`${server}-tls`];
            expect(inputs(secret).type).toBe("kubernetes.io/tls");
            // The whole data is a secret (the key with it), built from this server's key and certificate and the CA.
            expect(secret.secretPaths).toEqual(["stringData"]);
            expect(secret.propertyDependencies.stringData.sort()).toEqual(
                [
                    resource(run, "tls:index/privateKey:PrivateKey", `iam-internal-tls-${server}-key`).urn,
                    resource(run, SERVER_CERT, `iam-internal-tls-${server}-cert`).urn,
                    ca.urn,
                ].sort(),
            );
        }
        expect(byName["iam-internal-ca"].propertyDependencies.stringData).toEqual([ca.urn]);
        for (const secret of secrets) {
            expect((secret.inputs.metadata as { namespace: string }).namespace).toBe(run.config.workloads.namespace);
        }
    });

    it("starts the TLS servers after their Secrets exist", () => {
        const tlsSecrets = ofType(run, SECRET).filter((s) => s.name.startsWith("iam-internal-tls-"));
        for (const name of ["iam-apiserver", "iam-authz-server"]) {
            const waitsFor = transitiveDependencies(run, deployment(run, name).urn);
            expect(tlsSecrets.filter((s) => !waitsFor.has(s.urn)).map((s) => s.name)).toEqual([]);
        }
    });
});

describe.each(["prod", "staging"])("%s: the schema Job", (stack) => {
    let run: StackRun;
    let preview: StackRun;
    beforeAll(async () => {
        [run, preview] = await Promise.all([runStack(stack), runStack(stack, { preview: true })]);
    });

    it("is one Job, named after what it runs, the same on every run of the program (no re-run)", () => {
        const job = onlyOfType(run, JOB);
        expect(metaName(job)).toBe(schemaJobPlan(run.config.application.schemaJob).jobName);
        expect(metaName(onlyOfType(preview, JOB))).toBe(metaName(job));
        expect(inputs(job).spec).not.toHaveProperty("ttlSecondsAfterFinished");
        expect((job.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/replaceUnready"]).toBe("true");
    });

    it("is what the apiserver's and the watcher's Deployments wait for (they log in as the user it creates); the Job waits for MariaDB's credentials and its NetworkPolicy", () => {
        const job = onlyOfType(run, JOB);
        for (const name of ["iam-apiserver", "iam-watcher"]) {
            expect([name, transitiveDependencies(run, deployment(run, name).urn).has(job.urn)]).toEqual([name, true]);
            // Their config files too: an ExternalSecret changed before the user exists would render a login the database refuses.
            const configFile = resource(run, "kubernetes:external-secrets.io/v1:ExternalSecret", `iam-app-config-${name}`);
            expect([name, configFile.dependencies.includes(job.urn)]).toEqual([name, true]);
        }
        // The other config files do not wait for the database.
        expect(resource(run, "kubernetes:external-secrets.io/v1:ExternalSecret", "iam-app-config-iam-authz-server").dependencies).not.toContain(job.urn);
        const jobWaitsFor = transitiveDependencies(run, job.urn);
        const credentials = run.resources.find((r) => r.type.endsWith(":ExternalSecret") && metaName(r) === "mariadb-credentials") as ResourceRecord;
        expect(jobWaitsFor.has(credentials.urn)).toBe(true);
        const policy = run.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && metaName(r) === "iam-schema-egress") as ResourceRecord;
        expect(jobWaitsFor.has(policy.urn)).toBe(true);
    });

    it("runs against a MariaDB that lets it create the schema's triggers (binary logging is on with backups; no SUPER on RDS)", () => {
        const parameters = inputs(onlyOfType(run, "aws:rds/parameterGroup:ParameterGroup")).parameters as unknown as { name: string; value: string }[];
        expect(parameters).toContainEqual(expect.objectContaining({ name: "log_bin_trust_function_creators", value: "1" }));
    });

    it("sets the application user's password from its Secret, and runs again when the password's secret version changes", () => {
        const job = onlyOfType(run, JOB);
        const version = resource(run, "aws:secretsmanager/secretVersion:SecretVersion", "iam-app-db-user-version");
        // The pod template carries the version: a new password is a new template, which replaces the Job.
        expect(job.propertyDependencies.spec).toContain(version.urn);
        const template = (inputs(job).spec as unknown as { template: { metadata: { annotations: Record<string, unknown> } } }).template;
        expect(Object.keys(template.metadata.annotations)).toEqual(["iam/app-db-password-version"]);
        const secret = resource(run, SECRET, "iam-schema-app-db-password");
        expect(metaName(secret)).toBe("iam-app-db-password");
        expect(transitiveDependencies(run, job.urn).has(secret.urn)).toBe(true);
        expect(run.outputs.appDbUserSecretArn).toMatchObject({ known: true, value: expect.stringMatching(/^arn:aws:secretsmanager:/) });
    });

    it("keeps the generated admin password in Secrets Manager, protected in prod, its hash a Pulumi secret, and outputs the secret's ARN", () => {
        const secret = resource(run, SM_SECRET, "iam-schema-admin-password");
        expect(secret.protect).toBe(stack === "prod");
        expect(resource(run, "random:index/randomPassword:RandomPassword", "iam-schema-admin-password").protect).toBe(stack === "prod");
        expect(resource(run, "aws:secretsmanager/secretVersion:SecretVersion", "iam-schema-admin-password").secretPaths).toContain("secretString");
        expect(resource(run, SECRET, "iam-schema-admin-hash").secretPaths).toEqual(["stringData"]);
        expect(run.outputs.adminPasswordSecretArn).toMatchObject({ known: true, value: expect.stringMatching(/^arn:aws:secretsmanager:/) });
    });
});

describe("application config", () => {
    const edit =
        (tls: Record<string, unknown>) =>
        (values: Record<string, unknown>): void => {
            values.application = { tls };
        };

    it("refuses a renewal window as long as the validity, a CA shorter than its certificates, an image not pinned by digest", () => {
        expect(configProblems("prod", edit({ validityDays: 30, renewBeforeDays: 30 }))).toEqual([
            "application.tls.renewBeforeDays (30) must be less than validityDays (30): otherwise every `pulumi up` reissues the certificates",
        ]);
        expect(configProblems("prod", edit({ validityDays: 400, caValidityDays: 365 }))).toEqual([
            "application.tls.caValidityDays (365) must be more than validityDays (400): a certificate is never valid past its CA",
        ]);
        expect(
            configProblems("prod", (values) => {
                values.application = { schemaJob: { image: "public.ecr.aws/docker/library/mariadb:11.4" } };
            }),
        ).toEqual([expect.stringMatching(/^application\.schemaJob\.image must be an image pinned by digest/)]);
    });
});

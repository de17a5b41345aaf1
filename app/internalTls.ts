import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { INTERNAL_CA_SECRET } from "./paths";
import type { TlsConfig } from "./schema";
import {
    CA_CERTIFICATE_USES,
    caExpiryWarning,
    certificateHours,
    certificateRenewalWarning,
    KEY_ALGORITHM,
    SERVER_CERTIFICATE_USES,
    serverCertificatePlans,
    serverSecretData,
    TlsServerTarget,
} from "./internalTlsPlan";

export interface InternalTlsArgs {
    /** The application namespace (`AppNamespace.name`): the Secrets are written there, once it exists. */
    namespace: pulumi.Input<string>;
    /** The same namespace's name as configured (`workloads.namespace`): it is part of every certificate's DNS names. */
    namespaceName: string;
    /**
     * The TLS servers and the Service name each is dialled by: a new Service
     * name reissues that certificate (its DNS names change).
     */
    servers: readonly TlsServerTarget[];
    /** `application.tls`: lifetimes and windows. */
    config: TlsConfig;
    /** "Now" of the run (lib/clock.ts): the renewal and CA warnings compare the certificates' ends with it. */
    now: Date;
    /** Names the CA's subject (`iam internal CA (<stack>)`): each stack has its own CA. */
    stack: string;
}

/**
 * The internal TLS between the IAM services: a private CA per stack and, for
 * each TLS server, a certificate it signs whose DNS names are the server's
 * Service names (internalTlsPlan.ts), in Kubernetes Secrets of the
 * application namespace that the Deployments mount (app/paths.ts):
 *
 * - `<server>-tls` (`tlsSecretName`), type kubernetes.io/tls: `tls.crt`,
 *   `tls.key`, `ca.crt`;
 * - `iam-internal-ca` (`INTERNAL_CA_SECRET`): `ca.crt`, for clients.
 *
 * Private keys exist only in Pulumi state (encrypted, as secrets) and in those
 * Secrets. A server certificate is reissued by the first `pulumi up` inside
 * its renewal window (`earlyRenewalHours`); the CA is never replaced by
 * itself. Each run warns (`pulumi.log.warn`, under this component in the
 * preview's Diagnostics) when the state holds a certificate inside its window
 * that was not reissued, or a CA near its end. Needs the `kubernetes`
 * provider in `providers`.
 */
export class InternalTls extends pulumi.ComponentResource {
    /** The CA certificate (PEM, public). */
    readonly caCertPem: pulumi.Output<string>;
    /** The Secrets, by server, and the CA Secret: depending on them waits until they exist. */
    readonly secrets: pulumi.Resource[];

    constructor(name: string, args: InternalTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:app:InternalTls", name, {}, opts);
        const hours = certificateHours(args.config);
        const labels = { "app.kubernetes.io/part-of": "iam", "app.kubernetes.io/component": "internal-tls", "app.kubernetes.io/managed-by": "pulumi" };

        const caKey = new tls.PrivateKey(`${name}-ca-key`, { ...KEY_ALGORITHM }, { parent: this });
        const caKeyPem = pulumi.secret(caKey.privateKeyPem);
        const ca = new tls.SelfSignedCert(
            `${name}-ca`,
            {
                privateKeyPem: caKeyPem,
                isCaCertificate: true,
                allowedUses: [...CA_CERTIFICATE_USES],
                validityPeriodHours: hours.caValidityPeriodHours,
                subject: { commonName: `iam internal CA (${args.stack})`, organization: "iam" },
                setSubjectKeyId: true,
            },
            { parent: this },
        );
        this.caCertPem = ca.certPem;
        warnWhen(this, pulumi.all([ca.validityEndTime]), ([end]) => caExpiryWarning(end, args.now, args.config.caWarnBeforeDays));

        this.secrets = [];
        for (const plan of serverCertificatePlans(args.servers, args.namespaceName)) {
            const key = new tls.PrivateKey(`${name}-${plan.server}-key`, { ...KEY_ALGORITHM }, { parent: this });
            const keyPem = pulumi.secret(key.privateKeyPem);
            const request = new tls.CertRequest(
                `${name}-${plan.server}-csr`,
                { privateKeyPem: keyPem, dnsNames: plan.dnsNames, subject: { commonName: plan.commonName, organization: "iam" } },
                { parent: this },
            );
            const cert = new tls.LocallySignedCert(
                `${name}-${plan.server}-cert`,
                {
                    certRequestPem: request.certRequestPem,
                    caPrivateKeyPem: caKeyPem,
                    caCertPem: ca.certPem,
                    validityPeriodHours: hours.validityPeriodHours,
                    // A `pulumi up` inside the window reissues the certificate (new validity, same names).
                    earlyRenewalHours: hours.earlyRenewalHours,
                    allowedUses: [...SERVER_CERTIFICATE_USES],
                    setSubjectKeyId: true,
                },
                { parent: this },
            );
            warnWhen(this, pulumi.all([cert.urn, cert.validityEndTime]), ([urn, end]) => certificateRenewalWarning(plan.server, urn, end, args.now, args.config.renewBeforeDays));
            this.secrets.push(
                new k8s.core.v1.Secret(
                    `${name}-${plan.server}-secret`,
                    {
                        metadata: { name: plan.secretName, namespace: args.namespace, labels: { ...labels, "app.kubernetes.io/name": plan.server } },
                        type: "kubernetes.io/tls",
                        stringData: serverSecretData({ certificate: cert.certPem, privateKey: keyPem, ca: ca.certPem }),
                    },
                    { parent: this },
                ),
            );
        }
        this.secrets.push(
            new k8s.core.v1.Secret(
                `${name}-ca-secret`,
                {
                    metadata: { name: INTERNAL_CA_SECRET, namespace: args.namespace, labels },
                    type: "Opaque",
                    stringData: { "ca.crt": ca.certPem },
                },
                { parent: this },
            ),
        );
        this.registerOutputs({ caCertPem: this.caCertPem });
    }
}

/**
 * Logs `message(values)` as a warning of `parent` once the values are known:
 * at preview they are for a certificate already in the state (a new or
 * replaced one is unknown then, and needs no warning).
 */
function warnWhen<T>(parent: pulumi.Resource, values: pulumi.Output<T>, message: (values: T) => string | undefined): void {
    values.apply((known) => {
        const text = message(known);
        if (text) {
            void pulumi.log.warn(text, parent);
        }
    });
}

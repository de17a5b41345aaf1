/**
 * The internal TLS, pure: which certificates the stack's private CA issues,
 * the names each one carries, their lifetimes in the provider's hours, and
 * the warnings a preview shows when a certificate is due. `InternalTls`
 * (internalTls.ts) maps these one-to-one onto resources.
 *
 * marmotedu/iam v1.6.3: iam-apiserver serves gRPC (8081) with
 * `credentials.NewServerTLSFromFile(cert, key)` (internal/apiserver/server.go)
 * and iam-authz-server dials `rpcserver` with
 * `credentials.NewClientTLSFromFile(clientCA, "")`
 * (internal/authzserver/store/apiserver/apiserver.go): an empty server name,
 * so gRPC verifies the certificate against the host of the address it dials,
 * with the CA file as the only root. The apiserver's certificate must name
 * every form of its Service's host a config may write.
 */
import { tlsSecretName, TlsServer } from "./paths";
import type { TlsConfig } from "./schema";

const HOURS_PER_DAY = 24;
const MS_PER_DAY = 86_400_000;

/**
 * Key usages, as the tls provider spells them (`@pulumi/tls` examples:
 * `key_encipherment`, `digital_signature`, `server_auth`, `cert_signing`).
 * A server certificate: signatures (ECDHE) and server authentication only.
 */
export const SERVER_CERTIFICATE_USES = ["digital_signature", "key_encipherment", "server_auth"] as const;
/** The CA signs certificates (and CRLs); nothing else. */
export const CA_CERTIFICATE_USES = ["cert_signing", "crl_signing", "digital_signature"] as const;

/** ECDSA P-256: Go's crypto/tls (the IAM binaries) loads its SEC1 PEM keys; generated in milliseconds. */
export const KEY_ALGORITHM = { algorithm: "ECDSA", ecdsaCurve: "P256" } as const;

/** A server the stack issues a certificate for, and the in-cluster Service name clients dial it by. */
export interface TlsServerTarget {
    server: TlsServer;
    /** The ClusterIP Service's name (`workloadNames(service).clusterService`). */
    serviceName: string;
}

export interface ServerCertificatePlan {
    server: TlsServer;
    /** The Subject common name: the Service's full in-cluster name (clients verify the DNS names, not this). */
    commonName: string;
    /** Every name a client may dial the Service by (`serviceDnsNames`). */
    dnsNames: string[];
    /** The Kubernetes Secret (type kubernetes.io/tls) holding `tls.crt`, `tls.key` and `ca.crt`. */
    secretName: string;
}

/**
 * The names a pod resolves for a Service: `<svc>` and `<svc>.<ns>` through
 * the pod's DNS search path, `<svc>.<ns>.svc`, and the full
 * `<svc>.<ns>.svc.cluster.local` (EKS's cluster domain).
 */
export function serviceDnsNames(serviceName: string, namespace: string): string[] {
    return [serviceName, `${serviceName}.${namespace}`, `${serviceName}.${namespace}.svc`, `${serviceName}.${namespace}.svc.cluster.local`];
}

/** One certificate per TLS server, in the order given; a server listed twice is a wiring mistake. */
export function serverCertificatePlans(targets: readonly TlsServerTarget[], namespace: string): ServerCertificatePlan[] {
    const seen = new Set<TlsServer>();
    return targets.map(({ server, serviceName }) => {
        if (seen.has(server)) {
            throw new Error(`internal TLS: ${server} is listed twice`);
        }
        seen.add(server);
        const dnsNames = serviceDnsNames(serviceName, namespace);
        return { server, commonName: dnsNames[3], dnsNames, secretName: tlsSecretName(server) };
    });
}

/**
 * A server's Secret data under the keys the Deployments mount (app/paths.ts):
 * `tls.crt` and `tls.key` (what type kubernetes.io/tls requires) and `ca.crt`.
 */
export function serverSecretData<T>(parts: { certificate: T; privateKey: T; ca: T }): Record<"tls.crt" | "tls.key" | "ca.crt", T> {
    return { "tls.crt": parts.certificate, "tls.key": parts.privateKey, "ca.crt": parts.ca };
}

/** The provider's lifetimes (hours) for the configured days. */
export function certificateHours(tls: TlsConfig): { validityPeriodHours: number; earlyRenewalHours: number; caValidityPeriodHours: number } {
    return {
        validityPeriodHours: tls.validityDays * HOURS_PER_DAY,
        earlyRenewalHours: tls.renewBeforeDays * HOURS_PER_DAY,
        caValidityPeriodHours: tls.caValidityDays * HOURS_PER_DAY,
    };
}

/**
 * Whole days from `now` to `validityEnd` (negative once it has ended) when
 * `now` is inside the last `windowDays` of the validity; undefined before the
 * window (or when the end is not a date). Pure: `now` is the program's clock
 * (lib/clock.ts), so a test or `IAM_NOW` can ask about any day.
 */
export function daysLeftInWindow(validityEnd: string, now: Date, windowDays: number): number | undefined {
    const end = Date.parse(validityEnd);
    if (Number.isNaN(end)) {
        return undefined;
    }
    const left = end - now.getTime();
    return left <= windowDays * MS_PER_DAY ? Math.floor(left / MS_PER_DAY) : undefined;
}

function endsIn(days: number, validityEnd: string): string {
    const day = new Date(Date.parse(validityEnd)).toISOString().slice(0, 10);
    return days < 0 ? `ended on ${day}` : `ends on ${day} (${days} day${days === 1 ? "" : "s"} left)`;
}

/**
 * The warning for a server certificate inside its renewal window, or
 * undefined. A `pulumi up` there should already have reissued it (the
 * provider's `earlyRenewalHours`); when the state still holds the old one the
 * provider did not (pulumi/pulumi-tls#39: it may only notice after a
 * refresh), so the message gives the commands that do.
 */
export function certificateRenewalWarning(server: TlsServer, certificateUrn: string, validityEnd: string, now: Date, renewBeforeDays: number): string | undefined {
    const days = daysLeftInWindow(validityEnd, now, renewBeforeDays);
    if (days === undefined) {
        return undefined;
    }
    return (
        `the internal TLS certificate of ${server} ${endsIn(days, validityEnd)} and is inside its ${renewBeforeDays}-day renewal window ` +
        `(application.tls.renewBeforeDays) but was not reissued: run \`pulumi up --refresh\`, or \`pulumi up --replace '${certificateUrn}'\`; ` +
        `its pods then restart on the new Secret (docs/workloads.md, internal TLS)`
    );
}

/**
 * The warning for the internal CA near its end, or undefined. The CA is never
 * replaced by itself: a new CA is a planned rotation (docs/workloads.md).
 */
export function caExpiryWarning(validityEnd: string, now: Date, caWarnBeforeDays: number): string | undefined {
    const days = daysLeftInWindow(validityEnd, now, caWarnBeforeDays);
    if (days === undefined) {
        return undefined;
    }
    return (
        `the internal CA ${endsIn(days, validityEnd)} (application.tls.caWarnBeforeDays: ${caWarnBeforeDays}): ` +
        `plan its rotation (docs/workloads.md, rotating the internal CA); every server certificate it signed stops verifying when it ends`
    );
}

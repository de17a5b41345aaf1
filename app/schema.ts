/**
 * The `application` section, declared once: what the stack needs to run the
 * IAM application itself beyond its images and workloads: the internal TLS
 * (a private CA per stack, a server certificate per TLS server) and the
 * schema Job (the client image that creates the database schema). Pure.
 */
import { z } from "zod";
import { matching, report, RefineContext, wholeNumber } from "../lib/configSchema";

/**
 * The MariaDB client the schema Job runs: the Docker Official Image
 * `mariadb:11.4.13` through Amazon ECR Public (which mirrors Docker Official
 * Images under `docker/library`; the nodes reach it through NAT like the
 * other public charts and images). Pinned by the digest several public
 * repositories pin for `mariadb:11.4` / `mariadb:11.4.13` (e.g. the podman
 * config `docker.io/library/mariadb:11.4.13@sha256:611a2fcc…`), seen
 * 2026-10 to 2026-12. NOT verified against the registry from here (no
 * network): check it with
 * `crane digest public.ecr.aws/docker/library/mariadb:11.4.13` (or
 * `docker buildx imagetools inspect`) before the first deploy, and set
 * `application.schemaJob.image` when it differs.
 */
export const SCHEMA_JOB_IMAGE_DEFAULT = "public.ecr.aws/docker/library/mariadb:11.4.13@sha256:611a2fcc5fa7c6ceb8644c6f74b25ede004ff6c3a6b38c8f8c23d3bbf6c26430";

/**
 * The Redis TLS proxy of iam-pump and iam-watcher (app/redisTlsProxy.ts):
 * the Docker Official Image `haproxy:3.2.23-alpine` (HAProxy 3.2 LTS, the
 * Alpine variant: its base carries the system CA bundle
 * /etc/ssl/certs/ca-certificates.crt) through Amazon ECR Public, reached
 * through NAT like the schema Job's image. Pinned by the digest a public
 * repository pins for `docker.io/library/haproxy:3.2.23-alpine`
 * (`sha256:0666a2c2…`, seen 2026-12). NOT verified against the registry from
 * here (no network), nor that it is the multi-arch index rather than one
 * platform's manifest: check it with
 * `crane digest public.ecr.aws/docker/library/haproxy:3.2.23-alpine` (and
 * `crane manifest` for both linux/amd64 and linux/arm64) before the first
 * deploy, and set `application.redisTlsProxy.image` when it differs.
 */
export const REDIS_TLS_PROXY_IMAGE_DEFAULT = "public.ecr.aws/docker/library/haproxy:3.2.23-alpine@sha256:0666a2c2f41d341084ed2da85392b48cdcd766adfa28231f31305724ed5c6ea5";

/** `<repository>[:<tag>]@sha256:<64 hex>`: an image a tag can never move under. */
const IMAGE_BY_DIGEST = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:\d+)?(\/[a-z0-9]+([._/-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$/;

export const TLS_DEFAULTS = { validityDays: 365, renewBeforeDays: 60, caValidityDays: 3650, caWarnBeforeDays: 180 } as const;
export const SCHEMA_JOB_DEFAULTS = { deadlineSeconds: 600 } as const;

const tlsSchema = z
    .strictObject({
        validityDays: wholeNumber(2, 825)
            .default(TLS_DEFAULTS.validityDays)
            .meta({
                description: `Days a server certificate (iam-apiserver, iam-authz-server) is valid, 2-825. Default ${TLS_DEFAULTS.validityDays}. A change reissues the certificates on the next \`pulumi up\`.`,
            }),
        renewBeforeDays: wholeNumber(1, 824)
            .default(TLS_DEFAULTS.renewBeforeDays)
            .meta({
                description: `The renewal window, days before a server certificate ends: a \`pulumi up\` inside it reissues the certificate (the provider's \`earlyRenewalHours\`), and a preview warns while a certificate inside it was not reissued. Less than \`validityDays\`. Default ${TLS_DEFAULTS.renewBeforeDays}: a deploy every month or two keeps the certificates fresh.`,
            }),
        caValidityDays: wholeNumber(30, 36500)
            .default(TLS_DEFAULTS.caValidityDays)
            .meta({
                description: `Days the stack's internal CA is valid, more than \`validityDays\`. Default ${TLS_DEFAULTS.caValidityDays}. Set before the first deploy: a change replaces the CA and every server certificate (docs/workloads.md, rotating the internal CA).`,
            }),
        caWarnBeforeDays: wholeNumber(1, 36500)
            .default(TLS_DEFAULTS.caWarnBeforeDays)
            .meta({
                description: `Days before the internal CA ends from which every preview warns: the CA is never replaced by itself (a new CA is a planned rotation, docs/workloads.md). Less than \`caValidityDays\`. Default ${TLS_DEFAULTS.caWarnBeforeDays}.`,
            }),
    })
    .superRefine(tlsRule)
    .prefault({})
    .meta({ description: "The internal TLS between the services: a private CA per stack and a certificate per TLS server (app/internalTls.ts)." });

function tlsRule(tls: { validityDays: number; renewBeforeDays: number; caValidityDays: number; caWarnBeforeDays: number }, ctx: RefineContext): void {
    if (tls.renewBeforeDays >= tls.validityDays) {
        report(ctx, ["renewBeforeDays"], `(${tls.renewBeforeDays}) must be less than validityDays (${tls.validityDays}): otherwise every \`pulumi up\` reissues the certificates`);
    }
    if (tls.validityDays >= tls.caValidityDays) {
        report(ctx, ["caValidityDays"], `(${tls.caValidityDays}) must be more than validityDays (${tls.validityDays}): a certificate is never valid past its CA`);
    }
    if (tls.caWarnBeforeDays >= tls.caValidityDays) {
        report(ctx, ["caWarnBeforeDays"], `(${tls.caWarnBeforeDays}) must be less than caValidityDays (${tls.caValidityDays}): otherwise the CA warns from the day it is made`);
    }
}

const schemaJobSchema = z
    .strictObject({
        image: matching(IMAGE_BY_DIGEST, "an image pinned by digest like public.ecr.aws/docker/library/mariadb:11.4.13@sha256:<64 hex>").default(SCHEMA_JOB_IMAGE_DEFAULT).meta({
            description:
                "The MariaDB client image the schema Job runs, pinned by digest, from a registry the nodes reach. Default the Docker Official Image `mariadb:11.4.13` through ECR Public (app/schema.ts: how to check its digest).",
        }),
        deadlineSeconds: wholeNumber(60, 3600)
            .default(SCHEMA_JOB_DEFAULTS.deadlineSeconds)
            .meta({
                description: `The Job's \`activeDeadlineSeconds\`, 60-3600: past it the Job fails and \`pulumi up\` stops before the apiserver rolls out. Default ${SCHEMA_JOB_DEFAULTS.deadlineSeconds}.`,
            }),
    })
    .prefault({})
    .meta({ description: "The Job that creates the IAM database schema where it is absent (app/schemaJob.ts)." });

const redisTlsProxySchema = z
    .strictObject({
        image: matching(IMAGE_BY_DIGEST, "an image pinned by digest like public.ecr.aws/docker/library/haproxy:3.2.23-alpine@sha256:<64 hex>")
            .default(REDIS_TLS_PROXY_IMAGE_DEFAULT)
            .meta({
                description:
                    "The HAProxy image of iam-pump's and iam-watcher's Redis TLS proxy sidecar, pinned by digest, from a registry the nodes reach; it must have `haproxy` on its PATH and the system CA bundle at /etc/ssl/certs/ca-certificates.crt. Default the Docker Official Image `haproxy:3.2.23-alpine` through ECR Public (app/schema.ts: how to check its digest).",
            }),
    })
    .prefault({})
    .meta({ description: "The sidecar through which iam-pump and iam-watcher reach a TLS Redis (their lock client cannot speak TLS; app/redisTlsProxy.ts, docs/data.md)." });

/** The top-level `application` section. */
export const applicationSchema = z
    .strictObject({
        tls: tlsSchema,
        schemaJob: schemaJobSchema,
        redisTlsProxy: redisTlsProxySchema,
    })
    .prefault({})
    .meta({ description: "The IAM application's own needs: internal TLS, the database schema Job and the Redis TLS proxy." });

export type ApplicationConfig = z.output<typeof applicationSchema>;
export type TlsConfig = ApplicationConfig["tls"];
export type SchemaJobConfig = ApplicationConfig["schemaJob"];
export type RedisTlsProxyConfig = ApplicationConfig["redisTlsProxy"];

/**
 * Every check `npm run verify` reports, by name, in report order: the docs
 * (docs/verify.md, the runbook) name them, and tests hold the report and the
 * docs to this list. Pure: loads nothing.
 */
export const VERIFY_CHECKS = [
    "dns.alias",
    "dns.resolve",
    "tls.certificate",
    "tls.versions",
    "tls.redirect",
    "health.http",
    "health.targets",
    "iam.login",
    "iam.create",
    "iam.authz.allow",
    "iam.authz.deny",
    "iam.cleanup",
    "cluster.deployments",
    "cluster.restarts",
    "cluster.hpa",
    "cluster.nodePools",
    "cluster.externalSecrets",
    "cluster.schemaJob",
    "network.rules",
    "network.publicStores",
    "alarms.state",
    /** Only with `--soak`. */
    "alarms.soak",
] as const;

export type VerifyCheck = (typeof VERIFY_CHECKS)[number];

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SchemaJobConfig } from "./schema";
import { Environment } from "../lib/environment";
import { DATA_STORE_ENVIRONMENT_DEFAULTS } from "../data/defaults";
import type { AppDbUser } from "./appDbUser";
import { ADMIN_HASH_SECRET, ADMIN_USER, APP_DB_PASSWORD_SECRET, IAM_SCHEMA, SCHEMA_JOB_LABELS, schemaJobPlan, schemaJobSpec } from "./schemaJobPlan";

/** Length of the generated admin password: letters and digits only (no quoting anywhere), about 190 bits. */
export const ADMIN_PASSWORD_LENGTH = 32;
/** Time the Pulumi provider waits for the Job beyond its own deadline: a node to start and the image to pull. */
const SCHEDULING_SLACK_SECONDS = 300;

export interface SchemaJobArgs {
    /** The application namespace (`AppNamespace.name`). */
    namespace: pulumi.Input<string>;
    /** `application.schemaJob`: image (by digest) and deadline. A change makes a new Job. */
    config: SchemaJobConfig;
    environment: Environment;
    /** True in prod: the generated password and its Secrets Manager secret are protected from deletion and replacement. */
    protect: boolean;
    /** The application user (app/appDbUser.ts): the Job creates it and sets its password from here on every run. */
    appDbUser: Pick<AppDbUser, "password" | "secretVersionId">;
    /**
     * What the pod needs before it can start: the MariaDB ConfigMap and
     * ExternalSecret (`StoreCredentials`), the NetworkPolicies that let it
     * reach MariaDB and DNS, and (Karpenter) a NodePool.
     */
    dependsOn: pulumi.Resource[];
}

/**
 * Creates the IAM database schema of the pinned release where it is absent,
 * once per release, and replaces the published admin password:
 *
 * - a generated admin password (`random.RandomPassword`), kept in Secrets
 *   Manager (`adminPasswordSecretArn`, JSON `username`/`password`, the
 *   default `aws/secretsmanager` key like the stack's other secrets), and
 *   its bcrypt hash in the Secret `iam-admin-password-hash`;
 * - the application user's password (`AppDbUser`) in the Secret
 *   `iam-app-db-password`: the Job creates the user `iam_app` where absent
 *   and sets this password each time it runs; the password's Secrets
 *   Manager version annotates the pod template, so a new password replaces
 *   the Job (a new run) before the binaries roll out;
 * - an immutable ConfigMap `iam-schema-<hash>` with the create-only SQL and
 *   the script (schemaJobPlan.ts);
 * - a Job `iam-schema-<hash>` that runs it. Pulumi waits until it completes
 *   (@pulumi/kubernetes awaits a Job's `Complete` condition and fails on
 *   `Failed`), so whatever depends on `job` (the apiserver's Deployment)
 *   rolls out only on the schema. A Job that failed is replaced on the next
 *   `pulumi up` (`pulumi.com/replaceUnready`).
 *
 * Needs the `aws` and `kubernetes` providers in `providers`.
 */
export class SchemaJob extends pulumi.ComponentResource {
    /** The Job: depend on it to start after the schema exists. */
    readonly job: k8s.batch.v1.Job;
    /** `iam-schema-<hash>`: the same while the release and `application.schemaJob` stay the same. */
    readonly jobName: string;
    /** The Secrets Manager secret with the admin's generated password (`username`, `password`). */
    readonly adminPasswordSecretArn: pulumi.Output<string>;

    constructor(name: string, args: SchemaJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:app:SchemaJob", name, {}, opts);
        const plan = schemaJobPlan(args.config);
        const meta = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels: SCHEMA_JOB_LABELS });

        // Protected in prod: a new password would reach Secrets Manager but never
        // the database (the Job only replaces the published hash).
        const password = new random.RandomPassword(
            `${name}-admin-password`,
            { length: ADMIN_PASSWORD_LENGTH, special: false, minUpper: 1, minLower: 1, minNumeric: 1 },
            { parent: this, protect: args.protect },
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-admin-password`,
            {
                description: `The IAM application's ${ADMIN_USER} password, set by the schema Job over the published one (app/schemaJob.ts); read it as docs/operations/bootstrap.md says`,
                recoveryWindowInDays: DATA_STORE_ENVIRONMENT_DEFAULTS[args.environment].secretRecoveryWindowDays,
            },
            { parent: this, protect: args.protect },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-admin-password`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(pulumi.jsonStringify({ username: ADMIN_USER, password: password.result })),
            },
            // An operator who changes the password in the API stores it as a new
            // version (docs/operations/bootstrap.md); Pulumi does not move AWSCURRENT back.
            { parent: this, ignoreChanges: ["versionStages"] },
        );
        const hashSecret = new k8s.core.v1.Secret(
            `${name}-admin-hash`,
            {
                metadata: meta(ADMIN_HASH_SECRET.name),
                type: "Opaque",
                stringData: { [ADMIN_HASH_SECRET.key]: pulumi.secret(password.bcryptHash) },
            },
            { parent: this },
        );
        const appPasswordSecret = new k8s.core.v1.Secret(
            `${name}-app-db-password`,
            {
                metadata: meta(APP_DB_PASSWORD_SECRET.name),
                type: "Opaque",
                stringData: { [APP_DB_PASSWORD_SECRET.key]: pulumi.secret(args.appDbUser.password) },
            },
            { parent: this },
        );
        // DDL and a shell script: nothing secret.
        const files = new k8s.core.v1.ConfigMap(`${name}-sql`, { metadata: meta(plan.configMapName), immutable: true, data: plan.data }, { parent: this });

        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: {
                    ...meta(plan.jobName),
                    annotations: {
                        "iam/schema-release": `${IAM_SCHEMA.source.repository} ${IAM_SCHEMA.source.tag}`,
                        // A Job that failed (or timed out) is replaced on the next `pulumi up` instead of awaited again.
                        "pulumi.com/replaceUnready": "true",
                    },
                },
                spec: schemaJobSpec(plan, args.config, args.appDbUser.secretVersionId),
            },
            {
                parent: this,
                dependsOn: [files, hashSecret, appPasswordSecret, ...args.dependsOn],
                // Same name on a retry: the failed Job is deleted first.
                deleteBeforeReplace: true,
                customTimeouts: { create: `${args.config.deadlineSeconds + SCHEDULING_SLACK_SECONDS}s`, update: `${args.config.deadlineSeconds + SCHEDULING_SLACK_SECONDS}s` },
            },
        );
        this.jobName = plan.jobName;
        this.adminPasswordSecretArn = secret.arn;
        this.registerOutputs({ jobName: this.jobName, adminPasswordSecretArn: this.adminPasswordSecretArn });
    }
}

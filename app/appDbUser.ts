import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { APP_DB_USER } from "./schemaJobPlan";

export interface AppDbUserArgs {
    /** The stack's name prefix (`dataIdentifierPrefix`): the secret's description and Name tag carry it. */
    namePrefix: string;
    /** Deleted secrets stay recoverable this many days (the data tier's environment default). */
    recoveryWindowDays: number;
    /** Prod: the password and its secret are protected (a new password must reach the database before the binaries read it). */
    protect: boolean;
}

/** 32 letters and digits (about 190 bits): no quoting in SQL, YAML or the DSN (`user:password@tcp(...)`). */
export const APP_DB_PASSWORD_LENGTH = 32;

/**
 * The MariaDB user iam-apiserver and iam-watcher log in as (`iam_app`,
 * DML only on the IAM database), instead of the RDS master user whose
 * RDS-managed password rotates: its password is generated once and kept in
 * Secrets Manager as `{"username", "password"}`; External Secrets reads it
 * into their config files (AppConfig), the schema Job creates the user and
 * sets this password on each run (app/schemaJob.ts). Rotating it is a new
 * password here and a new Job (docs/data.md). Needs the `aws` provider in
 * `providers`.
 */
export class AppDbUser extends pulumi.ComponentResource {
    /** The Secrets Manager secret (the External Secrets reader is allowed to read it). */
    readonly secretArn: pulumi.Output<string>;
    /** The password (a Pulumi secret): the schema Job's Secret carries it to the database. */
    readonly password: pulumi.Output<string>;
    /** The secret's version: a new password is a new version, and the schema Job runs again for it. */
    readonly secretVersionId: pulumi.Output<string>;

    constructor(name: string, args: AppDbUserArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:app:AppDbUser", name, {}, opts);
        const password = new random.RandomPassword(
            `${name}-password`,
            { length: APP_DB_PASSWORD_LENGTH, special: false, minUpper: 1, minLower: 1, minNumeric: 1 },
            { parent: this, protect: args.protect },
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-secret`,
            {
                description: `${args.namePrefix}: the MariaDB user ${APP_DB_USER} of iam-apiserver and iam-watcher, set by the schema Job, read by External Secrets into their config files (docs/data.md)`,
                recoveryWindowInDays: args.recoveryWindowDays,
                tags: { Name: `${args.namePrefix}-app-db-user` },
            },
            { parent: this, protect: args.protect },
        );
        const version = new aws.secretsmanager.SecretVersion(
            `${name}-version`,
            { secretId: secret.id, secretString: pulumi.secret(pulumi.jsonStringify({ username: APP_DB_USER, password: password.result })) },
            { parent: this },
        );
        this.secretArn = secret.arn;
        this.password = pulumi.secret(password.result);
        this.secretVersionId = version.versionId;
        this.registerOutputs({ secretArn: this.secretArn });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface JwtSigningKeyArgs {
    /** The stack's name prefix (`dataIdentifierPrefix`): the secret's description names it. */
    namePrefix: string;
    /** Deleted secrets stay recoverable this many days (the data tier's environment default). */
    recoveryWindowDays: number;
    /** Prod: the key and its secret are protected (a new key logs every user out). */
    protect: boolean;
}

/** Long enough for HS256 (RFC 7518 §3.2: a key of at least 256 bits); letters and digits only, so it needs no escaping anywhere. */
const KEY_LENGTH = 64;

/**
 * iam-apiserver's JWT signing key (`jwt.key`): generated once, kept in
 * Secrets Manager as `{"key": ...}`, read by External Secrets into the
 * apiserver's config file (AppConfig). It never sits in stack config; in
 * Pulumi state only as a secret. Needs the `aws` provider in `providers`.
 */
export class JwtSigningKey extends pulumi.ComponentResource {
    /** The Secrets Manager secret holding the key (the External Secrets reader is allowed to read it). */
    readonly secretArn: pulumi.Output<string>;

    constructor(name: string, args: JwtSigningKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:app:JwtSigningKey", name, {}, opts);
        const key = new random.RandomPassword(`${name}-value`, { length: KEY_LENGTH, special: false }, { parent: this, protect: args.protect });
        const secret = new aws.secretsmanager.Secret(
            `${name}-secret`,
            {
                description: `${args.namePrefix}: iam-apiserver's JWT signing key, read by External Secrets into its config file`,
                recoveryWindowInDays: args.recoveryWindowDays,
                tags: { Name: `${args.namePrefix}-jwt-key` },
            },
            { parent: this, protect: args.protect },
        );
        new aws.secretsmanager.SecretVersion(`${name}-version`, { secretId: secret.id, secretString: pulumi.secret(pulumi.jsonStringify({ key: key.result })) }, { parent: this });
        this.secretArn = secret.arn;
        this.registerOutputs({ secretArn: this.secretArn });
    }
}

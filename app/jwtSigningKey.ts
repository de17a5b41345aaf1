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

/**
 * The key lengths iam-apiserver accepts: `JwtOptions.Validate` refuses a
 * `jwt.key` outside 6-32 characters and the binary exits at start
 * (marmotedu/iam v1.6.3, internal/pkg/options/jwt.go: `govalidator.StringLength(s.Key, "6", "32")`).
 */
export const JWT_KEY_LENGTHS = { min: 6, max: 32 } as const;

/**
 * The longest key the binary takes: 32 letters and digits (about 190 bits of
 * entropy, under RFC 7518's 256 for HS256, which the binary's own limit
 * rules out); letters and digits only, so it needs no escaping anywhere.
 */
export const KEY_LENGTH = JWT_KEY_LENGTHS.max;

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

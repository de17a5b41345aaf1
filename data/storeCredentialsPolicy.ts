/**
 * The IAM documents of the credentials sync, pure: who may assume the reader
 * role (one Kubernetes service account) and what it may read (exactly the
 * stores' secrets).
 */

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow";
    Action: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string>;
    Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Read access to exactly these secrets (`GetSecretValue`, nothing to list or
 * write), and decrypt with the given customer-managed KMS keys only when
 * Secrets Manager asks on the role's behalf. Secrets under the default
 * `aws/secretsmanager` key need no KMS statement.
 */
export function secretsReadPolicy(secretArns: readonly string[], kmsKeyArns: readonly string[], region: string): PolicyDocument {
    if (secretArns.length === 0) {
        throw new Error("the credentials reader needs at least one secret to read");
    }
    const statements: PolicyStatement[] = [
        {
            Sid: "ReadStoreCredentials",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: [...new Set(secretArns)].sort(),
        },
    ];
    if (kmsKeyArns.length > 0) {
        statements.push({
            Sid: "DecryptStoreCredentials",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: [...new Set(kmsKeyArns)].sort(),
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

import { secretsReadPolicy } from "./storeCredentialsPolicy";

describe("secretsReadPolicy", () => {
    const a = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf";
    const b = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-auth-AbCdEf";

    it("allows GetSecretValue on exactly the given secrets and nothing else", () => {
        const policy = secretsReadPolicy([b, a, a], [], "eu-west-1");
        expect(policy.Statement).toEqual([{ Sid: "ReadStoreCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [a, b] }]);
        expect(JSON.stringify(policy)).not.toContain("*");
    });

    it("adds KMS decrypt for customer keys, only through Secrets Manager", () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        expect(secretsReadPolicy([a], [key], "eu-west-1").Statement[1]).toEqual({
            Sid: "DecryptStoreCredentials",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: [key],
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        });
    });

    it("refuses an empty list rather than writing a policy for nothing", () => {
        expect(() => secretsReadPolicy([], [], "eu-west-1")).toThrow();
    });
});

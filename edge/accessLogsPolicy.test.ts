import { accessLogBucketPolicy } from "./accessLogsPolicy";

const base = { bucketArn: "arn:aws:s3:::logs", accountId: "123456789012", partition: "aws", prefix: "alb" };
type Statement = ReturnType<typeof accessLogBucketPolicy>["Statement"][number];
const allows = (statements: Statement[]): Statement[] => statements.filter((s) => s.Effect === "Allow");

describe("accessLogBucketPolicy", () => {
    it("lets ELB write only under the prefix and this account, nothing else", () => {
        const { Statement } = accessLogBucketPolicy({ ...base, region: "eu-west-1" });
        for (const statement of allows(Statement)) {
            expect(statement.Action).toBe("s3:PutObject");
            expect(statement.Resource).toBe("arn:aws:s3:::logs/alb/AWSLogs/123456789012/*");
        }
    });

    it("grants the regional ELB account in a region opened before August 2022, and the service principal", () => {
        const principals = allows(accessLogBucketPolicy({ ...base, region: "eu-west-1" }).Statement).map((s) => s.Principal);
        expect(principals).toEqual(expect.arrayContaining([{ AWS: "arn:aws:iam::156460612806:root" }, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]));
    });

    it("grants only the service principal in a newer region", () => {
        const principals = allows(accessLogBucketPolicy({ ...base, region: "eu-central-2" }).Statement).map((s) => s.Principal);
        expect(principals).toEqual([{ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]);
    });

    it("denies every request that is not over TLS", () => {
        const deny = accessLogBucketPolicy({ ...base, region: "eu-west-1" }).Statement.find((s) => s.Effect === "Deny");
        expect(deny).toMatchObject({
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });
});

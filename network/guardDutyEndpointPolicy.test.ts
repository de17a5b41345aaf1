/**
 * The guardduty-data interface endpoint's policy (network/vpcEndpoints.ts),
 * as registered for the staging variant with GuardDuty Runtime Monitoring on:
 * anyone in the VPC may reach the endpoint, but only principals of the
 * endpoint's own account may send through it, as GuardDuty's documented
 * endpoint policy does (docs.aws.amazon.com/guardduty/latest/ug/eksrunmon-prereq-deploy-security-agent.html:
 * an Allow of everything and a Deny when `aws:PrincipalAccount` is not the
 * account). Without the Deny, any AWS account's credentials could use this
 * VPC's endpoint.
 */
import { ofType, runVariant, StackRun } from "../test/harness";

interface Statement {
    Effect: "Allow" | "Deny";
    Principal: unknown;
    Action: unknown;
    Resource: unknown;
    Condition?: Record<string, Record<string, string>>;
}

/** Evaluates the policy for a request by a principal of `account` to the endpoint of `resourceAccount` (explicit Deny wins; no Allow denies). */
function allows(statements: Statement[], account: string, resourceAccount: string): boolean {
    const applies = (s: Statement): boolean =>
        Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
            Object.entries(keys).every(([key, expected]) => {
                const actual = key === "aws:PrincipalAccount" ? account : undefined;
                const value = expected === "${aws:ResourceAccount}" ? resourceAccount : expected;
                if (operator === "StringNotEquals") return actual !== value;
                if (operator === "StringEquals") return actual === value;
                throw new Error(`operator ${operator} not modelled`);
            }),
        );
    const matching = statements.filter(applies);
    return !matching.some((s) => s.Effect === "Deny") && matching.some((s) => s.Effect === "Allow");
}

describe("the guardduty-data endpoint's policy", () => {
    let run: StackRun;
    let statements: Statement[];
    beforeAll(async () => {
        run = await runVariant("staging-guardduty");
        const [endpoint] = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.serviceName === "com.amazonaws.eu-west-1.guardduty-data");
        statements = (JSON.parse(String(endpoint.inputs.policy)) as { Statement: Statement[] }).Statement;
    });

    it("is exactly an Allow of everything and a Deny for principals of any other account", () => {
        expect(statements).toHaveLength(2);
        expect(statements).toContainEqual({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" });
        expect(statements).toContainEqual({
            Effect: "Deny",
            Principal: "*",
            Action: "*",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } },
        });
    });

    it("lets the endpoint's own account send and denies every other account", () => {
        expect(allows(statements, "123456789012", "123456789012")).toBe(true);
        expect(allows(statements, "210987654321", "123456789012")).toBe(false);
    });
});

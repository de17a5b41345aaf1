/**
 * Network: the security-group rules AWS holds on the access matrix's groups
 * equal the rules the stack declares (the `verify` output's
 * `securityGroupRules`, planned by network/accessMatrixPlan.ts), so a rule
 * added or removed by hand shows; and no data store is publicly accessible
 * (RDS and DocumentDB `PubliclyAccessible`; ElastiCache has no public mode).
 *
 * No allow-all egress is expected: AWS gives a new VPC security group one,
 * and the AWS provider removes it when it creates the group (terraform-
 * provider-aws, aws_security_group docs, "NOTE on Egress rules"; pulumi-aws
 * bridges that provider), so one showing up was added by hand.
 */
import { DescribeDBInstancesCommand as DescribeDocDbInstancesCommand } from "@aws-sdk/client-docdb";
import { DescribeSecurityGroupRulesCommand, SecurityGroupRule } from "@aws-sdk/client-ec2";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";
import type { DeclaredRule } from "./verifyPlan";

/** One rule as a comparable line: `<group> <in|out> <protocol> <from>-<to> <peer>`. */
function key(groupId: string, egress: boolean, protocol: string, from: number | undefined, to: number | undefined, peer: string): string {
    const all = protocol === "-1";
    return `${groupId} ${egress ? "out" : "in"} ${all ? "all" : protocol} ${all ? "" : `${from}-${to} `}${peer}`;
}

function awsKey(r: SecurityGroupRule): string {
    const peer = r.ReferencedGroupInfo?.GroupId ?? r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? "?";
    return key(r.GroupId ?? "?", r.IsEgress === true, r.IpProtocol ?? "?", r.FromPort, r.ToPort, peer);
}

export async function networkChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    return [await rules(ctx).catch((e: unknown) => fail("network.rules", "security groups", errorText(e))), ...(await publicStores(ctx))];
}

async function rules(ctx: VerifyContext): Promise<CheckResult> {
    const ids: Record<string, string> = { ...ctx.outputs.securityGroupIds, controlPlane: ctx.outputs.verify.clusterSecurityGroupId };
    const idOf = (role: string): string => ids[role] ?? `<no security group for ${role}>`;
    const roleOf = new Map(Object.entries(ids).map(([role, id]) => [id, role]));
    const declared = new Map(
        ctx.outputs.verify.securityGroupRules.map((r: DeclaredRule) => [
            key(idOf(r.group), r.direction === "egress", r.protocol, r.fromPort ?? -1, r.toPort ?? -1, "securityGroup" in r.peer ? idOf(r.peer.securityGroup) : r.peer.cidr),
            r,
        ]),
    );
    const groupIds = Object.values(ctx.outputs.securityGroupIds);
    const held: SecurityGroupRule[] = [];
    let next: string | undefined;
    do {
        const page = await ctx.aws.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: groupIds }], NextToken: next, MaxResults: 1000 }));
        held.push(...(page.SecurityGroupRules ?? []));
        next = page.NextToken;
    } while (next);
    const heldKeys = new Map(held.map((r) => [awsKey(r), r]));
    const named = (line: string): string =>
        line
            .split(" ")
            .map((token) => (roleOf.has(token) ? `${roleOf.get(token)}(${token})` : token))
            .join(" ");
    const added = [...heldKeys]
        .filter(([k]) => !declared.has(k))
        .map(([k, r]) => `added by hand? ${named(k)} [${r.SecurityGroupRuleId}${r.Description ? ` "${r.Description}"` : ""}]`);
    const removed = [...declared].filter(([k]) => !heldKeys.has(k)).map(([k, r]) => `missing ${named(k)} [${r.source}]`);
    const problems = [...added, ...removed];
    return problems.length === 0
        ? pass("network.rules", "security groups", `${held.length} rules on ${groupIds.length} groups, exactly the ${declared.size} the access matrix declares`)
        : fail("network.rules", "security groups", `${problems.length} differences from the access matrix: ${problems.join("; ")}`);
}

async function publicStores(ctx: VerifyContext): Promise<CheckResult[]> {
    const { rdsInstances, docdbInstances } = ctx.outputs.verify.dataStores;
    const results: CheckResult[] = [];
    for (const id of rdsInstances) {
        try {
            const answer = await ctx.aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
            const open = answer.DBInstances?.[0]?.PubliclyAccessible;
            results.push(
                open === false ? pass("network.publicStores", id, "RDS PubliclyAccessible false") : fail("network.publicStores", id, `RDS PubliclyAccessible ${String(open)}`),
            );
        } catch (error) {
            results.push(fail("network.publicStores", id, errorText(error)));
        }
    }
    for (const id of docdbInstances) {
        try {
            const answer = await ctx.aws.docdb.send(new DescribeDocDbInstancesCommand({ DBInstanceIdentifier: id }));
            const open = answer.DBInstances?.[0]?.PubliclyAccessible;
            results.push(
                open === false
                    ? pass("network.publicStores", id, "DocumentDB PubliclyAccessible false")
                    : fail("network.publicStores", id, `DocumentDB PubliclyAccessible ${String(open)}`),
            );
        } catch (error) {
            results.push(fail("network.publicStores", id, errorText(error)));
        }
    }
    if (results.length === 0) {
        results.push(pass("network.publicStores", "data stores", "no managed RDS or DocumentDB instance in this stack"));
    }
    return results;
}

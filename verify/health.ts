/**
 * Health: each public host's health path answers 200 over HTTPS, and every
 * target of every target group is healthy (elbv2 DescribeTargetHealth).
 */
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";
import { request } from "./http";

export async function healthChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const { host, healthPath } of ctx.outputs.verify.hosts) {
        const url = `https://${host}${healthPath}`;
        try {
            const answer = await request(ctx, { url });
            results.push(
                answer.status === 200
                    ? pass("health.http", host, `${url} answered 200`)
                    : fail("health.http", host, `${url} answered ${answer.status}: ${answer.body.slice(0, 120)}`),
            );
        } catch (error) {
            results.push(fail("health.http", host, `${url}: ${errorText(error)}`));
        }
    }
    return results;
}

export async function targetChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const [service, arn] of Object.entries(ctx.outputs.verify.targetGroupArns)) {
        try {
            const answer = await ctx.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
            const targets = answer.TargetHealthDescriptions ?? [];
            const bad = targets.filter((t) => t.TargetHealth?.State !== "healthy");
            const name = (t: (typeof targets)[number]): string => `${t.Target?.Id}:${t.Target?.Port}`;
            if (targets.length === 0) {
                results.push(fail("health.targets", service, `no target registered in ${arn}`));
            } else if (bad.length > 0) {
                const why = bad.map((t) => `${name(t)} ${t.TargetHealth?.State}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ""}`);
                results.push(fail("health.targets", service, `${bad.length} of ${targets.length} targets not healthy: ${why.join(", ")}`));
            } else {
                results.push(pass("health.targets", service, `${targets.length} of ${targets.length} targets healthy (${targets.map(name).join(", ")})`));
            }
        } catch (error) {
            results.push(fail("health.targets", service, errorText(error)));
        }
    }
    return results;
}

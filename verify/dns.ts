/**
 * DNS: every public host has its Route53 alias to the load balancer, and
 * resolves to the load balancer's addresses.
 */
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";

/** Lower case, no trailing dot, no `dualstack.` (Route53 aliases to an ALB may carry it). */
export function normalizeName(name: string): string {
    return name
        .toLowerCase()
        .replace(/\.$/, "")
        .replace(/^dualstack\./, "");
}

async function zoneId(ctx: VerifyContext): Promise<string> {
    const { hostedZone, hostedZoneId } = ctx.outputs.verify;
    if (hostedZoneId) {
        return hostedZoneId;
    }
    const answer = await ctx.aws.route53.send(new ListHostedZonesByNameCommand({ DNSName: hostedZone, MaxItems: 10 }));
    const zone = (answer.HostedZones ?? []).find((z) => normalizeName(z.Name ?? "") === normalizeName(hostedZone) && !z.Config?.PrivateZone);
    if (!zone?.Id) {
        throw new Error(`no public hosted zone named ${hostedZone} in this account`);
    }
    return zone.Id.replace(/^\/hostedzone\//, "");
}

export async function dnsChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const lb = normalizeName(ctx.outputs.loadBalancerDnsName);
    let zone: string;
    try {
        zone = await zoneId(ctx);
    } catch (error) {
        return ctx.outputs.verify.hosts.map((h) => fail("dns.alias", h.host, errorText(error)));
    }
    const lbAddresses = await ctx.resolve4(lb).catch(() => [] as string[]);
    const results: CheckResult[] = [];
    for (const { host } of ctx.outputs.verify.hosts) {
        try {
            const records = await ctx.aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: host, StartRecordType: "A", MaxItems: 1 }));
            const record = (records.ResourceRecordSets ?? []).find((r) => normalizeName(r.Name ?? "") === host && r.Type === "A");
            const target = record?.AliasTarget?.DNSName;
            if (!record) {
                results.push(fail("dns.alias", host, `no A record in zone ${zone}`));
            } else if (!target || normalizeName(target) !== lb) {
                results.push(fail("dns.alias", host, `A record points at ${target ?? (record.ResourceRecords ?? []).map((r) => r.Value).join(", ")}, not the load balancer ${lb}`));
            } else {
                results.push(pass("dns.alias", host, `A alias to ${lb} in zone ${zone}`));
            }
        } catch (error) {
            results.push(fail("dns.alias", host, errorText(error)));
        }
        try {
            const addresses = await ctx.resolve4(host);
            const shared = addresses.filter((a) => lbAddresses.includes(a));
            results.push(
                shared.length > 0
                    ? pass("dns.resolve", host, `resolves to ${addresses.join(", ")}, the load balancer's addresses`)
                    : fail("dns.resolve", host, `resolves to ${addresses.join(", ") || "nothing"}, the load balancer to ${lbAddresses.join(", ") || "nothing"}`),
            );
        } catch (error) {
            results.push(fail("dns.resolve", host, `does not resolve: ${errorText(error)}`));
        }
    }
    return results;
}

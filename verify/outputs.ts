/**
 * The stack outputs verify reads (`pulumi stack output --json --show-secrets`,
 * or the file given with `--outputs`), checked up front: a stack deployed
 * before verify existed has no `verify` output, and the message says so.
 * Pure: no Pulumi, no AWS.
 */
import { z } from "zod";
import { formatIssues } from "../lib/configSchema";

const ruleSchema = z.object({
    group: z.string(),
    direction: z.enum(["ingress", "egress"]),
    protocol: z.enum(["tcp", "-1"]),
    fromPort: z.number().optional(),
    toPort: z.number().optional(),
    peer: z.union([z.object({ securityGroup: z.string() }), z.object({ cidr: z.string() })]),
    source: z.string(),
});

export const verifyOutputsSchema = z.object({
    verify: z.object({
        region: z.string(),
        hosts: z.array(z.object({ service: z.string(), host: z.string(), healthPath: z.string() })),
        hostedZone: z.string(),
        hostedZoneId: z.string().optional(),
        iam: z.object({ apiserverUrl: z.string().optional(), authzUrl: z.string().optional() }),
        tlsPolicy: z.string(),
        tlsVersions: z.array(z.enum(["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"])),
        targetGroupArns: z.record(z.string(), z.string()),
        alarmNamePrefix: z.string(),
        alarmNames: z.record(z.string(), z.string()),
        securityGroupRules: z.array(ruleSchema),
        clusterSecurityGroupId: z.string(),
        dataStores: z.object({ rdsInstances: z.array(z.string()), docdbInstances: z.array(z.string()) }),
        karpenter: z.boolean(),
        certificateExpiryDays: z.number(),
        soakMinutes: z.number(),
    }),
    loadBalancerDnsName: z.string(),
    securityGroupIds: z.record(z.string(), z.string()),
    clusterName: z.string(),
    /** A string (YAML or JSON) or the object Pulumi prints for a JSON-typed output. */
    kubeconfig: z.union([z.string(), z.record(z.string(), z.unknown())]),
    appNamespace: z.string(),
    /** The Secrets Manager secret holding the generated admin password (the schema Job sets it). */
    adminPasswordSecretArn: z.string().optional(),
});

export type VerifyOutputs = z.output<typeof verifyOutputsSchema>;
export type VerifySettings = VerifyOutputs["verify"];

/** Parses the outputs; throws one error listing every missing or malformed output by name. */
export function parseOutputs(value: unknown, origin: string): VerifyOutputs {
    const parsed = verifyOutputsSchema.safeParse(value);
    if (!parsed.success) {
        const problems = formatIssues(parsed.error);
        throw new Error(`${origin} lacks outputs verify needs (was the stack deployed by this version? run pulumi up first):\n  - ${problems.join("\n  - ")}`);
    }
    return parsed.data;
}

/**
 * `cluster.guardDuty`: GuardDuty EKS Runtime Monitoring, the cluster side (the
 * `aws-guardduty-agent` add-on). The account-level detector is the account
 * owner's business, not this stack's (docs/cluster.md). Pure: zod only.
 */
import { z } from "zod";

const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

export const guardDutySchema = z
    .strictObject(
        {
            runtimeMonitoring: z.boolean({ error: "must be true or false (the GuardDuty security agent on every node)" }).default(false).meta({
                description:
                    "Install the aws-guardduty-agent EKS add-on (a privileged DaemonSet in amazon-guardduty) and a guardduty-data VPC endpoint. Needs the account's detector with Runtime Monitoring on. Default off.",
            }),
            addonVersion: z
                .string({ error: "must be a string" })
                .regex(ADDON_VERSION, {
                    error: "must be an EKS add-on version like v1.10.0-eksbuild.2 (aws eks describe-addon-versions --addon-name aws-guardduty-agent --kubernetes-version <version>)",
                })
                .optional()
                .meta({ description: "The pinned add-on version for the cluster's Kubernetes version; required when runtimeMonitoring is on." }),
        },
        { error: (issue) => (issue.code === "invalid_type" ? "must be a map: runtimeMonitoring, addonVersion" : undefined) },
    )
    .refine((g) => !g.runtimeMonitoring || g.addonVersion !== undefined, {
        error: "is required when runtimeMonitoring is on: pin it (aws eks describe-addon-versions --addon-name aws-guardduty-agent --kubernetes-version <version>)",
        path: ["addonVersion"],
    })
    .default({ runtimeMonitoring: false });

export type GuardDutyConfig = z.output<typeof guardDutySchema>;

/**
 * The `verify` section, declared once: what `npm run verify -- <stack>`
 * holds the live stack to, beyond what the other sections already say
 * (hosts, TLS policy, access matrix, alarms). Every key has a default, so a
 * stack file needs no `verify` section. Pure: no Pulumi.
 */
import { z } from "zod";
import { wholeNumber } from "../lib/configSchema";

export const VERIFY_DEFAULTS = {
    /**
     * A certificate this close to its end fails verify. ACM starts renewing a
     * DNS-validated certificate 60 days before it expires (ACM User Guide,
     * "Managed certificate renewal"), so at 30 days left renewal has already
     * failed for a month: someone must look.
     */
    certificateExpiryDays: 30,
    /** Minutes staging's alarms must stay OK after its verify before prod's update starts (deploy.yml). */
    soakMinutes: 30,
} as const;

export const verifySchema = z
    .strictObject({
        certificateExpiryDays: wholeNumber(1, 365)
            .default(VERIFY_DEFAULTS.certificateExpiryDays)
            .meta({ description: "Days before a public certificate's expiry from which `npm run verify` fails, 1-365 (ACM renews at 60). Default 30." }),
        soakMinutes: wholeNumber(0, 1440).default(VERIFY_DEFAULTS.soakMinutes).meta({
            description: "Minutes this stack's alarms must stay OK after a green verify before the next stage's update (`npm run verify -- <stack> --soak`), 0-1440. Default 30.",
        }),
    })
    .prefault({})
    .meta({ description: "What `npm run verify` holds the live stack to: certificate expiry margin, alarm soak before promotion." });

export type VerifyConfig = z.output<typeof verifySchema>;

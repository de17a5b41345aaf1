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
     * A certificate this close to its end fails verify. ACM renews a
     * DNS-validated certificate by itself and, when it cannot validate a
     * domain, sends Health/EventBridge events 45, 30, 15, 7, 3 and 1 days
     * before expiry (ACM User Guide, "Renewal for domains validated by
     * email"/"by DNS", checked 2026-12-07): at 30 days left its renewal has
     * been failing for two weeks, and someone must look.
     */
    certificateExpiryDays: 30,
    /** Minutes staging's alarms must stay OK after its verify before prod's update starts (deploy.yml). */
    soakMinutes: 30,
} as const;

export const verifySchema = z
    .strictObject({
        certificateExpiryDays: wholeNumber(1, 365)
            .default(VERIFY_DEFAULTS.certificateExpiryDays)
            .meta({ description: "Days before a public certificate's expiry from which `npm run verify` fails, 1-365 (ACM reports a failing renewal from 45 days). Default 30." }),
        // At most 90: the deploy workflow's soak job runs verify first, then the soak, within its 120-minute timeout and 2-hour session.
        soakMinutes: wholeNumber(0, 90).default(VERIFY_DEFAULTS.soakMinutes).meta({
            description:
                "Minutes this stack's alarms must stay OK after a green verify before the next stage's update (`npm run verify -- <stack> --soak`), 0-90 (the deploy workflow's soak job has 120 minutes and a 2-hour session). Default 30.",
        }),
    })
    .prefault({})
    .meta({ description: "What `npm run verify` holds the live stack to: certificate expiry margin, alarm soak before promotion." });

export type VerifyConfig = z.output<typeof verifySchema>;

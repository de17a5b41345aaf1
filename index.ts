/**
 * Entry point for `pulumi preview` / `pulumi up`: validate the whole stack
 * config first (nothing is created when it is invalid; the clock is
 * `IAM_NOW` or the real time, lib/clock.ts), log its warnings, look every
 * image up in the registry (nothing is created when one is missing), then
 * deploy. An async program: Pulumi awaits it, and every property of what it
 * returns (`deployStack`'s outputs) is a stack output.
 */
import { loadRdsCaBundle } from "./data/caBundle";
import { clockNow } from "./lib/clock";
import { deployEnvironment } from "./stack";
import { loadStackConfig, logConfigWarnings } from "./stackConfig";

export = async () => {
    // One clock for the run (IAM_NOW or the real time): the support-window check and the CA bundle's validity see the same day.
    const now = clockNow();
    const config = loadStackConfig(now);
    logConfigWarnings(config);
    return deployEnvironment(config, { rdsCaBundle: (region) => loadRdsCaBundle(region, process.env, now), now });
};

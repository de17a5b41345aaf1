/**
 * The running stack's config, read through the Pulumi SDK and validated by
 * `config.ts` (which stays pure, so its tests load no cloud SDK). Used by the
 * entry point (`index.ts`) and the test harness's program runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseStackConfig, RawStackConfig, REGION_KEY, StackConfig } from "./config";
import { clockNow } from "./lib/clock";

/**
 * Reads the `iam:*` keys of the running stack's config. Object values arrive
 * as JSON text (that is how Pulumi passes structured config to programs).
 */
export function readRawConfig(now: Date = clockNow()): RawStackConfig {
    const values: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    const awsKeys: string[] = [];
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith("aws:")) {
            awsKeys.push(key);
        }
        if (!key.startsWith(prefix)) {
            continue;
        }
        values[key.slice(prefix.length)] = parseConfigText(text);
        if (isConfigSecret(key)) {
            secretKeys.push(key.slice(prefix.length));
        }
    }
    return { stack: pulumi.getStack(), region: pulumi.runtime.getConfig(REGION_KEY), values, now, secretKeys, awsKeys };
}

/**
 * Whether the CLI handed `key` over as a secret (`secure:` in the stack file).
 * The SDK keeps the list where `pulumi.runtime.setAllConfig` put it and reads
 * it with `runtime.isConfigSecret`, exported but marked internal (so not in
 * its types): @pulumi/pulumi 3.248.0, runtime/config.js.
 */
function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(key) ?? false;
}

function parseConfigText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The validated config of the running stack, as of `now` (default: `clockNow()`, lib/clock.ts). */
export function loadStackConfig(now: Date = clockNow()): StackConfig {
    return parseStackConfig(readRawConfig(now));
}

/**
 * Shows every config warning on the run: `pulumi.log.warn` by default, so
 * `pulumi preview` and `pulumi up` print them under "Diagnostics" each time.
 */
export function logConfigWarnings(config: Pick<StackConfig, "warnings">, warn: (message: string) => void = (m) => pulumi.log.warn(m)): void {
    for (const warning of config.warnings) {
        warn(`config: ${warning}`);
    }
}

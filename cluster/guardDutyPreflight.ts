/**
 * The precondition of `cluster.guardDuty.runtimeMonitoring`, checked at
 * preview before anything is created: the stack installs the GuardDuty
 * agent itself (the `aws-guardduty-agent` add-on, cluster/guardDutyRuntime.ts)
 * and its `guardduty-data` VPC endpoint (network/vpcEndpoints.ts). If the
 * account's detector manages the agent itself (Runtime Monitoring with
 * automated agent configuration for EKS: the feature `RUNTIME_MONITORING`, or
 * the older `EKS_RUNTIME_MONITORING`, with the additional configuration
 * `EKS_ADDON_MANAGEMENT` ENABLED), GuardDuty creates its own add-on and
 * endpoint in every cluster and VPC of the account, and the stack's collide
 * with them (an add-on exists once per cluster; a second private-DNS endpoint
 * for one service in a VPC is refused). Sources: GuardDuty User Guide, "How
 * Runtime Monitoring works with Amazon EKS clusters" (automated agent
 * configuration creates the VPC endpoint and deploys the add-on) and
 * "Configuring EKS Runtime Monitoring for a standalone account (API)"
 * (feature EKS_RUNTIME_MONITORING / RUNTIME_MONITORING, additional
 * configuration EKS_ADDON_MANAGEMENT); checked 2026-12-07.
 *
 * The detector is read with `aws.guardduty.getDetector` (@pulumi/aws 7.48:
 * `features[].name/status/additionalConfigurations[]`), which needs
 * `guardduty:ListDetectors` and `guardduty:GetDetector`. When it cannot be read
 * (no detector, no permission) the check warns and the stack goes on: the
 * agent then reports nothing until the account owner turns Runtime Monitoring
 * on, which is theirs to do (docs/cluster.md).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { GuardDutyConfig } from "./guardDutySchema";

/** What the check reads of the detector (the shape `aws.guardduty.getDetector` returns). */
export interface DetectorView {
    id: string;
    features: readonly { name: string; status: string; additionalConfigurations: readonly { name: string; status: string }[] }[];
}

/** The features that carry EKS runtime monitoring: the unified one and the older EKS-only one. */
const RUNTIME_FEATURES = ["RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"];
const EKS_AGENT_MANAGEMENT = "EKS_ADDON_MANAGEMENT";
const FIELD = "cluster.guardDuty.runtimeMonitoring";

/** The preview cannot go on: the account's GuardDuty installs the agent and endpoint the stack would. */
export class GuardDutyAgentConflictError extends pulumi.RunError {
    constructor(message: string) {
        super(message);
        this.name = "GuardDutyAgentConflictError";
    }
}

/**
 * What the detector means for a stack that installs the agent itself (pure):
 * a `problem` when GuardDuty manages the EKS agent (the stack's add-on and
 * endpoint would collide with GuardDuty's), a `warning` when nothing would
 * report (no detector, Runtime Monitoring off), or neither.
 */
export function guardDutyAgentCheck(detector: DetectorView | undefined, region: string): { problem?: string; warning?: string } {
    if (!detector) {
        return {
            warning: `${FIELD} is on, but the account has no GuardDuty detector in ${region}: the agent runs and GuardDuty receives nothing until the account owner enables GuardDuty with Runtime Monitoring (docs/cluster.md, GuardDuty)`,
        };
    }
    const runtime = detector.features.filter((f) => RUNTIME_FEATURES.includes(f.name) && f.status === "ENABLED");
    const managed = runtime.find((f) => f.additionalConfigurations.some((c) => c.name === EKS_AGENT_MANAGEMENT && c.status === "ENABLED"));
    if (managed) {
        return {
            problem:
                `${FIELD} is on, but GuardDuty detector ${detector.id} manages the EKS agent itself (${managed.name} with ${EKS_AGENT_MANAGEMENT} ENABLED, automated agent configuration): ` +
                `it creates its own aws-guardduty-agent add-on and guardduty-data VPC endpoint, which collide with the stack's. ` +
                `Set ${FIELD}: false (GuardDuty then runs the agent), or turn automated agent configuration for EKS off in GuardDuty (docs/cluster.md, GuardDuty)`,
        };
    }
    if (runtime.length === 0) {
        return {
            warning: `${FIELD} is on, but GuardDuty detector ${detector.id} has Runtime Monitoring off (${RUNTIME_FEATURES.join(" / ")} not ENABLED): the agent runs and produces no findings until the account owner turns it on`,
        };
    }
    return {};
}

/** How the detector is read; a test passes its own. */
export type DetectorLookUp = (region: string) => Promise<DetectorView>;

const lookUpDetector: DetectorLookUp = async (region) => {
    const found = await aws.guardduty.getDetector({ region });
    return { id: found.id, features: found.features ?? [] };
};

/**
 * Checks the precondition when the stack installs the agent (nothing is read
 * otherwise): throws GuardDutyAgentConflictError naming the field when
 * GuardDuty manages the agent; returns the warnings to show otherwise.
 */
export async function checkGuardDuty(config: GuardDutyConfig, region: string, lookUp: DetectorLookUp = lookUpDetector): Promise<string[]> {
    if (!config.runtimeMonitoring) {
        return [];
    }
    let detector: DetectorView | undefined;
    try {
        detector = await lookUp(region);
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!/no .*detector|not found|empty result/i.test(message)) {
            return [
                `${FIELD}: could not read the account's GuardDuty detector in ${region} (needs guardduty:ListDetectors and guardduty:GetDetector), so whether GuardDuty manages the EKS agent itself is unchecked: ${message.split("\n")[0]}`,
            ];
        }
    }
    const { problem, warning } = guardDutyAgentCheck(detector, region);
    if (problem) {
        throw new GuardDutyAgentConflictError(problem);
    }
    return warning ? [warning] : [];
}

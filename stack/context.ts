/**
 * What every area's wiring (stack/*.ts) shares with the composition root
 * (stack.ts): the stack context, the deploy-time inputs and the tags. Kept
 * here, not in stack.ts, so the wiring never imports the root that calls it
 * (no import cycle); stack.ts re-exports `DeployInputs` and `stackTags`.
 */
import type * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import type { ResolvedImage } from "../registry/imagePlan";

/** What every area's wiring takes from the composition root. */
export interface StackContext {
    /** The first part of every component's name (`iam`): it is in every URN, so it never changes. */
    readonly name: string;
    /** The validated stack config. */
    readonly config: StackConfig;
    /** The stack's one AWS provider (allowed account, default tags): every AWS resource is created with it. */
    readonly awsProvider: aws.Provider;
}

/** The tags every AWS resource carries: one merge, in one place (the provider's default tags). */
export function stackTags(config: StackConfig): Record<string, string> {
    return {
        ...config.tags,
        project: "iam",
        environment: config.environment,
        "pulumi-stack": config.stack,
        "managed-by": "pulumi",
    };
}

/** What the program takes from outside the stack config, at deploy time. */
export interface DeployInputs {
    /**
     * The Amazon RDS CA bundle for the region, checked (`loadRdsCaBundle` in
     * data/caBundle.ts fetches it); called only when a store is used.
     */
    rdsCaBundle: (region: string) => Promise<string>;
    /**
     * Each service's image as the registry has it, by service name
     * (`lookUpImages`); the repositories themselves are the registry
     * project's (registry/), this stack creates none.
     */
    images: Readonly<Record<string, ResolvedImage>>;
    /** "Now" of the run (lib/clock.ts): the internal certificates' renewal warnings compare with it. Default `clockNow()`. */
    now?: Date;
}

/** The Karpenter settings when Karpenter is the autoscaler, else undefined (the network, the cluster and the pod floors read it). */
export function karpenterConfigOf(config: StackConfig): StackConfig["cluster"]["karpenter"] {
    return config.cluster.autoscaler === "karpenter" ? config.cluster.karpenter : undefined;
}

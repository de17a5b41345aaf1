/**
 * The environments a stack can be, what differs between them across areas,
 * and the context every area's config schema is built for. Area defaults live
 * in the areas (`<area>/schema.ts`); only what several areas read is here.
 */

export const ENVIRONMENTS = ["prod", "staging"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface EnvironmentDefaults {
    /** One NAT gateway per zone survives a zone outage; one shared is cheaper. */
    natGateways: "perAz" | "single";
    /** Stateful resources get `protect` (and deletion protection where AWS has it). */
    protectStatefulResources: boolean;
    /** The fewest availability zones the environment may span. */
    minZones: number;
    /**
     * Every workload's HPA minimum by default, and the lowest one allowed:
     * in prod two pods (in two zones) survive a node drain or a zone outage.
     */
    minReplicas: number;
}

export const ENVIRONMENT_DEFAULTS: Record<Environment, EnvironmentDefaults> = {
    prod: { natGateways: "perAz", protectStatefulResources: true, minZones: 3, minReplicas: 2 },
    staging: { natGateways: "single", protectStatefulResources: false, minZones: 2, minReplicas: 1 },
};

/**
 * What a section's schema is built for: the environment picks defaults and
 * prod-only rules; the rest are facts outside the section that it names or
 * checks against. A value that is itself invalid is "" here (its problem is
 * reported once, where it is written), and rules that need it stay silent.
 */
export interface SchemaContext {
    environment: Environment;
    /** The Pulumi stack name (names the cluster and the data stores). */
    stack: string;
    /** `aws:region`. */
    region: string;
    /** `iam:domain`: every public host lives under it. */
    domain: string;
    /** "Now" for every dated check (end of EKS standard support): lib/clock.ts when run, a pinned day in tests. */
    now: Date;
    /**
     * Records a warning about a valid config (`path` then `message`, as for a
     * problem): it does not stop the program; index.ts logs it and the render
     * prints it. Only a value that parsed may be warned about.
     */
    warn(path: string, message: string): void;
}

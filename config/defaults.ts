/**
 * Every default of the stack config, in one place. `prod` and `staging`
 * differ only where a line here says so; everything else is in the stack
 * config files.
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
}

export const ENVIRONMENT_DEFAULTS: Record<Environment, EnvironmentDefaults> = {
    prod: { natGateways: "perAz", protectStatefulResources: true, minZones: 3 },
    staging: { natGateways: "single", protectStatefulResources: false, minZones: 2 },
};

export const NETWORK_DEFAULTS = {
    /** /19 per zone: the VPC CNI gives each pod a VPC address, so private subnets are large. */
    privateSubnetPrefix: 19,
    /** /22 per zone: only the load balancer's and NAT gateways' interfaces live here. */
    publicSubnetPrefix: 22,
} as const;

export const REGISTRY_DEFAULTS = {
    untaggedImageExpiryDays: 7,
    keepTaggedImages: 30,
} as const;

/** Service NodePorts must be in the Kubernetes default NodePort range. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

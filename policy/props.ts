/**
 * Reading resource properties the way a policy sees them, pure.
 *
 * Under `pulumi preview` the policy SDK hands rules a proxy that throws when
 * a rule *reads* a value that is not known yet (the SDK then reports "can't
 * run during preview" instead of a verdict). `isSet` asks whether a key is
 * present without reading it, so a rule that only needs "is there a KMS key"
 * still gives a verdict on a fresh stack, whose key ARN is unknown.
 */

export type Props = Record<string, unknown>;

/** A resource as the stack-level rules see it (from the policy SDK or from the test harness). */
export interface PolicyResource {
    type: string;
    name: string;
    urn: string;
    /** Inputs (resource rules) or outputs (stack rules): the resource's properties. */
    props: Props;
    /** The resources each property's value came from, by URN (how rules link an ingress rule to its group). */
    propertyDependencies: Record<string, string[]>;
}

export function isObject(value: unknown): value is Props {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested property by dotted path (`vpcConfig.publicAccessCidrs`); undefined when any step is missing. */
export function at(props: unknown, path: string): unknown {
    let value: unknown = props;
    for (const key of path.split(".")) {
        if (!isObject(value)) {
            return undefined;
        }
        value = value[key];
    }
    return value;
}

/** True when `key` holds a value, without reading it (an unknown preview value counts as set). */
export function isSet(props: unknown, key: string): boolean {
    if (!isObject(props)) {
        return false;
    }
    const descriptor = Object.getOwnPropertyDescriptor(props, key);
    return descriptor !== undefined && descriptor.value !== undefined && descriptor.value !== null && descriptor.value !== "";
}

export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
    return list(value).filter((v): v is string => typeof v === "string");
}

export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value === "string" && /^-?\d+$/.test(value)) {
        return Number(value);
    }
    return undefined;
}

/** A string map (labels, matchLabels); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
    if (!isObject(value)) {
        return {};
    }
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * The resource types in a URN's type chain, outermost first:
 * `urn:pulumi:s::p::iam:workload:Workload$kubernetes:apps/v1:Deployment::n`
 * gives the component and then the Deployment.
 */
export function urnTypeChain(urn: string): string[] {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2].split("$") : [];
}

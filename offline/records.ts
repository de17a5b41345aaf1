/**
 * What an offline run records (offline/mockRun.ts): every resource the program
 * registered, with its inputs, options and dependencies, and the stack
 * outputs; and the queries the render, the scripts and the tests ask of them.
 * Pure: no Pulumi.
 */
import type { StackConfig } from "../config";

export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    /** The parent's URN; the stack itself has none. */
    parent?: string;
    custom: boolean;
    /** The inputs as the program gave them; secret values are replaced by "[secret]". */
    inputs: Record<string, unknown>;
    /** Dotted paths of inputs that were Pulumi secrets. */
    secretPaths: string[];
    /** URNs this resource waits for (explicit `dependsOn` and every input's resources). */
    dependencies: string[];
    /** For each input property, the URNs of the resources its value came from (how policies link resources). */
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    deleteBeforeReplace: boolean;
    /** The provider reference (`urn::id`), when one is set. */
    provider?: string;
    /** The providers handed to a (remote) component by package (`aws` -> `urn::id`). */
    providers: Record<string, string>;
}

export interface StackRun {
    stack: string;
    preview: boolean;
    config: StackConfig;
    resources: ResourceRecord[];
    outputs: Record<string, ResolvedOutput>;
    /**
     * The outputs whose values come from resources (ids, ARNs, endpoints):
     * offline, those are what the mocks answered, not what AWS will. The others
     * are computed from config alone.
     */
    mockedOutputs: string[];
}

export interface ResolvedOutput {
    known: boolean;
    secret: boolean;
    value: unknown;
}

export const UNKNOWN = "<computed>";
export const SECRET = "[secret]";

/** The records of one type. */
export function ofType(run: StackRun, type: string): ResourceRecord[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one record of a type in a run; throws when there is none or more than one. */
export function onlyOfType(run: StackRun, type: string): ResourceRecord {
    const found = ofType(run, type);
    if (found.length !== 1) {
        throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ") || "none"}`);
    }
    return found[0];
}

/** The one record of a type and name; throws when it is not there. */
export function resource(run: StackRun, type: string, name: string): ResourceRecord {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        const names = ofType(run, type).map((r) => r.name);
        throw new Error(`no ${type} named ${name} (have: ${names.join(", ") || "none"})`);
    }
    return found;
}

/** Every URN a resource waits for, directly or through other resources (components expanded). */
export function transitiveDependencies(run: StackRun, urn: string): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of run.resources) {
        if (r.parent) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
        }
    }
    const seen = new Set<string>();
    const stack = [...(byUrn.get(urn)?.dependencies ?? [])];
    while (stack.length > 0) {
        const next = stack.pop() as string;
        if (seen.has(next)) {
            continue;
        }
        seen.add(next);
        stack.push(...(byUrn.get(next)?.dependencies ?? []));
        // Waiting for a component means waiting for everything inside it.
        stack.push(...(children.get(next) ?? []));
    }
    return seen;
}

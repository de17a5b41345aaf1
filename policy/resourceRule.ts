/**
 * What a resource rule is: the type rules.ts and the rule files
 * (hardeningRules.ts, workloadRules.ts) share. A leaf module, so the rule
 * files need not import rules.ts, which imports them (no import cycle:
 * .dependency-cruiser.cjs).
 */
import type { Props } from "./props";

export interface ResourceRule {
    /** Unique policy name (kebab-case), shown in `pulumi preview` output. */
    name: string;
    description: string;
    /** The resource types the rule applies to; it is not run for any other. */
    types: readonly string[];
    /** The violations of one resource; `urn` tells where the resource sits (for scoping). */
    check(props: Props, type: string, urn: string): string[];
}

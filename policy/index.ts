/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy` (and
 * `pulumi up --policy-pack policy`) runs the guardrails of rules.ts on every
 * resource before it is created or updated, and stackRules.ts on the whole
 * stack. Every policy is mandatory: a violation fails the preview or the update.
 */
import { PolicyPack, PolicyResource as SdkResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyResource } from "./props";
import { RESOURCE_RULES } from "./rules";
import { STACK_RULES } from "./stackRules";

/** The pack's policy name as the CLI shows it. */
export const PACK_NAME = "iam-guardrails";

function asPolicyResource(resource: SdkResource): PolicyResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, resources] of Object.entries(resource.propertyDependencies)) {
        propertyDependencies[property] = resources.map((r) => r.urn);
    }
    return { type: resource.type, name: resource.name, urn: resource.urn, props: resource.props, propertyDependencies };
}

export const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!rule.types.includes(args.type)) {
            return;
        }
        for (const message of rule.check(args.props, args.type, args.urn)) {
            reportViolation(message);
        }
    },
}));

export const stackPolicies: StackValidationPolicy[] = STACK_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const violation of rule.check(args.resources.map(asPolicyResource))) {
            reportViolation(violation.message, violation.urn);
        }
    },
}));

new PolicyPack(PACK_NAME, {
    description: "Guardrails of the IAM system's stack: public ingress, data-store access, TLS, ECR, EKS endpoint and secrets, workload hardening",
    enforcementLevel: "mandatory",
    policies: [...resourcePolicies, ...stackPolicies],
});

/**
 * The Kubernetes workload guardrails, pure: every application Deployment's
 * containers have probes and resources and run as non-root without
 * privilege escalation. (That each also has an HPA and a PDB is a stack rule:
 * see stackRules.ts.)
 */
import { at, isObject, isSet, list, num, Props, str, urnTypeChain } from "./props";
import type { ResourceRule } from "./resourceRule";

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/**
 * Deployments rendered by a Helm chart (metrics-server, cluster-autoscaler)
 * are the chart's, configured through its values; the rules cover the
 * Deployments this program declares itself.
 */
export function isDeclaredDeployment(urn: string): boolean {
    return !urnTypeChain(urn).some((type) => type.startsWith("kubernetes:helm.sh/"));
}

/**
 * A Deployment that is a placeholder, not a service (headroom's pause pods:
 * nothing to probe, sized by config, meant to be preempted), says so here
 * with the reason as the value. It is then exempt from the probe and
 * HPA/PDB rules, never from resources or non-root.
 */
export const PLACEHOLDER_ANNOTATION = "guardrails.iam/placeholder";

/** The stated reason a Deployment is a placeholder, or undefined (a reason under 10 characters is no reason). */
export function placeholderReason(deployment: Props): string | undefined {
    // Not through `at`: the annotation key itself contains dots.
    const annotations = at(deployment, "metadata.annotations");
    const reason = isObject(annotations) ? str(annotations[PLACEHOLDER_ANNOTATION]) : undefined;
    return reason !== undefined && reason.trim().length >= 10 ? reason : undefined;
}

export interface NamedContainer {
    name: string;
    init: boolean;
    container: Props;
}

export function podContainers(deployment: Props): NamedContainer[] {
    const spec = at(deployment, "spec.template.spec");
    const named =
        (init: boolean) =>
        (container: unknown, index: number): NamedContainer => {
            const props = isObject(container) ? container : {};
            return { name: str(props.name) ?? `#${index}`, init, container: props };
        };
    return [...list(at(spec, "initContainers")).map(named(true)), ...list(at(spec, "containers")).map(named(false))];
}

function label(c: NamedContainer): string {
    return `${c.init ? "init container" : "container"} ${c.name}`;
}

const probesAndResources: ResourceRule = {
    name: "workload-probes-and-resources",
    description:
        "Every container of a Deployment has readiness and liveness probes (init containers and annotated placeholders excepted), CPU and memory requests and a memory limit.",
    types: [DEPLOYMENT],
    check(props, _type, urn) {
        if (!isDeclaredDeployment(urn)) {
            return [];
        }
        const containers = podContainers(props);
        if (containers.every((c) => c.init)) {
            return ["the pod template has no containers"];
        }
        const placeholder = placeholderReason(props) !== undefined;
        return containers.flatMap((c) => {
            const missing: string[] = [];
            if (!c.init && !placeholder) {
                for (const probe of ["readinessProbe", "livenessProbe"]) {
                    if (!isSet(c.container, probe)) {
                        missing.push(probe);
                    }
                }
            }
            const resources = c.container.resources;
            for (const path of ["requests.cpu", "requests.memory", "limits.memory"]) {
                const [group, key] = path.split(".");
                if (!isSet(at(resources, group), key)) {
                    missing.push(`resources.${path}`);
                }
            }
            return missing.length > 0 ? [`${label(c)} has no ${missing.join(", ")}`] : [];
        });
    },
};

const nonRoot: ResourceRule = {
    name: "workload-runs-as-non-root",
    description: "Every container runs as non-root (runAsNonRoot, not UID 0), unprivileged and without privilege escalation.",
    types: [DEPLOYMENT],
    check(props, _type, urn) {
        if (!isDeclaredDeployment(urn)) {
            return [];
        }
        const pod = at(props, "spec.template.spec.securityContext");
        return podContainers(props).flatMap((c) => {
            const own = c.container.securityContext;
            // A container's securityContext overrides the pod's for the fields both have.
            const effective = (key: string): unknown => (isObject(own) && own[key] !== undefined ? own[key] : at(pod, key));
            const problems: string[] = [];
            if (effective("runAsNonRoot") !== true) {
                problems.push("runAsNonRoot is not true");
            }
            if (num(effective("runAsUser")) === 0) {
                problems.push("runAsUser is 0 (root)");
            }
            if (at(own, "privileged") === true) {
                problems.push("it is privileged");
            }
            if (at(own, "allowPrivilegeEscalation") !== false) {
                problems.push("allowPrivilegeEscalation is not false");
            }
            return problems.length > 0 ? [`${label(c)}: ${problems.join("; ")}`] : [];
        });
    },
};

export const WORKLOAD_RULES: readonly ResourceRule[] = [probesAndResources, nonRoot];

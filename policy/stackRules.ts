/**
 * Guardrails that need more than one resource to judge, pure: they take the
 * whole list of resources (with the URNs each property came from) and return
 * violations, each naming the offending resource's URN.
 */
import { ingressPermissions, isWorldCidr, TYPES as INGRESS_TYPES } from "./ingress";
import { at, num, PolicyResource, str, stringMap } from "./props";
import { isHttpsRedirect, TYPES } from "./rules";
import { DEPLOYMENT, isDeclaredDeployment, placeholderReason } from "./workloadRules";

export interface StackViolation {
    message: string;
    /** The resource the violation is about. */
    urn: string;
}

export interface StackRule {
    name: string;
    description: string;
    check(resources: readonly PolicyResource[]): StackViolation[];
}

const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENER_RULES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

function deps(resource: PolicyResource, property: string): string[] {
    return resource.propertyDependencies[property] ?? [];
}

const worldIngressOnLoadBalancer: StackRule = {
    name: "world-ingress-only-on-load-balancer",
    description: "Ingress from the internet is opened only on a security group attached to a load balancer.",
    check(resources) {
        const loadBalancerGroups = new Set(resources.filter((r) => LOAD_BALANCERS.includes(r.type)).flatMap((r) => deps(r, "securityGroups")));
        return resources.flatMap((r) => {
            const world = ingressPermissions(r.type, r.props).some((p) => p.cidrs.some(isWorldCidr));
            if (!world) {
                return [];
            }
            // A rule names its group in securityGroupId; an inline block belongs to the group itself.
            const groups = r.type === INGRESS_TYPES.securityGroup ? [r.urn] : deps(r, "securityGroupId");
            const elsewhere = groups.length === 0 || groups.some((g) => !loadBalancerGroups.has(g));
            return elsewhere
                ? [
                      {
                          urn: r.urn,
                          message: `${r.name} opens ingress from the internet on a security group no load balancer uses${groups.length === 0 ? " (a literal group id)" : ""}`,
                      },
                  ]
                : [];
        });
    },
};

const httpListenerRulesRedirect: StackRule = {
    name: "http-listener-rules-redirect-to-https",
    description: "Listener rules on a plain-HTTP listener only redirect to HTTPS; none forwards around the redirect.",
    check(resources) {
        const httpListeners = new Set(
            resources.filter((r) => (TYPES.listener as readonly string[]).includes(r.type) && str(r.props.protocol)?.toUpperCase() === "HTTP").map((r) => r.urn),
        );
        return resources
            .filter((r) => LISTENER_RULES.includes(r.type) && deps(r, "listenerArn").some((urn) => httpListeners.has(urn)))
            .filter((r) => !(Array.isArray(r.props.actions) && r.props.actions.length > 0 && r.props.actions.every(isHttpsRedirect)))
            .map((r) => ({ urn: r.urn, message: `${r.name} is a rule on an HTTP listener that does not redirect to HTTPS (443, HTTP_301)` }));
    },
};

interface KubeObject {
    resource: PolicyResource;
    name?: string;
    namespace: string;
}

function kube(resource: PolicyResource): KubeObject {
    return {
        resource,
        name: str(at(resource.props, "metadata.name")),
        namespace: str(at(resource.props, "metadata.namespace")) ?? "default",
    };
}

/** True when every matchLabels entry is a label of the pod template (and there is at least one). */
export function selects(selector: unknown, podLabels: Record<string, string>): boolean {
    const matchLabels = stringMap(at(selector, "matchLabels"));
    const entries = Object.entries(matchLabels);
    return entries.length > 0 && entries.every(([key, value]) => podLabels[key] === value);
}

/** Why a PDB would block every voluntary eviction (node drains hang), or undefined when it lets one pod go. */
export function blocksDrains(pdb: PolicyResource, minReplicas: number): string | undefined {
    const spec = at(pdb.props, "spec");
    const maxUnavailable = at(spec, "maxUnavailable");
    const minAvailable = at(spec, "minAvailable");
    if (maxUnavailable === 0 || maxUnavailable === "0%") {
        return "maxUnavailable is 0";
    }
    if (minAvailable === "100%") {
        return "minAvailable is 100%";
    }
    const min = num(minAvailable);
    if (min !== undefined && min >= minReplicas) {
        return `minAvailable ${min} is not below the HPA's minReplicas ${minReplicas}`;
    }
    return undefined;
}

const deploymentScaledAndBudgeted: StackRule = {
    name: "deployment-has-hpa-and-pdb",
    description:
        "Every Deployment (but an annotated placeholder) has either an autoscaling/v2 HPA targeting it or a fixed spec.replicas (never both), and a policy/v1 PDB selecting its pods that still lets a node drain.",
    check(resources) {
        const hpas = resources.filter((r) => r.type === HPA).map(kube);
        const pdbs = resources.filter((r) => r.type === PDB).map(kube);
        return resources
            .filter((r) => r.type === DEPLOYMENT && isDeclaredDeployment(r.urn) && placeholderReason(r.props) === undefined)
            .map(kube)
            .flatMap((deployment): StackViolation[] => {
                const what = `Deployment ${deployment.namespace}/${deployment.name ?? deployment.resource.name}`;
                const urn = deployment.resource.urn;
                if (deployment.name === undefined) {
                    return [{ urn, message: `${what} has no metadata.name, so no HPA can target it` }];
                }
                const problems: StackViolation[] = [];
                const hpa = hpas.find(
                    (h) =>
                        h.namespace === deployment.namespace &&
                        at(h.resource.props, "spec.scaleTargetRef.kind") === "Deployment" &&
                        at(h.resource.props, "spec.scaleTargetRef.name") === deployment.name,
                );
                const fixed = num(at(deployment.resource.props, "spec.replicas"));
                if (!hpa && fixed === undefined) {
                    problems.push({ urn, message: `${what} has no autoscaling/v2 HorizontalPodAutoscaler targeting it (nor a fixed spec.replicas)` });
                }
                if (hpa && fixed !== undefined) {
                    problems.push({ urn, message: `${what} sets spec.replicas (${fixed}) and has an HPA: every update would reset the HPA's count; drop one` });
                }
                const podLabels = stringMap(at(deployment.resource.props, "spec.template.metadata.labels"));
                const pdb = pdbs.find((p) => p.namespace === deployment.namespace && selects(at(p.resource.props, "spec.selector"), podLabels));
                if (!pdb) {
                    problems.push({ urn, message: `${what} has no policy/v1 PodDisruptionBudget selecting its pods` });
                } else {
                    const minReplicas = hpa ? (num(at(hpa.resource.props, "spec.minReplicas")) ?? 1) : (fixed ?? 1);
                    const blocked = blocksDrains(pdb.resource, minReplicas);
                    if (blocked) {
                        problems.push({ urn: pdb.resource.urn, message: `the PodDisruptionBudget of ${what} blocks node drains: ${blocked}` });
                    }
                }
                return problems;
            });
    },
};

export const STACK_RULES: readonly StackRule[] = [worldIngressOnLoadBalancer, httpListenerRulesRedirect, deploymentScaledAndBudgeted];

export function stackViolations(resources: readonly PolicyResource[]): { rule: string; message: string; urn: string }[] {
    return STACK_RULES.flatMap((rule) => rule.check(resources).map((v) => ({ rule: rule.name, ...v })));
}

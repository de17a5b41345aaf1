/**
 * Guardrails of the hardening round, pure: service trusts carry
 * confused-deputy conditions, every namespace enforces a Pod Security level,
 * and an HPA can scale. Each returns the violations of one resource.
 */
import { at, isObject, num, Props, str, stringMap } from "./props";
import type { ResourceRule } from "./resourceRule";

export const IAM_ROLE = "aws:iam/role:Role";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const HPA_TYPE = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

/**
 * Service principals a role may trust without `aws:SourceAccount` /
 * `aws:SourceArn`: EC2 (instance profiles: the instance is the caller, there
 * is no source to name) and EKS (the cluster role; EKS documents no source
 * condition for it). Every other service acts on behalf of a resource, and a
 * trust without a source condition lets that service act for any account's
 * resource (the confused deputy).
 */
export const EXEMPT_SERVICE_PRINCIPALS: readonly string[] = ["ec2.amazonaws.com", "eks.amazonaws.com"];
const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn"];

/** The trust policy as an object; undefined when it is not known yet (preview) or not JSON. */
function trustDocument(value: unknown): Props | undefined {
    if (isObject(value)) {
        return value;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(value);
        return isObject(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** The condition keys of a statement, lower-case (IAM compares condition keys case-insensitively). */
function conditionKeys(statement: Props): string[] {
    const condition = statement.Condition;
    if (!isObject(condition)) {
        return [];
    }
    return Object.values(condition).flatMap((operator) => (isObject(operator) ? Object.keys(operator).map((k) => k.toLowerCase()) : []));
}

const serviceTrustConditions: ResourceRule = {
    name: "service-trust-has-source-conditions",
    description:
        "A role trusted by an AWS service principal (other than EC2 and EKS) names the source account or resource (aws:SourceAccount / aws:SourceArn): no confused deputy.",
    types: [IAM_ROLE],
    check(props) {
        const document = trustDocument(props.assumeRolePolicy);
        if (!document) {
            return [];
        }
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
        return statements.filter(isObject).flatMap((statement) => {
            if (statement.Effect !== "Allow") {
                return [];
            }
            const principal = statement.Principal;
            const services = isObject(principal) ? [principal.Service].flat().filter((s): s is string => typeof s === "string") : [];
            const guarded = services.filter((s) => !EXEMPT_SERVICE_PRINCIPALS.includes(s));
            if (guarded.length === 0 || conditionKeys(statement).some((key) => SOURCE_KEYS.includes(key))) {
                return [];
            }
            return [
                `the trust of ${guarded.join(", ")} has no aws:SourceAccount or aws:SourceArn condition: the service could be made to act for another account's resource (confused deputy)`,
            ];
        });
    },
};

/** The Pod Security levels a namespace may enforce; `privileged` would enforce nothing. */
export const ENFORCED_LEVELS: readonly string[] = ["restricted", "baseline"];
const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

const namespacePodSecurity: ResourceRule = {
    name: "namespace-enforces-pod-security",
    description: "Every namespace the stack creates carries the Pod Security label pod-security.kubernetes.io/enforce: restricted or baseline.",
    types: [NAMESPACE],
    check(props) {
        const level = stringMap(at(props, "metadata.labels"))[ENFORCE_LABEL];
        if (level === undefined) {
            return [`no ${ENFORCE_LABEL} label: any pod, privileged or root, is admitted (set restricted, or baseline with the reason in a comment)`];
        }
        return ENFORCED_LEVELS.includes(level) ? [] : [`${ENFORCE_LABEL} is ${level}: enforce restricted or baseline`];
    },
};

const hpaCanScale: ResourceRule = {
    name: "hpa-can-scale",
    description: "An HPA's maxReplicas is above its minReplicas; a workload with a fixed replica count sets spec.replicas and has no HPA.",
    types: [HPA_TYPE],
    check(props) {
        const min = num(at(props, "spec.minReplicas")) ?? 1;
        const max = num(at(props, "spec.maxReplicas"));
        if (max === undefined || max > min) {
            return [];
        }
        const target = str(at(props, "spec.scaleTargetRef.name")) ?? "its target";
        return [`minReplicas ${min} and maxReplicas ${max}: it can never scale ${target}; give the Deployment spec.replicas and no HPA`];
    },
};

export const HARDENING_RULES: readonly ResourceRule[] = [serviceTrustConditions, namespacePodSecurity, hpaCanScale];

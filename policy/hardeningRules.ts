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

/**
 * EKS Pod Identity (`pods.eks.amazonaws.com`) is checked against what AWS
 * documents for it (EKS User Guide, pod-id-role and pod-id-abac, checked
 * 2026-12-07): `sts:TagSession` allowed beside `sts:AssumeRole` (it tags
 * every session), `aws:SourceAccount`, and the session tags that pin the
 * role to one cluster and one service account. `aws:SourceArn` is not among
 * the keys it documents: a condition on it may never match, and then no pod
 * gets credentials (Karpenter launches no node).
 */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";
export const POD_IDENTITY_REQUIRED_KEYS = [
    "aws:SourceAccount",
    "aws:RequestTag/eks-cluster-arn",
    "aws:RequestTag/kubernetes-namespace",
    "aws:RequestTag/kubernetes-service-account",
] as const;

/** What a Pod Identity trust statement lacks, or holds that it must not. */
function podIdentityProblems(statement: Props): string[] {
    const actions = [statement.Action].flat().filter((a): a is string => typeof a === "string");
    const keys = conditionKeys(statement);
    const problems: string[] = [];
    if (!actions.some((a) => a.toLowerCase() === "sts:tagsession" || a === "sts:*" || a === "*")) {
        problems.push("does not allow sts:TagSession: EKS Pod Identity tags every session, so it cannot assume the role");
    }
    const missing = POD_IDENTITY_REQUIRED_KEYS.filter((k) => !keys.includes(k.toLowerCase()));
    if (missing.length > 0) {
        problems.push(`has no ${missing.join(", ")} condition: the role must name its account, cluster and one service account (session tags EKS Pod Identity sets)`);
    }
    if (keys.includes("aws:sourcearn")) {
        problems.push("conditions on aws:SourceArn, which EKS Pod Identity does not document setting: the assume may never match; use aws:RequestTag/eks-cluster-arn");
    }
    return problems.map((p) => `the trust of ${POD_IDENTITY_PRINCIPAL} ${p}`);
}

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
        "A role trusted by an AWS service principal (other than EC2 and EKS) names the source account or resource (aws:SourceAccount / aws:SourceArn): no confused deputy. EKS Pod Identity trusts allow sts:TagSession and name the account and the eks-cluster-arn, kubernetes-namespace and kubernetes-service-account session tags, never aws:SourceArn.",
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
            if (guarded.includes(POD_IDENTITY_PRINCIPAL)) {
                return podIdentityProblems(statement);
            }
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

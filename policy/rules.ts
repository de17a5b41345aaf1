/**
 * The guardrails the stack promises, as pure functions over a resource's
 * type and properties: each returns the violations it finds (messages), []
 * when the resource complies. `policy/index.ts` runs them in a CrossGuard
 * policy pack (`pulumi preview --policy-pack policy`); the jest suite runs
 * the same functions over the resources the program registers for prod and
 * staging, so a violation fails `npm test` before anyone runs a preview.
 */
import { coversTcpPort, describePorts, ingressPermissions, isWorldCidr, TYPES as INGRESS_TYPES } from "./ingress";
import { at, isSet, list, Props, str, strings } from "./props";
import { HARDENING_RULES } from "./hardeningRules";
import { WORKLOAD_RULES } from "./workloadRules";
import type { ResourceRule } from "./resourceRule";

export type { ResourceRule } from "./resourceRule";

export const TYPES = {
    ...INGRESS_TYPES,
    listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    ecrRepository: "aws:ecr/repository:Repository",
    eksCluster: "aws:eks/cluster:Cluster",
    eksComponent: "eks:index:Cluster",
    rdsInstance: "aws:rds/instance:Instance",
} as const;

/** The only ports the internet may reach, and only on the load balancer. */
export const PUBLIC_WEB_PORTS: readonly number[] = [80, 443];

/**
 * The data stores' ports (MariaDB, Redis, MongoDB/DocumentDB). Kept here so
 * the pack is self-contained; a test checks it equals the access matrix's
 * `STORE_PORTS`.
 */
export const DATA_STORE_PORTS: readonly number[] = [3306, 6379, 27017];

/** ALB/NLB TLS policies that negotiate TLS 1.3 (and 1.2 at most as the floor). */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-/;

const ingressTypes = [TYPES.ingressRule, TYPES.legacyRule, TYPES.securityGroup];

const noWorldIngress: ResourceRule = {
    name: "no-world-ingress-except-web",
    description: "Ingress from the internet (0.0.0.0/0, ::/0) is allowed only on TCP 80 and 443 (the load balancer's listeners).",
    types: ingressTypes,
    check(props, type) {
        return ingressPermissions(type, props).flatMap((permission) => {
            const world = permission.cidrs.filter(isWorldCidr);
            const web =
                permission.protocol === "tcp" && permission.fromPort === permission.toPort && permission.fromPort !== undefined && PUBLIC_WEB_PORTS.includes(permission.fromPort);
            return world.length > 0 && !web
                ? [`ingress from ${world.join(", ")} on ${describePorts(permission)} opens the VPC to the internet: only TCP 80 and 443 on the load balancer may be public`]
                : [];
        });
    },
};

const dataStorePortsFromGroups: ResourceRule = {
    name: "data-store-ports-only-from-security-groups",
    description: "The data-store ports (3306, 6379, 27017) admit only security groups, never a CIDR or prefix list.",
    types: ingressTypes,
    check(props, type) {
        return ingressPermissions(type, props).flatMap((permission) => {
            const ports = DATA_STORE_PORTS.filter((port) => coversTcpPort(permission, port));
            if (ports.length === 0 || (permission.cidrs.length === 0 && !permission.prefixList)) {
                return [];
            }
            const sources = [...permission.cidrs, ...(permission.prefixList ? ["a prefix list"] : [])].join(", ");
            return [
                `data-store port${ports.length > 1 ? "s" : ""} ${ports.join(", ")} ${ports.length > 1 ? "are" : "is"} open to ${sources}: a data store admits only the app nodes' security group`,
            ];
        });
    },
};

const rdsNotPublic: ResourceRule = {
    name: "rds-not-publicly-accessible",
    description: "RDS instances get no public address.",
    types: [TYPES.rdsInstance],
    check(props) {
        return props.publiclyAccessible === true ? ["publiclyAccessible is true: the database would get a public address"] : [];
    },
};

const httpsTls13: ResourceRule = {
    name: "https-listener-tls13",
    description: "HTTPS/TLS listeners use a TLS 1.3 security policy (ELBSecurityPolicy-TLS13-*) and a certificate.",
    types: TYPES.listener,
    check(props) {
        const protocol = str(props.protocol)?.toUpperCase();
        if (protocol !== "HTTPS" && protocol !== "TLS") {
            return [];
        }
        const problems: string[] = [];
        const policy = str(props.sslPolicy);
        if (policy === undefined || !TLS13_POLICY.test(policy)) {
            problems.push(`sslPolicy is ${policy ?? "unset (AWS then uses ELBSecurityPolicy-2016-08)"}: use a TLS 1.3 policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`);
        }
        if (!isSet(props, "certificateArn")) {
            problems.push(`an ${protocol} listener needs certificateArn`);
        }
        return problems;
    },
};

/** A redirect action that sends the client to HTTPS on 443 permanently. */
export function isHttpsRedirect(action: unknown): boolean {
    return (
        at(action, "type") === "redirect" &&
        String(at(action, "redirect.protocol")).toUpperCase() === "HTTPS" &&
        at(action, "redirect.port") === "443" &&
        at(action, "redirect.statusCode") === "HTTP_301"
    );
}

const httpRedirects: ResourceRule = {
    name: "http-listener-redirects-to-https",
    description: "Plain-HTTP listeners only answer 301 to HTTPS on 443; they never forward traffic.",
    types: TYPES.listener,
    check(props) {
        if (str(props.protocol)?.toUpperCase() !== "HTTP") {
            return [];
        }
        const actions = list(props.defaultActions);
        return actions.length > 0 && actions.every(isHttpsRedirect)
            ? []
            : ["an HTTP listener's default action must be a redirect to HTTPS, port 443, HTTP_301 (plain HTTP must never reach a target)"];
    },
};

const ecrScanImmutable: ResourceRule = {
    name: "ecr-scan-on-push-immutable-tags",
    description: "ECR repositories scan images on push and have immutable tags.",
    types: [TYPES.ecrRepository],
    check(props) {
        const problems: string[] = [];
        if (at(props, "imageScanningConfiguration.scanOnPush") !== true) {
            problems.push("imageScanningConfiguration.scanOnPush must be true");
        }
        if (props.imageTagMutability !== "IMMUTABLE") {
            problems.push(`imageTagMutability is ${str(props.imageTagMutability) ?? "unset (MUTABLE)"}: must be IMMUTABLE so a deployed tag always means the same image`);
        }
        return problems;
    },
};

/** The endpoint settings of either EKS resource type: the AWS resource nests them in vpcConfig. */
function endpointSettings(props: Props, type: string): { publicAccess: unknown; cidrs: unknown } {
    return type === TYPES.eksComponent
        ? { publicAccess: props.endpointPublicAccess, cidrs: props.publicAccessCidrs }
        : { publicAccess: at(props, "vpcConfig.endpointPublicAccess"), cidrs: at(props, "vpcConfig.publicAccessCidrs") };
}

const eksEndpointNotPublic: ResourceRule = {
    name: "eks-endpoint-not-open-to-the-world",
    description: "The EKS API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0).",
    types: [TYPES.eksCluster, TYPES.eksComponent],
    check(props, type) {
        const { publicAccess, cidrs } = endpointSettings(props, type);
        // Both AWS and @pulumi/eks default the public endpoint to on and its CIDRs to 0.0.0.0/0.
        if (publicAccess === false) {
            return [];
        }
        const allowed = strings(cidrs);
        if (allowed.length === 0) {
            return ["the API endpoint is public with no publicAccessCidrs, so AWS opens it to 0.0.0.0/0: make it private or list the admin CIDRs"];
        }
        const world = allowed.filter(isWorldCidr);
        return world.length > 0 ? [`the API endpoint is public to ${world.join(", ")}: list only the admin CIDRs`] : [];
    },
};

const eksSecretsEncrypted: ResourceRule = {
    name: "eks-secrets-encrypted",
    description: "EKS envelope-encrypts Kubernetes Secrets with a customer-managed KMS key.",
    types: [TYPES.eksCluster, TYPES.eksComponent],
    check(props, type) {
        if (type === TYPES.eksComponent) {
            return isSet(props, "encryptionConfigKeyArn") ? [] : ["encryptionConfigKeyArn is unset: Secrets are not encrypted with a KMS key you control"];
        }
        const config = props.encryptionConfig;
        const encryptsSecrets = strings(at(config, "resources")).includes("secrets") && isSet(at(config, "provider"), "keyArn");
        return encryptsSecrets ? [] : ['encryptionConfig must encrypt resources ["secrets"] with provider.keyArn'];
    },
};

/** Every resource rule of the pack, in the order they are reported. */
export const RESOURCE_RULES: readonly ResourceRule[] = [
    noWorldIngress,
    dataStorePortsFromGroups,
    rdsNotPublic,
    httpsTls13,
    httpRedirects,
    ecrScanImmutable,
    eksEndpointNotPublic,
    eksSecretsEncrypted,
    ...WORKLOAD_RULES,
    ...HARDENING_RULES,
];

/** Runs every rule that applies to the resource's type; violations as `rule: message`. */
export function resourceViolations(type: string, props: Props, urn = ""): { rule: string; message: string }[] {
    return RESOURCE_RULES.filter((rule) => rule.types.includes(type)).flatMap((rule) => rule.check(props, type, urn).map((message) => ({ rule: rule.name, message })));
}

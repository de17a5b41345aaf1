/**
 * What `npm run verify` holds a deployed stack to, as one stack output
 * (`verify`): the public hosts, the TLS versions the listener policy allows,
 * the target groups, the alarms, and the security-group rules the stack
 * declares. Built by the composition root from the same plans the
 * components are built from, so verify compares AWS with what was deployed,
 * not with a stack file that may have moved on since. Pure: no Pulumi (the
 * values may be Pulumi outputs; they pass through untouched).
 */
import type { DataStoresConfig } from "../data/schema";
import type { PublicRoute } from "../edge/edgeRouting";
import type { EdgeConfig } from "../edge/schema";
import { DATA_STORES, EXTERNAL_GROUPS, SecurityRule } from "../network/accessMatrixPlan";
import type { VerifyConfig } from "./schema";

/** The services verify drives end to end, by their catalog names. */
export const IAM_SERVICES = { apiserver: "iam-apiserver", authz: "iam-authz-server" } as const;

/** The versions verify tries; every policy edge/schema.ts accepts refuses the two before TLS 1.2. */
export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/**
 * The TLS versions an ALB security policy accepts. Every TLS 1.3 policy is
 * named `ELBSecurityPolicy-TLS13-1-2-*` (TLS 1.2 and 1.3) or
 * `ELBSecurityPolicy-TLS13-1-3-*` (TLS 1.3 only): Elastic Load Balancing
 * User Guide, "Security policies for your Application Load Balancer"
 * (checked 2026-12-07). edge/schema.ts accepts only those names.
 */
export function acceptedTlsVersions(policy: string): TlsVersion[] {
    if (/^ELBSecurityPolicy-TLS13-1-3-/.test(policy)) {
        return ["TLSv1.3"];
    }
    if (/^ELBSecurityPolicy-TLS13-1-2-/.test(policy)) {
        return ["TLSv1.2", "TLSv1.3"];
    }
    throw new Error(`unknown TLS policy ${policy}: verify knows ELBSecurityPolicy-TLS13-1-2-* and -1-3-*`);
}

/** A rule as AWS should hold it, with security groups by role (`controlPlane`: EKS's cluster group). */
export interface DeclaredRule {
    group: string;
    direction: "ingress" | "egress";
    /** `tcp`, or `-1` for every protocol. */
    protocol: "tcp" | "-1";
    fromPort?: number;
    toPort?: number;
    peer: { securityGroup: string } | { cidr: string };
    /** Where the rule comes from, for the failure message. */
    source: string;
}

export interface VerifyPlanArgs<S> {
    region: string;
    routes: readonly PublicRoute[];
    /** The zone the host records are in (`edge.hostedZone`), and its id when config gives it. */
    hostedZone: string;
    hostedZoneId?: string;
    tlsPolicy: string;
    targetGroupArns: Record<string, S>;
    /** Every alarm the stack creates is named `<prefix>-<key>`. */
    alarmNamePrefix: string;
    alarmNames: Record<string, S>;
    /** The access matrix as planned (`AccessMatrix.rules`). */
    matrixRules: readonly SecurityRule[];
    /** Egress rules outside the matrix: the legacy backends (edge) and the external stores (data tier). */
    extraEgress: readonly { group: "loadBalancer" | "appNodes"; cidr: string; port: number; source: string }[];
    clusterSecurityGroupId: S;
    rdsInstances: readonly S[];
    docdbInstances: readonly S[];
    karpenter: boolean;
    settings: VerifyConfig;
}

/**
 * The rules verify expects on the matrix's own security groups. Rules *on*
 * EKS's cluster group are left out: EKS adds rules of its own there
 * (the group's self-reference), so only the matrix's groups are compared.
 */
export function declaredRules(matrixRules: readonly SecurityRule[], extraEgress: VerifyPlanArgs<unknown>["extraEgress"]): DeclaredRule[] {
    const external = EXTERNAL_GROUPS as readonly string[];
    const fromMatrix = matrixRules
        .filter((r) => !external.includes(r.securityGroup))
        .map((r): DeclaredRule => ({
            group: r.securityGroup,
            direction: r.direction,
            protocol: r.protocol,
            fromPort: r.fromPort,
            toPort: r.toPort,
            peer: r.peer.kind === "securityGroup" ? { securityGroup: r.peer.role } : { cidr: r.peer.cidr },
            source: `accessMatrix ${r.name}`,
        }));
    const extras = extraEgress.map((e): DeclaredRule => ({
        group: e.group,
        direction: "egress",
        protocol: "tcp",
        fromPort: e.port,
        toPort: e.port,
        peer: { cidr: e.cidr },
        source: e.source,
    }));
    return [...fromMatrix, ...extras];
}

/**
 * The egress rules created outside the matrix, as edge/edge.ts
 * (`legacyTargetGroup`: the load balancer to each legacy backend) and
 * data/dataTier.ts (the app nodes to each external store) create them.
 */
export function extraEgress(edge: Pick<EdgeConfig, "legacy">, dataStores: DataStoresConfig): VerifyPlanArgs<unknown>["extraEgress"] {
    const legacy = edge.legacy;
    const backends = (legacy?.backends ?? []).map((ip) => ({ group: "loadBalancer" as const, cidr: `${ip}/32`, port: legacy?.port ?? 0, source: `edge.legacy backend ${ip}` }));
    const stores = DATA_STORES.flatMap((store) => {
        const config = dataStores[store];
        return config?.mode === "external" ? [{ group: "appNodes" as const, cidr: config.egressCidr, port: config.port, source: `dataStores.${store} (external)` }] : [];
    });
    return [...backends, ...stores];
}

/** The `verify` stack output. */
export function verifyPlan<S>(args: VerifyPlanArgs<S>) {
    const url = (service: string): string | undefined => {
        const route = args.routes.find((r) => r.service === service);
        return route && `https://${route.fqdn}`;
    };
    return {
        region: args.region,
        hosts: args.routes.map((r) => ({ service: r.service, host: r.fqdn, healthPath: r.healthPath })),
        hostedZone: args.hostedZone,
        ...(args.hostedZoneId ? { hostedZoneId: args.hostedZoneId } : {}),
        iam: { apiserverUrl: url(IAM_SERVICES.apiserver), authzUrl: url(IAM_SERVICES.authz) },
        tlsPolicy: args.tlsPolicy,
        tlsVersions: acceptedTlsVersions(args.tlsPolicy),
        targetGroupArns: args.targetGroupArns,
        alarmNamePrefix: args.alarmNamePrefix,
        alarmNames: args.alarmNames,
        securityGroupRules: declaredRules(args.matrixRules, args.extraEgress),
        clusterSecurityGroupId: args.clusterSecurityGroupId,
        dataStores: { rdsInstances: [...args.rdsInstances], docdbInstances: [...args.docdbInstances] },
        karpenter: args.karpenter,
        certificateExpiryDays: args.settings.certificateExpiryDays,
        soakMinutes: args.settings.soakMinutes,
    };
}

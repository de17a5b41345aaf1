import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, principalKey } from "./schema";
import { CLUSTER_ADMIN_ACCESS_POLICY, CLUSTER_VIEW_ACCESS_POLICY, stripScheme } from "./clusterPolicies";
import { createNodeRole } from "./nodeRole";
import { POD_IDENTITY_AGENT_VERSIONS } from "./catalog";
import { CoreAddons } from "./coreAddons";
import { ManagedNodeGroup } from "./nodeGroup";
import { GuardDutyRuntime } from "./guardDutyRuntime";
import { eksClusterArn, PodIdentityCluster } from "./podIdentity";
import { isSecurityGroupRole, SecurityGroupRole, SecurityRule } from "../network/accessMatrixPlan";

export interface ClusterArgs {
    /** The validated cluster config (version, API access, admins, logs, node groups, schedules). */
    config: ClusterConfig;
    /** The VPC the cluster lives in. */
    vpcId: pulumi.Input<string>;
    /** One private subnet per zone: the control plane's interfaces and every node go here, never in a public subnet. Must not be empty. */
    privateSubnetIds: pulumi.Input<string>[];
    /**
     * The access matrix's app-node security group: the ONLY group the nodes
     * (and so the pods) carry, so the matrix's rules are every flow they have.
     */
    nodeSecurityGroupId: pulumi.Input<string>;
    /**
     * The matrix's rules on or naming EKS's control-plane group
     * (`AccessMatrix.controlPlaneRules`): created here on the cluster security
     * group EKS makes, before the node groups, which cannot join without them.
     */
    controlPlaneRules: readonly SecurityRule[];
    /** The matrix's security groups by role, for the peers of `controlPlaneRules`. */
    securityGroupIds: Record<SecurityGroupRole, pulumi.Input<string>>;
    /** True in prod: the cluster and its secrets key are protected and get deletion protection. */
    protect: boolean;
    /** The stack's tags, for the instances and volumes node groups launch (provider default tags do not reach them). */
    instanceTags: Record<string, string>;
}

/** Problems with the arguments, each naming the argument; checked before anything is created. */
export function clusterArgsProblems(args: ClusterArgs): string[] {
    const problems: string[] = [];
    if (args.privateSubnetIds.length === 0) {
        problems.push("privateSubnetIds is empty: the control plane and the nodes need a private subnet in at least two zones");
    } else if (args.privateSubnetIds.length < 2) {
        problems.push("privateSubnetIds has one subnet: EKS needs subnets in at least two zones");
    }
    if (args.config.nodeGroups.length === 0) {
        problems.push("config.nodeGroups is empty: the cluster needs at least one node group");
    }
    return problems;
}

/**
 * The EKS cluster and its nodes: control plane (private endpoint, public one
 * off or limited to configured CIDRs), secrets envelope-encrypted with a
 * rotating KMS key, control-plane logs in CloudWatch, access through EKS
 * access entries, managed node groups in the private subnets, the core EKS
 * add-ons with the EKS Pod Identity agent (every pod of the program that
 * calls AWS gets its role through a Pod Identity association: `podIdentity`),
 * and the Kubernetes provider every Kubernetes resource of the program uses.
 *
 * The IAM OIDC provider stays for IAM roles for service accounts (IRSA)
 * that users run outside this program (Fargate pods, tools without Pod
 * Identity support): no role of this program trusts it.
 *
 * It takes inputs from the network and the access matrix only, so it is
 * created in parallel with the load balancer and the data stores.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The provider every Kubernetes resource of the program uses; it waits for the node groups. */
    readonly provider: k8s.Provider;
    /** The cluster's name; resolves once the cluster exists, so what uses it waits for the cluster. */
    readonly clusterName: pulumi.Output<string>;
    /** The cluster's IAM OIDC provider, for users' own IRSA roles (stack output `oidcProviderArn`); nothing here trusts it. */
    readonly oidcProviderArn: pulumi.Output<string>;
    /** The OIDC issuer host/path WITHOUT `https://`, as IRSA trust conditions use it. */
    readonly oidcProviderUrl: pulumi.Output<string>;
    /** What `podIdentityRole` needs: the cluster's name, ARN and account, and the Pod Identity agent add-on. */
    readonly podIdentity: PodIdentityCluster;
    /** The security group EKS created for the control plane. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** A kubeconfig (JSON, secret) that authenticates with `aws eks get-token`. */
    readonly kubeconfig: pulumi.Output<string>;
    /** One per configured node group, in config order. */
    readonly nodeGroupNames: pulumi.Output<string>[];
    /** The auto-scaling group of each configured node group, in config order (target groups attach to these). */
    readonly nodeGroupAsgNames: pulumi.Output<string>[];
    readonly nodeGroups: ManagedNodeGroup[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:Cluster", name, {}, opts);
        const problems = clusterArgsProblems(args);
        if (problems.length > 0) {
            throw new Error(`Cluster ${name}: ${problems.join("; ")}`);
        }
        const { config } = args;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        const secretsKey = new aws.kms.Key(
            `${name}-secrets-key`,
            {
                description: `Envelope encryption of Kubernetes secrets in EKS cluster ${config.name}`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: 30,
            },
            { parent: this, protect: args.protect },
        );
        new aws.kms.Alias(
            `${name}-secrets-key`,
            {
                name: `alias/eks/${config.name}-secrets`,
                targetKeyId: secretsKey.keyId,
            },
            { parent: this },
        );

        // Created before the cluster, under the name EKS writes to, so the
        // logs get a retention period instead of EKS's "never expire".
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane-logs`,
            {
                name: `/aws/eks/${config.name}/cluster`,
                retentionInDays: config.logRetentionDays,
            },
            { parent: this, protect: args.protect },
        );

        const publicAccess = config.publicAccessCidrs.length > 0;
        const awsProvider = this.getProvider("aws:index:Provider");
        const control = new eks.Cluster(
            `${name}-eks`,
            {
                name: config.name,
                version: config.version,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicAccess,
                publicAccessCidrs: publicAccess ? config.publicAccessCidrs : undefined,
                authenticationMode: "API",
                encryptionConfigKeyArn: secretsKey.arn,
                enabledClusterLogTypes: config.logTypes,
                createOidcProvider: true,
                kubernetesServiceIpAddressRange: config.serviceCidr,
                ipFamily: "ipv4",
                // STANDARD: at the end of standard support AWS upgrades the cluster
                // rather than billing extended support (the config floor matches).
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.protect,
                // The node groups, their security groups and the core add-ons are
                // built here, where every setting is visible and pinned.
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                useDefaultVpcCni: true,
                kubeProxyAddonOptions: { enabled: false },
                corednsAddonOptions: { enabled: false },
            },
            {
                parent: this,
                // A remote component receives only the providers passed to it, not
                // those its parent inherited: without this, the cluster, its role and
                // OIDC provider would use the default provider and miss the stack's
                // default tags.
                providers: awsProvider ? { aws: awsProvider } : undefined,
                dependsOn: [logGroup],
                protect: args.protect,
            },
        );

        this.clusterSecurityGroupId = control.clusterSecurityGroupId;
        // eks.Cluster has no plain name output: take the configured name once
        // the cluster's own outputs resolve, so users of the name wait for it.
        this.clusterName = control.clusterSecurityGroupId.apply(() => config.name);
        this.oidcProviderArn = control.oidcProviderArn;
        this.oidcProviderUrl = control.oidcProviderUrl.apply(stripScheme);
        this.kubeconfig = pulumi.secret(control.kubeconfigJson);

        for (const principalArn of config.adminPrincipals) {
            const key = principalKey(principalArn);
            const entry = new aws.eks.AccessEntry(
                `${name}-admin-${key}`,
                {
                    clusterName: this.clusterName,
                    principalArn,
                    type: "STANDARD",
                },
                { parent: this },
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-admin-${key}`,
                {
                    clusterName: this.clusterName,
                    principalArn: entry.principalArn,
                    policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_ACCESS_POLICY}`,
                    accessScope: { type: "cluster" },
                },
                { parent: this },
            );
        }

        // Read-only Kubernetes access (the CI preview roles): the same entry, a view policy.
        for (const principalArn of config.viewPrincipals) {
            const key = principalKey(principalArn);
            const entry = new aws.eks.AccessEntry(`${name}-view-${key}`, { clusterName: this.clusterName, principalArn, type: "STANDARD" }, { parent: this });
            new aws.eks.AccessPolicyAssociation(
                `${name}-view-${key}`,
                {
                    clusterName: this.clusterName,
                    principalArn: entry.principalArn,
                    policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${CLUSTER_VIEW_ACCESS_POLICY}`,
                    accessScope: { type: "cluster" },
                },
                { parent: this },
            );
        }

        this.privateEndpointRules(name, config.privateAccessCidrs, control.clusterSecurityGroupId);
        const controlPlaneRules = this.controlPlaneRules(name, args, control.clusterSecurityGroupId);

        const { role: nodeRole, policies: nodePolicies } = createNodeRole(name, `EKS nodes of cluster ${config.name}`, partition, this);

        this.nodeGroups = config.nodeGroups.map(
            (group) =>
                new ManagedNodeGroup(
                    `${name}-${group.name}`,
                    {
                        clusterName: this.clusterName,
                        kubernetesVersion: config.version,
                        config: group,
                        nodeRoleArn: nodeRole.arn,
                        subnetIds: args.privateSubnetIds,
                        // Only the matrix's app-node group: a launch template that lists
                        // groups stops EKS adding its cluster group (which allows all
                        // egress), so the matrix's rules are all the nodes have.
                        securityGroupIds: [args.nodeSecurityGroupId],
                        metadataHopLimit: config.metadataHopLimit,
                        instanceTags: args.instanceTags,
                        schedules: config.scheduledScaling.filter((s) => s.nodeGroups.includes(group.name)),
                        // Nodes join only with their role's policies and their path to the API server in place.
                        waitFor: [...nodePolicies, ...controlPlaneRules],
                    },
                    { parent: this },
                ),
        );
        this.nodeGroupNames = this.nodeGroups.map((g) => g.nodeGroupName);
        this.nodeGroupAsgNames = this.nodeGroups.map((g) => g.asgName);

        const core = new CoreAddons(
            `${name}-core`,
            {
                clusterName: this.clusterName,
                kubernetesVersion: config.version,
                pins: config.pins,
                podIdentityAgentVersion: POD_IDENTITY_AGENT_VERSIONS[config.version],
                nodeGroups: this.nodeGroups.map((g) => g.nodeGroup),
            },
            { parent: this },
        );
        const guardDuty = config.guardDuty;
        if (guardDuty.runtimeMonitoring && guardDuty.addonVersion) {
            new GuardDutyRuntime(
                `${name}-guardduty`,
                {
                    clusterName: this.clusterName,
                    addonVersion: guardDuty.addonVersion,
                    nodeGroups: this.nodeGroups.map((g) => g.nodeGroup),
                },
                { parent: this },
            );
        }
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        this.podIdentity = {
            clusterName: this.clusterName,
            clusterArn: pulumi.all([partition, region, accountId, this.clusterName]).apply(([part, reg, account, clusterName]) => eksClusterArn(part, reg, account, clusterName)),
            accountId,
            agent: core.podIdentityAgent,
        };

        // Nothing Kubernetes can run before there are nodes, so the provider
        // (and with it every Kubernetes resource) waits for the node groups.
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            {
                kubeconfig: this.kubeconfig,
                enableServerSideApply: true,
            },
            { parent: this, dependsOn: this.nodeGroups.map((g) => g.nodeGroup) },
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            oidcProviderArn: this.oidcProviderArn,
            oidcProviderUrl: this.oidcProviderUrl,
            nodeGroupNames: this.nodeGroupNames,
            nodeGroupAsgNames: this.nodeGroupAsgNames,
        });
    }

    /**
     * The matrix's flows with the control plane, as rules: ingress on the
     * cluster group from the app nodes (API server), ingress on the app nodes
     * from the cluster group (kubelet, webhooks), egress on the app nodes to it.
     */
    private controlPlaneRules(name: string, args: ClusterArgs, clusterSecurityGroupId: pulumi.Output<string>): pulumi.Resource[] {
        const groupId = (role: string): pulumi.Input<string> => (isSecurityGroupRole(role) ? args.securityGroupIds[role] : clusterSecurityGroupId);
        return args.controlPlaneRules.map((rule) => {
            if (rule.peer.kind !== "securityGroup") {
                throw new Error(`${name}: control-plane rule ${rule.name} names a CIDR; the matrix allows only security groups here`);
            }
            const ruleArgs = {
                securityGroupId: groupId(rule.securityGroup),
                referencedSecurityGroupId: groupId(rule.peer.role),
                description: rule.description,
                ipProtocol: rule.protocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                tags: { Name: `${name}-${rule.name}` },
            };
            return rule.direction === "ingress"
                ? new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.name}`, ruleArgs, { parent: this })
                : new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.name}`, ruleArgs, { parent: this });
        });
    }

    /** The private API endpoint from networks outside the VPC (VPN, peering) that `pulumi up` or admins use. */
    private privateEndpointRules(name: string, cidrs: readonly string[], clusterSecurityGroupId: pulumi.Output<string>): void {
        for (const cidr of cidrs) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-api-from-${cidr.replace(/[./]/g, "-")}`,
                {
                    securityGroupId: clusterSecurityGroupId,
                    cidrIpv4: cidr,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "Private API endpoint from a configured network",
                },
                { parent: this },
            );
        }
    }
}

import { getConfig } from "@pulumi/pulumi/runtime/config";
import { CallMock, MOCK_ACCOUNT, MOCK_REGION, OutputMock } from "../lib/mockTypes";

/** The OIDC issuer (without https://) the mocked cluster reports. */
export function mockIssuer(clusterName: string): string {
    return `oidc.eks.${MOCK_REGION}.amazonaws.com/id/${clusterName.toUpperCase().replace(/[^A-Z0-9]/g, "")}0123456789`;
}

/** The auto-scaling group name the mocked node group reports. */
export function mockAsgName(nodeGroupName: string): string {
    return `eks-${nodeGroupName}-asg`;
}

/** The suffix the mocked provider's autonaming adds (real AWS: 7 random characters). */
const AUTONAME_SUFFIX = "a1b2c3d";

/**
 * Outputs of the cluster resource types under mocks. `eks:index:Cluster` is a
 * remote component: only its inputs are seen here, so its scalar outputs
 * (the ones `Cluster` reads) are made up from them.
 */
export const clusterOutputs: Record<string, OutputMock> = {
    "eks:index:Cluster": (args) => {
        const name = String(args.inputs.name ?? args.name);
        const issuer = mockIssuer(name);
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "kubernetes", cluster: { server: `https://${name}.gr7.${MOCK_REGION}.eks.amazonaws.com`, "certificate-authority-data": "Q0E=" } }],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [
                {
                    name: "aws",
                    user: {
                        exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["--region", MOCK_REGION, "eks", "get-token", "--cluster-name", name] },
                    },
                },
            ],
        };
        return {
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            clusterSecurityGroupId: `sg-${name}-cluster`,
            oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer}`,
            oidcProviderUrl: `https://${issuer}`,
            oidcIssuer: issuer,
        };
    },
    "aws:eks/nodeGroup:NodeGroup": (args) => {
        const nodeGroupName = String(args.inputs.nodeGroupName ?? `${args.name}-${AUTONAME_SUFFIX}`);
        return {
            nodeGroupName,
            resources: [{ autoscalingGroups: [{ name: mockAsgName(nodeGroupName) }], remoteAccessSecurityGroupId: "" }],
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    "aws:kms/key:Key": (args) => ({ keyId: `${args.name}-key-id`, arn: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT}:key/${args.name}-key-id` }),
    "aws:sqs/queue:Queue": (args) => {
        const name = String(args.inputs.name ?? `${args.name}-${AUTONAME_SUFFIX}`);
        return { name, arn: `arn:aws:sqs:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`, url: `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${name}` };
    },
    "aws:cloudwatch/eventRule:EventRule": (args) => {
        const name = String(args.inputs.name ?? `${args.name}-${AUTONAME_SUFFIX}`);
        return { name, arn: `arn:aws:events:${MOCK_REGION}:${MOCK_ACCOUNT}:rule/${name}` };
    },
    "aws:iam/role:Role": (args) => {
        const name = String(args.inputs.name ?? `${args.name}-${AUTONAME_SUFFIX}`);
        return { name, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${name}` };
    },
};

/**
 * The default version the mocked EKS names for an add-on the catalog leaves
 * unpinned (`aws.eks.getAddonVersion`, `mostRecent: false`): in the shape of
 * an EKS build, recognisable as made up.
 */
export function mockDefaultAddonVersion(addonName: string, kubernetesVersion: string): string {
    return `v0.${kubernetesVersion.split(".")[1]}.0-eksbuild.${addonName.length}`;
}

/**
 * The account's GuardDuty detector under mocks: Runtime Monitoring on, the
 * EKS agent managed by hand (what `cluster.guardDuty.runtimeMonitoring`
 * needs). A test of the other answers calls checkGuardDuty with its own.
 */
export const MOCK_DETECTOR = {
    id: "12abc34d567e8fa901bc2d34e56789f0",
    features: [{ name: "RUNTIME_MONITORING", status: "ENABLED", additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" }] }],
} as const;

/** What the mocked getDetector answers; a test may swap it (and must put MOCK_DETECTOR back). */
export const mockDetector: {
    current: { id: string; features: readonly { name: string; status: string; additionalConfigurations: readonly { name: string; status: string }[] }[] };
} = {
    current: MOCK_DETECTOR,
};

/**
 * Who runs Pulumi and what the account holds, as the mocked AWS answers the
 * deployer check (cluster/deployer.ts): by default an IAM user of the account
 * the stack file declares (`iam:accountId`; the mock account without one), no
 * cluster yet. Tests change it and `resetDeployerMock()` after.
 */
export const deployerMock: { callerArn?: string; clusters: string[]; accessEntries: string[] } = {
    clusters: [],
    accessEntries: [],
};

export function resetDeployerMock(): void {
    Object.assign(deployerMock, { callerArn: undefined, clusters: [], accessEntries: [] });
}

/** The caller the mocked STS answers: the test's, or a user of the stack's declared account. */
function callerArn(): string {
    const declared = getConfig("iam:accountId")?.replace(/"/g, "");
    return deployerMock.callerArn ?? `arn:aws:iam::${declared ?? MOCK_ACCOUNT}:user/test`;
}

export const clusterCalls: Record<string, CallMock> = {
    "aws:guardduty/getDetector:getDetector": () => ({
        ...mockDetector.current,
        arn: `arn:aws:guardduty:${MOCK_REGION}:${MOCK_ACCOUNT}:detector/${mockDetector.current.id}`,
        findingPublishingFrequency: "SIX_HOURS",
        region: MOCK_REGION,
        serviceRoleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        status: "ENABLED",
        tags: {},
    }),
    "aws:eks/getAddonVersion:getAddonVersion": (args) => {
        const { addonName, kubernetesVersion } = args.inputs as { addonName: string; kubernetesVersion: string };
        return { addonName, kubernetesVersion, mostRecent: false, region: MOCK_REGION, id: addonName, version: mockDefaultAddonVersion(addonName, kubernetesVersion) };
    },
    // Overrides network/mocks.ts's (this table is merged after it): the caller is deployerMock's, its account the ARN's.
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: /:(\d{12}):/.exec(callerArn())?.[1] ?? MOCK_ACCOUNT,
        arn: callerArn(),
        userId: "AIDTEST",
    }),
    "aws:eks/getClusters:getClusters": () => ({ id: MOCK_REGION, names: [...deployerMock.clusters], region: MOCK_REGION }),
    "aws:iam/getSessionContext:getSessionContext": (args) => {
        const arn = String(args.inputs.arn);
        // arn:aws:sts::<account>:assumed-role/<name>/<session>; the mocked roles have no path.
        const [, account, role, session] = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn) ?? [];
        return { arn, id: arn, issuerArn: `arn:aws:iam::${account}:role/${role}`, issuerId: "AROATEST", issuerName: role, sessionName: session };
    },
    "aws:eks/getAccessEntry:getAccessEntry": (args) => {
        const principalArn = String(args.inputs.principalArn);
        if (!deployerMock.accessEntries.includes(principalArn)) {
            // As the engine fails an invoke: a gRPC error whose `details` the SDK turns into the rejection's message.
            const message = `reading EKS Access Entry (${String(args.inputs.clusterName)}:${principalArn}): couldn't find resource`;
            throw Object.assign(new Error(message), { details: message });
        }
        return { clusterName: args.inputs.clusterName, principalArn, id: principalArn, type: "STANDARD" };
    },
};

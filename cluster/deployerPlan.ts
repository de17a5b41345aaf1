/**
 * Who may run Pulumi against a stack, decided before the first resource
 * (pure; cluster/deployer.ts asks AWS and throws). Two guards:
 *
 * - The account: the credentials must be for `iam:accountId`. The AWS
 *   provider's `allowedAccountIds` refuses them too, but only once a resource
 *   is about to be created; this says so first, naming the key.
 * - The cluster's admins, one rule (docs/cluster.md, "Who is admin"): the
 *   identity that CREATES the cluster is made its admin by EKS itself
 *   (pulumi-eks 4.3.0 sets `accessConfig.bootstrapClusterCreatorAdminPermissions:
 *   true` whenever `authenticationMode` is set: nodejs/eks/cluster/cluster.ts),
 *   so it must NOT be in `cluster.adminPrincipals`: EKS already holds an access
 *   entry for it, and creating a second one fails with ResourceInUseException,
 *   only after the 10-minute cluster creation. Every OTHER identity that runs
 *   Pulumi against an existing cluster needs an access entry: a person is in
 *   `cluster.adminPrincipals`, the CI preview role in `cluster.viewPrincipals`
 *   (read-only), the creator has its own.
 */

/** What AWS said about the identity running Pulumi and the cluster, as cluster/deployer.ts gathered it. */
export interface DeployerFacts {
    /** `aws sts get-caller-identity`'s Account. */
    callerAccount: string;
    /** The caller's ARN as STS gives it (a user, or an `assumed-role` session). */
    callerArn: string;
    /** The IAM principal behind it: the role of an assumed-role session (with its path), or the user. What an access entry names. */
    principalArn: string;
    /** Whether the cluster `cluster.name` exists in the account and region (eks:ListClusters). */
    clusterExists: boolean;
    /** Whether the cluster has an access entry for `principalArn` (only asked when the cluster exists and the principal is not listed). */
    hasAccessEntry?: boolean;
}

/** The config the guards read. */
export interface DeployerConfig {
    /** `iam:accountId`, when set. */
    accountId?: string;
    clusterName: string;
    adminPrincipals: readonly string[];
}

export interface DeployerVerdict {
    /** Each stops the run, naming the config key to change. */
    problems: string[];
    /** Each is logged; the run goes on. */
    warnings: string[];
}

/** Whether an STS caller ARN is an assumed-role session (its principal is then the role, asked of IAM). */
export function isAssumedRoleSession(callerArn: string): boolean {
    return /^arn:[^:]+:sts::\d{12}:assumed-role\//.test(callerArn);
}

/**
 * A principal ARN without its path: EKS access entries take a role ARN with
 * or without its path (AWS, "Create access entries"), and a role or user name
 * is unique in its account whatever the path, so two ARNs name one principal
 * when these keys match.
 */
export function principalIdentity(arn: string): string {
    const match = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
    return match ? `${match[1]}:${match[2]}:${match[3]}:${match[4]}` : arn;
}

/**
 * The ARNs an access entry of `principalArn` may be stored under: as given,
 * and for a role or user with a path also without it (EKS takes either; the
 * entry it makes for a cluster's creator, e.g. an IAM Identity Center role
 * under `aws-reserved/sso.amazonaws.com/`, is not documented to keep it).
 */
export function accessEntryCandidates(principalArn: string): string[] {
    const match = /^(arn:[^:]+:iam::\d{12}:(?:role|user)\/)(?:.+\/)?([^/]+)$/.exec(principalArn);
    const withoutPath = match ? `${match[1]}${match[2]}` : principalArn;
    return withoutPath === principalArn ? [principalArn] : [principalArn, withoutPath];
}

/** The index of `principalArn` in `adminPrincipals` (path ignored), or -1. */
export function listedAt(adminPrincipals: readonly string[], principalArn: string): number {
    const identity = principalIdentity(principalArn);
    return adminPrincipals.findIndex((arn) => principalIdentity(arn) === identity);
}

/**
 * The guards' verdict. `preview`: a preview creates nothing, so an identity
 * listed for a cluster that does not exist yet is only warned about (a
 * person listed in adminPrincipals may preview a new stack before the deploy
 * role's first `pulumi up` creates it).
 */
export function deployerVerdict(config: DeployerConfig, facts: DeployerFacts, preview: boolean): DeployerVerdict {
    const problems: string[] = [];
    const warnings: string[] = [];
    if (config.accountId !== undefined && facts.callerAccount !== config.accountId) {
        problems.push(
            `accountId is "${config.accountId}", but Pulumi runs with credentials for account ${facts.callerAccount} (${facts.callerArn}): ` +
                `use credentials for account ${config.accountId}, or correct iam:accountId if this stack belongs to ${facts.callerAccount}. Nothing was created.`,
        );
        return { problems, warnings };
    }
    const listed = listedAt(config.adminPrincipals, facts.principalArn);
    if (!facts.clusterExists && listed >= 0) {
        const message =
            `cluster.adminPrincipals[${listed}] (${facts.principalArn}) is the identity running Pulumi; if it creates cluster ${config.clusterName}, ` +
            `EKS makes it admin itself (bootstrapClusterCreatorAdminPermissions) and its access entry here fails with ResourceInUseException once the cluster exists. ` +
            `Remove it from cluster.adminPrincipals, or create the cluster as the stack's deploy identity (docs/cluster.md, "Who is admin")`;
        (preview ? warnings : problems).push(preview ? message : `${message}. Nothing was created.`);
    }
    if (facts.clusterExists && listed < 0 && facts.hasAccessEntry === false) {
        problems.push(
            `the identity running Pulumi (${facts.principalArn}) has no access entry on cluster ${config.clusterName} and is not in cluster.adminPrincipals: ` +
                `every Kubernetes call would fail as Unauthorized. Add it to cluster.adminPrincipals and run pulumi up once as the deploy identity (which created the cluster) or a listed one. Nothing was created.`,
        );
    }
    return { problems, warnings };
}

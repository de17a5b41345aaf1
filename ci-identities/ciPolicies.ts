/**
 * The trust and permission documents of the CI roles, pure: GitHub's OIDC
 * token is trusted only for this repository and, per role, for the job that
 * uses it (a protected environment, a pull request, the default branch or a
 * tag); the permissions are derived from what the environment stacks create
 * (deployServices.ts). ci-identities/ciPolicies.test.ts checks the documents,
 * ciIdentities.test.ts the roles built from them.
 */
import { partitionOf } from "../registry/registryPolicy";
import { BROAD_DEPLOY_PREFIXES, LOOKUP_ACTIONS, PREVIEW_READS, SERVICE_LINKED_ROLE_SERVICES } from "./deployServices";

/** GitHub's OIDC issuer host; the IAM condition keys are `<host>:aud` and `<host>:sub`. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience configure-aws-credentials requests (aws-actions/configure-aws-credentials: `audience` input, default). */
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export interface TrustStatement {
    Effect: "Allow";
    Principal: { Federated: string };
    Action: "sts:AssumeRoleWithWebIdentity";
    Condition: Record<string, Record<string, string | string[]>>;
}

export interface TrustDocument {
    Version: "2012-10-17";
    Statement: TrustStatement[];
}

/**
 * The subjects GitHub puts in `sub` (docs.github.com, "OpenID Connect
 * reference", example subject claims): a job in an environment gets
 * `repo:<owner>/<name>:environment:<env>` whatever its ref; a pull request's
 * job `repo:<owner>/<name>:pull_request`; other jobs
 * `repo:<owner>/<name>:ref:refs/heads/<branch>` or `...:ref:refs/tags/<tag>`.
 */
export const subjects = {
    environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
    pullRequest: (repository: string) => `repo:${repository}:pull_request`,
    branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
    tags: (repository: string) => `repo:${repository}:ref:refs/tags/*`,
};

/**
 * A role GitHub's tokens may assume: audience sts.amazonaws.com, and a
 * subject among `exact` (StringEquals) or `patterns` (StringLike, `*`
 * wildcards). Both lists are this repository's subjects only.
 */
export function githubTrust(providerArn: string, exact: readonly string[], patterns: readonly string[] = []): TrustDocument {
    const equals: Record<string, string | string[]> = { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE };
    if (exact.length > 0) {
        equals[`${GITHUB_OIDC_HOST}:sub`] = exact.length === 1 ? exact[0] : [...exact];
    }
    const condition: TrustStatement["Condition"] = { StringEquals: equals };
    if (patterns.length > 0) {
        condition.StringLike = { [`${GITHUB_OIDC_HOST}:sub`]: [...patterns] };
    }
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }],
    };
}

/** Where a role's account, region and state live. */
export interface PolicyContext {
    account: string;
    region: string;
    stateBucket: string;
    stateKeyAlias: string;
    registry: { account: string; region: string; repositories: readonly string[] };
}

const arnPrefix = (region: string): string => `arn:${partitionOf(region)}`;

/** The registry's repository ARNs. */
export function repositoryArns(registry: PolicyContext["registry"]): string[] {
    return registry.repositories.map((r) => `${arnPrefix(registry.region)}:ecr:${registry.region}:${registry.account}:repository/${r}`);
}

/**
 * The KMS key of the secrets provider, by alias: `kms:ResourceAliases`
 * matches a key by an alias it has, for every key operation, including
 * Decrypt, whose request names the key by id (AWS KMS developer guide,
 * "Use aliases to control access to KMS keys").
 */
function stateKey(ctx: PolicyContext): Pick<PolicyStatement, "Resource" | "Condition"> {
    return {
        Resource: [`${arnPrefix(ctx.region)}:kms:${ctx.region}:${ctx.account}:key/*`],
        Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": ctx.stateKeyAlias } },
    };
}

const bucketArn = (ctx: PolicyContext): string => `${arnPrefix(ctx.region)}:s3:::${ctx.stateBucket}`;

/**
 * The image look-up every preview and deploy makes before anything else
 * (`aws.ecr.getImage` calls DescribeImages, then DescribeRepositories):
 * on the registry's repositories only.
 */
function imageLookup(ctx: PolicyContext): PolicyStatement {
    return { Sid: "ImageLookup", Effect: "Allow", Action: ["ecr:DescribeImages", "ecr:DescribeRepositories"], Resource: repositoryArns(ctx.registry) };
}

/**
 * Every IAM action that changes a role, its policies, tags or who may pass
 * it (IAM's service authorization reference, resource type `role`): what
 * the deploy role may never do to a CI role. Reads stay allowed.
 */
export const CI_ROLE_WRITES = [
    "iam:AddRoleToInstanceProfile",
    "iam:Attach*",
    "iam:Create*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:PassRole",
    "iam:Put*",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
] as const;

/**
 * The deploy role of one environment stack: everything the stack creates.
 * Broad where it must be: `<prefix>:*` on `*` for the services whose
 * resources get generated names (VPC, load balancer, stores, KMS keys,
 * alarms...), so no name pattern could scope them; the account (one per
 * environment, or shared with staging) is the boundary, and the trust (a
 * protected GitHub environment) is the gate. Scoped: IAM to the stack's own
 * `iam-*` roles and policies, the cluster's OIDC provider and the service-
 * linked roles of the services listed; EKS to the stack's cluster; ECR to the
 * image look-up. Denied: changing the CI roles themselves, deleting or
 * re-keying the state bucket and the secrets provider's key.
 */
export function deployPolicy(ctx: PolicyContext, clusterName: string, ciRolePattern: string): PolicyDocument {
    const arn = arnPrefix(ctx.region);
    const eks = `${arn}:eks:${ctx.region}:${ctx.account}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "StackServices", Effect: "Allow", Action: BROAD_DEPLOY_PREFIXES.map((p) => `${p}:*`), Resource: ["*"] },
            {
                Sid: "StackRoles",
                Effect: "Allow",
                Action: ["iam:*"],
                Resource: [
                    `${arn}:iam::${ctx.account}:role/iam-*`,
                    `${arn}:iam::${ctx.account}:policy/iam-*`,
                    `${arn}:iam::${ctx.account}:instance-profile/iam-*`,
                    `${arn}:iam::${ctx.account}:oidc-provider/oidc.eks.${ctx.region}.amazonaws.com/id/*`,
                ],
            },
            { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: ["*"] },
            { Sid: "ProgramLookUps", Effect: "Allow", Action: [...LOOKUP_ACTIONS], Resource: ["*"] },
            {
                Sid: "ServiceLinkedRoles",
                Effect: "Allow",
                Action: ["iam:CreateServiceLinkedRole"],
                Resource: ["*"],
                Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLE_SERVICES] } },
            },
            {
                Sid: "StackCluster",
                Effect: "Allow",
                Action: ["eks:*"],
                Resource: [
                    `${eks}:cluster/${clusterName}`,
                    `${eks}:nodegroup/${clusterName}/*`,
                    `${eks}:addon/${clusterName}/*`,
                    `${eks}:access-entry/${clusterName}/*`,
                    `${eks}:podidentityassociation/${clusterName}/*`,
                ],
            },
            // Versions and access policies are not cluster resources (eks:DescribeAddonVersions, eks:ListAccessPolicies...).
            { Sid: "ReadEks", Effect: "Allow", Action: ["eks:Describe*", "eks:List*"], Resource: ["*"] },
            imageLookup(ctx),
            ...stateAccess(ctx, "write"),
            // Writes only: the program's check before the first resource reads the deploy role itself
            // (aws.iam.getSessionContext calls iam:GetRole on the caller's role), which a Deny of iam:* would refuse.
            { Sid: "NotTheCiRoles", Effect: "Deny", Action: [...CI_ROLE_WRITES], Resource: [`${arn}:iam::${ctx.account}:role/${ciRolePattern}`] },
            {
                Sid: "KeepTheStateBucket",
                Effect: "Deny",
                Action: [
                    "s3:DeleteBucket",
                    "s3:DeleteBucketPolicy",
                    "s3:PutBucketPolicy",
                    "s3:PutBucketVersioning",
                    "s3:PutLifecycleConfiguration",
                    "s3:PutEncryptionConfiguration",
                ],
                Resource: [bucketArn(ctx)],
            },
            {
                Sid: "KeepTheStateKey",
                Effect: "Deny",
                Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DeleteAlias", "kms:UpdateAlias"],
                ...stateKey(ctx),
            },
        ],
    };
}

/**
 * The state backend: read for a preview, which also takes and releases the
 * stack's lock (the S3 backend writes `.pulumi/locks/<org>/<project>/<stack>/<id>.json`
 * for every preview and update); read and write for a deploy. The secrets
 * provider's key: a stack loads its secrets manager by decrypting the data
 * key in its stack file (kms:Decrypt; pulumi/pkg/secrets/cloud/manager.go), so
 * a preview needs Decrypt only; a deploy may also encrypt (a new stack's data
 * key, `pulumi stack change-secrets-provider`) and generate data keys.
 */
function stateAccess(ctx: PolicyContext, mode: "read" | "write"): PolicyStatement[] {
    const bucket = bucketArn(ctx);
    const statements: PolicyStatement[] = [
        { Sid: "StateList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [bucket] },
        { Sid: "StateRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucket}/*`] },
    ];
    if (mode === "write") {
        statements.push(
            { Sid: "StateWrite", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: [`${bucket}/*`] },
            { Sid: "SecretsProvider", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], ...stateKey(ctx) },
        );
    } else {
        statements.push(
            { Sid: "StateLocks", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: [`${bucket}/.pulumi/locks/*`] },
            { Sid: "SecretsProvider", Effect: "Allow", Action: ["kms:Decrypt"], ...stateKey(ctx) },
        );
    }
    return statements;
}

/**
 * The preview role of one environment stack: the read actions of every
 * service the stack uses (PREVIEW_READS), the image look-up, the route53
 * zone look-up (covered by route53's reads), the state read and its locks,
 * and Decrypt on the secrets provider's key. No write: a pull request's code
 * runs with it.
 */
export function previewPolicy(ctx: PolicyContext): PolicyDocument {
    const reads = Object.keys(PREVIEW_READS)
        .sort()
        .flatMap((p) => PREVIEW_READS[p]);
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadStackServices", Effect: "Allow", Action: reads, Resource: ["*"] },
            { Sid: "ProgramLookUps", Effect: "Allow", Action: [...LOOKUP_ACTIONS], Resource: ["*"] },
            imageLookup(ctx),
            ...stateAccess(ctx, "read"),
        ],
    };
}

/**
 * What `npm run images -- push` does through docker (registry/imagePushPlan.ts):
 * `aws ecr get-login-password` (GetAuthorizationToken, which has no resource
 * to scope), then `docker push`, which checks layers, uploads them and puts
 * the manifest (ECR user guide, "Required IAM permissions for pushing an image").
 */
export const PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
] as const;

/** The image push role: ECR push to the registry's repositories, nothing else. */
export function pushPolicy(ctx: PolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
            { Sid: "PushToTheRegistry", Effect: "Allow", Action: [...PUSH_ACTIONS], Resource: repositoryArns(ctx.registry) },
        ],
    };
}

/**
 * The calls scripts/checkCatalog.ts makes through the AWS CLI
 * (`aws eks describe-cluster-versions`, `aws eks describe-addon-versions`);
 * neither has a resource to scope. ciPolicies.test.ts reads the script and
 * fails when it makes a call this list lacks.
 */
export const CATALOG_ACTIONS = ["eks:DescribeAddonVersions", "eks:DescribeClusterVersions", "ssm:GetParameter"] as const;

/** The one SSM read: AWS's public EKS AMI parameters (the node image alias's recommended release). */
const EKS_AMI_PARAMETERS = "arn:aws:ssm:*::parameter/aws/service/eks/optimized-ami/*";

/** The weekly catalog check's role: the EKS calls support no resource scoping; the SSM read is scoped to AWS's public parameters. */
export function catalogPolicy(): PolicyDocument {
    const eks = CATALOG_ACTIONS.filter((a) => a.startsWith("eks:"));
    const ssm = CATALOG_ACTIONS.filter((a) => a.startsWith("ssm:"));
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "CatalogCheck", Effect: "Allow", Action: [...eks], Resource: ["*"] },
            { Sid: "CatalogNodeImage", Effect: "Allow", Action: [...ssm], Resource: [EKS_AMI_PARAMETERS] },
        ],
    };
}

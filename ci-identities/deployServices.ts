/**
 * What the environment stacks create, as IAM sees it: each AWS resource type
 * the program registers (`aws:<module>/<name>:<Type>`, the harness's records)
 * mapped to the IAM service prefix its create, update and delete calls use,
 * and per prefix the read actions a `pulumi preview` (or `--refresh`) needs.
 * The deploy and preview policies are built from this table, and
 * ci-identities/deployServices.test.ts fails when the environment stacks
 * register a type the table does not know: a new resource type is a new
 * permission, reviewed here. Pure: no Pulumi.
 */

/** A module (or one type of it) and the IAM prefix it needs. */
interface TypeRule {
    /** `aws:<module>/` or a whole type token `aws:<module>/<name>:<Type>`. */
    match: string;
    prefix: string;
}

/**
 * Most modules call the service of the same name; the exceptions are listed
 * by type first (the first match wins). Sources: the service authorization
 * reference of each service (docs.aws.amazon.com/service-authorization/latest/reference/),
 * e.g. DocumentDB is managed through `rds:` actions, the VPC module's rules
 * through `ec2:`, CloudWatch Logs through `logs:` and EventBridge rules through `events:`.
 */
const TYPE_RULES: readonly TypeRule[] = [
    { match: "aws:cloudwatch/logGroup:LogGroup", prefix: "logs" },
    { match: "aws:cloudwatch/eventRule:EventRule", prefix: "events" },
    { match: "aws:cloudwatch/eventTarget:EventTarget", prefix: "events" },
    { match: "aws:cloudwatch/", prefix: "cloudwatch" },
    { match: "aws:vpc/", prefix: "ec2" },
    { match: "aws:ec2/", prefix: "ec2" },
    { match: "aws:lb/", prefix: "elasticloadbalancing" },
    { match: "aws:alb/", prefix: "elasticloadbalancing" },
    { match: "aws:docdb/", prefix: "rds" },
    { match: "aws:rds/", prefix: "rds" },
    { match: "aws:elasticache/", prefix: "elasticache" },
    { match: "aws:eks/", prefix: "eks" },
    { match: "aws:iam/", prefix: "iam" },
    { match: "aws:kms/", prefix: "kms" },
    { match: "aws:acm/", prefix: "acm" },
    { match: "aws:route53/", prefix: "route53" },
    { match: "aws:wafv2/", prefix: "wafv2" },
    { match: "aws:s3/", prefix: "s3" },
    { match: "aws:secretsmanager/", prefix: "secretsmanager" },
    { match: "aws:sns/", prefix: "sns" },
    { match: "aws:sqs/", prefix: "sqs" },
    { match: "aws:autoscaling/", prefix: "autoscaling" },
];

/**
 * Types the program does not register itself: pulumi-eks's `eks:index:Cluster`
 * is a remote component whose children (the cluster, its IAM role and
 * policy attachments, the IAM OIDC provider, the VPC CNI add-on) are
 * registered by the eks provider, so the harness never records them.
 */
export const EKS_COMPONENT_TYPES = [
    "aws:eks/cluster:Cluster",
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:eks/addon:Addon",
] as const;

/** The IAM prefix a resource type's calls use, or undefined for a type the table does not know. */
export function iamPrefixOf(type: string): string | undefined {
    return TYPE_RULES.find((rule) => (rule.match.endsWith("/") ? type.startsWith(rule.match) : type === rule.match))?.prefix;
}

/**
 * Per prefix, the read actions the preview role gets: listing and describing
 * configuration, never reading data. Left out on purpose: `ec2:GetPasswordData`
 * (Windows passwords), `logs:GetLogEvents`/`FilterLogEvents` (log contents),
 * `secretsmanager:GetSecretValue`, `s3:GetObject` outside the state bucket,
 * `wafv2:GetSampledRequests` (request samples), `kms:Decrypt` outside the
 * state key. A `Describe*`/`List*` wildcard is used only where the service
 * has no data-reading action of that form.
 */
export const PREVIEW_READS: Readonly<Record<string, readonly string[]>> = {
    acm: ["acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate"],
    autoscaling: ["autoscaling:Describe*"],
    cloudwatch: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    ec2: ["ec2:Describe*"],
    eks: ["eks:Describe*", "eks:List*"],
    elasticache: ["elasticache:Describe*", "elasticache:List*"],
    elasticloadbalancing: ["elasticloadbalancing:Describe*"],
    events: ["events:DescribeRule", "events:ListRules", "events:ListTargetsByRule", "events:ListTagsForResource"],
    iam: ["iam:Get*", "iam:List*"],
    kms: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListKeys", "kms:ListResourceTags"],
    logs: ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup"],
    rds: ["rds:Describe*", "rds:ListTagsForResource"],
    route53: [
        "route53:GetChange",
        "route53:GetHostedZone",
        "route53:ListHostedZones",
        "route53:ListHostedZonesByName",
        "route53:ListResourceRecordSets",
        "route53:ListTagsForResource",
    ],
    s3: [
        "s3:GetBucketLocation",
        "s3:GetBucketOwnershipControls",
        "s3:GetBucketPolicy",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketTagging",
        "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:ListAllMyBuckets",
    ],
    secretsmanager: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecrets", "secretsmanager:ListSecretVersionIds"],
    sns: ["sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:ListTopics"],
    sqs: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueues", "sqs:ListQueueTags"],
    wafv2: ["wafv2:GetLoggingConfiguration", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:ListResourcesForWebACL", "wafv2:ListTagsForResource", "wafv2:ListWebACLs"],
};

/**
 * The IAM prefixes the deploy role gets whole (`<prefix>:*`), sorted: every
 * prefix of the table but `iam` and `eks`, which are scoped to the stack's
 * own roles and cluster (ciPolicies.ts).
 */
export const BROAD_DEPLOY_PREFIXES: readonly string[] = Object.keys(PREVIEW_READS)
    .filter((p) => p !== "iam" && p !== "eks")
    .sort();

/**
 * The services that create resources on the stack's behalf and need their
 * service-linked role the first time they are used in an account
 * (`iam:CreateServiceLinkedRole`, condition `iam:AWSServiceName`).
 */
export const SERVICE_LINKED_ROLE_SERVICES = [
    "autoscaling.amazonaws.com",
    "eks.amazonaws.com",
    "eks-nodegroup.amazonaws.com",
    "elasticache.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "rds.amazonaws.com",
] as const;

/**
 * The invokes (data-source look-ups) the environment program makes, which
 * run in every preview and update, and the actions each needs:
 * `aws.ecr.getImage` calls DescribeImages then DescribeRepositories;
 * `aws.route53.getZone` lists the hosted zones by name, reads the zone and
 * its tags (terraform-provider-aws, data source aws_route53_zone);
 * `sts:GetCallerIdentity` needs no permission (AWS STS API reference);
 * the partition and region come from the provider's own configuration.
 * deployServices.test.ts fails when the harness's mocks answer an invoke
 * this table lacks.
 */
export const INVOKE_READS: Readonly<Record<string, readonly string[]>> = {
    "aws:ecr/getImage:getImage": ["ecr:DescribeImages", "ecr:DescribeRepositories"],
    "aws:route53/getZone:getZone": ["route53:ListHostedZones", "route53:GetHostedZone", "route53:ListTagsForResource"],
    "aws:index/getCallerIdentity:getCallerIdentity": [],
    "aws:index/getPartition:getPartition": [],
    "aws:index/getRegion:getRegion": [],
    // The deployer check before the first resource (cluster/deployer.ts): the terraform-provider-aws data
    // sources eks_clusters (ListClusters), eks_access_entry (DescribeAccessEntry) and iam_session_context
    // (GetRole: it reads the role's path).
    "aws:eks/getClusters:getClusters": ["eks:ListClusters"],
    "aws:eks/getAccessEntry:getAccessEntry": ["eks:DescribeAccessEntry"],
    "aws:iam/getSessionContext:getSessionContext": ["iam:GetRole"],
    // An add-on the catalog leaves unpinned for the minor (cluster/catalog.ts): EKS's default version.
    "aws:eks/getAddonVersion:getAddonVersion": ["eks:DescribeAddonVersions"],
    // The GuardDuty precondition (cluster/guardDutyPreflight.ts): guardduty_detector lists the detectors, then reads one.
    "aws:guardduty/getDetector:getDetector": ["guardduty:ListDetectors", "guardduty:GetDetector"],
};

/**
 * The look-ups' actions that no other statement of the preview and deploy
 * policies grants (the image look-up has its own statement, route53 and IAM
 * reads are in the services' reads): the deployer check, the unpinned
 * add-on's default version and the GuardDuty precondition, on `*` (ListClusters,
 * DescribeAddonVersions and the GuardDuty reads take no resource to scope).
 */
export const LOOKUP_ACTIONS: readonly string[] = [
    ...new Set(
        Object.values(INVOKE_READS)
            .flat()
            .filter((a) => !/^(ecr|route53|iam):/.test(a)),
    ),
].sort();

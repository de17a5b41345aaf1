/**
 * The ECR lifecycle policy, pure. Rule priorities are evaluated lowest
 * first: untagged images expire by age, then tagged ones beyond the newest N.
 */
export interface LifecycleRule {
    rulePriority: number;
    description: string;
    selection: {
        tagStatus: "untagged" | "tagged" | "any";
        tagPatternList?: string[];
        countType: "sinceImagePushed" | "imageCountMoreThan";
        countUnit?: "days";
        countNumber: number;
    };
    action: { type: "expire" };
}

/** The lifecycle policy of every repository: untagged images expire after `untaggedImageExpiryDays`, tagged ones beyond the newest `keepTaggedImages`. */
export function ecrLifecyclePolicy(untaggedImageExpiryDays: number, keepTaggedImages: number): { rules: LifecycleRule[] } {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images ${untaggedImageExpiryDays} days after push`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedImageExpiryDays },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${keepTaggedImages} tagged images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keepTaggedImages },
                action: { type: "expire" },
            },
        ],
    };
}

/** The AWS partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The registry host of an account and region: `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China). */
export function registryHost(account: string, region: string): string {
    return `${account}.dkr.ecr.${region}.amazonaws.com${partitionOf(region) === "aws-cn" ? ".cn" : ""}`;
}

/**
 * What another account may do with a repository: pull (the nodes' kubelet)
 * and look images up (the environment stack's `aws.ecr.getImage` before it
 * deploys, which calls `ecr:DescribeImages` then `ecr:DescribeRepositories`:
 * a cross-account look-up needs both in the repository policy too). Nothing
 * that writes: pushes come from the registry's own account.
 */
export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer"] as const;

export interface RepositoryPolicyDocument {
    Version: "2012-10-17";
    Statement: {
        Sid: string;
        Effect: "Allow";
        Principal: { AWS: string[] };
        Action: string[];
    }[];
}

/**
 * The repository policy that lets the environment accounts pull, or
 * undefined when there is none to let in: the registry's own account needs
 * no policy (its IAM policies decide), so it is left out of the principals.
 * Accounts are sorted and de-duplicated, so reordering the config changes nothing.
 */
export function repositoryPullPolicy(pullAccounts: readonly string[], registryAccount: string, region: string): RepositoryPolicyDocument | undefined {
    const accounts = [...new Set(pullAccounts)].filter((a) => a !== registryAccount).sort();
    if (accounts.length === 0) {
        return undefined;
    }
    const partition = partitionOf(region);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnvironmentAccountsPull",
                Effect: "Allow",
                Principal: { AWS: accounts.map((a) => `arn:${partition}:iam::${a}:root`) },
                Action: [...PULL_ACTIONS],
            },
        ],
    };
}

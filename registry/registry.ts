import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecrLifecyclePolicy, RepositoryPolicyDocument } from "./registryPolicy";

export interface RegistryArgs {
    /** ECR repository names, one per service. A name removed here deletes its repository (refused while `protect` is on). */
    repositories: readonly string[];
    /** Untagged images expire this many days after their push. */
    untaggedImageExpiryDays: number;
    /** Tagged images beyond the newest N expire: every environment's running and rollback tags must be within them. */
    keepTaggedImages: number;
    /**
     * The repository policy that lets other accounts pull and describe images
     * (`repositoryPullPolicy`); undefined creates none (same-account pulls
     * need none). Changing it updates the policy in place; images stay.
     */
    pullPolicy?: RepositoryPolicyDocument;
    /** Protect the repositories (and their images) from deletion and replacement, and never force-delete a non-empty one. */
    protect: boolean;
}

/**
 * One ECR repository per service: images scanned on push, tags immutable (a
 * tag deployed once always means the same image), encrypted with KMS, a
 * lifecycle policy so old images do not pile up, and a repository policy for
 * the environment accounts that pull. Depends on nothing. The child names
 * (`<name>-<repository>`) are what `pulumi state move` brought over from the
 * environment stacks: never rename them.
 */
export class Registry extends pulumi.ComponentResource {
    /** Repository URL by repository name. */
    readonly repositoryUrls: Record<string, pulumi.Output<string>>;
    /** Repository ARN by repository name. */
    readonly repositoryArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:registry:Registry", name, {}, opts);
        const policy = JSON.stringify(ecrLifecyclePolicy(args.untaggedImageExpiryDays, args.keepTaggedImages));
        this.repositoryUrls = {};
        this.repositoryArns = {};
        for (const repositoryName of args.repositories) {
            const repository = new aws.ecr.Repository(
                `${name}-${repositoryName}`,
                {
                    name: repositoryName,
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS" }],
                    // An unprotected (throw-away) registry can be destroyed with its images in it.
                    forceDelete: !args.protect,
                    tags: { Name: repositoryName },
                },
                { parent: this, protect: args.protect },
            );
            new aws.ecr.LifecyclePolicy(
                `${name}-${repositoryName}`,
                {
                    repository: repository.name,
                    policy,
                },
                { parent: this },
            );
            if (args.pullPolicy) {
                new aws.ecr.RepositoryPolicy(
                    `${name}-${repositoryName}-pull`,
                    {
                        repository: repository.name,
                        policy: JSON.stringify(args.pullPolicy),
                    },
                    { parent: this },
                );
            }
            this.repositoryUrls[repositoryName] = repository.repositoryUrl;
            this.repositoryArns[repositoryName] = repository.arn;
        }
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}

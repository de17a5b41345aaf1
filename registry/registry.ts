import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegistryConfig } from "./config";
import { ecrLifecyclePolicy } from "./registryPolicy";

export interface RegistryArgs {
    /** ECR repository names, one per service of the catalog. */
    repositories: readonly string[];
    config: RegistryConfig;
    /** Protect the repositories (and their images) from deletion: true in prod. */
    protect: boolean;
}

/**
 * One ECR repository per service: images scanned on push, tags immutable (a
 * tag deployed once always means the same image), encrypted with KMS, and a
 * lifecycle policy so old images do not pile up. Depends on nothing.
 */
export class Registry extends pulumi.ComponentResource {
    /** Repository URL by repository name. */
    readonly repositoryUrls: Record<string, pulumi.Output<string>>;
    readonly repositoryArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:registry:Registry", name, {}, opts);
        const policy = JSON.stringify(ecrLifecyclePolicy(args.config.untaggedImageExpiryDays, args.config.keepTaggedImages));
        this.repositoryUrls = {};
        this.repositoryArns = {};
        for (const repositoryName of args.repositories) {
            const repository = new aws.ecr.Repository(`${name}-${repositoryName}`, {
                name: repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                // Outside prod a stack can be destroyed with its images in it.
                forceDelete: !args.protect,
                tags: { Name: repositoryName },
            }, { parent: this, protect: args.protect });
            new aws.ecr.LifecyclePolicy(`${name}-${repositoryName}`, {
                repository: repository.name,
                policy,
            }, { parent: this });
            this.repositoryUrls[repositoryName] = repository.repositoryUrl;
            this.repositoryArns[repositoryName] = repository.arn;
        }
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}

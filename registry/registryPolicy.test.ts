import { ecrLifecyclePolicy, partitionOf, registryHost, repositoryPullPolicy } from "./registryPolicy";

describe("ecrLifecyclePolicy", () => {
    it("expires untagged images by age first, then tagged images beyond the newest N", () => {
        const { rules } = ecrLifecyclePolicy(7, 30);
        expect(rules.map((r) => r.rulePriority)).toEqual([1, 2]);
        expect(rules[0].selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 });
        expect(rules[1].selection).toMatchObject({ tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 });
        expect(rules.every((r) => r.action.type === "expire")).toBe(true);
    });
});

describe("repositoryPullPolicy", () => {
    it("lets each other account pull and describe images, sorted and once each", () => {
        const policy = repositoryPullPolicy(["333333333333", "222222222222", "333333333333"], "111111111111", "eu-west-1");
        expect(policy?.Statement).toEqual([
            {
                Sid: "EnvironmentAccountsPull",
                Effect: "Allow",
                Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] },
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer"],
            },
        ]);
    });

    it("grants nothing that writes", () => {
        const actions = repositoryPullPolicy(["222222222222"], "111111111111", "eu-west-1")?.Statement[0].Action ?? [];
        expect(actions.filter((a) => /Put|Upload|Delete|Set|Initiate|Complete|Tag/.test(a))).toEqual([]);
    });

    it("is not needed when only the registry's own account pulls", () => {
        expect(repositoryPullPolicy([], "111111111111", "eu-west-1")).toBeUndefined();
        expect(repositoryPullPolicy(["111111111111"], "111111111111", "eu-west-1")).toBeUndefined();
    });

    it("names principals in the region's partition", () => {
        expect(partitionOf("cn-north-1")).toBe("aws-cn");
        expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
        expect(repositoryPullPolicy(["222222222222"], "1", "cn-north-1")?.Statement[0].Principal.AWS).toEqual(["arn:aws-cn:iam::222222222222:root"]);
        expect(registryHost("222222222222", "eu-west-1")).toBe("222222222222.dkr.ecr.eu-west-1.amazonaws.com");
    });
});

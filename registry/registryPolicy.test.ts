import { ecrLifecyclePolicy } from "./registryPolicy";

describe("ecrLifecyclePolicy", () => {
    it("expires untagged images by age first, then tagged images beyond the newest N", () => {
        const { rules } = ecrLifecyclePolicy(7, 30);
        expect(rules.map((r) => r.rulePriority)).toEqual([1, 2]);
        expect(rules[0].selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 });
        expect(rules[1].selection).toMatchObject({ tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 });
        expect(rules.every((r) => r.action.type === "expire")).toBe(true);
    });
});

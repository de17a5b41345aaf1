/**
 * Karpenter's interruption rules, compared whole with upstream: the
 * EventBridge rules the program registers for each stack file must be exactly
 * the rules of Karpenter v1.14's getting-started CloudFormation template
 * (test/fixtures/karpenter-1.14-interruption-rules.json: each rule's source
 * and detail-type, pinned with the template's commit), no more, no fewer, each
 * targeting the interruption queue. A wrong source (a Health event expected
 * from `aws.ec2`) or a missing rule leaves Karpenter blind to that warning.
 */
import upstream from "../test/fixtures/karpenter-1.14-interruption-rules.json";
import { ofType, resource, runStack, StackRun } from "../test/harness";
import { INTERRUPTION_EVENTS } from "./karpenterPlan";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
type Pattern = { source: string[]; "detail-type": string[] };

/** Patterns in one comparable order. */
const sorted = (patterns: Pattern[]): Pattern[] => [...patterns].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const UPSTREAM = sorted(Object.values(upstream.rules));

describe("the pinned upstream rules", () => {
    it("are Karpenter v1.14's five interruption rules, with their source", () => {
        expect(upstream.source).toMatch(/karpenter-provider-aws\/blob\/[0-9a-f]{40}\/website\/content\/en\/v1\.14\//);
        expect(Object.keys(upstream.rules)).toHaveLength(5);
    });

    it("are exactly the program's interruption events (karpenterPlan.ts)", () => {
        expect(sorted(INTERRUPTION_EVENTS.map((e) => e.pattern))).toEqual(UPSTREAM);
    });
});

describe.each(["prod", "staging"])("%s: the interruption rules it registers", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("are exactly upstream's rules, whole patterns (source and detail-type), no more and no fewer", () => {
        const registered = ofType(run, RULE)
            .filter((r) => r.name.startsWith("iam-karpenter-"))
            .map((r) => JSON.parse(String(r.inputs.eventPattern)) as Pattern);
        expect(sorted(registered)).toEqual(UPSTREAM);
    });

    it("each send to the interruption queue", () => {
        const queue = resource(run, "aws:sqs/queue:Queue", "iam-karpenter-interruption");
        const rules = ofType(run, RULE).filter((r) => r.name.startsWith("iam-karpenter-"));
        for (const rule of rules) {
            const target = resource(run, TARGET, rule.name);
            expect(target.propertyDependencies.arn).toEqual([queue.urn]);
            expect(target.propertyDependencies.rule).toEqual([rule.urn]);
        }
    });
});

/**
 * Every alarm the stack creates has a runbook entry (docs/operations/runbook.md):
 * a `### \`<key>\`` heading, where `<service>`, `<workload>` and `<n>` stand
 * for a service name and a number. Checked against the alarms the real stacks
 * register and against every kind of alarm guardrails/alarmSpecs.ts can make;
 * and no entry describes an alarm that cannot exist.
 */
import * as fs from "fs";
import * as path from "path";
import { alarmSpecs } from "../guardrails/alarmSpecs";
import { ALARM_DEFAULTS } from "../guardrails/schema";
import { ofType, REPO_ROOT, runStack } from "./harness";

const RUNBOOK = fs.readFileSync(path.join(REPO_ROOT, "docs", "operations", "runbook.md"), "utf8");

/** The runbook's alarm headings, each as the pattern of the keys it covers. */
const entries = [...RUNBOOK.matchAll(/^### `([^`]+)`$/gm)].map(([, heading]) => ({
    heading,
    pattern: new RegExp(
        `^${heading
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replace(/<n>/g, "\\d+")
            .replace(/<(service|workload)>/g, "[a-z0-9-]+")}$`,
    ),
}));

const entryFor = (key: string): string | undefined => entries.find((e) => e.pattern.test(key))?.heading;

/** Every kind of alarm: all targets present, two of each numbered thing. */
const everyKind = alarmSpecs<string>(
    {
        loadBalancer: { arnSuffix: "app/lb/1", targetGroups: { "iam-apiserver": "targetgroup/a/1" } },
        mariadb: { instanceIdentifier: "db", replicaIdentifiers: ["db-r1", "db-r2"] },
        redis: { memberClusterIds: ["r-001", "r-002"] },
        docdb: { instanceIdentifiers: ["d-1", "d-2"] },
        cluster: { name: "c", namespace: "iam", workloads: ["iam-pump"] },
        waf: { webAclName: "acl", region: "eu-west-1", blockedRequestsThreshold: 500 },
    },
    ALARM_DEFAULTS.thresholds,
).map((s) => s.key);

describe("the runbook", () => {
    it("has entries", () => {
        expect(entries.length).toBeGreaterThan(10);
    });

    it("covers every kind of alarm guardrails/alarmSpecs.ts makes", () => {
        expect(everyKind.filter((key) => !entryFor(key))).toEqual([]);
    });

    it("describes no alarm that cannot exist", () => {
        expect(entries.filter((e) => !everyKind.some((key) => e.pattern.test(key))).map((e) => e.heading)).toEqual([]);
    });

    it.each(["prod", "staging"])("covers every alarm the %s stack creates", async (stack) => {
        const run = await runStack(stack);
        const keys = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name.replace(/^iam-alarms-/, ""));
        expect(keys.length).toBeGreaterThan(10);
        expect(keys.filter((key) => !entryFor(key))).toEqual([]);
    });
});

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
import { VERIFY_CHECKS } from "../verify/checkNames";

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

describe("the runbook and npm run verify", () => {
    /** Each entry's text, by heading. */
    const sections = new Map(
        RUNBOOK.split(/^### /m)
            .slice(1)
            .map((part) => [/^`([^`]+)`/.exec(part)?.[1] ?? "", part]),
    );
    /** The alarms no verify check sees (latency, replica lag of the analytics store): their entries name none. */
    const unseen = ["<service>-response-time", "mariadb-replica-<n>-lag", "docdb-<n>-cpu", "docdb-<n>-replica-lag"];

    it("names, for each alarm it relates to, the verify check that fails with it", () => {
        const missing = [...sections].filter(([heading, text]) => !unseen.includes(heading) && !/^Verify: `/m.test(text)).map(([heading]) => heading);
        expect(missing).toEqual([]);
    });

    it("names only checks verify has", () => {
        const named = [...RUNBOOK.matchAll(/^Verify: .*$/gm)].flatMap(([line]) => [...line.matchAll(/`([a-zA-Z.*]+)`/g)].map(([, name]) => name));
        expect(named.length).toBeGreaterThan(10);
        const unknown = named.filter((name) => !VERIFY_CHECKS.some((c) => c === name || (name.endsWith(".*") && c.startsWith(name.slice(0, -1)))));
        expect(unknown).toEqual([]);
    });
});

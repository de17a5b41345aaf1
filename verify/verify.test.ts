/**
 * npm run verify against loopback fakes: the IAM API over TLS with a test
 * CA, a Kubernetes API, AWS through aws-sdk-client-mock. The outputs are the
 * staging stack's as the program exports them (the harness's shared run),
 * with the public hosts renamed to the fixture certificate's names. One CLI
 * run of a stack that holds is shared by the "holds" assertions; each
 * failing case runs only its own check group.
 */
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeSecurityGroupRulesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStack } from "../test/harness";
import { verify } from "../scripts/verify";
import { alarmChecks, soak } from "./alarms";
import { clusterChecks } from "./cluster";
import type { CheckResult, VerifyContext } from "./context";
import { dnsChecks } from "./dns";
import { healthChecks, targetChecks } from "./health";
import { iamApiChecks } from "./iamApi";
import { API_HOST, AUTHZ_HOST, healthyCluster, heldRules, IamFake, IamFakeOptions, KubeFake, LB_DNS, loopbackContext, mockAws, startIamFake, startKubeFake } from "./mocks";
import { networkChecks } from "./network";
import { parseOutputs, VerifyOutputs } from "./outputs";
import { CHECK_GROUPS, runChecks, VerifyReport } from "./run";
import { VERIFY_CHECKS } from "./checkNames";
import { tlsChecks } from "./tls";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-verify-"));
let outputs: VerifyOutputs;
let outputsFile: string;
let iam: IamFake;
let kube: KubeFake;
let aws: ReturnType<typeof mockAws>;
const holding = { code: -1, out: "", err: "", report: undefined as VerifyReport | undefined };

/** The staging stack's outputs as `pulumi stack output --json --show-secrets` prints them, hosts renamed for the fixture certificate. */
async function stagingOutputs(): Promise<Record<string, unknown>> {
    const run = await runStack("staging");
    const values = Object.fromEntries(Object.entries(run.outputs).map(([key, o]) => [key, o.value])) as Record<string, unknown> & { verify: VerifyOutputs["verify"] };
    const rename = (host: string): string => host.replace(/^iam\.api\..*/, API_HOST).replace(/^iam\.authz\..*/, AUTHZ_HOST);
    values.verify.hosts = values.verify.hosts.map((h) => ({ ...h, host: rename(h.host) }));
    values.verify.iam = { apiserverUrl: `https://${API_HOST}`, authzUrl: `https://${AUTHZ_HOST}` };
    values.loadBalancerDnsName = LB_DNS;
    values.adminPasswordSecretArn ??= "arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam-staging-admin-password";
    return values;
}

beforeAll(async () => {
    const raw = await stagingOutputs();
    outputsFile = path.join(tmp, "outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify(raw));
    outputs = parseOutputs(raw, "test");
    aws = mockAws(outputs);
    [iam, kube] = await Promise.all([startIamFake(), startKubeFake(healthyCluster(outputs.appNamespace))]);
    const io = { out: (t: string) => void (holding.out += t), err: (t: string) => void (holding.err += t) };
    holding.code = await verify(["staging", "--outputs", outputsFile, "--json"], io, { context: async (o) => loopbackContext(o, iam, kube, aws.clients), outDir: tmp });
    holding.report = JSON.parse(fs.readFileSync(path.join(tmp, "staging", "verify.json"), "utf8")) as VerifyReport;
});

afterAll(async () => {
    await Promise.all([iam?.close(), kube?.close()]);
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A context for one failing case: its own IAM fake when given options, its own clock when given. */
async function withContext<T>(run: (ctx: VerifyContext) => Promise<T>, options: { iam?: IamFakeOptions; now?: Date } = {}): Promise<T> {
    const fake = options.iam ? await startIamFake(options.iam) : iam;
    try {
        return await run(loopbackContext(outputs, fake, kube, aws.clients, options.now));
    } finally {
        aws.reset();
        kube.lists.clear();
        Object.entries(healthyCluster(outputs.appNamespace)).forEach(([p, items]) => kube.lists.set(p, items));
        if (fake !== iam) await fake.close();
    }
}

const failing = (results: CheckResult[]): CheckResult[] => results.filter((r) => !r.ok);
const line = (results: CheckResult[], check: string): string =>
    results
        .filter((r) => r.check === check)
        .map((r) => `${r.ok ? "ok" : "FAIL"} ${r.detail}`)
        .join("\n");

describe("npm run verify on a stack that holds", () => {
    it("passes every check, prints one line per check and the summary last, exits 0", () => {
        expect(failing(holding.report?.results ?? [])).toEqual([]);
        expect(holding.code).toBe(0);
        const lines = holding.out.trim().split("\n");
        expect(lines).toHaveLength((holding.report?.results.length ?? 0) + 1);
        expect(lines[lines.length - 1]).toBe(`verify staging: all ${holding.report?.results.length} checks passed`);
        expect(lines.slice(0, -1).every((l) => l.startsWith("PASS  "))).toBe(true);
    });

    it("reports every check the issue lists", () => {
        const checks = [...new Set(holding.report?.results.map((r) => r.check))];
        expect(checks).toEqual(VERIFY_CHECKS.filter((c) => c !== "alarms.soak"));
        expect(holding.report?.results.filter((r) => r.check === "tls.certificate").map((r) => r.subject)).toEqual([API_HOST, AUTHZ_HOST]);
    });

    it("drives the IAM API end to end and deletes what it created", () => {
        const byCheck = (c: string) => holding.report?.results.find((r) => r.check === c)?.detail;
        expect(byCheck("iam.authz.allow")).toMatch(/^allowed users:verify-[0-9a-f]{8} get resources:verify:[0-9a-f]{8}:allowed/);
        expect(byCheck("iam.authz.deny")).toMatch(/^denied resources:verify:[0-9a-f]{8}:denied/);
        expect(iam.requests.filter((r) => r.startsWith("DELETE")).map((r) => r.replace(/verify-[0-9a-f]+/, "verify-*"))).toEqual([
            `DELETE ${API_HOST}/v1/policies/verify-*`,
            `DELETE ${API_HOST}/v1/secrets/verify-*`,
        ]);
        expect([...iam.secrets.keys(), ...iam.policies.keys()]).toEqual([]);
    });

    it("compares every rule the access matrix declares with what AWS holds", () => {
        const declared = outputs.verify.securityGroupRules.length;
        expect(declared).toBeGreaterThan(10);
        expect(holding.report?.results.find((r) => r.check === "network.rules")?.detail).toContain(`exactly the ${declared} the access matrix declares`);
    });

    it("writes out/<stack>/verify.json and verify.md with --json", () => {
        expect(holding.report).toMatchObject({ stack: "staging", ok: true, failed: 0 });
        expect(fs.readFileSync(path.join(tmp, "staging", "verify.md"), "utf8")).toContain("**verify staging: all");
    });
});

describe("docs/verify.md", () => {
    it("explains every check verify reports", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "verify.md"), "utf8");
        const rows = doc.split("\n").filter((l) => l.startsWith("| `"));
        expect(VERIFY_CHECKS.filter((check) => !rows.some((row) => row.split("|")[1].includes(`\`${check}\``)))).toEqual([]);
    });
});

describe("the command line", () => {
    const cli = async (args: string[]) => {
        const io = { out: "", err: "" };
        const code = await verify(args, { out: (t) => void (io.out += t), err: (t) => void (io.err += t) }, { stackOutputs: () => ({}) });
        return { code, ...io };
    };

    it("prints its usage with --help, and exits 2 on a usage error", async () => {
        expect((await cli(["--help"])).out).toMatch(/^usage: npm run verify -- <stack>/);
        expect(await cli(["staging", "--bogus"])).toMatchObject({ code: 2, err: expect.stringContaining("unknown option --bogus") });
        expect(await cli(["staging", "--wait", "soon"])).toMatchObject({ code: 2, err: expect.stringContaining("a duration is a number with s, m or h") });
        expect(await cli(["prodd"])).toMatchObject({ code: 2, err: "verify: no stack prodd (no Pulumi.prodd.yaml here); stacks: prod, staging\n" });
    });

    it("names the outputs a stack deployed before verify lacks, and exits 1", async () => {
        const run = await cli(["staging"]);
        expect(run.code).toBe(1);
        expect(run.err).toContain("stack staging lacks outputs verify needs");
        expect(run.err).toContain("\n  - verify Invalid input: expected object, received undefined\n");
        expect(run.err).toContain("\n  - loadBalancerDnsName ");
    });
});

describe("each check fails on a realistic fault, with a clear message", () => {
    it("dns: a host whose record points elsewhere", async () => {
        aws.mocks.route53.on(ListResourceRecordSetsCommand).resolves({
            ResourceRecordSets: [{ Name: `${API_HOST}.`, Type: "A", AliasTarget: { DNSName: "old-alb.elb.amazonaws.com.", HostedZoneId: "Z", EvaluateTargetHealth: true } }],
        });
        const results = await withContext(dnsChecks);
        expect(line(results, "dns.alias")).toContain(`FAIL A record points at old-alb.elb.amazonaws.com., not the load balancer ${LB_DNS}`);
    });

    it("tls: a certificate for another host", async () => {
        const results = await withContext(tlsChecks, { iam: { certificate: "wronghost" } });
        expect(line(results, "tls.certificate")).toMatch(
            /^FAIL does not name the host \(Hostname\/IP does not match certificate's altnames: Host: iam\.api\.verify\.test\. is not in the cert's altnames: DNS:other\.verify\.test\)/,
        );
    });

    it("tls: a certificate within the configured days of expiry, and one expired", async () => {
        const days = outputs.verify.certificateExpiryDays;
        const soon = await withContext(tlsChecks, { now: new Date("2046-01-20T00:00:00Z") });
        expect(line(soon, "tls.certificate")).toMatch(new RegExp(`FAIL expires in \\d+ days \\(.*2046 GMT\\), within ${days}`));
        const late = await withContext(tlsChecks, { now: new Date("2046-03-01T00:00:00Z") });
        expect(line(late, "tls.certificate")).toMatch(/FAIL expired \d+ days ago/);
    });

    it("tls: a certificate from an untrusted CA (Node's public roots, not the test CA)", async () => {
        const results = await withContext((ctx) => tlsChecks({ ...ctx, ca: undefined }));
        expect(line(results, "tls.certificate")).toContain(
            "FAIL does not chain to a trusted root (UNABLE_TO_VERIFY_LEAF_SIGNATURE) [subject iam.api.verify.test, issuer iam verify test CA",
        );
    });

    it("tls: a listener that refuses TLS 1.2 while the policy allows it, and plain HTTP not redirected", async () => {
        const results = await withContext(tlsChecks, { iam: { minVersion: "TLSv1.3", httpStatus: 200 } });
        expect(line(results, "tls.versions")).toContain("FAIL TLSv1.2 refused: accepts TLSv1.3; ELBSecurityPolicy-TLS13-1-2-2021-06 allows TLSv1.2, TLSv1.3");
        expect(line(results, "tls.redirect")).toContain(`FAIL http://${API_HOST}/healthz answered 200; expected 301 to https://${API_HOST}/healthz`);
    });

    it("tls: a listener that still accepts TLS 1.1", async () => {
        const results = await withContext(tlsChecks, { iam: { minVersion: "TLSv1.1" } });
        expect(line(results, "tls.versions")).toContain("FAIL TLSv1.1 accepted: accepts TLSv1.1, TLSv1.2, TLSv1.3; ELBSecurityPolicy-TLS13-1-2-2021-06 allows TLSv1.2, TLSv1.3");
    });

    it("health: a 503 from /healthz", async () => {
        const results = await withContext(healthChecks, { iam: { healthStatus: { [AUTHZ_HOST]: 503 } } });
        expect(failing(results).map((r) => `${r.subject}: ${r.detail}`)).toEqual([`${AUTHZ_HOST}: https://${AUTHZ_HOST}/healthz answered 503: {"status":"ok"}`]);
    });

    it("targets: an unhealthy target", async () => {
        aws.mocks.elbv2.on(DescribeTargetHealthCommand).resolves({
            TargetHealthDescriptions: [
                { Target: { Id: "10.0.1.10", Port: 8080 }, TargetHealth: { State: "healthy" } },
                { Target: { Id: "10.0.2.11", Port: 8080 }, TargetHealth: { State: "unhealthy", Reason: "Target.ResponseCodeMismatch" } },
            ],
        });
        const results = await withContext(targetChecks);
        expect(line(results, "health.targets")).toContain("FAIL 1 of 2 targets not healthy: 10.0.2.11:8080 unhealthy (Target.ResponseCodeMismatch)");
    });

    it("iam: authz allowing what the policy denies", async () => {
        const results = await withContext(iamApiChecks, { iam: { authzAllowsAll: true } });
        expect(line(results, "iam.authz.deny")).toMatch(/^FAIL allowed users:verify-\w+ get resources:verify:\w+:denied, which policy verify-\w+ does not allow$/);
        expect(line(results, "iam.cleanup")).toMatch(/^ok deleted secret verify-\w+, policy verify-\w+$/);
    });

    it("iam: polls while the authz-server syncs, within a bound", async () => {
        const synced = await withContext(iamApiChecks, { iam: { authzUnsyncedFor: 2 } });
        expect(line(synced, "iam.authz.allow")).toMatch(/^ok allowed .* after 3 tries$/);
        const never = await withContext(iamApiChecks, { iam: { authzUnsyncedFor: 100 } });
        expect(line(never, "iam.authz.allow")).toMatch(
            /^FAIL iam-authz-server never allowed resources:verify:\w+:allowed within 5s \(5 tries; last answer 401 .*Signature is invalid/,
        );
        expect(line(never, "iam.cleanup")).toMatch(/^ok deleted/);
    });

    it("iam: a failed step still deletes what was created; a failed delete names what was left behind", async () => {
        const fake = await startIamFake({ policyCreateStatus: 500 });
        try {
            const results = await withContext(() => iamApiChecks(loopbackContext(outputs, fake, kube, aws.clients)));
            expect(line(results, "iam.create")).toMatch(/^FAIL POST \/v1\/policies verify-\w+ answered 500/);
            expect(line(results, "iam.cleanup")).toMatch(/^ok deleted secret verify-\w+$/);
            expect([...fake.secrets.keys()]).toEqual([]);
        } finally {
            await fake.close();
        }
        const stuck = await withContext(iamApiChecks, { iam: { secretDeleteStatus: 500, authzAllowsAll: true } });
        expect(line(stuck, "iam.cleanup")).toMatch(/^FAIL left behind: secret verify-\w+ \(DELETE answered 500 .*Database error/);
    });

    it("cluster: a crash-looping pod, an unavailable Deployment, an HPA without metrics, a NodePool, an ExternalSecret and the schema Job not ready", async () => {
        const ns = outputs.appNamespace;
        const results = await withContext(async (ctx) => {
            kube.lists.set("/api/v1/pods", [
                {
                    metadata: { name: "iam-apiserver-x", namespace: ns },
                    status: {
                        containerStatuses: [
                            {
                                name: "iam-apiserver",
                                restartCount: 7,
                                state: { waiting: { reason: "CrashLoopBackOff" } },
                                lastState: { terminated: { exitCode: 1, reason: "Error" } },
                            },
                        ],
                    },
                },
            ]);
            kube.lists.set("/apis/apps/v1/deployments", [
                {
                    metadata: { name: "iam-apiserver", namespace: ns, generation: 3 },
                    spec: { replicas: 2 },
                    status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 1 },
                },
            ]);
            kube.lists.set(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, [
                { metadata: { name: "iam-apiserver", namespace: ns }, status: { conditions: [{ type: "ScalingActive", status: "False", reason: "FailedGetResourceMetric" }] } },
            ]);
            kube.lists.set("/apis/karpenter.sh/v1/nodepools", [
                { metadata: { name: "general" }, status: { conditions: [{ type: "Ready", status: "False", reason: "NodeClassNotReady" }] } },
            ]);
            kube.lists.set(`/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets`, [
                { metadata: { name: "mariadb-credentials", namespace: ns }, status: { conditions: [{ type: "Ready", status: "False", reason: "SecretSyncedError" }] } },
            ]);
            kube.lists.set(`/apis/batch/v1/namespaces/${ns}/jobs`, [
                { metadata: { name: "iam-schema", namespace: ns }, status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } },
            ]);
            return clusterChecks(ctx);
        });
        expect(line(results, "cluster.restarts")).toBe(`FAIL ${ns}/iam-apiserver-x container iam-apiserver: CrashLoopBackOff, 7 restarts, last exit 1 Error`);
        expect(line(results, "cluster.deployments")).toBe(`FAIL ${ns}/iam-apiserver 1/2 available, 2 updated`);
        expect(line(results, "cluster.hpa")).toBe(`FAIL ${ns}/iam-apiserver ScalingActive=False FailedGetResourceMetric, 0 current metrics`);
        expect(line(results, "cluster.nodePools")).toBe("FAIL general Ready=False NodeClassNotReady");
        expect(line(results, "cluster.externalSecrets")).toBe(`FAIL ${ns}/mariadb-credentials Ready=False SecretSyncedError`);
        expect(line(results, "cluster.schemaJob")).toBe(`FAIL ${ns}/iam-schema Failed=True BackoffLimitExceeded`);
    });

    it("network: a hand-added security group rule, a removed one, and a public database", async () => {
        const held = heldRules(outputs);
        const removed = held.findIndex((r) => r.IsEgress === true);
        const handAdded = {
            SecurityGroupRuleId: "sgr-hand",
            GroupId: outputs.securityGroupIds.mariadb,
            IsEgress: false,
            IpProtocol: "tcp",
            FromPort: 3306,
            ToPort: 3306,
            CidrIpv4: "0.0.0.0/0",
            Description: "debug",
        };
        aws.mocks.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [...held.filter((_, i) => i !== removed), handAdded] });
        aws.mocks.rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ PubliclyAccessible: true }] });
        const results = await withContext(networkChecks);
        const rules = line(results, "network.rules");
        expect(rules).toContain(
            `FAIL 2 differences from the access matrix: added by hand? mariadb(${outputs.securityGroupIds.mariadb}) in tcp 3306-3306 0.0.0.0/0 [sgr-hand "debug"]`,
        );
        expect(rules).toMatch(/; missing \w+\(\S+\) out .* \[accessMatrix \S+\]$/);
        expect(line(results, "network.publicStores")).toContain("FAIL RDS PubliclyAccessible true");
    });

    it("alarms: one in ALARM, one missing; and a soak that sees an alarm come and go", async () => {
        const names = Object.values(outputs.verify.alarmNames);
        aws.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
            MetricAlarms: names
                .slice(1)
                .map((AlarmName, i) => ({ AlarmName, StateValue: i === 0 ? "ALARM" : "OK", StateReason: i === 0 ? "Threshold Crossed: 1 datapoint [12.0]" : undefined })),
        });
        const results = await withContext(alarmChecks);
        expect(line(results, "alarms.state")).toBe(`FAIL in ALARM: ${names[1]} (Threshold Crossed: 1 datapoint [12.0]); missing: ${names[0]}`);
        aws.mocks.cloudwatch
            .on(DescribeAlarmHistoryCommand)
            .resolves({ AlarmHistoryItems: [{ AlarmName: names[2], HistorySummary: "Alarm updated from OK to ALARM", Timestamp: new Date("2026-12-03T00:10:00Z") }] });
        const soaked = await withContext(async (ctx) => {
            let t = ctx.now().getTime();
            const progress: string[] = [];
            const result = await soak({ ...ctx, now: () => new Date(t), sleep: async (ms) => void (t += ms) }, 30, (l) => progress.push(l));
            return { result, progress };
        });
        expect(soaked.result).toMatchObject({ ok: false, detail: `went to ALARM during the soak: ${names[2]} at 2026-12-03T00:10:00.000Z` });
        expect(soaked.progress).toHaveLength(30);
        expect(soaked.progress[0]).toBe("soak: alarms OK, 30 of 30 minutes left");
    });
});

describe("--wait", () => {
    it("retries the checks that converge until they hold, with a progress line", async () => {
        const health = { State: "initial" };
        aws.mocks.elbv2.on(DescribeTargetHealthCommand).callsFake(() => ({ TargetHealthDescriptions: [{ Target: { Id: "10.0.1.10", Port: 8080 }, TargetHealth: { ...health } }] }));
        const progress: string[] = [];
        const report = await withContext(async (ctx) => {
            let t = ctx.now().getTime();
            const clocked = { ...ctx, now: () => new Date(t), sleep: async (ms: number) => void ((t += ms), (health.State = "healthy")) };
            const groups = CHECK_GROUPS.filter((g) => g.name === "targets" || g.name === "dns");
            return runChecks(clocked, { stack: "staging", waitMs: 600_000, groups, progress: (l) => progress.push(l) });
        });
        expect(progress).toEqual(["waiting for targets (2 failing): 600s left"]);
        expect(report.ok).toBe(true);
        const once = await withContext((ctx) => {
            aws.mocks.elbv2
                .on(DescribeTargetHealthCommand)
                .resolves({ TargetHealthDescriptions: [{ Target: { Id: "10.0.1.10", Port: 8080 }, TargetHealth: { State: "initial" } }] });
            return runChecks(ctx, { stack: "staging", waitMs: 0, groups: CHECK_GROUPS.filter((g) => g.name === "targets"), progress: () => undefined });
        });
        expect(once.summary).toBe("verify staging: 2 of 2 checks failed (health.targets)");
    });

    it("retries the alarms too: right after a first pulumi up an alarm that treats missing data as breaching is still in ALARM", async () => {
        const names = Object.values(outputs.verify.alarmNames);
        const state = { value: "ALARM" };
        aws.mocks.cloudwatch.on(DescribeAlarmsCommand).callsFake(() => ({ MetricAlarms: names.map((AlarmName) => ({ AlarmName, StateValue: state.value })) }));
        const progress: string[] = [];
        const report = await withContext(async (ctx) => {
            let t = ctx.now().getTime();
            const clocked = { ...ctx, now: () => new Date(t), sleep: async (ms: number) => void ((t += ms), (state.value = "OK")) };
            return runChecks(clocked, { stack: "staging", waitMs: 600_000, groups: CHECK_GROUPS.filter((g) => g.name === "alarms"), progress: (l) => progress.push(l) });
        });
        expect(progress).toEqual(["waiting for alarms (1 failing): 600s left"]);
        expect(report.ok).toBe(true);
    });
});

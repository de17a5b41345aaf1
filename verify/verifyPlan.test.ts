/**
 * The `verify` stack output: what verify holds the live stack to must be
 * what the program created. Read from the harness's shared runs of the real
 * stack files (and their variants); no program run of its own.
 */
import { configProblems, ofType, runStack, runVariant, StackRun } from "../test/harness";
import { acceptedTlsVersions } from "./verifyPlan";
import { parseOutputs, VerifySettings } from "./outputs";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function plan(run: StackRun): VerifySettings {
    return run.outputs.verify.value as VerifySettings;
}

/** Every rule resource the run registered on the matrix's own groups (not EKS's cluster group), as `<group id> <in|out> <port> <peer>`. */
function registeredRules(run: StackRun): string[] {
    const groups = run.outputs.securityGroupIds.value as Record<string, string>;
    const roleOf = new Map(Object.entries(groups).map(([role, id]) => [id, role]));
    const clusterGroup = plan(run).clusterSecurityGroupId;
    return [...ofType(run, INGRESS), ...ofType(run, EGRESS)]
        .filter((r) => roleOf.has(String(r.inputs.securityGroupId)))
        .map((r) => {
            const peerId = String(r.inputs.referencedSecurityGroupId ?? "");
            const peer = peerId ? (peerId === clusterGroup ? "controlPlane" : roleOf.get(peerId)) : (r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6);
            return `${roleOf.get(String(r.inputs.securityGroupId))} ${r.type === INGRESS ? "in" : "out"} ${r.inputs.ipProtocol} ${r.inputs.fromPort ?? ""} ${peer}`;
        })
        .sort();
}

function declared(run: StackRun): string[] {
    return plan(run)
        .securityGroupRules.map(
            (r) => `${r.group} ${r.direction === "ingress" ? "in" : "out"} ${r.protocol} ${r.fromPort ?? ""} ${"securityGroup" in r.peer ? r.peer.securityGroup : r.peer.cidr}`,
        )
        .sort();
}

describe("the verify output", () => {
    it.each(["prod", "staging"])("%s: declares exactly the security-group rules the program registers on the matrix's groups", async (stack) => {
        const run = await runStack(stack);
        expect(declared(run)).toEqual(registeredRules(run));
        expect(declared(run).length).toBeGreaterThan(10);
    });

    it.each(["staging-legacy", "staging-external-mongodb"] as const)("%s: includes the egress rules made outside the matrix", async (variant) => {
        const run = await runVariant(variant);
        expect(declared(run)).toEqual(registeredRules(run));
        expect(plan(run).securityGroupRules.some((r) => r.source.startsWith(variant === "staging-legacy" ? "edge.legacy backend" : "dataStores.mongodb"))).toBe(true);
    });

    it("carries the public hosts, the TLS versions of the listener policy, every alarm and the config's margins", async () => {
        const run = await runStack("prod");
        const v = plan(run);
        expect(v.hosts.map((h) => h.service).sort()).toEqual(["iam-apiserver", "iam-authz-server"]);
        expect(v.iam.apiserverUrl).toBe((run.outputs.serviceUrls.value as Record<string, string>)["iam-apiserver"]);
        expect(v.tlsVersions).toEqual(acceptedTlsVersions(run.config.edge.tlsPolicy));
        expect(Object.keys(v.alarmNames).length).toBeGreaterThan(5);
        expect(Object.values(v.alarmNames).every((n) => n.startsWith(v.alarmNamePrefix))).toBe(true);
        expect(v.certificateExpiryDays).toBe(30);
        expect(v.soakMinutes).toBe(30);
    });

    it("is what verify reads: the outputs of a run parse", async () => {
        const run = await runStack("staging");
        const values = Object.fromEntries(Object.entries(run.outputs).map(([k, o]) => [k, o.value]));
        expect(() => parseOutputs(values, "staging")).not.toThrow();
    });
});

describe("acceptedTlsVersions", () => {
    it("reads the versions from the ALB policy name", () => {
        expect(acceptedTlsVersions("ELBSecurityPolicy-TLS13-1-2-2021-06")).toEqual(["TLSv1.2", "TLSv1.3"]);
        expect(acceptedTlsVersions("ELBSecurityPolicy-TLS13-1-3-2021-06")).toEqual(["TLSv1.3"]);
        expect(() => acceptedTlsVersions("ELBSecurityPolicy-2016-08")).toThrow("unknown TLS policy ELBSecurityPolicy-2016-08");
    });
});

describe("the verify config section", () => {
    it("rejects margins out of range, by path", () => {
        expect(configProblems("staging", (v) => (v.verify = { certificateExpiryDays: 0, soakMinutes: 2000 }))).toEqual([
            "verify.certificateExpiryDays (0) must be >= 1 and <= 365",
            "verify.soakMinutes (2000) must be <= 90 and >= 0",
        ]);
        expect(configProblems("staging", (v) => (v.verify = { soakMinute: 5 }))).toEqual([expect.stringMatching(/^verify\.soakMinute .*soakMinutes/)]);
    });
});

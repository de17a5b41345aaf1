/**
 * GuardDuty EKS Runtime Monitoring: off by default; on, the pinned agent
 * add-on after the nodes, and a guardduty-data endpoint behind the matrix's
 * endpoints group. The account's detector is not this stack's.
 */
import { configProblems, ofType, runStack, runVariant } from "../test/harness";

const ADDON = "aws:eks/addon:Addon";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const guardDuty = (value: unknown) => (v: Record<string, unknown>) => {
    (v.cluster as Record<string, unknown>).guardDuty = value;
};

describe("GuardDuty runtime monitoring", () => {
    it("is off by default: no agent, no guardduty-data endpoint, no detector ever", async () => {
        for (const stack of ["prod", "staging"]) {
            const run = await runStack(stack);
            expect(ofType(run, ADDON).filter((a) => a.inputs.addonName === "aws-guardduty-agent")).toEqual([]);
            expect(ofType(run, ENDPOINT).filter((e) => String(e.inputs.serviceName).endsWith("guardduty-data"))).toEqual([]);
            expect(ofType(run, "aws:guardduty/detector:Detector")).toEqual([]);
        }
    });

    it("installs the pinned agent after the node groups, with its endpoint, when switched on", async () => {
        const run = await runVariant("staging-guardduty");
        const [agent] = ofType(run, ADDON).filter((a) => a.inputs.addonName === "aws-guardduty-agent");
        expect(agent.inputs).toMatchObject({ addonVersion: "v1.10.0-eksbuild.2", clusterName: run.config.cluster.name });
        for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
            expect(agent.dependencies).toContain(group.urn);
        }
        const [endpoint] = ofType(run, ENDPOINT).filter((e) => e.inputs.serviceName === "com.amazonaws.eu-west-1.guardduty-data");
        expect(endpoint.inputs).toMatchObject({ vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: ["iam-access-endpoints-id"] });
        expect(ofType(run, "aws:guardduty/detector:Detector")).toEqual([]);
    });

    it("refuses to install an unpinned agent", () => {
        expect(configProblems("prod", guardDuty({ runtimeMonitoring: true }))).toEqual([
            "cluster.guardDuty.addonVersion is required when runtimeMonitoring is on: pin it (aws eks describe-addon-versions --addon-name aws-guardduty-agent --kubernetes-version <version>)",
        ]);
    });
});

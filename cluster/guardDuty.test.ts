/**
 * GuardDuty EKS Runtime Monitoring: off by default; on, the pinned agent
 * add-on after the nodes, and a guardduty-data endpoint behind the matrix's
 * endpoints group. The account's detector is not this stack's.
 */
import { checkGuardDuty, DetectorView, GuardDutyAgentConflictError } from "./guardDutyPreflight";
import { MOCK_DETECTOR, mockDetector } from "./mocks";
import { VARIANTS } from "../test/variants";
import { configProblems, ofType, registeredWithMonitor, runStack, runVariant } from "../test/harness";

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

    describe("when the account's detector manages the EKS agent itself (automated agent configuration)", () => {
        const on = { runtimeMonitoring: true, addonVersion: "v1.10.0-eksbuild.2" };
        const detector =
            (features: DetectorView["features"]): (() => Promise<DetectorView>) =>
            () =>
                Promise.resolve({ id: "d-1", features });
        const managed = (name: string) => [{ name, status: "ENABLED", additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }] }];

        it.each(["RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"])("refuses the stack's own agent and endpoint when %s manages it, naming the field", async (feature) => {
            await expect(checkGuardDuty(on, "eu-west-1", detector(managed(feature)))).rejects.toThrow(GuardDutyAgentConflictError);
            await expect(checkGuardDuty(on, "eu-west-1", detector(managed(feature)))).rejects.toThrow(
                new RegExp(
                    `^cluster\\.guardDuty\\.runtimeMonitoring is on, but GuardDuty detector d-1 manages the EKS agent itself \\(${feature} with EKS_ADDON_MANAGEMENT ENABLED.*collide with the stack's\\. Set cluster\\.guardDuty\\.runtimeMonitoring: false`,
                ),
            );
        });

        it("accepts a detector whose agent is managed by hand (the stack's), and reads nothing when the switch is off", async () => {
            await expect(checkGuardDuty(on, "eu-west-1", () => Promise.resolve(MOCK_DETECTOR))).resolves.toEqual([]);
            const never = jest.fn(() => Promise.reject(new Error("not called")));
            await expect(checkGuardDuty({ runtimeMonitoring: false }, "eu-west-1", never)).resolves.toEqual([]);
            expect(never).not.toHaveBeenCalled();
        });

        it("warns, and goes on, when there is no detector, Runtime Monitoring is off, or the detector cannot be read", async () => {
            await expect(checkGuardDuty(on, "eu-west-1", () => Promise.reject(new Error("no GuardDuty Detector found")))).resolves.toEqual([
                expect.stringMatching(/^cluster\.guardDuty\.runtimeMonitoring is on, but the account has no GuardDuty detector in eu-west-1/),
            ]);
            await expect(checkGuardDuty(on, "eu-west-1", detector([{ name: "RUNTIME_MONITORING", status: "DISABLED", additionalConfigurations: [] }]))).resolves.toEqual([
                expect.stringMatching(/has Runtime Monitoring off/),
            ]);
            await expect(
                checkGuardDuty(on, "eu-west-1", () => Promise.reject(new Error("AccessDeniedException: not authorized to perform: guardduty:ListDetectors"))),
            ).resolves.toEqual([expect.stringMatching(/could not read the account's GuardDuty detector in eu-west-1 \(needs guardduty:ListDetectors and guardduty:GetDetector\)/)]);
        });

        it("stops the preview before anything is created (the mocked detector answering so)", async () => {
            mockDetector.current = { id: "d-2", features: managed("RUNTIME_MONITORING") };
            try {
                await expect(runStack("staging", { edit: VARIANTS["staging-guardduty"].edit, preview: true })).rejects.toThrow(
                    /GuardDuty detector d-2 manages the EKS agent itself/,
                );
                expect(registeredWithMonitor()).toBe(0);
            } finally {
                mockDetector.current = MOCK_DETECTOR;
            }
        });
    });
});

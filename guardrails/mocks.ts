import { CallMock, MOCK_ACCOUNT, MOCK_REGION, OutputMock } from "../lib/mockTypes";

/** Outputs of the guardrails resource types under mocks. */
export const guardrailsOutputs: Record<string, OutputMock> = {
    // Real topic ARNs end in the topic's name, not the Pulumi resource name.
    "aws:sns/topic:Topic": (args) => ({ arn: `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:${String(args.inputs.name ?? args.name)}` }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (args) => ({
        arn: `arn:aws:cloudwatch:${MOCK_REGION}:${MOCK_ACCOUNT}:alarm:${String(args.inputs.name ?? args.name)}`,
    }),
};

export const guardrailsCalls: Record<string, CallMock> = {};

import { CallMock, OutputMock } from "./types";

/** Outputs of the guardrails resource types under mocks. */
export const guardrailsOutputs: Record<string, OutputMock> = {};

export const guardrailsCalls: Record<string, CallMock> = {};

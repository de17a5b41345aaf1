import { CallMock, OutputMock } from "./types";

/** Outputs of the edge resource types under mocks. */
export const edgeOutputs: Record<string, OutputMock> = {};

export const edgeCalls: Record<string, CallMock> = {};

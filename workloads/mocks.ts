import { CallMock, OutputMock } from "../lib/mockTypes";

/** Outputs of the workloads resource types under mocks. */
export const workloadsOutputs: Record<string, OutputMock> = {};

export const workloadsCalls: Record<string, CallMock> = {};

import { CallMock, OutputMock } from "../test/mocks/types";

/** Outputs of the workloads resource types under mocks. */
export const workloadsOutputs: Record<string, OutputMock> = {};

export const workloadsCalls: Record<string, CallMock> = {};

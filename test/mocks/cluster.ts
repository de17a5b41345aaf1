import { CallMock, OutputMock } from "./types";

/** Outputs of the cluster resource types under mocks. */
export const clusterOutputs: Record<string, OutputMock> = {};

export const clusterCalls: Record<string, CallMock> = {};

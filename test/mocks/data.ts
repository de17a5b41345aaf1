import { CallMock, OutputMock } from "./types";

/** Outputs of the data resource types under mocks. */
export const dataOutputs: Record<string, OutputMock> = {};

export const dataCalls: Record<string, CallMock> = {};

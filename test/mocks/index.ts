/**
 * What the mocked providers answer: every resource gets an id, an ARN and
 * its inputs back; the types below add the outputs real providers compute.
 * Each area of the program keeps its own table in its own file.
 */
import * as pulumi from "@pulumi/pulumi";
import { appCalls, appOutputs } from "../../app/mocks";
import { clusterCalls, clusterOutputs } from "../../cluster/mocks";
import { dataCalls, dataOutputs } from "../../data/mocks";
import { edgeCalls, edgeOutputs } from "../../edge/mocks";
import { foundationCalls, foundationOutputs } from "../../network/mocks";
import { guardrailsCalls, guardrailsOutputs } from "../../guardrails/mocks";
import { MOCK_ACCOUNT, MOCK_REGION } from "./types";
import { registryCalls, registryOutputs } from "../../registry/mocks";
import { workloadsCalls, workloadsOutputs } from "../../workloads/mocks";

const OUTPUTS = { ...foundationOutputs, ...registryOutputs, ...clusterOutputs, ...edgeOutputs, ...workloadsOutputs, ...dataOutputs, ...appOutputs, ...guardrailsOutputs };
const CALLS = { ...foundationCalls, ...registryCalls, ...clusterCalls, ...edgeCalls, ...workloadsCalls, ...dataCalls, ...appCalls, ...guardrailsCalls };

export function mockOutputs(args: pulumi.runtime.MockResourceArgs, stack: string): Record<string, unknown> {
    const extra = OUTPUTS[args.type]?.(args, stack) ?? {};
    const service = args.type.split(":")[1]?.split("/")[0] ?? "unknown";
    const generic = args.type.startsWith("aws:") ? { arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${args.name}` } : {};
    return { ...generic, ...extra };
}

export function mockCall(args: pulumi.runtime.MockCallArgs, preview: boolean): Record<string, unknown> {
    const mock = CALLS[args.token];
    if (!mock) {
        throw new Error(`no mock for invoke ${args.token}: add one to test/mocks/`);
    }
    void preview;
    return mock(args);
}

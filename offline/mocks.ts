/**
 * What the mocked providers answer in an offline run: every resource gets an
 * id, an ARN and its inputs back; each area's `mocks.ts` adds the outputs real
 * providers compute for its resource types, and answers its invokes.
 */
import type * as pulumi from "@pulumi/pulumi";
import { clusterCalls, clusterOutputs } from "../cluster/mocks";
import { dataCalls, dataOutputs } from "../data/mocks";
import { edgeCalls, edgeOutputs } from "../edge/mocks";
import { foundationCalls, foundationOutputs } from "../network/mocks";
import { guardrailsCalls, guardrailsOutputs } from "../guardrails/mocks";
import { MOCK_ACCOUNT, MOCK_REGION } from "../lib/mockTypes";
import { registryCalls, registryOutputs } from "../registry/mocks";
import { workloadsCalls, workloadsOutputs } from "../workloads/mocks";
import { appCalls, appOutputs } from "../app/mocks";

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
        throw new Error(`no mock for invoke ${args.token}: add one to the mocks.ts of the area that calls it (offline/mocks.ts gathers them)`);
    }
    void preview;
    return mock(args);
}

/**
 * The shapes of the mocked providers' answers, shared by every area's
 * `mocks.ts` (what the offline runner, offline/mocks.ts, answers for that
 * area's resource types and invokes). Types and two constants only: no Pulumi
 * at run time.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The account the mocks put in every ARN. */
export const MOCK_ACCOUNT = "123456789012";
/** The region the mocks put in every ARN. */
export const MOCK_REGION = "eu-west-1";

/** Extra output properties a resource type gets under mocks (beyond its inputs, id and arn). */
export type OutputMock = (args: pulumi.runtime.MockResourceArgs, stack: string) => Record<string, unknown>;

/** The result of an invoke (data source) under mocks. */
export type CallMock = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;

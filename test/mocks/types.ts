import * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "eu-west-1";

/** Extra output properties a resource type gets under mocks (beyond its inputs, id and arn). */
export type OutputMock = (args: pulumi.runtime.MockResourceArgs, stack: string) => Record<string, unknown>;

/** The result of an invoke (data source) under mocks. */
export type CallMock = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;

import { MOCK_ACCOUNT, MOCK_REGION, OutputMock, CallMock } from "../test/mocks/types";

/** Outputs of the foundation's resource types (network, access matrix, registry). */
export const foundationOutputs: Record<string, OutputMock> = {
    "aws:ecr/repository:Repository": (args) => ({
        repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${String(args.inputs.name)}`,
        registryId: MOCK_ACCOUNT,
    }),
    "aws:ec2/vpc:Vpc": () => ({ defaultSecurityGroupId: "sg-default", mainRouteTableId: "rtb-main" }),
};

export const foundationCalls: Record<string, CallMock> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`, userId: "AIDTEST" }),
    "aws:index/getRegion:getRegion": () => ({ name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
};

import { MOCK_ACCOUNT, MOCK_REGION, OutputMock, CallMock } from "../lib/mockTypes";

/** Outputs of the foundation's resource types (network, access matrix). */
export const foundationOutputs: Record<string, OutputMock> = {
    "aws:ec2/vpc:Vpc": () => ({ defaultSecurityGroupId: "sg-default", mainRouteTableId: "rtb-main" }),
};

export const foundationCalls: Record<string, CallMock> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`, userId: "AIDTEST" }),
    "aws:index/getRegion:getRegion": () => ({ name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
};

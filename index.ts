/**
 * Entry point for `pulumi preview` / `pulumi up`: validate the whole stack
 * config first (nothing is created when it is invalid), then deploy.
 */
import { loadStackConfig } from "./config";
import { deployStack } from "./stack";

const outputs = deployStack(loadStackConfig());

export const vpcId = outputs.vpcId;
export const publicSubnetIds = outputs.publicSubnetIds;
export const privateSubnetIds = outputs.privateSubnetIds;
export const securityGroupIds = outputs.securityGroupIds;
export const repositoryUrls = outputs.repositoryUrls;

/**
 * Entry point for `pulumi preview` / `pulumi up`: validate the whole stack
 * config first (nothing is created when it is invalid; the clock is
 * `IAM_NOW` or the real time, lib/clock.ts), log its warnings, then deploy.
 */
import { loadStackConfig, logConfigWarnings } from "./config";
import { loadRdsCaBundle } from "./data/caBundle";
import { deployStack } from "./stack";

const config = loadStackConfig();
logConfigWarnings(config);
const outputs = deployStack(config, { rdsCaBundle: (region) => loadRdsCaBundle(region) });

export const vpcId = outputs.vpcId;
export const publicSubnetIds = outputs.publicSubnetIds;
export const privateSubnetIds = outputs.privateSubnetIds;
export const securityGroupIds = outputs.securityGroupIds;
export const repositoryUrls = outputs.repositoryUrls;
export const appNamespace = outputs.appNamespace;
export const deploymentNames = outputs.deploymentNames;
export const clusterName = outputs.clusterName;
export const kubeconfig = outputs.kubeconfig;
export const oidcProviderArn = outputs.oidcProviderArn;
export const nodeGroupNames = outputs.nodeGroupNames;
export const loadBalancerDnsName = outputs.loadBalancerDnsName;
export const loadBalancerZoneId = outputs.loadBalancerZoneId;
export const serviceUrls = outputs.serviceUrls;
export const certificateArn = outputs.certificateArn;
export const dataStoreEndpoints = outputs.dataStoreEndpoints;
export const dataStoreCredentialSecretArns = outputs.dataStoreCredentialSecretArns;
export const alarmTopicArn = outputs.alarmTopicArn;

/**
 * The composition root's body: wires the components for one validated stack
 * config and returns the stack outputs. `index.ts` calls it for the running
 * stack; the test harness and `npm run render` call it under mocks.
 */
import * as aws from "@pulumi/aws";
import { AccessMatrix } from "./components/accessMatrix";
import { Network } from "./components/network";
import { Registry } from "./components/registry";
import { StackConfig } from "./config";
import { publicNodePorts } from "./config/services";

/** The tags every AWS resource carries: one merge, in one place (the provider's default tags). */
export function stackTags(config: StackConfig): Record<string, string> {
    return {
        ...config.tags,
        project: "iam",
        environment: config.environment,
        "pulumi-stack": config.stack,
        "managed-by": "pulumi",
    };
}

export function deployStack(config: StackConfig) {
    const name = "iam";
    const awsProvider = new aws.Provider("aws", {
        region: config.region,
        defaultTags: { tags: stackTags(config) },
    });
    const providers = { aws: awsProvider };

    const network = new Network(`${name}-network`, { config: config.network }, { providers });
    const access = new AccessMatrix(`${name}-access`, {
        vpcId: network.vpcId,
        matrix: config.accessMatrix,
        nodePorts: publicNodePorts(config.services),
    }, { providers });
    const registry = new Registry(`${name}-registry`, {
        repositories: config.services.map((s) => s.image.repository),
        config: config.registry,
        protect: config.protect,
    }, { providers });

    return {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        securityGroupIds: access.securityGroupIds,
        repositoryUrls: registry.repositoryUrls,
    };
}

export type StackOutputs = ReturnType<typeof deployStack>;

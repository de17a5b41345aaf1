/**
 * The composition root's body: wires the components for one validated stack
 * config and returns the stack outputs. `index.ts` calls `deployEnvironment`
 * for the running stack; the test harness and `npm run render` call it under
 * mocks. Each area's wiring is in stack/ (one file per area, each taking the
 * hand-offs of the areas before it); `deployStack` is their order.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkGuardDuty } from "./cluster/guardDutyPreflight";
import { lookUpImages } from "./registry/imageCheck";
import { StackConfig } from "./config";
import { checkDeployer } from "./cluster/deployer";
import { stackTags, type DeployInputs, type StackContext } from "./stack/context";
import { wireNetwork } from "./stack/network";
import { wireCluster } from "./stack/cluster";
import { wireData } from "./stack/data";
import { wireApplication } from "./stack/application";
import { wireEdge } from "./stack/edge";
import { wireNetworkPolicies, wireWorkloads } from "./stack/workloads";
import { wireGuardrails } from "./stack/guardrails";
import { stackOutputs } from "./stack/outputs";

export { stackTags, type DeployInputs } from "./stack/context";

/**
 * Checks who runs Pulumi and looks every service's image up in the registry,
 * then deploys. Both finish before the first resource is registered: the
 * wrong account or a misplaced cluster admin fails the preview with
 * DeployerError (cluster/deployer.ts), a missing image with one error listing
 * every missing image (MissingImagesError), and nothing is created. So does a
 * GuardDuty detector that manages the EKS agent itself while
 * `cluster.guardDuty.runtimeMonitoring` is on (GuardDutyAgentConflictError,
 * cluster/guardDutyPreflight.ts).
 */
export async function deployEnvironment(config: StackConfig, inputs: Omit<DeployInputs, "images">): Promise<StackOutputs> {
    await checkDeployer({ accountId: config.accountId, clusterName: config.cluster.name, adminPrincipals: config.cluster.adminPrincipals, region: config.region });
    const images = await lookUpImages(config.services, config.registry);
    // GuardDuty's own agent management would collide with the stack's add-on and endpoint: refused here, before anything is created.
    for (const warning of await checkGuardDuty(config.cluster.guardDuty, config.region)) {
        void pulumi.log.warn(`config: ${warning}`);
    }
    return deployStack(config, { ...inputs, images });
}

/**
 * Wires the areas in order, each with what the areas before it produced.
 * The calls register the components in this order (the render's
 * resources.json lists them so): move one only on purpose.
 */
export function deployStack(config: StackConfig, inputs: DeployInputs) {
    const awsProvider = new aws.Provider("aws", {
        region: config.region,
        // Credentials for another account fail before anything is created (aws:allowedAccountIds in the stack file would not reach this explicit provider).
        allowedAccountIds: config.accountId === undefined ? undefined : [config.accountId],
        defaultTags: { tags: stackTags(config) },
    });
    const stack: StackContext = { name: "iam", config, awsProvider };

    // The VPC, the access matrix and the VPC endpoints.
    const network = wireNetwork(stack);
    // EKS, add-ons, Karpenter and the load balancer controller: from the network only.
    const cluster = wireCluster(stack, { network });
    // The stores (never waiting for the cluster), the namespace, the JWT key, the credentials and config files.
    const data = wireData(stack, { inputs, network, cluster });
    // Default deny and the allowed flows, before anything in the namespace starts.
    const networkPolicies = wireNetworkPolicies(stack, { cluster, data });
    // The internal TLS and the schema Job (after MariaDB's credentials and the NetworkPolicies).
    const application = wireApplication(stack, { inputs, cluster, data, networkPolicies });
    // The HTTPS entry: only its TargetGroupBindings and host rules wait for the cluster.
    const edge = wireEdge(stack, { network, cluster, data });
    // The Deployments: after their flows, credentials, config files, NodePools, certificates and the schema Job.
    const workloads = wireWorkloads(stack, { inputs, cluster, data, networkPolicies, application, edge });
    // The alarms on the load balancer, the WAF, the stores and the cluster.
    const alarms = wireGuardrails(stack, { cluster, data, edge });

    return stackOutputs(stack, { inputs, network, cluster, data, application, edge, workloads, alarms });
}

/** The stack outputs (`stack/outputs.ts`): every property is a stack output. */
export type StackOutputs = ReturnType<typeof deployStack>;

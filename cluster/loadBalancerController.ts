import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOAD_BALANCER_CONTROLLER_CHART } from "./catalog";
import { PodIdentityCluster, podIdentityRole } from "./podIdentity";
import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, loadBalancerControllerPolicy } from "./loadBalancerControllerPolicy";

export interface LoadBalancerControllerArgs {
    /** The cluster's name (`--cluster-name`); an output of the cluster. */
    clusterName: pulumi.Input<string>;
    /** The cluster's Pod Identity side (`Cluster.podIdentity`): the controller's role is given to its service account there. */
    podIdentity: PodIdentityCluster;
    /** The AWS region (`--aws-region`): given, so the controller never asks the instance metadata service. */
    region: string;
    /** The VPC (`--aws-vpc-id`): given for the same reason; the bindings' `vpcID` must match it. */
    vpcId: pulumi.Input<string>;
    /**
     * The stack name: the controller may register targets only into target
     * groups tagged `iam/target-registration: <stack>` (the edge tags its
     * service target groups so). Changing it updates the role policy in place.
     */
    stack: string;
    /**
     * Where the controller's pods may run, beyond tolerating
     * `CriticalAddonsOnly` (the usual taint of a system node group): e.g. the
     * system node group's label. Default: no selector (any node that tolerates).
     */
    nodeSelector?: Record<string, string>;
    /**
     * The cluster's kubeconfig, for the provider that applies the chart's
     * CRDs: that one provider may adopt objects that already exist (the CRDs
     * Helm installed before `skipCrds`), which no other resource should.
     */
    kubeconfig: pulumi.Input<string>;
}

/**
 * The AWS Load Balancer Controller, for TargetGroupBindings only: it
 * registers the pod IPs behind each public Service into the target group
 * Pulumi owns, deregisters them as pods go, and flips the pods' readiness
 * gates once the load balancer reports them healthy. It creates no load
 * balancer, listener, target group or security-group rule: the Service and
 * Ingress reconcilers, the Service mutating webhook, the Ingress validating
 * webhook, the IngressClass, Gateway API, WAF and Shield are all off, and its
 * IAM role (EKS Pod Identity: one role, one association to its service
 * account) allows only what binding needs
 * (cluster/loadBalancerControllerPolicy.ts).
 *
 * Webhooks left on and what they block while the controller is down:
 * TargetGroupBinding create/update (failurePolicy Fail: so the bindings wait
 * for `ready`), and pod readiness-gate injection in namespaces labelled
 * `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` (failurePolicy Ignore:
 * pods are still created, without the gate; the Deployments need not wait).
 *
 * Its CRDs are not the chart's to install: Helm installs a chart's `crds/`
 * once and never upgrades them, so the release skips them and Pulumi applies
 * the chart's CRD files at the pinned tag (`LOAD_BALANCER_CONTROLLER_CHART.crdManifests`),
 * as Karpenter's come from their CRD chart.
 *
 * Everything here uses the cluster's provider, which waits for the node
 * groups; nothing but the bindings waits for this.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    /** The Helm release: installed (CRDs, webhooks) and its pods ready. The TargetGroupBindings wait for it. */
    readonly ready: pulumi.Resource;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:LoadBalancerController", name, {}, opts);
        const account = LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const { role, association } = podIdentityRole(
            `${name}-role`,
            {
                cluster: args.podIdentity,
                serviceAccount: account,
                description: "AWS Load Balancer Controller (EKS Pod Identity): registers pod IPs into this stack's target groups",
                // It calls AWS as soon as a binding arrives, and the release waits for its pods.
                waitForAgent: true,
            },
            this,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.name,
                policy: pulumi
                    .all([partition, identity.accountId])
                    .apply(([part, accountId]) => JSON.stringify(loadBalancerControllerPolicy(`arn:${part}:elasticloadbalancing:${args.region}:${accountId}`, args.stack))),
            },
            { parent: this },
        );

        // The chart's CRDs, applied by Pulumi at the chart's tag (Helm never upgrades a chart's crds/):
        // a chart upgrade updates them first, and on `pulumi destroy` they go after the release.
        // Their own provider: a stack whose controller came from an older chart release already has these
        // CRDs (Helm installed them from crds/); @pulumi/kubernetes 4.29+ refuses to create an object that
        // exists unless `upsertExistingObjects` (provider.d.ts), and `enablePatchForce` takes the fields
        // Helm's field manager holds. Only the CRDs get that licence; every other object keeps the default.
        const crdProvider = new k8s.Provider(
            `${name}-crds-k8s`,
            { kubeconfig: args.kubeconfig, enableServerSideApply: true, upsertExistingObjects: true, enablePatchForce: true },
            { parent: this },
        );
        const crds = Object.entries(LOAD_BALANCER_CONTROLLER_CHART.crdManifests).map(
            ([file, url]) => new k8s.yaml.v2.ConfigFile(`${name}-${file}`, { file: url }, { parent: this, provider: crdProvider }),
        );

        this.ready = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: "aws-load-balancer-controller",
                namespace: account.namespace,
                chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
                version: LOAD_BALANCER_CONTROLLER_CHART.version,
                repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repo },
                values: loadBalancerControllerValues({
                    clusterName: args.clusterName,
                    region: args.region,
                    vpcId: args.vpcId,
                    nodeSelector: args.nodeSelector,
                }),
                // The CRDs are the ConfigFiles above (an upgrade updates them; the chart's crds/ Helm would not).
                skipCrds: true,
                // Waits for the Deployment to be available: its webhooks answer before any binding is sent.
                atomic: true,
                maxHistory: 5,
                // EKS injects credentials only into pods created after the association exists.
            },
            { parent: this, dependsOn: [policy, association, ...crds] },
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/**
 * The chart values (chart 3.5.0: helm/aws-load-balancer-controller/values.yaml,
 * templates/deployment.yaml and webhook.yaml at tag v3.5.0).
 */
export function loadBalancerControllerValues(args: {
    clusterName: pulumi.Input<string>;
    region: string;
    vpcId: pulumi.Input<string>;
    nodeSelector?: Record<string, string>;
}): Record<string, unknown> {
    const account = LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;
    return {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        image: { tag: LOAD_BALANCER_CONTROLLER_CHART.appVersion },
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
        ...(args.nodeSelector ? { nodeSelector: args.nodeSelector } : {}),
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        // No role annotation: the Pod Identity association gives the role to this service account.
        serviceAccount: { create: true, name: account.name },
        // Only TargetGroupBindings: no Service reconciler, no Gateway API, no load balancer of its own.
        controllerConfig: { featureGates: { EnableServiceController: false, ALBGatewayAPI: false, NLBGatewayAPI: false } },
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        disableIngressClassAnnotation: true,
        enableShield: false,
        enableWaf: false,
        enableWafv2: false,
        // It would create and manage a shared backend security group for the load balancers it owns: it owns none.
        enableBackendSecurityGroup: false,
        // Both default to failurePolicy Fail on every Service / Ingress in the cluster: off, as nothing here needs them.
        enableServiceMutatorWebhook: false,
        webhookConfig: { disableIngressValidation: true },
        // Stated, not defaulted: a controller outage must never stop pods from being created.
        podMutatorWebhookConfig: { failurePolicy: "Ignore" },
    };
}

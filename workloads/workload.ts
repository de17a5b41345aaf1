import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PodIdentityCluster } from "../cluster/podIdentity";
import { podIdentityRole, PodIdentityRole } from "../cluster/podIdentity";
import { ServiceSpec } from "./schema";
import { reloadAnnotations } from "./appFiles";
import { imageName, ResolvedImage } from "../registry/imagePlan";
import { RedisTlsProxyPod, withProxyReload } from "../app/redisTlsProxy";
import { deploymentSpec, envConfigMap, fixedReplicas, hpaSpec, pdbSpec, servicePlans, serviceSpec, WorkloadContext, workloadLabels, workloadNames } from "./workloadSpec";

/** The Deployment annotation naming the image by tag (`iam-apiserver:v1.6.3`); the pods run it by digest. */
export const IMAGE_ANNOTATION = "iam/image";

export interface WorkloadArgs {
    /** The catalog entry (validated config): ports, health, stores, calls and `workload` settings. */
    service: ServiceSpec;
    /** The whole catalog: decides which ports get an in-cluster (ClusterIP) Service. */
    catalog: readonly ServiceSpec[];
    /** The application namespace (`AppNamespace.name`); never `default` or `kube-system`. */
    namespace: pulumi.Input<string>;
    /**
     * The service's image as the registry holds it (`lookUpImages`, before
     * anything was created): the pods run `reference` (`repo@sha256:...`), so
     * a tag can never move under a running Deployment; a new digest rolls the
     * pods. The tag stays readable in the `app.kubernetes.io/version` label
     * and the `iam/image` annotation.
     */
    image: ResolvedImage;
    /** Fills the `app.kubernetes.io/instance` and `part-of` labels. */
    context: WorkloadContext;
    /** Required when `service.workload.podIdentity` is set: the cluster's Pod Identity side (`Cluster.podIdentity`). */
    podIdentity?: PodIdentityCluster;
    /**
     * What the pods need before they can start: the data tier's connection
     * ConfigMaps/Secrets and the namespace's NetworkPolicies. The Deployment
     * waits for them, so `pulumi up` does not time out on pods that cannot
     * start yet. Default none.
     */
    dependsOn?: pulumi.Resource[];
    /**
     * What the public Service (created or changed) waits for: the load
     * balancer's host rules (`Edge.hostRules`). On the move from instance
     * targets the Service stops being a NodePort only after the rule forwards
     * to the pods' own target group, so the old group keeps serving until
     * then. Default none.
     */
    publicServiceDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** The Redis TLS proxy sidecar (app/redisTlsProxy.ts) when the pods reach a TLS Redis through it; its ConfigMap belongs in `dependsOn`. */
    redisTlsProxy?: RedisTlsProxyPod;
}

/**
 * One catalog entry in the cluster: ServiceAccount (with an IAM role through
 * EKS Pod Identity when configured), Deployment, HPA (none for a fixed
 * replica count), PodDisruptionBudget and the Services the traffic needs.
 * The specs come from workloadSpec.ts; this class only creates the
 * resources. Needs the `kubernetes` provider (and `aws` for the role) in
 * `providers`.
 */
export class Workload extends pulumi.ComponentResource {
    /** The Deployment's name (also the HPA's, PDB's and ServiceAccount's). */
    readonly deploymentName: pulumi.Output<string>;
    /** The Services' names, the public one first. */
    readonly serviceNames: pulumi.Output<string>[];
    /** The public Service (the load balancer's TargetGroupBinding names it), when the service is public. */
    readonly publicService?: k8s.core.v1.Service;
    /** The Pod Identity role's ARN, when the workload has one. */
    readonly roleArn?: pulumi.Output<string>;

    constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:workloads:Workload", name, {}, opts);
        const { service, namespace } = args;
        const names = workloadNames(service);
        // The version label only on the Deployment and its pods: a tag bump changes nothing else here.
        const { labels, objectLabels, selector } = workloadLabels(service, args.context);
        const meta = (objectName: string, annotations?: Record<string, pulumi.Input<string>>, objectLabelsOf: Record<string, string> = objectLabels) => ({
            name: objectName,
            namespace,
            labels: objectLabelsOf,
            annotations,
        });

        const identity = service.workload.podIdentity ? this.podIdentityRole(name, args, names.serviceAccount, service.workload.podIdentity.policyArns) : undefined;
        this.roleArn = identity?.role.arn;

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: meta(names.serviceAccount),
                automountServiceAccountToken: identity !== undefined,
            },
            { parent: this },
        );

        const env = envConfigMap(service);
        const envMap =
            env &&
            new k8s.core.v1.ConfigMap(
                `${name}-env`,
                {
                    metadata: meta(env.name),
                    immutable: true,
                    data: env.data,
                },
                { parent: this },
            );

        const deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                // Reloader rolls the pods (safely, by the strategy below) when a
                // store's rotated credentials land in its Secret, or its config
                // file or certificates change.
                metadata: meta(
                    names.deployment,
                    { ...withProxyReload(reloadAnnotations(service.name, service.stores), args.redisTlsProxy), [IMAGE_ANNOTATION]: imageName(args.image) },
                    labels,
                ),
                spec: deploymentSpec(service, { image: args.image.reference, labels, selector, names, podIdentity: identity !== undefined, redisTlsProxy: args.redisTlsProxy }),
            },
            {
                parent: this,
                // The pods reference these by name; waiting for them keeps the
                // rollout from starting with a missing ServiceAccount or ConfigMap.
                // The association too: EKS gives credentials only to pods created after it.
                dependsOn: [serviceAccount, ...(envMap ? [envMap] : []), ...(identity ? [identity.association] : []), ...(args.dependsOn ?? [])],
            },
        );

        // A fixed replica count (min = max) is the Deployment's own; an HPA could never act.
        if (fixedReplicas(service) === undefined) {
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                `${name}-hpa`,
                {
                    metadata: meta(names.hpa),
                    spec: hpaSpec(service, names.deployment),
                },
                { parent: this },
            );
        }

        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            {
                metadata: meta(names.pdb),
                spec: pdbSpec(selector),
            },
            { parent: this },
        );

        const plans = servicePlans(service, args.catalog);
        // Resource names by role, as released (`-public` was the NodePort Service): the type changes in place.
        const services = plans.map(
            (plan) =>
                new k8s.core.v1.Service(
                    `${name}-${plan.role}`,
                    {
                        metadata: meta(plan.name),
                        spec: serviceSpec(plan, selector),
                    },
                    { parent: this, dependsOn: plan.role === "public" ? args.publicServiceDependsOn : undefined },
                ),
        );
        this.publicService = services.find((_, i) => plans[i].role === "public");

        this.deploymentName = deployment.metadata.name;
        this.serviceNames = services.map((s) => s.metadata.name);
        this.registerOutputs({ deploymentName: this.deploymentName, serviceNames: this.serviceNames, roleArn: this.roleArn });
    }

    /**
     * The pods' IAM role, given to this workload's service account alone
     * through EKS Pod Identity, with the configured managed policies. Named
     * `-role` (it was `-irsa`: the alias keeps an existing role and its
     * attachments, and only their trust changes).
     */
    private podIdentityRole(name: string, args: WorkloadArgs, serviceAccount: string, policyArns: readonly string[]): PodIdentityRole {
        if (!args.podIdentity) {
            throw new Error(`${args.service.name}: workload.podIdentity is set but the Workload got no podIdentity cluster`);
        }
        const identity = podIdentityRole(
            `${name}-role`,
            {
                cluster: args.podIdentity,
                serviceAccount: { namespace: args.namespace, name: serviceAccount },
                description: `Role of ${args.service.name}'s pods (EKS Pod Identity): only its service account gets it`,
                tags: { Name: `${name}-role`, "iam/service": args.service.name },
                // The apps fetch credentials when they first call AWS; the pods start in any case.
                waitForAgent: false,
                aliases: [{ name: `${name}-irsa` }],
            },
            this,
        );
        for (const policyArn of policyArns) {
            // Named after the policy, not its position: reordering the list replaces nothing.
            const policyName = policyArn.slice(policyArn.lastIndexOf("/") + 1);
            new aws.iam.RolePolicyAttachment(
                `${name}-role-${policyName}`,
                { role: identity.role.name, policyArn },
                {
                    parent: this,
                    aliases: [{ name: `${name}-irsa-${policyName}` }],
                },
            );
        }
        return identity;
    }
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PublicRoute } from "./edgeRouting";
import { targetGroupBinding } from "./targetGroupBindingSpec";

/** The cluster side of the edge: where the public Services are and what the bindings wait for. */
export interface EdgeBindingsArgs {
    /** The application namespace (`AppNamespace.name`): the bindings sit beside their Services. */
    namespace: pulumi.Input<string>;
    /**
     * The public ClusterIP Service's name by service name
     * (`workloadNames(s).publicService`). By name only: the Service waits for
     * the host rule, not the reverse (a binding whose Service does not exist
     * yet registers nothing and picks the pods up when it appears), so that on
     * the move from instance targets the NodePort goes only after the rule
     * left the old target group.
     */
    serviceNames: Record<string, string>;
    /**
     * What a binding must not be sent before: the controller's Helm release
     * (its CRD and its webhooks, which reject bindings while down). With the
     * namespace, the edge's ONLY cluster inputs; the listener rules wait for
     * the bindings, nothing else of the edge does.
     */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /** Labels on every binding (`app.kubernetes.io/part-of`, `managed-by`). */
    labels: Record<string, string>;
}

export interface TargetGroupBindingsArgs extends EdgeBindingsArgs {
    /** The routes whose target groups are bound. */
    routes: readonly PublicRoute[];
    /** The target group of each route, by service name. */
    targetGroups: Record<string, aws.lb.TargetGroup>;
    /** The VPC of the target groups. */
    vpcId: pulumi.Input<string>;
}

/**
 * One TargetGroupBinding per public service: the AWS Load Balancer
 * Controller keeps the target group's targets equal to the ready pod IPs
 * behind the service's public Service. Each is named after its target group,
 * so a replaced target group gets a new binding (created before the old one
 * goes, like the group itself) and the rule switches only once the new one
 * has registered its targets. Needs the `kubernetes` provider in `providers`.
 */
export class TargetGroupBindings extends pulumi.ComponentResource {
    /** The bindings, by service name; each resolves once the controller has reconciled it. */
    readonly bindings: Record<string, k8s.apiextensions.CustomResource>;

    constructor(name: string, args: TargetGroupBindingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:edge:TargetGroupBindings", name, {}, opts);
        this.bindings = {};
        for (const route of args.routes) {
            const group = args.targetGroups[route.service];
            const serviceName = args.serviceNames[route.service];
            if (!group || !serviceName) {
                throw new Error(`${name}: ${route.service} has no target group or no public Service to bind`);
            }
            this.bindings[route.service] = new k8s.apiextensions.CustomResource(
                `${name}-${route.service}`,
                targetGroupBinding({
                    name: group.name.apply((n) => n.toLowerCase()),
                    namespace: pulumi.output(args.namespace),
                    targetGroupArn: group.arn,
                    vpcId: pulumi.output(args.vpcId),
                    serviceName,
                    servicePort: route.targetPort,
                    labels: { ...args.labels, "iam/service": route.service },
                }),
                { parent: this, dependsOn: args.dependsOn },
            );
        }
        this.registerOutputs({});
    }
}

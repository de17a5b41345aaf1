import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "../lib/podSecurity";
import type { PodFloorSchedule } from "./karpenterSchema";
import { HpaFloor, POD_FLOORS_NAMESPACE, POD_FLOORS_SERVICE_ACCOUNT, podFloorCronJobSpec } from "./podFloorsPlan";

export interface PodFloorsArgs {
    /** The actions (`cluster.karpenter.podFloors`); nothing is created when empty. */
    schedules: readonly PodFloorSchedule[];
    /** The application namespace's HPAs and their configured floors (services with a fixed replica count have none). */
    hpas: readonly HpaFloor[];
    /** The application namespace (`AppNamespace.name`): the Role and RoleBinding go there, so they wait for it. */
    namespace: pulumi.Input<string>;
    /** The same namespace's name as configured, for the kubectl commands. */
    namespaceName: string;
    /** kubectl image of the cluster's minor (`KUBECTL_IMAGES`). */
    image: string;
}

/**
 * The night/weekend scale-down in Karpenter mode (cluster/podFloorsPlan.ts
 * says why this mechanism): a namespace with one CronJob per action and a
 * service account whose Role, in the application namespace, may get and
 * patch the listed HPAs and nothing else.
 */
export class PodFloors extends pulumi.ComponentResource {
    constructor(name: string, args: PodFloorsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:cluster:PodFloors", name, {}, opts);
        const labels = { "app.kubernetes.io/name": "pod-floors", "app.kubernetes.io/managed-by": "pulumi" };
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: { name: POD_FLOORS_NAMESPACE, labels: { ...labels, ...podSecurityLabels("restricted") } },
            },
            { parent: this },
        );
        const account = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: { name: POD_FLOORS_SERVICE_ACCOUNT, namespace: namespace.metadata.name, labels },
            },
            { parent: this },
        );
        const role = new k8s.rbac.v1.Role(
            `${name}-role`,
            {
                metadata: { name: "pod-floors", namespace: args.namespace, labels },
                rules: [
                    {
                        apiGroups: ["autoscaling"],
                        resources: ["horizontalpodautoscalers"],
                        resourceNames: args.hpas.map((h) => h.name),
                        verbs: ["get", "patch"],
                    },
                ],
            },
            { parent: this },
        );
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-binding`,
            {
                metadata: { name: "pod-floors", namespace: args.namespace, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: namespace.metadata.name }],
            },
            { parent: this },
        );
        for (const schedule of args.schedules) {
            new k8s.batch.v1.CronJob(
                `${name}-${schedule.name}`,
                {
                    metadata: { name: `pod-floors-${schedule.name}`, namespace: namespace.metadata.name, labels },
                    spec: podFloorCronJobSpec(schedule, args.hpas, { namespace: args.namespaceName, image: args.image }),
                },
                { parent: this, dependsOn: [binding] },
            );
        }
        this.registerOutputs({});
    }
}

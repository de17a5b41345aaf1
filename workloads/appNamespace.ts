import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "../lib/podSecurity";

export interface AppNamespaceArgs {
    /** The namespace's name (`workloads.namespace`, default `iam`); never `default` or a `kube-*` namespace. */
    namespace: string;
    /** The application it holds (`app.kubernetes.io/part-of`), e.g. `iam`. */
    partOf: string;
}

/**
 * The label that turns on the AWS Load Balancer Controller's readiness gates
 * for pods created in the namespace: a pod behind a TargetGroupBinding gets
 * the gate `target-health.elbv2.k8s.aws/<binding>` and is Ready only once the
 * load balancer reports it healthy, so a rolling update never takes down an
 * old pod before its replacement serves (chart webhook `mpod.elbv2.k8s.aws`).
 */
export const READINESS_GATE_INJECTION_LABEL = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } as const;

/**
 * The application namespace, with Pod Security `restricted` enforced: a pod
 * that runs as root, escalates privileges, keeps capabilities or has no
 * seccomp profile is rejected. The workloads run here and the data tier
 * writes the store connection ConfigMaps/Secrets here. Readiness gates of the
 * load balancer controller are on (`READINESS_GATE_INJECTION_LABEL`); its
 * webhook ignores failures, so pods are created even while it is down.
 * Needs the `kubernetes` provider in `providers`.
 */
export class AppNamespace extends pulumi.ComponentResource {
    /** The namespace's name; depending on it waits for the namespace to exist. */
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:workloads:AppNamespace", name, {}, opts);
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: args.namespace,
                    labels: {
                        // restricted: the workloads run non-root, without capabilities, RuntimeDefault seccomp.
                        ...podSecurityLabels("restricted"),
                        ...READINESS_GATE_INJECTION_LABEL,
                        "app.kubernetes.io/part-of": args.partOf,
                        "app.kubernetes.io/managed-by": "pulumi",
                    },
                },
            },
            { parent: this },
        );
        this.name = namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}

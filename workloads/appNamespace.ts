import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface AppNamespaceArgs {
    /** The namespace's name (`workloads.namespace`, default `iam`); never `default` or a `kube-*` namespace. */
    namespace: string;
    /** The application it holds (`app.kubernetes.io/part-of`), e.g. `iam`. */
    partOf: string;
}

/** Pod Security Admission `restricted` in all three modes: reject, audit and warn. */
export function podSecurityLabels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
        // `latest`: the cluster's own version of the standard; the pods here
        // already satisfy the strictest one, so an upgrade cannot reject them.
        labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
    }
    return labels;
}

/**
 * The application namespace, with Pod Security `restricted` enforced: a pod
 * that runs as root, escalates privileges, keeps capabilities or has no
 * seccomp profile is rejected. The workloads run here and the data tier
 * writes the store connection ConfigMaps/Secrets here. Needs the `kubernetes`
 * provider in `providers`.
 */
export class AppNamespace extends pulumi.ComponentResource {
    /** The namespace's name; depending on it waits for the namespace to exist. */
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:workloads:AppNamespace", name, {}, opts);
        const namespace = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: {
                name: args.namespace,
                labels: {
                    ...podSecurityLabels(),
                    "app.kubernetes.io/part-of": args.partOf,
                    "app.kubernetes.io/managed-by": "pulumi",
                },
            },
        }, { parent: this });
        this.name = namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}

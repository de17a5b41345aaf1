/**
 * A released resource keeps its URN and its physical name: a changed URN makes
 * `pulumi up` delete the real resource and create a new one, and so does a
 * changed physical name. `test/fixtures/released-urns.json` records both for
 * each stack file as released (regenerate it only for a deliberate release:
 * `npm run render -- <stack>` for each stack, then `node scripts/releasedUrns.js out`).
 *
 * A resource may leave the program only when RETIRED says where it went and why
 * (for example a move to another project with `pulumi state move`).
 */
import * as fs from "fs";
import * as path from "path";
import { subscriptionName } from "../guardrails/alarms";
import { physicalNames } from "../scripts/releasedUrns";
import { runStack, StackRun } from "./harness";

type Released = Record<string, Record<string, Record<string, string>>>;
const released = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "released-urns.json"), "utf8")) as Released;

/** URN patterns of released resources that left on purpose, with where they went. */
export const RETIRED: readonly { pattern: RegExp; reason: string }[] = [
    {
        pattern: /::iam:workloads:Workload\$kubernetes:autoscaling\/v2:HorizontalPodAutoscaler::iam-workload-iam-watcher-hpa$/,
        reason: "iam-watcher runs a fixed 2 (prod) / 1 (staging) replicas (min = max): an HPA that can never scale is gone, the Deployment states spec.replicas (docs/workloads.md); deleting an HPA deletes no pod",
    },
    {
        pattern: /::iam:data:StoreCredentials\$kubernetes:core\/v1:ServiceAccount::iam-store-credentials-reader$/,
        reason: "EKS Pod Identity replaced IRSA: External Secrets reads with its controller's own service account (external-secrets/external-secrets, through a Pod Identity association), so the IRSA-only reader service account goes; the IAM role iam-store-credentials-reader stays (docs/data.md)",
    },
    {
        pattern: /::iam:edge:Edge\$aws:autoscaling\/attachment:Attachment::iam-edge-.*-nodes-\d+$/,
        reason: "the target groups no longer take the node groups' auto-scaling groups: the AWS Load Balancer Controller registers the pods as IP targets through TargetGroupBindings (docs/edge.md); EKS does not manage such attachments and Karpenter nodes have no auto-scaling group",
    },
    {
        pattern:
            /::iam:network:AccessMatrix\$aws:vpc\/securityGroup(Ingress|Egress)Rule:SecurityGroup(Ingress|Egress)Rule::iam-access-(appnodes-in-loadbalancer|loadbalancer-out-appnodes)-3\d{4}$/,
        reason: "the load balancer no longer reaches NodePorts: the rules named after NodePorts 30000-32767 are replaced by rules on the public services' container ports (`servicePorts`, docs/foundation.md)",
    },
    {
        // The Registry component, its repositories and their lifecycle policies.
        pattern: /^urn:pulumi:(prod|staging)::iam::iam:registry:Registry(\$aws:ecr\/(repository:Repository|lifecyclePolicy:LifecyclePolicy))?::iam-registry(-[a-z0-9-]+)?$/,
        reason: "the ECR repositories moved to the registry project (registry/) shared by every environment: the environment that shares the registry's account moves them with `pulumi state move` (same names there), the others forget theirs with `pulumi state delete` after copying the images (docs/registry.md)",
    },
    {
        pattern:
            /::iam:cluster:Addons\$(aws:iam\/role:Role::iam-addons-autoscaler|aws:iam\/rolePolicy:RolePolicy::iam-addons-autoscaler|kubernetes:helm\.sh\/v3:Release::iam-addons-cluster-autoscaler)$/,
        reason: "Karpenter is the node autoscaler of both stack files (cluster.autoscaler: karpenter): the cluster-autoscaler, its role and policy are created only with cluster.autoscaler: cluster-autoscaler, under the same names (docs/cluster.md, moving to Karpenter)",
    },
    {
        pattern: /^urn:pulumi:staging::iam::iam:cluster:ManagedNodeGroup\$aws:autoscaling\/schedule:Schedule::iam-cluster-general-(evening-scale-down|morning-scale-up)$/,
        reason: "staging's nights and weekends lower the HPAs' floors with Karpenter (cluster.karpenter.podFloors, CronJobs iam-pod-floors-evening/-morning) instead of resizing the node group, which now holds the system controllers only (docs/cluster.md)",
    },
    {
        pattern: /^urn:pulumi:prod::iam::iam:workloads:Workload\$kubernetes:core\/v1:ConfigMap::iam-workload-iam-(apiserver|authz-server)-env$/,
        reason: "prod's workload.env held only LOG_LEVEL, which no IAM binary reads: the log level is in each binary's config file (app/configFile.ts), and env keys must now be options of the binary (IAM_<BINARY>_<OPTION>, docs/workloads.md); the immutable, content-named ConfigMap goes with the env (staging's carries IAM_*_LOG_LEVEL: debug, a new name as for every env change)",
    },
    {
        pattern: /^urn:pulumi:(prod|staging)::iam::iam:cluster:Cluster\$aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule::iam-cluster-appnodes-in-controlplane-8443$/,
        reason: "the control plane -> app nodes 8443 rule (\"Control plane to the Karpenter webhook\") went with its flow in the stack files: Karpenter 1.14.1 serves no webhook (its chart has none since v1.0), the Load Balancer Controller's webhook listens on 9443 and External Secrets' and metrics-server's on 10250 (docs/foundation.md); deleting an unused ingress rule cuts no traffic",
    },
];

/**
 * The operator's values the fixture was rendered with (the committed example
 * stack files): a stack file with the operator's own values keeps every
 * released resource too, with its domain in the names that carry one, and
 * without the subscriptions of example addresses it no longer lists.
 */
const RELEASED_WITH: Record<string, { domain: string; subscriptions: { protocol: "email"; endpoint: string }[] }> = {
    prod: { domain: "example.com", subscriptions: [{ protocol: "email", endpoint: "iam-oncall@example.com" }] },
    staging: { domain: "staging.example.com", subscriptions: [{ protocol: "email", endpoint: "iam-team@example.com" }] },
};

/** The stack's released resources (URN -> physical names) as they are named with the run's stack file values. */
function releasedFor(stack: string, run: StackRun): Record<string, Record<string, string>> {
    const was = RELEASED_WITH[stack];
    const dropped = was.subscriptions
        .filter((s) => !run.config.alarms.subscriptions.some((now) => now.protocol === s.protocol && now.endpoint.toLowerCase() === s.endpoint.toLowerCase()))
        .map((s) => `::${subscriptionName("iam-alarms", s)}`);
    const domain = new RegExp(`(?<=[.-])${was.domain.replace(/\./g, "\\.")}(?![a-z0-9]|\\.[a-z0-9])`, "g");
    const renamed = JSON.parse(JSON.stringify(released[stack]).replace(domain, run.config.domain)) as Record<string, Record<string, string>>;
    return Object.fromEntries(Object.entries(renamed).filter(([urn]) => !dropped.some((suffix) => urn.endsWith(suffix))));
}

describe.each(Object.keys(released))("released resources of the %s stack", (stack) => {
    let run: StackRun;
    let releasedNow: Record<string, Record<string, string>>;
    beforeAll(async () => {
        run = await runStack(stack);
        releasedNow = releasedFor(stack, run);
    });

    it("keeps every released URN, or retires it on purpose", () => {
        const current = new Set(run.resources.map((r) => r.urn));
        const missing = Object.keys(releasedNow).filter((urn) => !current.has(urn) && !RETIRED.some((r) => r.pattern.test(urn)));
        expect(missing).toEqual([]);
    });

    it("keeps every released physical name", () => {
        const changed = run.resources
            .filter((r) => releasedNow[r.urn] !== undefined)
            .map((r) => ({ urn: r.urn, was: releasedNow[r.urn], now: physicalNames(r.type, r.inputs) }))
            .filter(({ was, now }) => JSON.stringify(was) !== JSON.stringify(now));
        expect(changed).toEqual([]);
    });
});

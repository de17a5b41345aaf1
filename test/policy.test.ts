/**
 * The policy pack against what the program actually registers: prod and
 * staging have zero violations, every rule meets the resources it guards
 * (so a pass is not vacuous), and a deliberate break of a real resource is
 * caught. Also: the pack wires every rule as a mandatory policy.
 */
import type { PolicyPackArgs, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PolicyResource } from "../policy/props";
import { RESOURCE_RULES, resourceViolations } from "../policy/rules";
import { STACK_RULES, stackViolations } from "../policy/stackRules";
import { ResourceRecord, runStack, StackRun } from "./harness";
import { runRegistryStack } from "./registryHarness";

/** Rules whose resources live in the registry project (registry/), not in the environment stacks. */
const REGISTRY_PROJECT_RULES = ["ecr-scan-on-push-immutable-tags"];

function asPolicyResources(records: readonly ResourceRecord[]): PolicyResource[] {
    return records.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, propertyDependencies: r.propertyDependencies }));
}

function violations(run: StackRun): string[] {
    const perResource = run.resources.flatMap((r) => resourceViolations(r.type, r.inputs, r.urn).map((v) => `${v.rule}: ${r.type} ${r.name}: ${v.message}`));
    const stack = stackViolations(asPolicyResources(run.resources)).map((v) => `${v.rule}: ${v.urn}: ${v.message}`);
    return [...perResource, ...stack];
}

/** A copy of the run's records with one resource's inputs changed. */
function withEdit(run: StackRun, pick: (r: ResourceRecord) => boolean, edit: (inputs: Record<string, unknown>) => void): ResourceRecord[] {
    let edited = 0;
    const records = run.resources.map((r) => {
        if (!pick(r) || edited > 0) {
            return r;
        }
        edited++;
        const inputs = structuredClone(r.inputs);
        edit(inputs);
        return { ...r, inputs };
    });
    expect(edited).toBe(1);
    return records;
}

const ofRecords = (records: readonly ResourceRecord[]): string[] => [
    ...records.flatMap((r) => resourceViolations(r.type, r.inputs, r.urn).map((v) => v.rule)),
    ...stackViolations(asPolicyResources(records)).map((v) => v.rule),
];

describe("the policy pack on the registry project (pulumi -C registry preview --policy-pack ../policy)", () => {
    it("finds no violation, and its ECR rule meets every repository", async () => {
        const run = await runRegistryStack("shared");
        const repositories = run.resources.filter((r) => r.type === "aws:ecr/repository:Repository");
        expect(repositories.length).toBeGreaterThan(0);
        const rules = RESOURCE_RULES.filter((rule) => REGISTRY_PROJECT_RULES.includes(rule.name));
        expect(rules.map((r) => r.name)).toEqual(REGISTRY_PROJECT_RULES);
        expect(rules.every((rule) => rule.types.includes("aws:ecr/repository:Repository"))).toBe(true);
        expect(ofRecords(run.resources)).toEqual([]);
        const mutable = run.resources.map((r) => (r === repositories[0] ? { ...r, inputs: { ...r.inputs, imageTagMutability: "MUTABLE" } } : r));
        expect(ofRecords(mutable)).toEqual(["ecr-scan-on-push-immutable-tags"]);
    });
});

describe.each(["prod", "staging"])("the policy pack on the %s stack", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("finds no violation", () => {
        expect(violations(run)).toEqual([]);
    });

    it("meets every kind of resource its rules guard", () => {
        // A rule that applies to nothing proves nothing: the stack must register
        // each guarded type (either EKS cluster type, either listener type).
        const types = new Set(run.resources.map((r) => r.type));
        const unguarded = RESOURCE_RULES.filter((rule) => !rule.types.some((t) => types.has(t))).map((rule) => rule.name);
        expect(unguarded).toEqual(REGISTRY_PROJECT_RULES);
        for (const type of [
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            "kubernetes:policy/v1:PodDisruptionBudget",
            "aws:lb/listenerRule:ListenerRule",
            "aws:lb/loadBalancer:LoadBalancer",
        ]) {
            expect(types).toContain(type);
        }
    });

    it("catches a world-open port on the load balancer's security group", () => {
        const records = withEdit(
            run,
            (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.cidrIpv4 === "0.0.0.0/0",
            (inputs) => {
                inputs.fromPort = 22;
                inputs.toPort = 22;
            },
        );
        expect(ofRecords(records)).toEqual(["no-world-ingress-except-web"]);
    });

    it("catches the HTTPS listener falling back to the AWS default TLS policy", () => {
        const records = withEdit(
            run,
            (r) => r.type === "aws:lb/listener:Listener" && r.inputs.protocol === "HTTPS",
            (inputs) => {
                delete inputs.sslPolicy;
            },
        );
        expect(ofRecords(records)).toEqual(["https-listener-tls13"]);
    });

    it("catches a service's Deployment without probes and one without an HPA", () => {
        const isApp = (r: ResourceRecord): boolean =>
            r.type === "kubernetes:apps/v1:Deployment" && (r.inputs.metadata as { namespace?: string }).namespace === run.config.workloads.namespace;
        const noProbes = withEdit(run, isApp, (inputs) => {
            const spec = (inputs.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
            delete spec.containers[0].readinessProbe;
        });
        expect(ofRecords(noProbes)).toEqual(["workload-probes-and-resources"]);
        const withoutHpa = run.resources.filter((r) => r.type !== "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        const deployments = run.resources.filter(isApp);
        expect(deployments.length).toBe(run.config.services.length);
        // A Deployment with a fixed spec.replicas (iam-watcher) needs no HPA.
        const scaled = deployments.filter((d) => (d.inputs.spec as { replicas?: number }).replicas === undefined).length;
        expect(scaled).toBeGreaterThan(0);
        expect(ofRecords(withoutHpa)).toEqual(Array(scaled).fill("deployment-has-hpa-and-pdb"));
    });

    it("catches an HPA that can never scale, and a fixed Deployment that also has an HPA", () => {
        const hpa = (r: ResourceRecord): boolean => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
        const pinned = withEdit(run, hpa, (inputs) => {
            const spec = inputs.spec as { minReplicas: number; maxReplicas: number };
            spec.maxReplicas = spec.minReplicas;
        });
        expect(ofRecords(pinned)).toEqual(["hpa-can-scale"]);
        const fixedAndScaled = withEdit(
            run,
            (r) => r.type === "kubernetes:apps/v1:Deployment" && (r.inputs.metadata as { name?: string }).name === "iam-apiserver",
            (inputs) => {
                (inputs.spec as { replicas?: number }).replicas = 3;
            },
        );
        expect(ofRecords(fixedAndScaled)).toEqual(["deployment-has-hpa-and-pdb"]);
    });
});

describe("the policy pack on a fresh stack's preview", () => {
    it("finds no violation while ids and ARNs are still unknown", async () => {
        const preview = await runStack("prod", { preview: true });
        expect(violations(preview)).toEqual([]);
    });
});

describe("the policy pack (policy/index.ts)", () => {
    let pack: { name: string; args: PolicyPackArgs };
    beforeAll(() => {
        jest.isolateModules(() => {
            jest.doMock("@pulumi/policy", () => ({
                PolicyPack: class {
                    constructor(name: string, args: PolicyPackArgs) {
                        pack = { name, args };
                    }
                },
            }));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require("../policy");
        });
    });

    it("registers every rule, once, as a mandatory policy", () => {
        const names = pack.args.policies.map((p) => p.name);
        expect(names).toEqual([...RESOURCE_RULES.map((r) => r.name), ...STACK_RULES.map((r) => r.name)]);
        expect(new Set(names).size).toBe(names.length);
        expect(pack.args.enforcementLevel).toBe("mandatory");
        expect(pack.args.policies.every((p) => p.enforcementLevel === "mandatory")).toBe(true);
    });

    it("reports a resource violation through the SDK callback", async () => {
        const policy = pack.args.policies.find((p) => p.name === "ecr-scan-on-push-immutable-tags");
        const reported: string[] = [];
        const args = { type: "aws:ecr/repository:Repository", props: { imageTagMutability: "MUTABLE" }, urn: "urn:repo", name: "repo" } as unknown as ResourceValidationArgs;
        if (!policy || !("validateResource" in policy) || typeof policy.validateResource !== "function") {
            throw new Error("ecr-scan-on-push-immutable-tags is not a resource policy");
        }
        await policy.validateResource(args, (message) => reported.push(message));
        expect(reported).toHaveLength(2);
        // A resource of another type is not this policy's business.
        await policy.validateResource({ ...args, type: "aws:s3/bucket:Bucket" } as ResourceValidationArgs, (message) => reported.push(message));
        expect(reported).toHaveLength(2);
    });

    it("reports a stack violation against the offending resource's URN", async () => {
        const policy = pack.args.policies.find((p) => p.name === "deployment-has-hpa-and-pdb");
        if (!policy || !("validateStack" in policy)) {
            throw new Error("deployment-has-hpa-and-pdb is not a stack policy");
        }
        const deployment = {
            type: "kubernetes:apps/v1:Deployment",
            name: "app",
            urn: "urn:pulumi:s::p::kubernetes:apps/v1:Deployment::app",
            props: { metadata: { name: "app", namespace: "iam" } },
            propertyDependencies: {},
        };
        const reported: [string, string | undefined][] = [];
        await policy.validateStack({ resources: [deployment] } as unknown as StackValidationArgs, (message, urn) => reported.push([message, urn]));
        expect(reported).toEqual([
            [expect.stringMatching(/no autoscaling\/v2 HorizontalPodAutoscaler/), deployment.urn],
            [expect.stringMatching(/no policy\/v1 PodDisruptionBudget/), deployment.urn],
        ]);
    });
});

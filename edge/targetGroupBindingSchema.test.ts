/**
 * Every TargetGroupBinding the program registers, checked against the CRD
 * schema of the pinned controller chart.
 *
 * Transcribed (by hand, only the fields the CRD declares under `spec`, with
 * their types and enums; descriptions dropped) from
 * kubernetes-sigs/aws-load-balancer-controller, tag v3.5.0 (chart 3.5.0,
 * cluster/catalog.ts LOAD_BALANCER_CONTROLLER_CHART),
 * helm/aws-load-balancer-controller/crds/crds.yaml, CRD
 * `targetgroupbindings.elbv2.k8s.aws`, version `v1beta1` (served: true,
 * storage: true). Checked:
 * - apiVersion/kind are exactly that group, version and kind;
 * - `spec` has only keys the CRD declares (the API server would silently
 *   prune any other: a typo would be lost, not rejected), and the required
 *   `serviceRef` with its required `name` and `port` (int-or-string);
 * - each field's type and enum (`targetType` instance|ip, `ipAddressType`
 *   ipv4|ipv6, `targetGroupProtocol`'s eight values);
 * - the fields the CRD declares but we do not use (`networking`,
 *   `nodeSelector`, `iamRoleArnToAssume`, `assumeRoleExternalId`) must be
 *   absent: their nested schemas are not transcribed;
 * - from the admission webhook, not the schema
 *   (webhooks/elbv2/targetgroupbinding_validator.go checkRequiredFields):
 *   `targetGroupARN` or `targetGroupName` is set;
 * - `metadata.name` is a DNS-1123 subdomain (the API server's rule for any name).
 * Not checked here: what only a live cluster checks (the webhook's AWS calls:
 * the target group exists, its VPC and IP address type match).
 */
import { z } from "zod";
import { runStack, runVariant, ofType, StackRun } from "../test/harness";

const INT_OR_STRING = z.union([z.int(), z.string()]);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const TARGET_GROUP_BINDING_V1BETA1 = z.strictObject({
    apiVersion: z.literal("elbv2.k8s.aws/v1beta1"),
    kind: z.literal("TargetGroupBinding"),
    metadata: z.object({
        name: z.string().regex(DNS_SUBDOMAIN),
        namespace: z.string().min(1),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
    }),
    spec: z
        .strictObject({
            assumeRoleExternalId: z.undefined().optional(),
            iamRoleArnToAssume: z.undefined().optional(),
            ipAddressType: z.enum(["ipv4", "ipv6"]).optional(),
            multiClusterTargetGroup: z.boolean().optional(),
            networking: z.undefined().optional(),
            nodeSelector: z.undefined().optional(),
            serviceRef: z.strictObject({ name: z.string().min(1), port: INT_OR_STRING }),
            targetGroupARN: z.string().optional(),
            targetGroupName: z.string().optional(),
            targetGroupProtocol: z.enum(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"]).optional(),
            targetType: z.enum(["instance", "ip"]).optional(),
            vpcID: z.string().optional(),
        })
        .refine((spec) => spec.targetGroupARN !== undefined || spec.targetGroupName !== undefined, {
            error: "either targetGroupARN or targetGroupName must be specified (the controller's validating webhook)",
        }),
});

const BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";
const runs: StackRun[] = [];

beforeAll(async () => {
    runs.push(await runStack("prod"), await runStack("staging"));
    runs.push(await runVariant("staging-legacy"));
});

describe("TargetGroupBinding objects against the v1beta1 CRD of chart 3.5.0", () => {
    it("registers at least one binding per run, and every one fits the schema", () => {
        for (const run of runs) {
            const bindings = ofType(run, BINDING);
            expect(bindings.length).toBe(run.config.services.filter((s) => s.public).length);
            for (const binding of bindings) {
                const result = TARGET_GROUP_BINDING_V1BETA1.safeParse(binding.inputs);
                expect({ binding: binding.name, issues: result.success ? [] : result.error.issues }).toEqual({ binding: binding.name, issues: [] });
            }
        }
    });

    it("would reject what the CRD does not declare, a bad enum, or a missing serviceRef", () => {
        const [binding] = ofType(runs[0], BINDING);
        const spec = binding.inputs.spec as Record<string, unknown>;
        const withSpec = (s: Record<string, unknown>): boolean => TARGET_GROUP_BINDING_V1BETA1.safeParse({ ...binding.inputs, spec: s }).success;
        expect(withSpec(spec)).toBe(true);
        expect(withSpec({ ...spec, targetGroupArn: "x" })).toBe(false);
        expect(withSpec({ ...spec, targetType: "lambda" })).toBe(false);
        expect(withSpec({ ...spec, serviceRef: undefined })).toBe(false);
        expect(withSpec({ ...spec, targetGroupARN: undefined })).toBe(false);
        expect(withSpec({ ...spec, networking: { ingress: [] } })).toBe(false);
    });
});

/**
 * Every NodePool and EC2NodeClass the program registers is checked against
 * Karpenter's own CRD schemas for the pinned version (1.14.1), transcribed
 * below for the fields the program writes.
 *
 * Source: aws/karpenter-provider-aws at commit 1d927085 ("docs: update for
 * patch release v1.14.1"), pkg/apis/crds/karpenter.sh_nodepools.yaml and
 * pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml, version v1 of each.
 *
 * What is checked, exactly:
 * - structure: types (object, string, integer, boolean, array), required
 *   fields, enums, regex patterns, min/max values, maxLength, min/maxItems,
 *   for the transcribed fields; a field the transcription does not know is
 *   an error (the API server would prune it silently: a typo never works);
 * - the CEL rules (x-kubernetes-validations) on those fields, rewritten as
 *   functions with the CRD's own message: a budget's schedule and duration
 *   together; `In` requirements have values; `Gt`/`Lt` have one integer >= 0;
 *   requirement keys and template labels outside the restricted
 *   karpenter.sh / karpenter.k8s.aws domains (the allowed keys listed);
 *   nodeClassRef fields non-empty; one alias term only, with a supported
 *   family and never a Windows version pin; selector terms non-empty, each
 *   with tags or an id; tags without empty keys or values, and none of the
 *   tag keys Karpenter reserves; exactly one of role / instanceProfile; at
 *   most one root volume; each volume with a size or a snapshot.
 * Not checked: CEL rules comparing with the old object (immutability of
 * nodeClassRef.group/kind, static vs dynamic pools): they only bite on
 * update, and the program never changes those fields; fields the program
 * never writes (taints, kubelet, userData, networkInterfaces, ...).
 */
import { nodePoolSpec, ec2NodeClassSpec } from "./karpenterPlan";
import { karpenterSchema } from "./karpenterSchema";
import { ofType, runStack, StackRun } from "../test/harness";

type Json = unknown;
interface S {
    type?: "object" | "string" | "integer" | "boolean" | "array" | "int-or-string";
    properties?: Record<string, S>;
    additionalProperties?: S;
    required?: string[];
    enum?: string[];
    pattern?: RegExp;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    maxItems?: number;
    items?: S;
    /**
     * CEL rules, transcribed: each returns the CRD's message when the rule
     * fails. `any`: the value is JSON of the shape the schema above it has
     * already checked, as CEL assumes.
     */
    rules?: ((value: any) => string | undefined)[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DURATION_OR_NEVER = /^(([0-9]+(s|m|h))+|Never)$/;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const KARPENTER_SH_ALLOWED = ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"];
const KARPENTER_AWS_ALLOWED = [
    "karpenter.k8s.aws/instance-tenancy",
    "karpenter.k8s.aws/capacity-reservation-type",
    "karpenter.k8s.aws/capacity-reservation-id",
    "karpenter.k8s.aws/capacity-reservation-interruptible",
    "karpenter.k8s.aws/ec2nodeclass",
    "karpenter.k8s.aws/instance-encryption-in-transit-supported",
    "karpenter.k8s.aws/nitro-sandbox",
    "karpenter.k8s.aws/instance-category",
    "karpenter.k8s.aws/instance-hypervisor",
    "karpenter.k8s.aws/instance-family",
    "karpenter.k8s.aws/instance-generation",
    "karpenter.k8s.aws/instance-local-nvme",
    "karpenter.k8s.aws/instance-size",
    "karpenter.k8s.aws/instance-cpu",
    "karpenter.k8s.aws/instance-cpu-manufacturer",
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
    "karpenter.k8s.aws/instance-memory",
    "karpenter.k8s.aws/instance-ebs-bandwidth",
    "karpenter.k8s.aws/instance-network-bandwidth",
    "karpenter.k8s.aws/instance-gpu-name",
    "karpenter.k8s.aws/instance-gpu-manufacturer",
    "karpenter.k8s.aws/instance-gpu-count",
    "karpenter.k8s.aws/instance-gpu-memory",
    "karpenter.k8s.aws/instance-accelerator-name",
    "karpenter.k8s.aws/instance-accelerator-manufacturer",
    "karpenter.k8s.aws/instance-accelerator-count",
    "karpenter.k8s.aws/instance-capability-flex",
    "karpenter.k8s.aws/placement-group-id",
    "karpenter.k8s.aws/placement-group-partition",
];
const domainOf = (key: string): string => /^([^/]+)/.exec(key)?.[1] ?? "";
const restrictedKey = (key: string): string | undefined => {
    if (!KARPENTER_SH_ALLOWED.includes(key) && domainOf(key).endsWith("karpenter.sh")) return 'label domain "karpenter.sh" is restricted';
    if (key === "karpenter.sh/nodepool") return 'label "karpenter.sh/nodepool" is restricted';
    if (key === "kubernetes.io/hostname") return 'label "kubernetes.io/hostname" is restricted';
    if (!KARPENTER_AWS_ALLOWED.includes(key) && domainOf(key).endsWith("karpenter.k8s.aws")) return 'label domain "karpenter.k8s.aws" is restricted';
    return undefined;
};
const nonEmpty = (v: string): string | undefined => (v === "" ? "may not be empty" : undefined);
const tagMap = (maxProperties = 20): S => ({
    type: "object",
    additionalProperties: { type: "string" },
    rules: [
        (t: Record<string, string>) => (Object.keys(t).length > maxProperties ? `more than ${maxProperties} tags` : undefined),
        (t: Record<string, string>) => (Object.entries(t).some(([k, v]) => k === "" || v === "") ? "empty tag keys or values aren't supported" : undefined),
    ],
});

/** karpenter.sh/v1 NodePool `spec`, the fields the program writes (and the required ones). */
const NODEPOOL_SPEC: S = {
    type: "object",
    required: ["template"],
    properties: {
        disruption: {
            type: "object",
            required: ["consolidateAfter"],
            properties: {
                budgets: {
                    type: "array",
                    maxItems: 50,
                    items: {
                        type: "object",
                        required: ["nodes"],
                        properties: {
                            duration: { type: "string", pattern: /^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/ },
                            nodes: { type: "string", pattern: /^((100|[0-9]{1,2})%|[0-9]+)$/ },
                            reasons: { type: "array", maxItems: 50, items: { type: "string", enum: ["Underutilized", "Empty", "Drifted"] } },
                            schedule: { type: "string", pattern: /^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/ },
                        },
                    },
                    rules: [
                        (b: { schedule?: string; duration?: string }[]) =>
                            b.every((x) => (x.schedule === undefined) === (x.duration === undefined)) ? undefined : "'schedule' must be set with 'duration'",
                    ],
                },
                consolidateAfter: { type: "string", pattern: DURATION_OR_NEVER },
                consolidationPolicy: { type: "string", enum: ["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"] },
            },
        },
        limits: { type: "object", additionalProperties: { type: "int-or-string", pattern: QUANTITY } },
        template: {
            type: "object",
            required: ["spec"],
            properties: {
                metadata: {
                    type: "object",
                    properties: {
                        labels: {
                            type: "object",
                            additionalProperties: { type: "string", maxLength: 63, pattern: LABEL_VALUE },
                            rules: [
                                (l: Record<string, string>) =>
                                    Object.keys(l)
                                        .map(restrictedKey)
                                        .find((m) => m !== undefined),
                            ],
                        },
                    },
                },
                spec: {
                    type: "object",
                    required: ["nodeClassRef", "requirements"],
                    properties: {
                        expireAfter: { type: "string", pattern: DURATION_OR_NEVER },
                        terminationGracePeriod: { type: "string", pattern: /^([0-9]+(s|m|h))+$/ },
                        nodeClassRef: {
                            type: "object",
                            required: ["group", "kind", "name"],
                            properties: {
                                group: { type: "string", pattern: /^[^/]*$/, rules: [nonEmpty] },
                                kind: { type: "string", rules: [nonEmpty] },
                                name: { type: "string", rules: [nonEmpty] },
                            },
                        },
                        requirements: {
                            type: "array",
                            maxItems: 100,
                            items: {
                                type: "object",
                                required: ["key", "operator"],
                                properties: {
                                    key: { type: "string", maxLength: 316, pattern: LABEL_KEY, rules: [restrictedKey] },
                                    minValues: { type: "integer", minimum: 1, maximum: 50 },
                                    operator: { type: "string", enum: ["Gte", "Lte", "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] },
                                    values: { type: "array", items: { type: "string", maxLength: 63, pattern: LABEL_VALUE } },
                                },
                            },
                            rules: [
                                (r: { operator: string; values?: string[] }[]) =>
                                    r.every((x) => (x.operator === "In" ? (x.values ?? []).length !== 0 : true))
                                        ? undefined
                                        : "requirements with operator 'In' must have a value defined",
                                (r: { operator: string; values?: string[] }[]) =>
                                    r.every((x) => (["Gt", "Lt", "Gte", "Lte"].includes(x.operator) ? x.values?.length === 1 && /^\d+$/.test(x.values[0]) : true))
                                        ? undefined
                                        : "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
                            ],
                        },
                    },
                },
            },
        },
        weight: { type: "integer", minimum: 1, maximum: 100 },
    },
};

const RESERVED_TAG = /^(eks:eks-cluster-name|kubernetes\.io\/cluster.*|karpenter\.sh\/nodepool|karpenter\.sh\/nodeclaim|karpenter\.k8s\.aws\/ec2nodeclass)$/;
const selectorTerms = (idPattern: RegExp, what: string): S => ({
    type: "array",
    maxItems: 30,
    items: { type: "object", properties: { id: { type: "string", pattern: idPattern }, tags: tagMap() } },
    rules: [
        (t: unknown[]) => (t.length === 0 ? `${what} cannot be empty` : undefined),
        (t: { tags?: unknown; id?: unknown }[]) => (t.every((x) => x.tags !== undefined || x.id !== undefined) ? undefined : "expected at least one, got none, ['tags', 'id']"),
    ],
});

/** karpenter.k8s.aws/v1 EC2NodeClass `spec`, the fields the program writes (and the required ones). */
const EC2NODECLASS_SPEC: S = {
    type: "object",
    required: ["amiSelectorTerms", "securityGroupSelectorTerms", "subnetSelectorTerms"],
    properties: {
        amiFamily: { type: "string", enum: ["AL2", "AL2023", "Bottlerocket", "Custom", "Windows2019", "Windows2022", "Windows2025"] },
        amiSelectorTerms: {
            type: "array",
            minItems: 1,
            maxItems: 30,
            items: {
                type: "object",
                properties: {
                    alias: {
                        type: "string",
                        maxLength: 30,
                        rules: [
                            (a: string) => (/^[a-zA-Z0-9]+@.+$/.test(a) ? undefined : "'alias' is improperly formatted, must match the format 'family@version'"),
                            (a: string) =>
                                ["al2", "al2023", "bottlerocket", "windows2019", "windows2022", "windows2025"].includes(a.split("@")[0]) ? undefined : "family is not supported",
                            (a: string) =>
                                a.split("@")[0].startsWith("windows") && a.split("@")[1] !== "latest" ? "windows families may only specify version 'latest'" : undefined,
                        ],
                    },
                },
            },
            rules: [
                (t: { alias?: string }[]) =>
                    t.some((x) => x.alias !== undefined) && t.length !== 1
                        ? "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms"
                        : undefined,
            ],
        },
        blockDeviceMappings: {
            type: "array",
            maxItems: 50,
            items: {
                type: "object",
                properties: {
                    deviceName: { type: "string" },
                    rootVolume: { type: "boolean" },
                    ebs: {
                        type: "object",
                        properties: {
                            deleteOnTermination: { type: "boolean" },
                            encrypted: { type: "boolean" },
                            kmsKeyID: { type: "string" },
                            volumeSize: {
                                type: "string",
                                pattern:
                                    /^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$/,
                            },
                            volumeType: { type: "string", enum: ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"] },
                        },
                        rules: [
                            (e: { snapshotID?: string; volumeSize?: string }) =>
                                e.snapshotID !== undefined || e.volumeSize !== undefined ? undefined : "snapshotID or volumeSize must be defined",
                        ],
                    },
                },
            },
            rules: [(b: { rootVolume?: boolean }[]) => (b.filter((x) => x.rootVolume === true).length <= 1 ? undefined : "must have only one blockDeviceMappings with rootVolume")],
        },
        metadataOptions: {
            type: "object",
            properties: {
                httpEndpoint: { type: "string", enum: ["enabled", "disabled"] },
                httpProtocolIPv6: { type: "string", enum: ["enabled", "disabled"] },
                httpPutResponseHopLimit: { type: "integer", minimum: 1, maximum: 64 },
                httpTokens: { type: "string", enum: ["required", "optional"] },
            },
        },
        role: { type: "string", rules: [(r: string) => (r === "" ? "role cannot be empty" : undefined)] },
        securityGroupSelectorTerms: selectorTerms(/sg-[0-9a-z]+/, "securityGroupSelectorTerms"),
        subnetSelectorTerms: selectorTerms(/subnet-[0-9a-z]+/, "subnetSelectorTerms"),
        tags: {
            type: "object",
            additionalProperties: { type: "string" },
            rules: [
                (t: Record<string, string>) => (Object.keys(t).some((k) => k === "") ? "empty tag keys aren't supported" : undefined),
                (t: Record<string, string>) =>
                    Object.keys(t)
                        .filter((k) => RESERVED_TAG.test(k))
                        .map((k) => `tag contains a restricted tag matching ${k}`)[0],
            ],
        },
    },
    rules: [
        (s: { role?: string; instanceProfile?: string }) =>
            (s.role !== undefined) !== (s.instanceProfile !== undefined) ? undefined : "must specify exactly one of ['role', 'instanceProfile']",
    ],
};

/** Every way `value` breaks `schema`, each with its path. */
function validate(value: Json, schema: S, path = "spec"): string[] {
    const problems: string[] = [];
    const t = schema.type;
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    if (t === "object" && !isObject) return [`${path}: must be an object`];
    if (t === "array" && !Array.isArray(value)) return [`${path}: must be an array`];
    if (t === "string" && typeof value !== "string") return [`${path}: must be a string`];
    if (t === "integer" && !Number.isInteger(value)) return [`${path}: must be an integer`];
    if (t === "boolean" && typeof value !== "boolean") return [`${path}: must be a boolean`];
    if (t === "int-or-string" && typeof value !== "string" && !Number.isInteger(value)) return [`${path}: must be an integer or a string`];
    if (typeof value === "string") {
        if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${value} is not one of ${schema.enum.join(", ")}`);
        if (schema.pattern && !schema.pattern.test(value)) problems.push(`${path}: ${value} does not match ${schema.pattern}`);
        if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
        if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`);
        value.forEach((item, i) => schema.items && problems.push(...validate(item, schema.items, `${path}[${i}]`)));
    }
    if (isObject) {
        const object = value as Record<string, Json>;
        for (const key of schema.required ?? []) {
            if (object[key] === undefined) problems.push(`${path}.${key}: is required`);
        }
        for (const [key, child] of Object.entries(object)) {
            const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
            if (!childSchema) {
                problems.push(`${path}.${key}: is not a field of the CRD (the API server would drop it)`);
            } else if (child !== undefined) {
                problems.push(...validate(child, childSchema, `${path}.${key}`));
            }
        }
    }
    for (const rule of schema.rules ?? []) {
        const message = rule(value);
        if (message) problems.push(`${path}: ${message}`);
    }
    return problems;
}

describe("the transcribed CRD schemas catch what the API server would refuse", () => {
    const pool = karpenterSchema.parse({ nodePools: [{ name: "general", limits: { cpu: 8, memory: "32Gi" } }] }).nodePools[0];
    // A deep copy of the rendered spec, broken on purpose at any depth: typed as the JSON it is, it would need a cast per case.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    it.each<[string, (s: any) => void, RegExp]>([
        [
            "a budget schedule without duration",
            (s) => {
                s.disruption.budgets = [{ nodes: "0", schedule: "0 9 * * *" }];
            },
            /'schedule' must be set with 'duration'/,
        ],
        [
            "a Gt requirement that is not a number",
            (s) => {
                s.template.spec.requirements.push({ key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["five"] });
            },
            /single positive integer/,
        ],
        [
            "an In requirement without values",
            (s) => {
                s.template.spec.requirements.push({ key: "kubernetes.io/arch", operator: "In", values: [] });
            },
            /must have a value defined/,
        ],
        [
            "a restricted requirement key",
            (s) => {
                s.template.spec.requirements.push({ key: "karpenter.sh/nodepool", operator: "Exists" });
            },
            /restricted/,
        ],
        [
            "a misspelt field",
            (s) => {
                s.disruption.consolidateAftr = "1m";
            },
            /consolidateAftr: is not a field of the CRD/,
        ],
        [
            "an unknown consolidation policy",
            (s) => {
                s.disruption.consolidationPolicy = "Always";
            },
            /is not one of WhenEmpty/,
        ],
        [
            "a weight of 0",
            (s) => {
                s.weight = 0;
            },
            /below 1/,
        ],
    ])("a NodePool with %s", (_what, breakIt, message) => {
        const spec = JSON.parse(JSON.stringify(nodePoolSpec(pool)));
        expect(validate(spec, NODEPOOL_SPEC)).toEqual([]);
        breakIt(spec);
        expect(validate(spec, NODEPOOL_SPEC)).toEqual([expect.stringMatching(message)]);
    });

    // A deep copy of the rendered spec, broken on purpose at any depth: typed as the JSON it is, it would need a cast per case.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    it.each<[string, (s: any) => void, RegExp]>([
        [
            "two alias terms",
            (s) => {
                s.amiSelectorTerms.push({ alias: "al2023@v20260714" });
            },
            /mutually exclusive/,
        ],
        [
            "an unsupported family",
            (s) => {
                s.amiSelectorTerms = [{ alias: "ubuntu@v1" }];
            },
            /family is not supported/,
        ],
        [
            "a reserved tag",
            (s) => {
                s.tags["kubernetes.io/cluster/iam-prod"] = "owned";
            },
            /restricted tag/,
        ],
        [
            "no subnet selector",
            (s) => {
                s.subnetSelectorTerms = [];
            },
            /subnetSelectorTerms cannot be empty/,
        ],
        [
            "two root volumes",
            (s) => {
                s.blockDeviceMappings.push({ ...s.blockDeviceMappings[0], deviceName: "/dev/xvdb" });
            },
            /only one blockDeviceMappings with rootVolume/,
        ],
        [
            "a volume size without unit",
            (s) => {
                s.blockDeviceMappings[0].ebs.volumeSize = "50";
            },
            /volumeSize: 50 does not match/,
        ],
        [
            "no role",
            (s) => {
                delete s.role;
            },
            /exactly one of \['role', 'instanceProfile'\]/,
        ],
    ])("an EC2NodeClass with %s", (_what, breakIt, message) => {
        const spec = JSON.parse(
            JSON.stringify(
                ec2NodeClassSpec({ name: "default", amiFamily: "AL2023", diskSizeGiB: 50 }, { clusterName: "iam-prod", nodeRoleName: "role", tags: { project: "iam" } }),
            ),
        );
        expect(validate(spec, EC2NODECLASS_SPEC)).toEqual([]);
        breakIt(spec);
        expect(validate(spec, EC2NODECLASS_SPEC)).toEqual([expect.stringMatching(message)]);
    });
});

describe("every NodePool and EC2NodeClass the program registers fits Karpenter 1.14.1's CRDs", () => {
    const runs: StackRun[] = [];
    beforeAll(async () => {
        runs.push(await runStack("prod"), await runStack("staging"));
    });

    it("for the prod and staging stack files", () => {
        let checked = 0;
        for (const run of runs) {
            for (const [type, schema] of [
                ["kubernetes:karpenter.sh/v1:NodePool", NODEPOOL_SPEC],
                ["kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", EC2NODECLASS_SPEC],
            ] as const) {
                for (const object of ofType(run, type)) {
                    expect([run.stack, object.name, validate(object.inputs.spec, schema)]).toEqual([run.stack, object.name, []]);
                    checked += 1;
                }
            }
        }
        expect(checked).toBeGreaterThanOrEqual(4);
    });

    it("for every option the config allows: Bottlerocket, arm64, spot, families, budgets with reasons, a no-disruption window, weight", () => {
        const config = karpenterSchema.parse({
            nodeClasses: [{ name: "br", amiFamily: "Bottlerocket", diskSizeGiB: 80 }],
            nodePools: [
                {
                    name: "mixed",
                    nodeClass: "br",
                    instanceCategories: ["c", "m"],
                    instanceFamilies: ["m7g", "c7g"],
                    instanceSizes: ["large", "4xlarge"],
                    architectures: ["amd64", "arm64"],
                    capacityTypes: ["spot", "on-demand"],
                    limits: { cpu: 100, memory: "400Gi" },
                    consolidation: { policy: "WhenEmpty", consolidateAfter: "30s" },
                    budgets: [
                        { nodes: "1", reasons: ["Drifted"] },
                        { nodes: "20%", schedule: "0 0 * * *", duration: "1h30m" },
                    ],
                    noDisruptionWindow: { schedule: "0 9 * * 1-5", duration: "8h" },
                    expireAfter: "Never",
                    terminationGracePeriod: "1h30m",
                    weight: 50,
                    labels: { team: "iam" },
                },
            ],
        });
        expect(validate(JSON.parse(JSON.stringify(nodePoolSpec(config.nodePools[0]))), NODEPOOL_SPEC)).toEqual([]);
        expect(
            validate(
                JSON.parse(
                    JSON.stringify(ec2NodeClassSpec(config.nodeClasses[0], { clusterName: "c", nodeRoleName: "r", tags: { project: "iam", "kubernetes.io/cluster/c": "owned" } })),
                ),
                EC2NODECLASS_SPEC,
            ),
        ).toEqual([]);
    });
});

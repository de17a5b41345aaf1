/**
 * The HTTPS entry as the program registers it for the real prod and staging
 * stack files: certificate and its DNS validation, load balancer, listeners,
 * target groups, host rules, DNS aliases, access logs, the legacy migration,
 * the bad inputs it refuses, and that none of it waits for the cluster.
 */
import {
    configProblems,
    ofType,
    onlyOfType,
    registeredWithMonitor,
    resource,
    ResourceRecord,
    runStack,
    runVariant,
    StackRun,
    transitiveDependencies,
    UNKNOWN,
} from "../test/harness";
import { MOCK_ALB_ZONE_ID, mockZoneId } from "./mocks";

const ALB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const TG_ATTACHMENT = "aws:lb/targetGroupAttachment:TargetGroupAttachment";
const ASG_ATTACHMENT = "aws:autoscaling/attachment:Attachment";
const BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";
const K8S_SERVICE = "kubernetes:core/v1:Service";
const LB_CONTROLLER = "kubernetes:helm.sh/v3:Release";
const CERT = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";
const BUCKET = "aws:s3/bucket:Bucket";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

type Values = Record<string, unknown>;
const STACKS = ["prod", "staging"] as const;
const runs: Record<string, StackRun> = {};

/** Staging mid-migration (test/variants.ts "staging-legacy"): the old Nginx pair takes 30% of iam.api. */
beforeAll(async () => {
    runs.prod = await runStack("prod");
    runs.staging = await runStack("staging");
    runs.preview = await runStack("prod", { preview: true });
    runs.legacy = await runVariant("staging-legacy");
});

const one = onlyOfType;
const listener = (run: StackRun, port: number): ResourceRecord => {
    const found = ofType(run, LISTENER).filter((l) => l.inputs.port === port);
    expect(found).toHaveLength(1);
    return found[0];
};
const arnOf = (r: ResourceRecord): string => `arn:aws:${r.type.split(":")[1].split("/")[0]}:eu-west-1:123456789012:${r.name}`;
const hostsOf = (rule: ResourceRecord): string[] => (rule.inputs.conditions as { hostHeader?: { values: string[] } }[]).flatMap((c) => c.hostHeader?.values ?? []);
const publicHosts = (run: StackRun): string[] => run.config.services.flatMap((s) => (s.public ? [s.public.fqdn] : []));
const aliasRecords = (run: StackRun): ResourceRecord[] => ofType(run, RECORD).filter((r) => r.inputs.aliases !== undefined);

describe.each(STACKS)("%s certificate and DNS", (stack) => {
    it("has a certificate naming every routed host, validated by DNS", () => {
        const run = runs[stack];
        const cert = one(run, CERT);
        const names = [cert.inputs.domainName, ...(cert.inputs.subjectAlternativeNames as string[])];
        const routed = ofType(run, RULE).flatMap(hostsOf);
        expect(routed.sort()).toEqual(publicHosts(run).sort());
        expect([...names].sort()).toEqual([...routed].sort());
        expect(cert.inputs.validationMethod).toBe("DNS");
    });

    it("puts a validation record for every name in the domain's zone, and the validation waits for all of them", () => {
        const run = runs[stack];
        const validation = one(run, VALIDATION);
        const records = ofType(run, RECORD).filter((r) => r.inputs.type === "CNAME");
        expect(records.map((r) => String(r.inputs.name).replace(/^_[0-9a-f]+\.|\.$/g, "")).sort()).toEqual(publicHosts(run).sort());
        expect(records.every((r) => r.inputs.zoneId === mockZoneId(run.config.domain))).toBe(true);
        for (const record of records) {
            expect(validation.dependencies).toContain(record.urn);
        }
        expect(validation.inputs.validationRecordFqdns).toHaveLength(records.length);
    });

    it("gives every routed host an alias record to the load balancer", () => {
        const run = runs[stack];
        const records = aliasRecords(run);
        expect(records.map((r) => r.inputs.name).sort()).toEqual(publicHosts(run).sort());
        for (const record of records) {
            expect(record.inputs).toMatchObject({
                type: "A",
                zoneId: mockZoneId(run.config.domain),
                aliases: [{ name: expect.stringMatching(/elb\.amazonaws\.com$/), zoneId: MOCK_ALB_ZONE_ID, evaluateTargetHealth: true }],
                allowOverwrite: false,
            });
            expect(record.dependencies).toContain(one(run, ALB).urn);
        }
    });
});

describe.each(STACKS)("%s load balancer and listeners", (stack) => {
    it("is internet-facing in every zone's public subnet with only the access matrix's load-balancer group", () => {
        const run = runs[stack];
        const alb = one(run, ALB);
        const lbGroup = ofType(run, SG).find((g) => (g.inputs.tags as Record<string, string>)["iam/role"] === "loadBalancer");
        expect(alb.inputs).toMatchObject({
            loadBalancerType: "application",
            internal: false,
            securityGroups: [`${lbGroup?.name}-id`],
            dropInvalidHeaderFields: true,
            enableHttp2: true,
            idleTimeout: run.config.edge.idleTimeoutSeconds,
        });
        const publicSubnets = run.config.network.availabilityZones.map((zone) => `iam-network-public-${zone}-id`);
        expect(alb.inputs.subnets).toEqual(publicSubnets);
    });

    it("serves 443 with the validated certificate and a TLS 1.3 policy, unknown hosts getting a 404", () => {
        const run = runs[stack];
        const https = listener(run, 443);
        const validation = one(run, VALIDATION);
        expect(https.inputs).toMatchObject({ protocol: "HTTPS", sslPolicy: expect.stringMatching(/^ELBSecurityPolicy-TLS13-/) });
        // The listener takes the ARN from the validation, so it waits for ACM to issue the certificate.
        expect(https.dependencies).toContain(validation.urn);
        expect(https.inputs.defaultActions).toEqual([{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" } }]);
    });

    it("answers 80 with a 301 to HTTPS and nothing else", () => {
        const run = runs[stack];
        const http = listener(run, 80);
        expect(http.inputs.protocol).toBe("HTTP");
        expect(http.inputs.certificateArn).toBeUndefined();
        expect(http.inputs.defaultActions).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
        expect(ofType(run, RULE).filter((r) => r.inputs.listenerArn !== arnOf(listener(run, 443)))).toEqual([]);
        expect(ofType(run, LISTENER)).toHaveLength(2);
    });

    it("routes each public host to its own service's target group", () => {
        const run = runs[stack];
        for (const service of run.config.services.filter((s) => s.public)) {
            const rule = ofType(run, RULE).find((r) => hostsOf(r).includes(service.public?.fqdn ?? ""));
            const group = ofType(run, TARGET_GROUP).find((g) => (g.inputs.tags as Record<string, string>)["iam/service"] === service.name);
            expect(rule && group).toBeTruthy();
            expect(rule?.inputs.actions).toEqual([{ type: "forward", targetGroupArn: arnOf(group as ResourceRecord) }]);
        }
    });
});

describe.each(STACKS)("%s target groups", (stack) => {
    it("registers every exposed service's pods as IP targets on its public container port, health-checked on its health path", () => {
        const run = runs[stack];
        const { healthCheck, deregistrationDelaySeconds } = run.config.edge;
        const groups = ofType(run, TARGET_GROUP);
        expect(groups).toHaveLength(run.config.services.filter((s) => s.public).length);
        for (const service of run.config.services.filter((s) => s.public)) {
            const group = groups.find((g) => (g.inputs.tags as Record<string, string>)["iam/service"] === service.name) as ResourceRecord;
            expect(group.inputs).toMatchObject({
                targetType: "ip",
                ipAddressType: "ipv4",
                protocol: "HTTP",
                port: service.ports.find((p) => p.name === service.public?.port)?.port,
                deregistrationDelay: deregistrationDelaySeconds,
                healthCheck: {
                    enabled: true,
                    path: "/healthz",
                    port: "traffic-port",
                    matcher: healthCheck.matcher,
                    interval: healthCheck.intervalSeconds,
                    timeout: healthCheck.timeoutSeconds,
                    healthyThreshold: healthCheck.healthyThreshold,
                    unhealthyThreshold: healthCheck.unhealthyThreshold,
                },
            });
            expect(group.inputs.healthCheck).toMatchObject({ path: service.health.path });
            // Only this stack's controller may register into it (its IAM policy is conditioned on this tag).
            expect(group.inputs.tags).toMatchObject({ "iam/target-registration": stack, "iam/service": service.name });
            // Pulumi appends "-" and 7 random characters; AWS allows 32.
            expect(group.name.length + 8).toBeLessThanOrEqual(32);
        }
    });
});

describe("access logs", () => {
    it("prod: deletion protection, and logs to a private, encrypted, expiring bucket ELB may write to", () => {
        const run = runs.prod;
        const alb = one(run, ALB);
        const bucket = one(run, BUCKET);
        expect(alb.inputs.enableDeletionProtection).toBe(true);
        expect(alb.inputs.accessLogs).toMatchObject({ enabled: true, prefix: "alb", bucket: expect.stringMatching(/^iam-edge-access-logs/) });
        expect(bucket.protect).toBe(true);
        // Kept even once unprotected: turning logs off must not delete the audit trail.
        expect(bucket.retainOnDelete).toBe(true);
        const bucketId = `${bucket.name}-id`;
        const child = (type: string): ResourceRecord => {
            const found = ofType(run, type).filter((r) => r.inputs.bucket === bucketId);
            expect(found).toHaveLength(1);
            return found[0];
        };
        expect(child("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(child("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
        expect(child("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        expect(child("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).toEqual([
            expect.objectContaining({ status: "Enabled", expiration: { days: run.config.edge.accessLogs.retentionDays } }),
        ]);
        const policy = child("aws:s3/bucketPolicy:BucketPolicy");
        expect(JSON.parse(String(policy.inputs.policy)).Statement).toEqual(
            expect.arrayContaining([
                expect.objectContaining({
                    Principal: { AWS: "arn:aws:iam::156460612806:root" },
                    Resource: `arn:aws:s3:::iam-edge-access-logs-a1b2c3d/alb/AWSLogs/${run.config.accountId}/*`,
                }),
            ]),
        );
        // ELB checks it may write when logs are turned on: the policy must exist first.
        expect(transitiveDependencies(run, alb.urn)).toContain(policy.urn);
    });

    it("staging: no deletion protection, no logs, no bucket", () => {
        const run = runs.staging;
        expect(one(run, ALB).inputs).toMatchObject({ enableDeletionProtection: false });
        expect(one(run, ALB).inputs.accessLogs).toBeUndefined();
        expect(ofType(run, BUCKET).filter((b) => b.name.includes("access-logs"))).toEqual([]);
    });
});

describe("weighted migration from the legacy system", () => {
    it("registers the legacy front door as IP targets, reached across the peering (availability zone all)", () => {
        const run = runs.legacy;
        const group = resource(run, TARGET_GROUP, "iam-edge-legacy");
        expect(group.inputs).toMatchObject({ targetType: "ip", port: 80, protocol: "HTTP" });
        const targets = ofType(run, TG_ATTACHMENT);
        expect(targets.map((t) => t.inputs.targetId).sort()).toEqual(["10.0.1.10", "10.0.1.11"]);
        expect(targets.every((t) => t.inputs.availabilityZone === "all" && t.inputs.targetGroupArn === arnOf(group) && t.inputs.port === 80)).toBe(true);
    });

    it("splits only the migrating host by weight, the rest stays on the cluster", () => {
        const run = runs.legacy;
        const legacyArn = arnOf(resource(run, TARGET_GROUP, "iam-edge-legacy"));
        const api = ofType(run, RULE).find((r) => hostsOf(r).includes(`iam.api.${run.config.domain}`)) as ResourceRecord;
        const authz = ofType(run, RULE).find((r) => hostsOf(r).includes(`iam.authz.${run.config.domain}`)) as ResourceRecord;
        const [action] = api.inputs.actions as { forward: { targetGroups: { arn: string; weight: number }[] } }[];
        expect(action.forward.targetGroups).toEqual([
            { arn: expect.not.stringContaining("legacy"), weight: 70 },
            { arn: legacyArn, weight: 30 },
        ]);
        expect(JSON.stringify(authz.inputs.actions)).not.toContain("legacy");
    });

    it("keeps the legacy group Pulumi's: no binding, not tagged for the controller, beside the bound ip group of the same host", () => {
        const run = runs.legacy;
        const group = resource(run, TARGET_GROUP, "iam-edge-legacy");
        expect(group.inputs.tags).not.toHaveProperty("iam/target-registration");
        const bound = ofType(run, BINDING).map((b) => (b.inputs.spec as { targetGroupARN: string }).targetGroupARN);
        expect(bound).toHaveLength(2);
        expect(bound).not.toContain(arnOf(group));
        // The split rule's cluster side is the bound (ip) target group, and the rule waits for its binding.
        const api = ofType(run, RULE).find((r) => hostsOf(r).includes(`iam.api.${run.config.domain}`)) as ResourceRecord;
        const [action] = api.inputs.actions as { forward: { targetGroups: { arn: string }[] } }[];
        expect(bound).toContain(action.forward.targetGroups[0].arn);
        expect(api.dependencies).toContain(resource(run, BINDING, "iam-edge-bindings-iam-apiserver").urn);
    });

    it("opens the load balancer's egress to each legacy backend only, on the legacy port", () => {
        const run = runs.legacy;
        const rules = ofType(run, EGRESS).filter((r) => r.name.startsWith("iam-edge-legacy"));
        expect(rules.map((r) => r.inputs.cidrIpv4).sort()).toEqual(["10.0.1.10/32", "10.0.1.11/32"]);
        expect(rules.every((r) => r.inputs.securityGroupId === "iam-access-loadbalancer-id" && r.inputs.fromPort === 80 && r.inputs.toPort === 80)).toBe(true);
        expect(ofType(runs.staging, EGRESS).filter((r) => r.name.startsWith("iam-edge"))).toEqual([]);
    });
});

describe("stack outputs", () => {
    it.each(STACKS)("%s exports the load balancer's DNS name and zone, each service's URL and the certificate", (stack) => {
        const { outputs, config } = runs[stack];
        expect(outputs.loadBalancerDnsName.value).toMatch(/\.elb\.amazonaws\.com$/);
        expect(outputs.loadBalancerZoneId.value).toBe(MOCK_ALB_ZONE_ID);
        expect(outputs.serviceUrls.value).toEqual(Object.fromEntries(config.services.filter((s) => s.public).map((s) => [s.name, `https://${s.public?.fqdn}`])));
        expect(outputs.certificateArn.value).toMatch(/^arn:aws:acm:/);
    });

    it("a fresh stack's preview builds the whole edge with the certificate still unknown", () => {
        const run = runs.preview;
        expect(ofType(run, RULE)).toHaveLength(2);
        expect(ofType(run, BINDING)).toHaveLength(2);
        expect(run.outputs.certificateArn.known).toBe(false);
        expect(listener(run, 443).inputs.certificateArn).toBe(UNKNOWN);
    });
});

describe("parallel with the cluster", () => {
    /** Cluster resources: EKS types, the cluster-area components, and everything inside them. */
    function clusterUrns(run: StackRun): Set<string> {
        const isCluster = (type: string): boolean => /^(eks:|aws:eks\/|iam:cluster:)/.test(type);
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const inCluster = (r: ResourceRecord | undefined): boolean => r !== undefined && (isCluster(r.type) || inCluster(r.parent ? byUrn.get(r.parent) : undefined));
        return new Set(run.resources.filter((r) => inCluster(r)).map((r) => r.urn));
    }
    const isBindingOrRule = (r: ResourceRecord): boolean => r.type === BINDING || r.type === RULE || r.type === "iam:edge:TargetGroupBindings";

    it.each(STACKS)("%s: the load balancer, listeners, target groups, certificate validation and DNS records wait for nothing of the cluster", (stack) => {
        const run = runs[stack];
        const cluster = clusterUrns(run);
        expect(cluster.size).toBeGreaterThan(0);
        const edge = run.resources.filter((r) => r.urn.includes("iam:edge:Edge") && r.custom && !isBindingOrRule(r));
        expect(edge.map((r) => r.type)).toEqual(expect.arrayContaining([ALB, LISTENER, VALIDATION, RECORD, TARGET_GROUP, CERT]));
        for (const r of edge) {
            const waitsFor = [...transitiveDependencies(run, r.urn)].filter((urn) => cluster.has(urn));
            expect({ resource: r.name, waitsFor }).toEqual({ resource: r.name, waitsFor: [] });
        }
    });

    it.each(STACKS)("%s: no auto-scaling-group attachment: nothing of the edge takes a node group", (stack) => {
        const run = runs[stack];
        expect(ofType(run, ASG_ATTACHMENT)).toEqual([]);
        expect(ofType(run, TARGET_GROUP).every((g) => g.inputs.targetType === "ip")).toBe(true);
    });

    it.each(STACKS)("%s: each binding waits for the controller; its host rule waits for it; the public Service waits for the rule", (stack) => {
        const run = runs[stack];
        const controller = ofType(run, LB_CONTROLLER).find((r) => r.inputs.name === "aws-load-balancer-controller") as ResourceRecord;
        expect(controller).toBeDefined();
        const bindings = ofType(run, BINDING);
        expect(bindings).toHaveLength(run.config.services.filter((s) => s.public).length);
        for (const service of run.config.services.filter((s) => s.public)) {
            const binding = resource(run, BINDING, `iam-edge-bindings-${service.name}`);
            expect(binding.dependencies).toContain(controller.urn);
            const rule = ofType(run, RULE).find((r) => hostsOf(r).includes(service.public?.fqdn ?? "")) as ResourceRecord;
            expect(rule.dependencies).toContain(binding.urn);
            // On the move from instance targets the NodePort goes only once the rule has left the old group.
            const publicService = resource(run, K8S_SERVICE, `iam-workload-${service.name}-public`);
            expect(publicService.dependencies).toContain(rule.urn);
            expect(transitiveDependencies(run, binding.urn).has(publicService.urn)).toBe(false);
        }
    });
});

describe.each(STACKS)("%s TargetGroupBindings", (stack) => {
    it("binds each public service's target group, by ARN, to its public ClusterIP Service on the public port", () => {
        const run = runs[stack];
        for (const service of run.config.services.filter((s) => s.public)) {
            const binding = resource(run, BINDING, `iam-edge-bindings-${service.name}`);
            const group = ofType(run, TARGET_GROUP).find((g) => (g.inputs.tags as Record<string, string>)["iam/service"] === service.name) as ResourceRecord;
            const port = service.ports.find((p) => p.name === service.public?.port)?.port;
            expect(binding.inputs).toMatchObject({
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: {
                    name: `${group.name}-a1b2c3d`,
                    namespace: run.config.workloads.namespace,
                    annotations: { "pulumi.com/waitFor": "jsonpath={.status.observedGeneration}" },
                },
                spec: {
                    targetGroupARN: arnOf(group),
                    targetType: "ip",
                    ipAddressType: "ipv4",
                    vpcID: "iam-network-vpc-id",
                    serviceRef: { name: `${service.name}-public`, port },
                },
            });
            // The access matrix owns the security-group rules: the controller is given none to manage.
            expect(binding.inputs.spec).not.toHaveProperty("networking");
            expect(binding.provider).toMatch(/kubernetes/);
        }
    });
});

describe("edge config validation", () => {
    const edge = (v: Values): Values => v.edge as Values;
    const services = (v: Values): Values[] => v.services as Values[];

    it.each<[string, (v: Values) => void, RegExp]>([
        [
            "a migrating host outside the domain",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 10, hosts: ["iam.api.example.org"] };
            },
            /^edge\.legacy\.hosts\[0\] \(iam\.api\.example\.org\) is outside the domain example\.com/,
        ],
        [
            "a migrating host the catalog does not route",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 10, hosts: ["iam.pump.example.com"] };
            },
            /^edge\.legacy\.hosts\[0\] \(iam\.pump\.example\.com\) is not a public host of the service catalog/,
        ],
        [
            "a hosted zone outside the domain",
            (v) => {
                edge(v).hostedZone = "example.org";
            },
            /^edge\.hostedZone \(example\.org\) must be the domain example\.com or a parent of it/,
        ],
        [
            "a hosted zone below the domain",
            (v) => {
                edge(v).hostedZone = "api.example.com";
            },
            /^edge\.hostedZone \(api\.example\.com\) must be the domain/,
        ],
        [
            "a duplicate public host",
            (v) => {
                (services(v)[1].public as Values).host = "iam.api";
            },
            /^services\[1\]\.public\.host duplicates host "iam\.api\.example\.com"/,
        ],
        [
            "a duplicate migrating host",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 10, hosts: ["iam.api.example.com", "iam.api.example.com"] };
            },
            /^edge\.legacy\.hosts\[1\] duplicates host "iam\.api\.example\.com"/,
        ],
        [
            "a legacy weight above 100",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 101 };
            },
            /^edge\.legacy\.weightPercent \(101\) must be <= 100/,
        ],
        [
            "a negative legacy weight",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: -5 };
            },
            /^edge\.legacy\.weightPercent \(-5\) must be >= 0/,
        ],
        [
            "a legacy weight that is not a whole number",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 12.5 };
            },
            /^edge\.legacy\.weightPercent must be a whole number/,
        ],
        [
            "a public legacy backend",
            (v) => {
                edge(v).legacy = { backends: ["8.8.8.8"], weightPercent: 10 };
            },
            /^edge\.legacy\.backends\[0\] \(8\.8\.8\.8\) is publicly routable/,
        ],
        [
            "a legacy backend with no route",
            (v) => {
                edge(v).legacy = { backends: ["192.168.1.1"], weightPercent: 10 };
            },
            /^edge\.legacy\.backends\[0\] \(192\.168\.1\.1\) is neither in the VPC \(10\.20\.0\.0\/16\) nor in network\.peerCidrs/,
        ],
        [
            "a duplicate legacy backend",
            (v) => {
                edge(v).legacy = { backends: ["10.0.1.10", "10.0.1.10"], weightPercent: 10 };
            },
            /^edge\.legacy\.backends\[1\] duplicates backend "10\.0\.1\.10"/,
        ],
        [
            "a TLS policy without TLS 1.3",
            (v) => {
                edge(v).tlsPolicy = "ELBSecurityPolicy-2016-08";
            },
            /^edge\.tlsPolicy must be a TLS 1\.3 policy/,
        ],
        [
            "a health-check timeout not below the interval",
            (v) => {
                edge(v).healthCheck = { intervalSeconds: 5, timeoutSeconds: 5 };
            },
            /^edge\.healthCheck\.timeoutSeconds \(5\) must be less than intervalSeconds \(5\)/,
        ],
        [
            "a matcher that accepts 5xx",
            (v) => {
                edge(v).healthCheck = { matcher: "200-599" };
            },
            /^edge\.healthCheck\.matcher \(200-599\) must use codes 200-499/,
        ],
        [
            "a deregistration delay above an hour",
            (v) => {
                edge(v).deregistrationDelaySeconds = 4000;
            },
            /^edge\.deregistrationDelaySeconds \(4000\) must be <= 3600/,
        ],
        [
            "a health check on another port than the target's",
            (v) => {
                (services(v)[0].health as Values).port = "grpc";
            },
            /^services\[0\]\.health\.port \(grpc\) must be the public port \(http\)/,
        ],
        [
            "a NodePort, which is gone",
            (v) => {
                (services(v)[0].public as Values).nodePort = 30080;
            },
            /^services\[0\]\.public\.nodePort is no longer used: the load balancer reaches the pods directly \(IP targets registered by the AWS Load Balancer Controller, docs\/edge\.md\); delete the key/,
        ],
        [
            "a certificate subject over ACM's 64 characters",
            (v) => {
                for (const s of services(v)) {
                    if (s.public) {
                        (s.public as Values).host = `${"a".repeat(50)}.${String((s.public as Values).host)}`;
                    }
                }
            },
            /^services\[0\]\.public\.host makes a{50}\.iam\.api\.example\.com \(70 characters\), the shortest public host and so the certificate's subject, longer than ACM's 64-character limit/,
        ],
        [
            "a typo in an edge key",
            (v) => {
                edge(v).idleTimeout = 30;
            },
            /^edge\.idleTimeout is not a known key/,
        ],
    ])("rejects %s, naming the field", (_what, edit, message) => {
        // The cases name hosts of the example domain: pinned here, so they hold whatever domain the stack file has.
        const inExampleDomain = (v: Values): void => {
            v.domain = "example.com";
            edit(v);
        };
        expect(configProblems("prod", inExampleDomain)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("accepts a migration at either end of the weight range, and a parent zone", () => {
        expect(
            configProblems("staging", (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 0 };
                edge(v).hostedZone = String(v.domain).split(".").slice(1).join("."); // staging.<domain> lives in <domain>
            }),
        ).toEqual([]);
        expect(
            configProblems("staging", (v) => {
                edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 100 };
            }),
        ).toEqual([]);
    });

    it("creates nothing when an edge field is bad", async () => {
        await expect(
            runStack("staging", {
                edit: (v) => {
                    edge(v).legacy = { backends: ["10.0.1.10"], weightPercent: 150 };
                },
            }),
        ).rejects.toThrow(/edge\.legacy\.weightPercent \(150\) must be <= 100/);
        expect(registeredWithMonitor()).toBe(0);
    });
});

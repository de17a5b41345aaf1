/**
 * Loopback fakes for verify's tests: the IAM API (iam-apiserver and
 * iam-authz-server behind one TLS listener, routed by Host like the ALB,
 * plus the plain-HTTP listener's redirect), a Kubernetes API, and the
 * context that points verify at them. The certificates are test fixtures
 * (test/fixtures/verify/, signed by a test CA made with openssl, valid to 2046).
 * Request and answer shapes follow marmotedu/iam v1.6.3 (see verify/iamApi.ts).
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeDBInstancesCommand as DocDbDescribeDBInstancesCommand, DocDBClient } from "@aws-sdk/client-docdb";
import { DescribeSecurityGroupRulesCommand, EC2Client, SecurityGroupRule } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand as RdsDescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import * as jwt from "jsonwebtoken";
import type { SecureVersion } from "tls";
import type { AwsClients, VerifyContext } from "./context";
import { httpsKubeReader } from "./kubeReader";
import type { VerifyOutputs } from "./outputs";

const FIXTURES = path.join(__dirname, "..", "test", "fixtures", "verify");
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), "utf8");
export const TEST_CA = fixture("ca.pem");
export const API_HOST = "iam.api.verify.test";
export const AUTHZ_HOST = "iam.authz.verify.test";
export const LB_DNS = "iam-staging-alb-123.eu-west-1.elb.amazonaws.com";
export const ADMIN = { username: "admin", password: "generated-Admin-pass-1" };

export interface IamFakeOptions {
    /** `hosts` names both hosts; `wronghost` names other.verify.test only. */
    certificate?: "hosts" | "wronghost";
    minVersion?: SecureVersion;
    maxVersion?: SecureVersion;
    healthStatus?: Partial<Record<string, number>>;
    /** What the plain-HTTP listener answers (default 301 to https). */
    httpStatus?: number;
    /** The authz-server allows every request, whatever the policies. */
    authzAllowsAll?: boolean;
    /** Answers 401 (secret not yet synced) to this many authz requests first. */
    authzUnsyncedFor?: number;
    policyCreateStatus?: number;
    secretDeleteStatus?: number;
}

interface Secret {
    name: string;
    secretID: string;
    secretKey: string;
}
interface Policy {
    name: string;
    subjects: string[];
    actions: string[];
    resources: string[];
    effect: string;
}

export interface IamFake {
    httpsPort: number;
    httpPort: number;
    secrets: Map<string, Secret>;
    policies: Map<string, Policy>;
    requests: string[];
    options: IamFakeOptions;
    close: () => Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
}

/** The IAM API as the ALB serves it: routed by Host, errors as `{code, message}` (pkg/core WriteResponse). */
export async function startIamFake(options: IamFakeOptions = {}): Promise<IamFake> {
    const secrets = new Map<string, Secret>();
    const policies = new Map<string, Policy>();
    const requests: string[] = [];
    const tokens = new Set<string>();
    let authzCalls = 0;
    const cert = options.certificate ?? "hosts";
    const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
        const host = String(req.headers.host ?? "").replace(/:\d+$/, "");
        const url = req.url ?? "/";
        const body = await readBody(req);
        requests.push(`${req.method} ${host}${url}`);
        if (url === "/healthz") return send(res, options.healthStatus?.[host] ?? 200, { status: "ok" });
        const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
        if (host === API_HOST) {
            if (req.method === "POST" && url === "/login") {
                const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
                const [user, pass] = Buffer.from(basic ?? "", "base64")
                    .toString("utf8")
                    .split(":");
                if (user !== ADMIN.username || pass !== ADMIN.password) return send(res, 401, { code: 100206, message: "Password was incorrect." });
                const token = `admin-token-${tokens.size + 1}`;
                tokens.add(token);
                return send(res, 200, { token, expire: "2026-12-04T00:00:00Z" });
            }
            if (!bearer || !tokens.has(bearer)) return send(res, 401, { code: 100205, message: "Token invalid." });
            const [, , kind, name] = url.split("/");
            if (req.method === "POST" && url === "/v1/secrets") {
                const r = JSON.parse(body) as { metadata: { name: string } };
                const secret = { name: r.metadata.name, secretID: `id-${r.metadata.name}`, secretKey: `key-${r.metadata.name}-0123456789` };
                secrets.set(secret.name, secret);
                return send(res, 200, { metadata: { name: secret.name }, username: "admin", secretID: secret.secretID, secretKey: secret.secretKey, expires: 0 });
            }
            if (req.method === "POST" && url === "/v1/policies") {
                if (options.policyCreateStatus) return send(res, options.policyCreateStatus, { code: 100101, message: "Database error." });
                const r = JSON.parse(body) as { metadata: { name: string }; policy: Omit<Policy, "name"> };
                policies.set(r.metadata.name, { name: r.metadata.name, ...r.policy });
                return send(res, 200, r);
            }
            if (req.method === "DELETE" && kind === "secrets") {
                if (options.secretDeleteStatus) return send(res, options.secretDeleteStatus, { code: 100101, message: "Database error." });
                secrets.delete(name);
                return send(res, 200, null);
            }
            if (req.method === "DELETE" && kind === "policies") {
                policies.delete(name);
                return send(res, 200, null);
            }
        }
        if (host === AUTHZ_HOST && req.method === "POST" && url === "/v1/authz") {
            authzCalls += 1;
            const header = bearer ? (jwt.decode(bearer, { complete: true })?.header as { kid?: string } | undefined) : undefined;
            const secret = [...secrets.values()].find((s) => s.secretID === header?.kid);
            if (!secret || authzCalls <= (options.authzUnsyncedFor ?? 0)) return send(res, 401, { code: 100202, message: "Signature is invalid." });
            try {
                jwt.verify(bearer as string, secret.secretKey, { algorithms: ["HS256"], audience: "iam.authz.marmotedu.com" });
            } catch {
                return send(res, 401, { code: 100202, message: "Signature is invalid." });
            }
            const r = JSON.parse(body) as { subject: string; action: string; resource: string };
            const allowed =
                options.authzAllowsAll === true ||
                [...policies.values()].some((p) => p.effect === "allow" && p.subjects.includes(r.subject) && p.actions.includes(r.action) && p.resources.includes(r.resource));
            return send(res, 200, allowed ? { allowed: true } : { denied: true, reason: "Request was denied by default" });
        }
        send(res, 404, { code: 100005, message: "Page not found." });
    };
    const tlsServer = https.createServer(
        {
            cert: fixture(`${cert}.pem`),
            key: fixture(`${cert}.key`),
            minVersion: options.minVersion ?? "TLSv1.2",
            maxVersion: options.maxVersion ?? "TLSv1.3",
            // A listener that still speaks TLS 1.0/1.1 (the API's default policy ELBSecurityPolicy-2016-08 does).
            ...(options.minVersion === "TLSv1" || options.minVersion === "TLSv1.1" ? { ciphers: "DEFAULT:@SECLEVEL=0" } : {}),
        },
        (req, res) => void handler(req, res),
    );
    const plain = http.createServer((req, res) => {
        const host = String(req.headers.host ?? "").replace(/:\d+$/, "");
        const status = options.httpStatus ?? 301;
        res.writeHead(status, status === 301 ? { location: `https://${host}:443${req.url ?? "/"}` } : {});
        res.end();
    });
    await Promise.all([tlsServer, plain].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
    return {
        httpsPort: (tlsServer.address() as AddressInfo).port,
        httpPort: (plain.address() as AddressInfo).port,
        secrets,
        policies,
        requests,
        options,
        close: async () => {
            await Promise.all([tlsServer, plain].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
        },
    };
}

export interface KubeFake {
    server: string;
    /** Objects by list path (`/apis/apps/v1/deployments`); a path not here answers 404. */
    lists: Map<string, unknown[]>;
    close: () => Promise<void>;
}

export const KUBE_TOKEN = "k8s-aws-v1.test-token";

/** A Kubernetes API on loopback that answers list GETs from `lists`, for a bearer token only. */
export async function startKubeFake(lists: Record<string, unknown[]>): Promise<KubeFake> {
    const state = new Map(Object.entries(lists));
    const server = https.createServer({ cert: fixture("kube.pem"), key: fixture("kube.key") }, (req, res) => {
        if (req.headers.authorization !== `Bearer ${KUBE_TOKEN}`) return send(res, 401, { kind: "Status", code: 401 });
        const items = state.get((req.url ?? "").split("?")[0]);
        return items ? send(res, 200, { kind: "List", items }) : send(res, 404, { kind: "Status", code: 404 });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        lists: state,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** A context pointing verify at the fakes: every public host and the load balancer resolve to 127.0.0.1. */
export function loopbackContext(outputs: VerifyOutputs, iam: IamFake, kube: KubeFake, aws: AwsClients, now = new Date("2026-12-03T00:00:00Z")): VerifyContext {
    return {
        outputs,
        aws,
        kube: httpsKubeReader(kube.server, async (o) => {
            o.ca = fixture("ca.pem");
            o.headers = { ...o.headers, authorization: `Bearer ${KUBE_TOKEN}` };
        }),
        now: () => now,
        sleep: async () => undefined,
        resolve4: async (host) => {
            if ([API_HOST, AUTHZ_HOST, LB_DNS].includes(host)) return ["127.0.0.1"];
            throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: "ENOTFOUND" });
        },
        dial: (_host, scheme) => ({ address: "127.0.0.1", port: scheme === "https" ? iam.httpsPort : iam.httpPort }),
        ca: [TEST_CA],
        authzSync: { timeoutMs: 5_000, intervalMs: 1_000 },
    };
}

/** The objects of a healthy cluster, by list path: what the holding case serves. */
export function healthyCluster(ns: string): Record<string, unknown[]> {
    const meta = (name: string, namespace = ns) => ({ name, namespace, generation: 2 });
    const ready = (type: string) => ({ conditions: [{ type, status: "True" }] });
    return {
        "/apis/apps/v1/deployments": ["iam-apiserver", "iam-authz-server"].map((name) => ({
            metadata: meta(name),
            spec: { replicas: 2 },
            status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
        })),
        "/api/v1/pods": [
            { metadata: meta("iam-apiserver-abc"), status: { containerStatuses: [{ name: "iam-apiserver", restartCount: 1, state: { running: {} } }] } },
            { metadata: meta("iam-authz-server-def"), status: { containerStatuses: [{ name: "iam-authz-server", restartCount: 0, state: { running: {} } }] } },
        ],
        [`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`]: [
            {
                metadata: meta("iam-apiserver"),
                status: { currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 12 } } }], ...ready("ScalingActive") },
            },
        ],
        "/apis/karpenter.sh/v1/nodepools": [{ metadata: { name: "general" }, status: ready("Ready") }],
        [`/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets`]: [{ metadata: meta("mariadb-credentials"), status: ready("Ready") }],
        [`/apis/batch/v1/namespaces/${ns}/jobs`]: [{ metadata: meta("iam-schema"), status: ready("Complete") }],
    };
}

/** The rules AWS holds when nothing drifted: the declared ones, with ids, as DescribeSecurityGroupRules answers (`-1` ports for all protocols). */
export function heldRules(outputs: VerifyOutputs): SecurityGroupRule[] {
    const ids: Record<string, string> = { ...outputs.securityGroupIds, controlPlane: outputs.verify.clusterSecurityGroupId };
    return outputs.verify.securityGroupRules.map((r, i) => ({
        SecurityGroupRuleId: `sgr-${i}`,
        GroupId: ids[r.group],
        IsEgress: r.direction === "egress",
        IpProtocol: r.protocol,
        FromPort: r.protocol === "-1" ? -1 : r.fromPort,
        ToPort: r.protocol === "-1" ? -1 : r.toPort,
        ...("securityGroup" in r.peer
            ? { ReferencedGroupInfo: { GroupId: ids[r.peer.securityGroup] } }
            : r.peer.cidr.includes(":")
              ? { CidrIpv6: r.peer.cidr }
              : { CidrIpv4: r.peer.cidr }),
        Description: r.source,
    }));
}

/** AWS as it answers for a stack that holds: every client mocked (aws-sdk-client-mock), each answer replaceable per test. */
export function mockAws(outputs: VerifyOutputs) {
    const mocks = {
        elbv2: mockClient(ElasticLoadBalancingV2Client),
        route53: mockClient(Route53Client),
        secrets: mockClient(SecretsManagerClient),
        ec2: mockClient(EC2Client),
        cloudwatch: mockClient(CloudWatchClient),
        rds: mockClient(RDSClient),
        docdb: mockClient(DocDBClient),
    };
    const reset = (): void => {
        Object.values(mocks).forEach((m) => m.reset());
        mocks.route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [{ Id: "/hostedzone/Z0TEST", Name: `${outputs.verify.hostedZone}.`, CallerReference: "x" }] });
        mocks.route53.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName: string }) => ({
            ResourceRecordSets: [
                { Name: `${input.StartRecordName}.`, Type: "A", AliasTarget: { DNSName: `dualstack.${LB_DNS}.`, HostedZoneId: "Z32O12XQLNTSW2", EvaluateTargetHealth: true } },
            ],
        }));
        mocks.elbv2.on(DescribeTargetHealthCommand).resolves({
            TargetHealthDescriptions: [
                { Target: { Id: "10.0.1.10", Port: 8080 }, TargetHealth: { State: "healthy" } },
                { Target: { Id: "10.0.2.11", Port: 8080 }, TargetHealth: { State: "healthy" } },
            ],
        });
        mocks.secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(ADMIN) });
        mocks.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: heldRules(outputs) });
        mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: Object.values(outputs.verify.alarmNames).map((AlarmName) => ({ AlarmName, StateValue: "OK" })) });
        mocks.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
        mocks.rds.on(RdsDescribeDBInstancesCommand).resolves({ DBInstances: [{ PubliclyAccessible: false }] });
        mocks.docdb.on(DocDbDescribeDBInstancesCommand).resolves({ DBInstances: [{ PubliclyAccessible: false }] });
    };
    reset();
    const region = { region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    const clients: AwsClients = {
        elbv2: new ElasticLoadBalancingV2Client(region),
        route53: new Route53Client(region),
        secrets: new SecretsManagerClient(region),
        ec2: new EC2Client(region),
        cloudwatch: new CloudWatchClient(region),
        rds: new RDSClient(region),
        docdb: new DocDBClient(region),
    };
    return { mocks, clients, reset };
}

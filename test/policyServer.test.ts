/**
 * The policy pack as the Pulumi CLI runs it: started by @pulumi/pulumi's own
 * policy-pack runner (`cmd/run-policy-pack`, what the CLI's
 * `pulumi-analyzer-policy` plugin executes) in policy/, type-checked by
 * ts-node with policy/tsconfig.json, then asked over the analyzer gRPC
 * protocol, as `pulumi preview --policy-pack policy` asks it, about single
 * resources and about the whole prod stack.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ResourceRecord, REPO_ROOT, runStack } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: new (address: string, credentials: unknown) => AnalyzerClient };
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb") as AnalyzerMessages;
const structPb = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: Record<string, unknown>): unknown } };
/* eslint-enable @typescript-eslint/no-require-imports */

interface Diagnostic {
    getPolicyname(): string;
    getMessage(): string;
    getUrn(): string;
    getEnforcementlevel(): number;
}
interface AnalyzeResponse {
    getDiagnosticsList(): Diagnostic[];
}
type Callback = (error: Error | null, response: AnalyzeResponse) => void;
interface AnalyzerClient {
    analyze(request: unknown, callback: Callback): void;
    analyzeStack(request: unknown, callback: Callback): void;
    close(): void;
}
interface Message {
    [setter: string]: (value: never) => unknown;
}
interface AnalyzerMessages {
    AnalyzeRequest: new () => Message;
    AnalyzeStackRequest: new () => Message & { setResourcesList(list: unknown[]): void };
    AnalyzerResource: new () => Message & { getPropertydependenciesMap(): { set(key: string, value: unknown): void } };
    AnalyzerResourceOptions: new () => Message;
    AnalyzerPropertyDependencies: new () => Message;
}

/** The policy SDK's enforcement levels on the wire. */
const MANDATORY = 1;
/** What the engine sends for a value not known yet (a string's unknown sentinel). */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function options(): Message {
    const opts = new analyzerPb.AnalyzerResourceOptions();
    opts.setProtect(false as never);
    return opts;
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): Message {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType(type as never);
    request.setName(name as never);
    request.setUrn(`urn:pulumi:prod::iam::${type}::${name}` as never);
    request.setProperties(structPb.Struct.fromJavaScript(props) as never);
    request.setOptions(options() as never);
    return request;
}

function stackRequest(records: readonly ResourceRecord[]): Message {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(
        records.map((r) => {
            const resource = new analyzerPb.AnalyzerResource();
            resource.setType(r.type as never);
            resource.setName(r.name as never);
            resource.setUrn(r.urn as never);
            resource.setProperties(structPb.Struct.fromJavaScript(r.inputs) as never);
            resource.setOptions(options() as never);
            if (r.parent) {
                resource.setParent(r.parent as never);
            }
            resource.setDependenciesList(r.dependencies as never);
            for (const [property, urns] of Object.entries(r.propertyDependencies)) {
                const dependencies = new analyzerPb.AnalyzerPropertyDependencies();
                dependencies.setUrnsList(urns as never);
                resource.getPropertydependenciesMap().set(property, dependencies);
            }
            return resource;
        }),
    );
    return request;
}

function call(method: "analyze" | "analyzeStack", request: Message): Promise<{ policy: string; message: string; urn: string; mandatory: boolean }[]> {
    return new Promise((resolve, reject) => {
        client[method](request, (error, response) => {
            if (error) {
                reject(error);
                return;
            }
            resolve(
                response.getDiagnosticsList().map((d) => ({
                    policy: d.getPolicyname(),
                    message: d.getMessage(),
                    urn: d.getUrn(),
                    mandatory: d.getEnforcementlevel() === MANDATORY,
                })),
            );
        });
    });
}

let pack: ChildProcess;
let client: AnalyzerClient;

beforeAll(async () => {
    // The engine address is unused until the pack logs; "." is the pack directory.
    pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], {
        cwd: path.join(REPO_ROOT, "policy"),
        stdio: ["ignore", "pipe", "pipe"],
    });
    const port = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        pack.stderr?.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        pack.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
        pack.once("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)));
    });
    expect(port).toMatch(/^\d+$/);
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60000);

afterAll(() => {
    client?.close();
    pack?.kill();
});

describe("the policy pack served over the analyzer protocol", () => {
    it("reports a mutable, unscanned ECR repository as mandatory violations", async () => {
        const diagnostics = await call("analyze", analyzeRequest("aws:ecr/repository:Repository", "repo", { imageTagMutability: "MUTABLE" }));
        expect(diagnostics.map((d) => [d.policy, d.mandatory])).toEqual([
            ["ecr-scan-on-push-immutable-tags", true],
            ["ecr-scan-on-push-immutable-tags", true],
        ]);
    });

    it("judges a world-open SSH rule even while its security group id is unknown", async () => {
        const diagnostics = await call(
            "analyze",
            analyzeRequest("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", {
                securityGroupId: UNKNOWN_STRING,
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv4: "0.0.0.0/0",
            }),
        );
        expect(diagnostics).toEqual([expect.objectContaining({ policy: "no-world-ingress-except-web", mandatory: true })]);
    });

    it("passes a private EKS cluster whose KMS key ARN is still unknown (a fresh stack's preview)", async () => {
        const diagnostics = await call(
            "analyze",
            analyzeRequest("eks:index:Cluster", "eks", {
                endpointPublicAccess: false,
                encryptionConfigKeyArn: UNKNOWN_STRING,
            }),
        );
        expect(diagnostics).toEqual([]);
    });

    it("finds nothing on the whole prod stack, and every scaled Deployment without an HPA once the HPAs are gone", async () => {
        const run = await runStack("prod");
        expect(await call("analyzeStack", stackRequest(run.resources))).toEqual([]);
        const withoutHpas = run.resources.filter((r) => r.type !== "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        const diagnostics = await call("analyzeStack", stackRequest(withoutHpas));
        // Those with a fixed spec.replicas (iam-watcher) need none.
        const services = run.resources.filter(
            (r) =>
                r.type === "kubernetes:apps/v1:Deployment" &&
                (r.inputs.metadata as { namespace?: string }).namespace === run.config.workloads.namespace &&
                (r.inputs.spec as { replicas?: number }).replicas === undefined,
        );
        expect(diagnostics.map((d) => [d.policy, d.urn, d.mandatory]).sort()).toEqual(services.map((s) => ["deployment-has-hpa-and-pdb", s.urn, true]).sort());
    });
});

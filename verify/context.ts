/**
 * What every check is given: the stack's outputs and the means to reach
 * the live stack. The CLI (scripts/verify.ts) builds the real ones; tests
 * build loopback ones (a resolver answering 127.0.0.1, a test CA, a fake
 * Kubernetes API) and mock the AWS clients with aws-sdk-client-mock.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { DocDBClient } from "@aws-sdk/client-docdb";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { Route53Client } from "@aws-sdk/client-route-53";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { VerifyOutputs } from "./outputs";

/** One line of the report: what was checked and what was seen. */
export interface CheckResult {
    /** `<group>.<what>`, e.g. `tls.certificate`. */
    check: string;
    /** The host, resource or object the line is about. */
    subject: string;
    ok: boolean;
    /** What was seen, in words: the reason when it fails. */
    detail: string;
}

export interface AwsClients {
    elbv2: ElasticLoadBalancingV2Client;
    route53: Route53Client;
    secrets: SecretsManagerClient;
    ec2: EC2Client;
    cloudwatch: CloudWatchClient;
    rds: RDSClient;
    docdb: DocDBClient;
}

/** Reads the Kubernetes API: GET of a path (`/apis/apps/v1/deployments`), the parsed JSON, or `undefined` on 404. */
export interface KubeReader {
    get<T>(path: string): Promise<T | undefined>;
}

export interface VerifyContext {
    outputs: VerifyOutputs;
    aws: AwsClients;
    kube: KubeReader;
    /** "Now", for certificate expiry and restart recency (lib/clock.ts in the CLI). */
    now: () => Date;
    sleep: (ms: number) => Promise<void>;
    /** IPv4 addresses of a name (node:dns in the CLI). */
    resolve4: (host: string) => Promise<string[]>;
    /** Where to connect for a public host (its own name and port 443/80 in the CLI, a loopback port in tests); the name still goes in SNI and Host. */
    dial: (host: string, scheme: "http" | "https") => { address: string; port: number };
    /** Trust roots for the public hosts: undefined means Node's bundled public roots (tests pass their CA). */
    ca?: string[];
    /** Bounds of the IAM end-to-end check's polling while the authz-server syncs. */
    authzSync?: { timeoutMs: number; intervalMs: number };
}

export function pass(check: string, subject: string, detail: string): CheckResult {
    return { check, subject, ok: true, detail };
}

export function fail(check: string, subject: string, detail: string): CheckResult {
    return { check, subject, ok: false, detail };
}

export function errorText(error: unknown): string {
    if (error instanceof Error) {
        const code = (error as { code?: unknown }).code;
        return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
    }
    return String(error);
}

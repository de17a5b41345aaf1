/**
 * The application's pieces as they meet on the real stack files: the config
 * files and mounts (app/configFile.ts, workloads/appFiles.ts), the internal
 * TLS (app/internalTls.ts) and the schema Job were built apart; these tests
 * hold their joints together. A Deployment that mounts a Secret nothing
 * creates never starts; an authz-server that dials a name its certificate
 * does not carry never connects.
 */
import { ofType, resource, ResourceRecord, runStack, StackRun, transitiveDependencies } from "../test/harness";
import { JWT_KEY_LENGTHS } from "./jwtSigningKey";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SECRET = "kubernetes:core/v1:Secret";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const CSR = "tls:index/certRequest:CertRequest";

interface PodSpec {
    volumes: { name: string; projected?: { sources: { secret?: { name: string } }[] }; secret?: { secretName: string } }[];
}
const metadata = (r: ResourceRecord) => r.inputs.metadata as { name: string; namespace?: string; annotations?: Record<string, string> };
const podSpec = (d: ResourceRecord) => (d.inputs.spec as { template: { spec: PodSpec } }).template.spec;

/** Every Secret name the stack makes in the app namespace: Secrets it writes, and the targets of its ExternalSecrets. */
function secretsMade(run: StackRun): Map<string, ResourceRecord> {
    const made = new Map<string, ResourceRecord>();
    for (const s of ofType(run, SECRET)) made.set(metadata(s).name, s);
    for (const es of run.resources.filter((r) => r.type.endsWith(":ExternalSecret") || r.type === EXTERNAL_SECRET)) {
        const target = (es.inputs.spec as { target?: { name?: string } } | undefined)?.target?.name ?? metadata(es).name;
        made.set(target, es);
    }
    return made;
}

describe.each(["prod", "staging"])("%s: the application's pieces fit together", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStack(stack);
    });

    it("mounts only Secrets the stack makes, and each Deployment waits for the ones it mounts", () => {
        const made = secretsMade(run);
        for (const deployment of ofType(run, DEPLOYMENT).filter((d) => d.name.startsWith("iam-workload-"))) {
            const mounted = podSpec(deployment).volumes.flatMap((v) => [
                ...(v.projected?.sources.flatMap((s) => (s.secret ? [s.secret.name] : [])) ?? []),
                ...(v.secret ? [v.secret.secretName] : []),
            ]);
            expect(mounted.length).toBeGreaterThan(0);
            const waits = transitiveDependencies(run, deployment.urn);
            for (const name of mounted) {
                const maker = made.get(name);
                expect([metadata(deployment).name, name, maker ? "made" : "made by nothing"]).toEqual([metadata(deployment).name, name, "made"]);
                expect([name, waits.has((maker as ResourceRecord).urn)]).toEqual([name, true]);
            }
        }
    });

    it("restarts a TLS server's pods when its certificate Secret changes (Reloader), as it does for its config file", () => {
        for (const name of ["iam-apiserver", "iam-authz-server"]) {
            const deployment = ofType(run, DEPLOYMENT).find((d) => metadata(d).name === name) as ResourceRecord;
            const reload = (metadata(deployment).annotations?.["secret.reloader.stakater.com/reload"] ?? "").split(",");
            expect(reload).toEqual(expect.arrayContaining([`${name}-tls`, `${name}-config`]));
        }
    });

    it("generates a JWT key of a length iam-apiserver accepts (it exits at start on any other)", () => {
        const key = resource(run, "random:index/randomPassword:RandomPassword", "iam-jwt-key-value");
        const length = Number(key.inputs.length);
        expect(length).toBeGreaterThanOrEqual(JWT_KEY_LENGTHS.min);
        expect(length).toBeLessThanOrEqual(JWT_KEY_LENGTHS.max);
    });

    it("dials the apiserver's gRPC by a name its certificate carries (the authz-server verifies the host)", () => {
        const config = resource(run, EXTERNAL_SECRET, "iam-app-config-iam-authz-server");
        const template = JSON.stringify(config.inputs.spec);
        const rpcserver = /rpcserver: ([^\\\s"]+)/.exec(template)?.[1];
        expect(rpcserver).toMatch(/^iam-apiserver\.[a-z0-9-]+\.svc:8081$/);
        const host = (rpcserver as string).split(":")[0];
        const csr = resource(run, CSR, "iam-internal-tls-iam-apiserver-csr");
        expect(csr.inputs.dnsNames as string[]).toContain(host);
    });
});

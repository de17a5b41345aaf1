/**
 * A thin reader of the Kubernetes API over HTTPS: GET a path, parse the
 * JSON, `undefined` on 404 (a CRD that is not installed). How a request is
 * authenticated is given: the CLI passes `@kubernetes/client-node`'s
 * `KubeConfig.applyToHTTPSOptions` (CA, client certificate, and the EKS
 * token its exec plugin gets from `aws eks get-token`); tests pass a CA and
 * a bearer token for the loopback fake.
 */
import * as https from "https";
import type { KubeReader } from "./context";

const TIMEOUT_MS = 15_000;

export function httpsKubeReader(server: string, authenticate: (options: https.RequestOptions) => Promise<void>): KubeReader {
    return {
        async get<T>(apiPath: string): Promise<T | undefined> {
            const url = new URL(apiPath, server);
            const options: https.RequestOptions = { method: "GET", headers: { accept: "application/json" } };
            await authenticate(options);
            return new Promise<T | undefined>((resolve, reject) => {
                const req = https.request(url, { ...options, timeout: TIMEOUT_MS }, (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const body = Buffer.concat(chunks).toString("utf8");
                        if (res.statusCode === 404) resolve(undefined);
                        else if (res.statusCode !== 200) reject(new Error(`GET ${apiPath} answered ${res.statusCode}: ${body.slice(0, 200)}`));
                        else resolve(JSON.parse(body) as T);
                    });
                    res.on("error", reject);
                });
                req.on("timeout", () => req.destroy(new Error(`GET ${apiPath}: no answer within ${TIMEOUT_MS / 1000}s`)));
                req.on("error", reject);
                req.end();
            });
        },
    };
}

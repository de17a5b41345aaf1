/**
 * Plain HTTP(S) and TLS probes of a public host, through the context's
 * `dial` (the host's own address in real use, a loopback port in tests):
 * the host name always goes in SNI and the Host header. Node's own http,
 * https and tls modules; no client library.
 */
import * as http from "http";
import * as https from "https";
import * as tls from "tls";
import type { VerifyContext } from "./context";

const TIMEOUT_MS = 10_000;

export interface HttpAnswer {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export interface HttpRequest {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
}

/** One request; rejects on a network or TLS error (the certificate must verify against `ctx.ca`). */
export function request(ctx: Pick<VerifyContext, "dial" | "ca">, req: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(req.url);
    const scheme = url.protocol === "https:" ? "https" : "http";
    const target = ctx.dial(url.hostname, scheme);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { host: url.host, accept: "application/json", ...req.headers };
    if (body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = String(Buffer.byteLength(body));
    }
    const options: https.RequestOptions = {
        host: target.address,
        port: target.port,
        method: req.method ?? "GET",
        path: `${url.pathname}${url.search}`,
        headers,
        timeout: TIMEOUT_MS,
        ...(scheme === "https" ? { servername: url.hostname, ca: ctx.ca, agent: false } : { agent: false }),
    };
    return new Promise((resolve, reject) => {
        const client = scheme === "https" ? https.request(options) : http.request(options);
        client.on("response", (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        client.on("timeout", () => client.destroy(new Error(`no answer from ${req.url} within ${TIMEOUT_MS / 1000}s`)));
        client.on("error", reject);
        client.end(body);
    });
}

/** The JSON of an answer, or undefined when it is not JSON. */
export function json<T>(answer: HttpAnswer): T | undefined {
    try {
        return JSON.parse(answer.body) as T;
    } catch {
        return undefined;
    }
}

export interface TlsProbe {
    /** Whether the chain verified against the trust roots, and why not. */
    authorized: boolean;
    authorizationError?: string;
    certificate: tls.PeerCertificate;
    protocol: string | null;
}

/**
 * One TLS handshake with a host, pinned to `versions` when given. Never
 * rejects on an untrusted chain (that is reported, not thrown); rejects when
 * the handshake itself fails (e.g. the server refuses the version).
 */
export function probeTls(ctx: Pick<VerifyContext, "dial" | "ca">, host: string, versions?: { min: tls.SecureVersion; max: tls.SecureVersion }): Promise<TlsProbe> {
    const target = ctx.dial(host, "https");
    return new Promise((resolve, reject) => {
        const socket = tls.connect({
            host: target.address,
            port: target.port,
            servername: host,
            ca: ctx.ca,
            rejectUnauthorized: false,
            minVersion: versions?.min,
            maxVersion: versions?.max,
            // OpenSSL 3 will not even offer TLS 1.0/1.1 at its default security level: lowered only to ask for them.
            ...(versions && (versions.max === "TLSv1" || versions.max === "TLSv1.1") ? { ciphers: "DEFAULT:@SECLEVEL=0" } : {}),
            timeout: TIMEOUT_MS,
        });
        socket.once("secureConnect", () => {
            const result: TlsProbe = {
                authorized: socket.authorized,
                authorizationError: socket.authorizationError === null ? undefined : String(socket.authorizationError),
                certificate: socket.getPeerCertificate(true),
                protocol: socket.getProtocol(),
            };
            socket.end();
            resolve(result);
        });
        socket.once("timeout", () => socket.destroy(new Error(`no TLS handshake with ${host} within ${TIMEOUT_MS / 1000}s`)));
        socket.once("error", reject);
    });
}

/**
 * TLS of each public host: the certificate chains to a trusted root (Node's
 * bundled public roots), names the host, is not within the configured days
 * of its expiry (`verify.certificateExpiryDays`, against the injectable
 * clock); the listener accepts exactly the TLS versions its policy allows;
 * plain HTTP answers 301 to HTTPS.
 */
import * as tls from "tls";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";
import { probeTls, request } from "./http";
import type { TlsVersion } from "./verifyPlan";

const DAY_MS = 24 * 60 * 60 * 1000;
const TRIED_VERSIONS: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

async function certificate(ctx: VerifyContext, host: string): Promise<CheckResult> {
    const probe = await probeTls(ctx, host);
    const cert = probe.certificate;
    const problems: string[] = [];
    // Node folds a name mismatch into the chain's verdict: reported once, below.
    if (!probe.authorized && probe.authorizationError !== "ERR_TLS_CERT_ALTNAME_INVALID") {
        problems.push(`does not chain to a trusted root (${probe.authorizationError ?? "unknown"})`);
    }
    const identity = tls.checkServerIdentity(host, cert);
    if (identity) {
        problems.push(`does not name the host (${identity.message})`);
    }
    const daysLeft = Math.floor((new Date(cert.valid_to).getTime() - ctx.now().getTime()) / DAY_MS);
    const limit = ctx.outputs.verify.certificateExpiryDays;
    if (daysLeft < limit) {
        problems.push(daysLeft < 0 ? `expired ${-daysLeft} days ago (${cert.valid_to})` : `expires in ${daysLeft} days (${cert.valid_to}), within ${limit}`);
    }
    const seen = `subject ${cert.subject?.CN ?? "?"}, issuer ${cert.issuer?.CN ?? cert.issuer?.O ?? "?"}, ${daysLeft} days left`;
    return problems.length === 0 ? pass("tls.certificate", host, `${seen}: trusted, names the host`) : fail("tls.certificate", host, `${problems.join("; ")} [${seen}]`);
}

async function versions(ctx: VerifyContext, host: string): Promise<CheckResult> {
    const allowed = ctx.outputs.verify.tlsVersions;
    const accepted: TlsVersion[] = [];
    for (const version of TRIED_VERSIONS) {
        const ok = await probeTls(ctx, host, { min: version, max: version }).then(
            () => true,
            () => false,
        );
        if (ok) accepted.push(version);
    }
    const wrong = TRIED_VERSIONS.filter((v) => accepted.includes(v) !== allowed.includes(v));
    const seen = `accepts ${accepted.join(", ") || "none"}; ${ctx.outputs.verify.tlsPolicy} allows ${allowed.join(", ")}`;
    return wrong.length === 0
        ? pass("tls.versions", host, seen)
        : fail("tls.versions", host, `${wrong.map((v) => `${v} ${accepted.includes(v) ? "accepted" : "refused"}`).join(", ")}: ${seen}`);
}

async function redirect(ctx: VerifyContext, host: string, path: string): Promise<CheckResult> {
    const answer = await request(ctx, { url: `http://${host}${path}` });
    const location = String(answer.headers.location ?? "");
    let target: URL | undefined;
    try {
        target = new URL(location);
    } catch {
        target = undefined;
    }
    const ok = answer.status === 301 && target?.protocol === "https:" && target.hostname === host;
    const seen = `http://${host}${path} answered ${answer.status}${location ? ` to ${location}` : ""}`;
    return ok ? pass("tls.redirect", host, seen) : fail("tls.redirect", host, `${seen}; expected 301 to https://${host}${path}`);
}

export async function tlsChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const { host, healthPath } of ctx.outputs.verify.hosts) {
        for (const [check, run] of [
            ["tls.certificate", () => certificate(ctx, host)],
            ["tls.versions", () => versions(ctx, host)],
            ["tls.redirect", () => redirect(ctx, host, healthPath)],
        ] as const) {
            results.push(await run().catch((error: unknown) => fail(check, host, errorText(error))));
        }
    }
    return results;
}

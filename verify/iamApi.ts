/**
 * The IAM system end to end, through its public hosts, as a client uses it
 * (marmotedu/iam v1.6.3):
 *
 * 1. `POST /login` on iam-apiserver with HTTP basic auth as the admin
 *    (internal/apiserver/auth.go: `parseWithHeader`, `loginResponse` answers
 *    `{"token","expire"}`); the password is the generated one in Secrets Manager.
 * 2. `POST /v1/secrets` `{"metadata":{"name"},"expires":0,"description"}`
 *    answers the secret with `secretID` and `secretKey`
 *    (controller/v1/secret/create.go; at most 10 secrets per user, so a
 *    left-behind secret is not harmless).
 * 3. `POST /v1/policies` `{"metadata":{"name"},"policy":{ladon policy}}`
 *    allowing one subject one action on one resource.
 * 4. A token signed HS256 with the secret's key, header `kid` = secretID,
 *    `aud` = `iam.authz.marmotedu.com` (internal/iamctl/cmd/jwt/jwt_sign.go,
 *    internal/pkg/middleware/auth/cache.go).
 * 5. `POST /v1/authz` on iam-authz-server with a ladon request
 *    `{"subject","action","resource"}`: `{"allowed":true}` for the allowed
 *    resource, `{"denied":true,...}` for another (authorization/authorizer.go).
 *    The authz-server learns new secrets and policies through Redis, so the
 *    first answers may be 401 or a deny: polled within a bound.
 * 6. `DELETE /v1/policies/<name>` and `DELETE /v1/secrets/<name>`, in a
 *    `finally`: also when a step before failed.
 */
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { randomBytes } from "crypto";
import * as jwt from "jsonwebtoken";
import { CheckResult, errorText, fail, pass, VerifyContext } from "./context";
import { HttpAnswer, json, request } from "./http";

/** The audience iam-authz-server tokens carry (pkg/auth AuthzAudience, v1.6.3). */
export const AUTHZ_AUDIENCE = "iam.authz.marmotedu.com";
const DEFAULT_SYNC = { timeoutMs: 60_000, intervalMs: 2_000 };

interface AuthzAnswer {
    allowed?: boolean;
    denied?: boolean;
    reason?: string;
}

/** The admin's name and password from the secret: JSON `{"username","password"}` or the bare password (user `admin`). */
export function adminCredentials(secretString: string): { username: string; password: string } {
    try {
        const value = JSON.parse(secretString) as { username?: unknown; password?: unknown };
        if (typeof value === "object" && value !== null && typeof value.password === "string") {
            return { username: typeof value.username === "string" ? value.username : "admin", password: value.password };
        }
    } catch {
        // not JSON: the bare password
    }
    return { username: "admin", password: secretString };
}

function describe(answer: HttpAnswer): string {
    return `${answer.status} ${answer.body.slice(0, 160)}`;
}

/** Throws with the step's name and what the API answered unless it is 2xx. */
function expectOk(step: string, answer: HttpAnswer): void {
    if (answer.status < 200 || answer.status > 299) {
        throw new Error(`${step} answered ${describe(answer)}`);
    }
}

export async function iamApiChecks(ctx: VerifyContext): Promise<CheckResult[]> {
    const { apiserverUrl, authzUrl } = ctx.outputs.verify.iam;
    const arn = ctx.outputs.adminPasswordSecretArn;
    if (!apiserverUrl || !authzUrl || !arn) {
        const missing = [!apiserverUrl && "iam-apiserver's public URL", !authzUrl && "iam-authz-server's public URL", !arn && "the output adminPasswordSecretArn"].filter(Boolean);
        return [fail("iam.login", "iam-apiserver", `cannot drive the API end to end: the stack has no ${missing.join(", ")}`)];
    }
    const results: CheckResult[] = [];
    const id = randomBytes(4).toString("hex");
    const name = `verify-${id}`;
    const subject = `users:verify-${id}`;
    const allowedResource = `resources:verify:${id}:allowed`;
    const deniedResource = `resources:verify:${id}:denied`;
    const created: { kind: "secrets" | "policies"; name: string }[] = [];
    let token = "";
    let step = "iam.login";
    try {
        const secret = await ctx.aws.secrets.send(new GetSecretValueCommand({ SecretId: arn }));
        const admin = adminCredentials(secret.SecretString ?? "");
        const login = await request(ctx, {
            url: `${apiserverUrl}/login`,
            method: "POST",
            headers: { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}` },
        });
        expectOk(`POST /login as ${admin.username}`, login);
        token = json<{ token?: string }>(login)?.token ?? "";
        if (!token) throw new Error(`POST /login answered no token: ${describe(login)}`);
        results.push(pass("iam.login", "iam-apiserver", `POST ${apiserverUrl}/login as ${admin.username}: token`));
        const auth = { authorization: `Bearer ${token}` };

        step = "iam.create";
        const secretAnswer = await request(ctx, {
            url: `${apiserverUrl}/v1/secrets`,
            method: "POST",
            headers: auth,
            body: { metadata: { name }, expires: 0, description: "npm run verify: deleted when verify ends" },
        });
        expectOk(`POST /v1/secrets ${name}`, secretAnswer);
        created.push({ kind: "secrets", name });
        const keys = json<{ secretID?: string; secretKey?: string }>(secretAnswer);
        if (!keys?.secretID || !keys.secretKey) throw new Error(`POST /v1/secrets answered no secretID/secretKey: ${describe(secretAnswer)}`);
        const policyAnswer = await request(ctx, {
            url: `${apiserverUrl}/v1/policies`,
            method: "POST",
            headers: auth,
            body: {
                metadata: { name },
                policy: { description: "npm run verify: one allowed resource", subjects: [subject], actions: ["get"], effect: "allow", resources: [allowedResource] },
            },
        });
        expectOk(`POST /v1/policies ${name}`, policyAnswer);
        created.push({ kind: "policies", name });
        results.push(pass("iam.create", "iam-apiserver", `secret ${name} (${keys.secretID}) and policy ${name} allowing ${subject} get ${allowedResource}`));

        step = "iam.authz.allow";
        const signed = jwt.sign({ iss: "iam-verify" }, keys.secretKey, { algorithm: "HS256", keyid: keys.secretID, audience: AUTHZ_AUDIENCE, expiresIn: "10m" });
        const ask = (resource: string): Promise<HttpAnswer> =>
            request(ctx, { url: `${authzUrl}/v1/authz`, method: "POST", headers: { authorization: `Bearer ${signed}` }, body: { subject, action: "get", resource } });
        const sync = ctx.authzSync ?? DEFAULT_SYNC;
        const maxAttempts = Math.max(1, Math.ceil(sync.timeoutMs / sync.intervalMs));
        let last: HttpAnswer | undefined;
        let attempts = 0;
        for (;;) {
            attempts += 1;
            last = await ask(allowedResource);
            if (last.status === 200 && json<AuthzAnswer>(last)?.allowed === true) break;
            if (attempts >= maxAttempts) {
                throw new Error(`iam-authz-server never allowed ${allowedResource} within ${sync.timeoutMs / 1000}s (${attempts} tries; last answer ${describe(last)})`);
            }
            await ctx.sleep(sync.intervalMs);
        }
        results.push(pass("iam.authz.allow", "iam-authz-server", `allowed ${subject} get ${allowedResource} after ${attempts} tries`));

        step = "iam.authz.deny";
        const denied = await ask(deniedResource);
        const answer = json<AuthzAnswer>(denied);
        if (denied.status !== 200 || answer === undefined) {
            throw new Error(`asking for ${deniedResource} answered ${describe(denied)}`);
        }
        results.push(
            answer.allowed === true
                ? fail("iam.authz.deny", "iam-authz-server", `allowed ${subject} get ${deniedResource}, which policy ${name} does not allow`)
                : pass("iam.authz.deny", "iam-authz-server", `denied ${deniedResource}${answer.reason ? ` (${answer.reason})` : ""}`),
        );
    } catch (error) {
        results.push(fail(step, step.startsWith("iam.authz") ? "iam-authz-server" : "iam-apiserver", errorText(error)));
    } finally {
        results.push(await cleanUp(ctx, apiserverUrl, token, created));
    }
    return results;
}

/** Deletes what the run created, newest first; reports anything left behind by name. */
async function cleanUp(ctx: VerifyContext, apiserverUrl: string, token: string, created: { kind: "secrets" | "policies"; name: string }[]): Promise<CheckResult> {
    if (created.length === 0) {
        return pass("iam.cleanup", "iam-apiserver", "nothing was created");
    }
    const left: string[] = [];
    for (const item of [...created].reverse()) {
        const what = `${item.kind === "secrets" ? "secret" : "policy"} ${item.name}`;
        try {
            const answer = await request(ctx, { url: `${apiserverUrl}/v1/${item.kind}/${item.name}`, method: "DELETE", headers: { authorization: `Bearer ${token}` } });
            if (answer.status < 200 || answer.status > 299) left.push(`${what} (DELETE answered ${describe(answer)})`);
        } catch (error) {
            left.push(`${what} (${errorText(error)})`);
        }
    }
    const names = created.map((c) => `${c.kind === "secrets" ? "secret" : "policy"} ${c.name}`).join(", ");
    return left.length === 0
        ? pass("iam.cleanup", "iam-apiserver", `deleted ${names}`)
        : fail("iam.cleanup", "iam-apiserver", `left behind: ${left.join("; ")}; delete by hand with DELETE /v1/<secrets|policies>/<name>`);
}

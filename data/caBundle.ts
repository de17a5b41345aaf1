/**
 * The RDS CA bundle (RDS and DocumentDB server certificates), fetched at
 * deploy time and checked before it reaches the cluster. Pure but for the
 * fetch and the file read; `rdsCaBundleProblems` is unit-tested offline.
 *
 * Why fetched at deploy time, not committed and not fetched by the pods:
 * - committed: the file cannot be taken from AWS here (no internet), and a
 *   copy from elsewhere is not provably AWS's; a committed file also goes
 *   stale silently when AWS adds a CA;
 * - an init container fetching from the truststore in every pod: every pod
 *   start would depend on an internet host, and the pods' NetworkPolicies
 *   would have to allow 443 to the whole internet (a NetworkPolicy cannot
 *   name a host), which is exactly the egress this stack refuses;
 * - at deploy time: the runner that runs `pulumi up` already reaches AWS; the
 *   bundle is checked (PEM, CA certificates, Amazon RDS subjects, one of them
 *   for the stack's region, not all expired) and lands in a ConfigMap, so a
 *   changed bundle is a visible diff in `pulumi preview`. A runner without
 *   internet sets `IAM_RDS_CA_BUNDLE_FILE` to a copy it downloaded itself.
 */
import { X509Certificate } from "crypto";
import { readFileSync } from "fs";
import { RDS_CA_BUNDLE } from "./catalog";

/** Environment variable naming a local copy of the bundle (air-gapped runners, offline tests). */
export const CA_BUNDLE_FILE_ENV = "IAM_RDS_CA_BUNDLE_FILE";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificate blocks of a bundle (text around them, e.g. comments, is ignored). */
export function pemBlocks(bundle: string): string[] {
    return bundle.match(PEM_BLOCK) ?? [];
}

/** What is wrong with a bundle for `region` at `now`; [] when it can be handed to the pods. */
export function rdsCaBundleProblems(bundle: string, region: string, now: Date): string[] {
    const blocks = pemBlocks(bundle);
    if (blocks.length === 0) {
        return ["holds no PEM certificate"];
    }
    const problems: string[] = [];
    const certificates: X509Certificate[] = [];
    blocks.forEach((block, i) => {
        try {
            certificates.push(new X509Certificate(block));
        } catch (error) {
            problems.push(`certificate ${i + 1} does not parse: ${(error as Error).message}`);
        }
    });
    const commonName = (c: X509Certificate): string => /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? "";
    for (const certificate of certificates) {
        const cn = commonName(certificate);
        if (!certificate.ca) {
            problems.push(`${cn || certificate.subject} is not a CA certificate`);
        }
        if (!cn.startsWith(RDS_CA_BUNDLE.subjectPrefix)) {
            problems.push(`${cn || certificate.subject} is not an ${RDS_CA_BUNDLE.subjectPrefix} CA`);
        }
    }
    if (certificates.length > 0 && !certificates.some((c) => commonName(c).includes(` ${region} `))) {
        problems.push(`has no CA for region ${region}`);
    }
    if (certificates.length > 0 && !certificates.some((c) => new Date(c.validFrom) <= now && now <= new Date(c.validTo))) {
        problems.push(`has no certificate valid on ${now.toISOString().slice(0, 10)}`);
    }
    return problems;
}

/**
 * The bundle for `region`: read from `IAM_RDS_CA_BUNDLE_FILE` when set, else
 * fetched from `RDS_CA_BUNDLE.url`. Rejects (and so fails the preview or
 * update before anything reaches the cluster) when it cannot be had or fails
 * `rdsCaBundleProblems`.
 */
export async function loadRdsCaBundle(region: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<string> {
    const file = env[CA_BUNDLE_FILE_ENV];
    const source = file ? `${CA_BUNDLE_FILE_ENV}=${file}` : RDS_CA_BUNDLE.url;
    let bundle: string;
    if (file) {
        bundle = readFileSync(file, "utf8");
    } else {
        const response = await fetch(RDS_CA_BUNDLE.url);
        if (!response.ok) {
            throw new Error(
                `the RDS CA bundle could not be fetched from ${RDS_CA_BUNDLE.url} (HTTP ${response.status}); on a runner without internet, download it and set ${CA_BUNDLE_FILE_ENV} (docs/data.md)`,
            );
        }
        bundle = await response.text();
    }
    const problems = rdsCaBundleProblems(bundle, region, now);
    if (problems.length > 0) {
        throw new Error(`the RDS CA bundle from ${source} is not usable: ${problems.join("; ")}`);
    }
    // Only the certificates: comments around them never reach the pods.
    return `${pemBlocks(bundle).join("\n")}\n`;
}

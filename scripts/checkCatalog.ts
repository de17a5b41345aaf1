/**
 * `npx ts-node --transpile-only scripts/checkCatalog.ts [--report <file>]`:
 * compares the version catalog (cluster/catalog.ts, data/catalog.ts) with AWS
 * and the chart repositories, now (IAM_NOW or the real time, lib/clock.ts).
 * The comparison is scripts/catalogFreshness.ts (pure, tested); this file
 * only fetches:
 *
 *   aws eks describe-cluster-versions
 *   aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>
 *       for every pinned version still in standard support and every pinned add-on
 *   GET <chart repository>/index.yaml for every pinned chart (Load Balancer
 *       Controller, metrics-server, cluster-autoscaler, credential sync)
 *   GET https://public.ecr.aws/v2/karpenter/{karpenter,karpenter-crd}/tags/list
 *       (Karpenter's OCI charts; anonymous registry token)
 *   GET https://registry.k8s.io/v2/kubectl/tags/list (KUBECTL_IMAGES)
 *   aws ssm get-parameter --name /aws/service/eks/optimized-ami/<v>/amazon-linux-2023/x86_64/standard/recommended/release_version
 *       for every stack's version (NODE_IMAGE_ALIASES.al2023)
 *   the `iam:cluster.version` of every Pulumi.<stack>.yaml
 *
 * Writes the report (Markdown, the issue body) to --report (default
 * catalog-report.md), prints it, and appends `findings=<n>` to
 * $GITHUB_OUTPUT when set. Exits 0 whatever it finds (the workflow opens the
 * issue), 1 when a look-up fails. Needs AWS credentials allowed
 * eks:DescribeClusterVersions, eks:DescribeAddonVersions and ssm:GetParameter
 * on the public parameters under /aws/service/eks/optimized-ami/
 * (docs/operations/catalog-freshness.md).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
    ADDON_CHARTS,
    KARPENTER_CHART_REPOSITORY,
    KARPENTER_CHARTS,
    KUBECTL_IMAGES,
    KUBERNETES_VERSIONS,
    LOAD_BALANCER_CONTROLLER_CHART,
    NODE_IMAGE_ALIASES,
    supportStatus,
    unpinnedAddons,
} from "../cluster/catalog";
import { CREDENTIAL_SYNC_CHARTS } from "../data/catalog";
import { clockNow } from "../lib/clock";
import { CliIo, helpRequested, runCli } from "./cli";
import {
    chartIndexUrl,
    checkAddonPin,
    checkChartPin,
    checkClusterVersions,
    checkKubectlImage,
    checkNodeImageAlias,
    checkOciChartPin,
    checkStackVersions,
    checkVersionCoverage,
    OciTagList,
    SsmGetParameter,
    DescribeAddonVersions,
    DescribeClusterVersions,
    Finding,
    HelmRepositoryIndex,
    checkAddonUnpinned,
    pinnedAddons,
    renderReport,
} from "./catalogFreshness";

const REPO_ROOT = path.resolve(__dirname, "..");

function aws<T>(args: string[]): T {
    return JSON.parse(execFileSync("aws", [...args, "--output", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as T;
}

/** `cluster.version` of every stack file in the repository, by stack. */
function stackVersions(): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const file of fs.readdirSync(REPO_ROOT)) {
        const stack = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
        if (!stack) {
            continue;
        }
        const doc = parseYaml(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as { config?: Record<string, { version?: unknown } | undefined> } | null;
        const version = doc?.config?.["iam:cluster"]?.version;
        if (typeof version === "string") {
            versions[stack] = version;
        }
    }
    return versions;
}

/**
 * An OCI registry's tags for a repository (the distribution API's
 * `/v2/<name>/tags/list`). Public registries answer 401 with a
 * `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge
 * first; the anonymous token from the realm opens it.
 */
async function ociTags(host: string, repository: string): Promise<OciTagList> {
    const url = `https://${host}/v2/${repository}/tags/list`;
    let response = await fetch(url);
    const challenge = response.headers.get("www-authenticate");
    if (response.status === 401 && challenge?.startsWith("Bearer ")) {
        const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        const tokenUrl = new URL(params.realm);
        for (const key of ["service", "scope"]) {
            if (params[key]) tokenUrl.searchParams.set(key, params[key]);
        }
        const tokenResponse = await fetch(tokenUrl);
        const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
        response = await fetch(url, { headers: { Authorization: `Bearer ${body.token ?? body.access_token ?? ""}` } });
    }
    if (!response.ok) {
        throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
    }
    return (await response.json()) as OciTagList;
}

async function chartIndex(repo: string): Promise<HelmRepositoryIndex> {
    const response = await fetch(chartIndexUrl(repo));
    if (!response.ok) {
        throw new Error(`GET ${chartIndexUrl(repo)}: ${response.status} ${response.statusText}`);
    }
    return parseYaml(await response.text()) as HelmRepositoryIndex;
}

export const USAGE = `usage: npx ts-node --transpile-only scripts/checkCatalog.ts [--report <file>]
Compares the version catalog (cluster/catalog.ts, data/catalog.ts) with AWS and the chart
and image registries; writes the report (Markdown) to <file> (default catalog-report.md)
and prints it. Exits 0 whatever it finds, 1 when a look-up fails.
Needs AWS credentials (docs/operations/catalog-freshness.md).
`;

/** The command: returns the exit code. */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
    if (helpRequested(args)) {
        io.out(USAGE);
        return 0;
    }
    const reportIndex = args.indexOf("--report");
    if ((reportIndex >= 0 && args[reportIndex + 1] === undefined) || args.some((a, i) => a.startsWith("-") && a !== "--report" && i !== reportIndex + 1)) {
        io.err(USAGE);
        return 2;
    }
    const reportFile = reportIndex >= 0 ? args[reportIndex + 1] : "catalog-report.md";
    const now = clockNow();
    const findings: Finding[] = [];

    findings.push(...checkStackVersions(stackVersions(), KUBERNETES_VERSIONS, now));
    findings.push(...checkClusterVersions(KUBERNETES_VERSIONS, aws<DescribeClusterVersions>(["eks", "describe-cluster-versions"])));
    for (const [version, row] of Object.entries(KUBERNETES_VERSIONS)) {
        if (!row.pins || supportStatus(version, now).problem) {
            continue;
        }
        for (const [addonName, pinned] of Object.entries(pinnedAddons(row.pins))) {
            const offered = aws<DescribeAddonVersions>(["eks", "describe-addon-versions", "--kubernetes-version", version, "--addon-name", addonName]);
            findings.push(...checkAddonPin(version, addonName, pinned, offered));
        }
        for (const addonName of unpinnedAddons(row.pins)) {
            const offered = aws<DescribeAddonVersions>(["eks", "describe-addon-versions", "--kubernetes-version", version, "--addon-name", addonName]);
            findings.push(...checkAddonUnpinned(version, addonName, offered));
        }
    }
    for (const pin of [...Object.values(ADDON_CHARTS), LOAD_BALANCER_CONTROLLER_CHART, ...Object.values(CREDENTIAL_SYNC_CHARTS)]) {
        findings.push(...checkChartPin(pin, await chartIndex(pin.repo)));
    }
    // Karpenter: the controller chart and its CRD chart, one version (oci://public.ecr.aws/karpenter).
    const registry = new URL(KARPENTER_CHART_REPOSITORY.replace(/^oci:/, "https:"));
    const [karpenterTags, crdTags] = await Promise.all(["karpenter", "karpenter-crd"].map((chart) => ociTags(registry.host, `${registry.pathname.slice(1)}/${chart}`)));
    for (const version of new Set(Object.values(KARPENTER_CHARTS).map((c) => c.version))) {
        findings.push(...checkOciChartPin({ chart: "karpenter", version, repo: KARPENTER_CHART_REPOSITORY }, karpenterTags));
        findings.push(...checkOciChartPin({ chart: "karpenter-crd", version, repo: KARPENTER_CHART_REPOSITORY }, crdTags).filter((f) => f.kind === "chart-missing"));
    }
    const pinnedVersions = Object.keys(KUBERNETES_VERSIONS).filter((v) => KUBERNETES_VERSIONS[v].pins && !supportStatus(v, now).problem);
    findings.push(...checkVersionCoverage(pinnedVersions, { KARPENTER_CHARTS, KUBECTL_IMAGES }));
    const kubectlTags = await ociTags("registry.k8s.io", "kubectl");
    for (const [version, image] of Object.entries(KUBECTL_IMAGES)) {
        if (!supportStatus(version, now).problem) {
            findings.push(...checkKubectlImage(version, image, kubectlTags));
        }
    }
    for (const version of new Set(Object.values(stackVersions()))) {
        const name = `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/x86_64/standard/recommended/release_version`;
        findings.push(...checkNodeImageAlias(version, NODE_IMAGE_ALIASES.al2023, aws<SsmGetParameter>(["ssm", "get-parameter", "--name", name])));
    }

    const report = renderReport(findings, now);
    fs.writeFileSync(reportFile, report);
    io.out(report);
    if (process.env.GITHUB_OUTPUT) {
        fs.appendFileSync(process.env.GITHUB_OUTPUT, `findings=${findings.length}\n`);
    }
    return 0;
}

if (require.main === module) {
    // A failed look-up: the message says which; the workflow fails.
    runCli(async (args, io) => {
        try {
            return await main(args, io);
        } catch (error) {
            io.err(`catalog check failed: ${error instanceof Error ? error.message : String(error)}\n`);
            return 1;
        }
    });
}

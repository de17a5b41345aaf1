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
 *   GET <chart repository>/index.yaml for every pinned chart
 *   the `iam:cluster.version` of every Pulumi.<stack>.yaml
 *
 * Writes the report (Markdown, the issue body) to --report (default
 * catalog-report.md), prints it, and appends `findings=<n>` to
 * $GITHUB_OUTPUT when set. Exits 0 whatever it finds (the workflow opens the
 * issue), 1 when a look-up fails. Needs AWS credentials allowed
 * eks:DescribeClusterVersions and eks:DescribeAddonVersions
 * (docs/operations/catalog-freshness.md).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ADDON_CHARTS, KUBERNETES_VERSIONS, LOAD_BALANCER_CONTROLLER_CHART, supportStatus } from "../cluster/catalog";
import { CREDENTIAL_SYNC_CHARTS } from "../data/catalog";
import { clockNow } from "../lib/clock";
import { CliIo, helpRequested, runCli } from "./cli";
import {
    chartIndexUrl,
    checkAddonPin,
    checkChartPin,
    checkClusterVersions,
    checkStackVersions,
    DescribeAddonVersions,
    DescribeClusterVersions,
    Finding,
    HelmRepositoryIndex,
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
    }
    for (const pin of [...Object.values(ADDON_CHARTS), LOAD_BALANCER_CONTROLLER_CHART, ...Object.values(CREDENTIAL_SYNC_CHARTS)]) {
        findings.push(...checkChartPin(pin, await chartIndex(pin.repo)));
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

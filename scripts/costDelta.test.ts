/**
 * The cost-delta CLI the pull-request workflow runs: two renders' cost.json
 * in, the comment section out.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimateCost } from "../guardrails/cost";
import type { CostRecord } from "../guardrails/costModel";

const REPO_ROOT = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-cost-delta-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
    return spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "scripts/costDelta.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
}

const nat = (zone: string): CostRecord => ({ urn: `urn:pulumi:s::iam::iam:network:Network$aws:ec2/natGateway:NatGateway::nat-${zone}`, type: "aws:ec2/natGateway:NatGateway", name: `nat-${zone}`, parent: "urn:pulumi:s::iam::iam:network:Network::net", inputs: {} });

it("prints the estimate, its change and exactly the changed lines", () => {
    const write = (name: string, zones: string[]) => {
        const file = path.join(tmp, `${name}.json`);
        fs.writeFileSync(file, JSON.stringify(estimateCost(zones.map(nat), { region: "eu-west-1" })));
        return file;
    };
    const result = cli(write("base", ["a", "b", "c"]), write("head", ["a"]), "staging");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^### Monthly cost estimate: staging\n/);
    expect(result.stdout.match(/^\| removed \|/gm)).toHaveLength(4); // two gateways' hours and data
    expect(result.stdout).not.toMatch(/nat-a/);

    const noBase = cli(path.join(tmp, "missing.json"), path.join(tmp, "head.json"), "staging");
    expect(noBase.stdout).toMatch(/no estimate on the base branch/);
    expect(cli(path.join(tmp, "base.json"), path.join(tmp, "missing.json"), "staging").status).toBe(1);
});

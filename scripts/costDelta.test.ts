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
import { main } from "./costDelta";

const REPO_ROOT = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-cost-delta-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The command in a child process, as the workflow runs it. */
function cli(...args: string[]) {
    return spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--swc", "scripts/costDelta.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
}

const nat = (zone: string): CostRecord => ({
    urn: `urn:pulumi:s::iam::iam:network:Network$aws:ec2/natGateway:NatGateway::nat-${zone}`,
    type: "aws:ec2/natGateway:NatGateway",
    name: `nat-${zone}`,
    parent: "urn:pulumi:s::iam::iam:network:Network::net",
    inputs: {},
});

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
});

/** The same command in-process (one child process above is enough to prove the command line). */
function inProcess(...args: string[]): { status: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const status = main(args, {
        out: (t) => {
            stdout += t;
        },
        err: (t) => {
            stderr += t;
        },
    });
    return { status, stdout, stderr };
}

it("says when the base branch has no estimate, and exits 1 without a head estimate or on bad usage", () => {
    fs.writeFileSync(path.join(tmp, "head.json"), JSON.stringify(estimateCost([nat("a")], { region: "eu-west-1" })));
    const noBase = inProcess(path.join(tmp, "missing.json"), path.join(tmp, "head.json"), "staging");
    expect(noBase.status).toBe(0);
    expect(noBase.stdout).toMatch(/no estimate on the base branch/);
    const noHead = inProcess(path.join(tmp, "head.json"), path.join(tmp, "missing.json"), "staging");
    expect(noHead).toMatchObject({ status: 1, stdout: "" });
    expect(noHead.stderr).toMatch(/^no estimate at .*missing\.json: run `npm run render -- staging` on the head first\n$/);
    expect(inProcess("only-one").status).toBe(2);
});

/**
 * The physical names of a registered resource (the inputs that name it in AWS
 * or Kubernetes), for `test/releasedUrns.test.ts`; and, run as a script, the
 * fixture it reads, from rendered stacks:
 *
 *   npm run render -- prod && npm run render -- staging
 *   npx ts-node --transpile-only scripts/releasedUrns.ts out > test/fixtures/released-urns.json
 */
import * as fs from "fs";
import * as path from "path";
import { CliIo, helpRequested, runCli } from "./cli";

/** Inputs that are (or fix) a resource's physical name. */
export const NAME_KEYS = [
    "name",
    "namePrefix",
    "bucket",
    "bucketPrefix",
    "identifier",
    "identifierPrefix",
    "clusterIdentifier",
    "replicationGroupId",
    "clusterName",
    "nodeGroupName",
    "repositoryName",
    "roleName",
    "alarmName",
    "topicName",
    "logGroupName",
    "secretName",
    "aliasName",
    "parameterGroupName",
    "subnetGroupName",
] as const;

function parsed(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

export function physicalNames(type: string, inputs: Record<string, unknown>): Record<string, string> {
    const names: Record<string, string> = {};
    if (type.startsWith("pulumi:providers:")) return names;
    for (const key of NAME_KEYS) {
        if (inputs[key] !== undefined) names[key] = inputs[key] as string;
    }
    const metadata = parsed(inputs.metadata) as { name?: string; namespace?: string } | undefined;
    if (metadata && typeof metadata === "object") {
        if (metadata.name) names["metadata.name"] = metadata.name;
        if (metadata.namespace) names["metadata.namespace"] = metadata.namespace;
    }
    return names;
}

export const USAGE = `usage: npx ts-node --transpile-only scripts/releasedUrns.ts [<render folder, default out>] > test/fixtures/released-urns.json
Prints every rendered environment stack's URNs and physical names (run npm run render
-- prod and -- staging first): the released-URN fixture.
`;

/** The command: prints the fixture; returns the exit code. */
export function main(args: readonly string[], io: CliIo): number {
    if (helpRequested(args)) {
        io.out(USAGE);
        return 0;
    }
    const dir = args[0] ?? "out";
    if (args.length > 1 || !fs.existsSync(dir)) {
        io.err(`${args.length > 1 ? "one folder at most" : `no folder ${dir}: run npm run render -- prod and -- staging first`}\n${USAGE}`);
        return 2;
    }
    const out: Record<string, Record<string, Record<string, string>>> = {};
    // Environment stacks only: out/registry/ holds the registry project's renders.
    for (const stack of fs
        .readdirSync(dir)
        .sort()
        .filter((d) => fs.existsSync(path.join(dir, d, "resources.json")))) {
        const records = JSON.parse(fs.readFileSync(path.join(dir, stack, "resources.json"), "utf8")) as {
            urn: string;
            type: string;
            inputs: Record<string, unknown>;
        }[];
        out[stack] = Object.fromEntries(records.map((r) => [r.urn, physicalNames(r.type, r.inputs)]));
    }
    io.out(JSON.stringify(out, null, 1) + "\n");
    return 0;
}

if (require.main === module) {
    runCli(main);
}

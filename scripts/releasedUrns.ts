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

if (require.main === module) {
    const dir = process.argv[2] ?? "out";
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
    process.stdout.write(JSON.stringify(out, null, 1) + "\n");
}

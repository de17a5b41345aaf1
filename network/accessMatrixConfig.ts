import { parseCidr } from "../lib/cidr";
import { AccessMatrixSpec, Flow, FlowPort, flowViolations, missingRequiredFlows, Peer, PEERS } from "./accessMatrixPlan";
import { Fields, readString, show } from "../lib/reader";

export const ACCESS_MATRIX_KEYS = ["adminCidrs", "flows"] as const;
const FLOW_KEYS = ["from", "to", "ports", "description"] as const;

/** What AWS accepts in a security-group rule description. */
const DESCRIPTION_PATTERN = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,200}$/;

export function readAccessMatrix(f: Fields): AccessMatrixSpec {
    const adminCidrs = f.list("adminCidrs", (item, path) => {
        const text = readString(item, path, f.issues);
        const cidr = text === "" ? undefined : parseCidr(text);
        if (typeof cidr === "string") {
            f.issues.add(path, `${cidr}, got ${show(text)}`);
        } else if (cidr && cidr.prefix < 16) {
            f.issues.add(path, `(${text}) is too wide for SSH: use /16 or narrower (never the whole internet)`);
        }
        return text;
    }, { default: [] });
    const flows = f.objectList("flows", FLOW_KEYS, (flow): Flow => {
        const from = flow.string<Peer>("from", { oneOf: PEERS });
        const to = flow.string<Peer>("to", { oneOf: PEERS });
        const ports = flow.list("ports", (item, path): FlowPort => {
            if (item === "servicePorts" || item === "all") {
                return item;
            }
            if (item === "nodePorts") {
                // Retired with the NodePorts: say what replaced it instead of "must be a port".
                f.issues.add(path, "is `nodePorts`, which is gone (IP targets, no NodePorts): write `servicePorts`, the pods' public ports the load balancer reaches");
                return "servicePorts";
            }
            if (typeof item !== "number" || !Number.isInteger(item) || item < 1 || item > 65535) {
                f.issues.add(path, `must be a port 1-65535, \`servicePorts\` or \`all\`, got ${show(item)}`);
                return 1;
            }
            return item;
        }, { minItems: 1 });
        const description = flow.string("description", {
            pattern: DESCRIPTION_PATTERN,
            expected: "1-200 characters AWS allows in a rule description (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)",
        });
        const parsed: Flow = { from, to, ports, description };
        for (const problem of flowViolations(parsed, adminCidrs)) {
            f.issues.add(flow.path, `is not allowed: ${problem}`);
        }
        return parsed;
    }, { minItems: 1 });
    for (const problem of missingRequiredFlows(flows)) {
        f.issues.add(f.at("flows"), problem);
    }
    return { adminCidrs, flows };
}

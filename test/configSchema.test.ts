/**
 * What the one schema adds to config validation, on the real stack files:
 * no stack trace for any shape of input, "did you mean" for near misses, no
 * follow-on messages about values the user never wrote, hosts never doubled,
 * instance types and classes the SDK knows, pods that fit a node (or a
 * warning where a node's size is not known), and warnings for example values
 * and for config nothing uses.
 */
import { parseStackConfig } from "../config";
import { configProblems, rawStackConfig } from "./harness";

type Values = Record<string, unknown>;
const services = (v: Values): Values[] => v.services as Values[];
const cluster = (v: Values): Values => v.cluster as Values;
const group = (v: Values): Values => (cluster(v).nodeGroups as Values[])[0];
const stores = (v: Values): Record<string, Values> => v.dataStores as Record<string, Values>;

describe("never a stack trace", () => {
    it.each<[string, (v: Values) => void, string[]]>([
        [
            "a misspelt store",
            (v) => {
                services(v)[0].stores = ["mariadb", "reddis"];
            },
            ['services[0].stores[1] must be one of mariadb, redis, mongodb, got "reddis": did you mean redis?'],
        ],
        [
            "a store in capitals",
            (v) => {
                services(v)[1].stores = ["Redis"];
            },
            ['services[1].stores[0] must be one of mariadb, redis, mongodb, got "Redis": did you mean redis?'],
        ],
    ])("reports %s as a problem, with the fix", (_what, edit, expected) => {
        expect(configProblems("prod", edit)).toEqual(expected);
    });

    it.each<[string, unknown]>([
        ["a number", 42],
        ["a string", "services"],
        ["a list of strings", ["iam-apiserver"]],
        ["a list of nulls", [null]],
        ["an empty object", {}],
    ])("reports a catalog that is %s as problems", (_what, value) => {
        const found = configProblems("staging", (v) => {
            v.services = value;
        });
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((p) => /^services/.test(p))).toBe(true);
    });

    it.each<[string, (v: Values) => void]>([
        [
            "every section replaced by a number",
            (v) => {
                for (const key of Object.keys(v)) v[key] = 7;
            },
        ],
        [
            "every section replaced by a list",
            (v) => {
                for (const key of Object.keys(v)) v[key] = [1, "a"];
            },
        ],
        [
            "a node group that is a string",
            (v) => {
                cluster(v).nodeGroups = ["general"];
            },
        ],
        [
            "a store that is true",
            (v) => {
                stores(v).mariadb = true as unknown as Values;
            },
        ],
        [
            "a workload that is a list",
            (v) => {
                services(v)[0].workload = [];
            },
        ],
    ])("turns %s into problems by path, not a TypeError", (_what, edit) => {
        const found = configProblems("prod", edit);
        expect(found.length).toBeGreaterThan(0);
        expect(found.join("\n")).not.toMatch(/TypeError|Cannot read|could not be read/);
    });
});

describe("did you mean", () => {
    it("suggests the key a typo was meant to be, after the allowed list", () => {
        expect(
            configProblems("prod", (v) => {
                group(v).minsize = 3;
            }),
        ).toEqual([expect.stringMatching(/^cluster\.nodeGroups\[0\]\.minsize is not a known key \(allowed: name, instanceTypes, .*\): did you mean minSize\?$/)]);
        expect(
            configProblems("prod", (v) => {
                v.netwrok = {};
            }),
        ).toEqual([expect.stringMatching(/^netwrok is not a known key .*: did you mean network\?$/)]);
    });

    it("suggests the enum value, and stays quiet when nothing is near", () => {
        expect(
            configProblems("staging", (v) => {
                group(v).capacityType = "SPOTT";
            }),
        ).toEqual(['cluster.nodeGroups[0].capacityType must be one of ON_DEMAND, SPOT, got "SPOTT": did you mean SPOT?']);
        expect(
            configProblems("staging", (v) => {
                group(v).capacityType = "reserved";
            }),
        ).toEqual(['cluster.nodeGroups[0].capacityType must be one of ON_DEMAND, SPOT, got "reserved"']);
    });
});

describe("one mistake, one message", () => {
    it("does not compare sizes with a size that is not a number", () => {
        expect(
            configProblems("prod", (v) => {
                group(v).maxSize = "nine";
            }),
        ).toEqual(['cluster.nodeGroups[0].maxSize must be a whole number, got "nine"']);
        expect(
            configProblems("prod", (v) => {
                (cluster(v).headroom as Values).replicas = -1;
                group(v).desiredSize = "3";
            }),
        ).toEqual(['cluster.nodeGroups[0].desiredSize must be a whole number, got "3"', "cluster.headroom.replicas (-1) must be >= 0 and <= 50"]);
    });

    it("does not check a store's engine version against an engine it could not read", () => {
        expect(
            configProblems("prod", (v) => {
                stores(v).redis.engine = "memcached";
            }),
        ).toEqual(['dataStores.redis.engine must be one of redis, valkey, got "memcached"']);
    });
});

describe("public hosts", () => {
    const fqdns = (edit: (v: Values) => void): string[] => {
        const raw = rawStackConfig("prod");
        raw.values.domain = "example.com"; // the cases below are written for it, whatever the stack file's domain
        edit(raw.values);
        return parseStackConfig(raw).services.flatMap((s) => (s.public ? [s.public.fqdn] : []));
    };

    it("takes a label under the domain or a full name under it, never doubled", () => {
        expect(fqdns(() => undefined)).toEqual(["iam.api.example.com", "iam.authz.example.com"]);
        expect(
            fqdns((v) => {
                (services(v)[0].public as Values).host = "iam.api.example.com";
            }),
        ).toEqual(["iam.api.example.com", "iam.authz.example.com"]);
    });

    it("rejects a full name of another domain, saying what to write", () => {
        expect(
            configProblems("staging", (v) => {
                v.domain = "staging.example.com";
                (services(v)[0].public as Values).host = "iam.api.example.com";
            }),
        ).toEqual([
            "services[0].public.host (iam.api.example.com) looks like a full host name but is not under the domain staging.example.com: write the label(s) in front of the domain (iam.api) or a full name ending in .staging.example.com",
        ]);
    });
});

describe("instance types and classes the AWS SDK knows", () => {
    it.each<[string, (v: Values) => void, string]>([
        [
            "a node instance type",
            (v) => {
                group(v).instanceTypes = ["m6i.larg", "m6a.large"];
            },
            'cluster.nodeGroups[0].instanceTypes[0] must be an EC2 instance type like m6i.large, got "m6i.larg": did you mean m6i.large?',
        ],
        [
            "an RDS instance class",
            (v) => {
                stores(v).mariadb.instanceClass = "db.r6g.larg";
            },
            'dataStores.mariadb.instanceClass must be an RDS instance class like db.r6g.large, got "db.r6g.larg": did you mean db.r6g.large?',
        ],
        [
            "a DocumentDB instance class",
            (v) => {
                stores(v).mongodb.instanceClass = "db.r6g.xlage";
            },
            'dataStores.mongodb.instanceClass must be a DocumentDB instance class like db.r6g.large, got "db.r6g.xlage": did you mean db.r6g.xlarge?',
        ],
        [
            "an ElastiCache node type",
            (v) => {
                stores(v).redis.nodeType = "cache.r7g.larg";
            },
            'dataStores.redis.nodeType must be an ElastiCache node type like cache.r7g.large, got "cache.r7g.larg": did you mean cache.r7g.large?',
        ],
    ])("rejects a misspelt %s, with the fix", (_what, edit, expected) => {
        expect(configProblems("prod", edit)).toEqual([expected]);
    });
});

describe("pods fit a node", () => {
    const pools = (v: Values): Values[] => (cluster(v).karpenter as Values).nodePools as Values[];

    it("rejects a request no node of the pools that can run it can hold", () => {
        expect(
            configProblems("prod", (v) => {
                (services(v)[0].workload as Values).resources = { cpu: "64", memory: "512Gi" };
            }),
        ).toEqual([
            expect.stringMatching(/^services\[0\]\.workload\.resources\.cpu \(64\) does not fit on any node that can run it: the largest, .+, has about \d+m allocatable/),
            expect.stringMatching(/^services\[0\]\.workload\.resources\.memory \(512Gi\) does not fit on any node that can run it: the largest, .+, has about \d+Mi allocatable/),
        ]);
    });

    it("accepts it once a pool may launch larger nodes", () => {
        expect(
            configProblems("prod", (v) => {
                (services(v)[0].workload as Values).resources = { cpu: "64", memory: "512Gi" };
                for (const pool of pools(v)) pool.instanceSizes = ["large", "24xlarge"];
            }),
        ).toEqual([]);
    });

    const appGroup = (instanceTypes: string[]): Values => ({ name: "big", instanceTypes, capacityType: "ON_DEMAND", minSize: 2, maxSize: 3 });
    const bigNodes = ["i4i.32xlarge", "x2idn.32xlarge", "g5.48xlarge"];

    it("knows the size of every family: a request bigger than the largest i4i, x2idn and g5 node is an error naming it", () => {
        expect(
            configProblems("prod", (v) => {
                (cluster(v).nodeGroups as Values[]).push(appGroup(bigNodes));
                (services(v)[0].workload as Values).resources = { cpu: "200", memory: "2100Gi" };
            }),
        ).toEqual([
            "services[0].workload.resources.cpu (200) does not fit on any node that can run it: the largest, g5.48xlarge, has about 191450m allocatable (cluster.nodeGroups, cluster.karpenter.nodePools)",
            "services[0].workload.resources.memory (2100Gi) does not fit on any node that can run it: the largest, x2idn.32xlarge, has about 2095587Mi allocatable (cluster.nodeGroups, cluster.karpenter.nodePools)",
        ]);
    });

    it("accepts a request those nodes can hold, without a warning", () => {
        const raw = rawStackConfig("prod");
        (raw.values.cluster as Values).nodeGroups = [...((raw.values.cluster as Values).nodeGroups as Values[]), appGroup(bigNodes)];
        (services(raw.values)[0].workload as Values).resources = { cpu: "190", memory: "2000Gi" };
        expect(parseStackConfig(raw).warnings.filter((w) => /pod-fit|fit on|unknown size/.test(w))).toEqual([]);
    });

    it("warns, naming the field, where a node's size is not known, and does not call a pod too big that such a node may hold", () => {
        const raw = rawStackConfig("prod");
        (raw.values.cluster as Values).nodeGroups = [...((raw.values.cluster as Values).nodeGroups as Values[]), appGroup(["u-6tb1.metal", "m6i.large"])];
        ((raw.values.cluster as Values).karpenter as Values).nodePools = pools(raw.values).map((p) => ({ ...p, instanceFamilies: ["m7i", "m99q"] }));
        (services(raw.values)[0].workload as Values).resources = { cpu: "64", memory: "1Gi" };
        expect(parseStackConfig(raw).warnings.filter((w) => /pod-fit|fit on|unknown size/.test(w))).toEqual([
            "cluster.nodeGroups[1].instanceTypes[0] (u-6tb1.metal): its vCPUs and memory are not in lib/ec2InstanceSizes.json, so the pod-fit check (services[].workload.resources) could not use it",
            "cluster.karpenter.nodePools[0].instanceFamilies[1] (m99q): the vCPUs and memory of its types are not in lib/ec2InstanceSizes.json, so the pod-fit check (services[].workload.resources) could not use them",
            expect.stringMatching(
                /^services\[0\]\.workload\.resources\.cpu \(64\) does not fit on any node of known size \(the largest, NodePool general \(m7i\.2xlarge\), has about \d+m allocatable\); u-6tb1\.metal; m99q \(NodePool general\), of unknown size, may be larger: check it by hand$/,
            ),
        ]);
    });

    it.each(["prod", "staging"])("has every node of the %s stack file sized: no pod-fit warning", (stack) => {
        expect(parseStackConfig(rawStackConfig(stack)).warnings.filter((w) => /pod-fit|fit on|unknown size/.test(w))).toEqual([]);
    });
});

describe("warnings", () => {
    it("names every example value left in the stack file, and the file stays valid", () => {
        // The committed file's example values, set on the stack file as it is (an operator's file has its own).
        const raw = rawStackConfig("prod");
        raw.values.domain = "example.com";
        cluster(raw.values).publicAccessCidrs = ["203.0.113.0/24"];
        cluster(raw.values).adminPrincipals = ["arn:aws:iam::123456789012:role/platform-admin"];
        const config = parseStackConfig(raw);
        expect(config.warnings).toEqual(
            expect.arrayContaining([
                "domain (example.com) is a documentation domain (RFC 2606): replace it with your own before deploying",
                "cluster.publicAccessCidrs[0] (203.0.113.0/24) is a documentation network (RFC 5737): replace it with your own before deploying",
                "cluster.adminPrincipals[0] (arn:aws:iam::123456789012:role/platform-admin) is AWS's documentation account id: replace it with your own before deploying",
            ]),
        );
    });

    it("names config that nothing uses", () => {
        const raw = rawStackConfig("staging");
        expect(parseStackConfig(raw).warnings).toContain("edge.accessLogs.retentionDays is set but nothing uses it: access logs are off (edge.accessLogs.enabled)");
        (raw.values.cluster as Values).headroom = { replicas: 0, cpu: "1" };
        expect(parseStackConfig(raw).warnings).toContain("cluster.headroom.cpu is set but nothing uses it: headroom.replicas is 0");
    });
});

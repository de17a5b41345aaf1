/**
 * The `workload:` blocks and the `workloads:` section of the real stack
 * files: defaults per environment, and every bad value rejected by its path
 * before anything is created.
 */
import { ConfigValidationError, parseStackConfig } from "../config";
import { ENVIRONMENT_DEFAULTS } from "../lib/environment";
import { WORKLOAD_DEFAULTS } from "./defaults";
import { defaultWorkloadConfig } from "./workloadSchema";
import { configProblems, rawStackConfig, registeredWithMonitor, runStack } from "../test/harness";

type Values = Record<string, unknown>;

const services = (v: Values): Values[] => v.services as Values[];
/** The `workload:` block of service `i`, created when the stack file has none. */
const workload = (v: Values, i: number): Values => {
    const service = services(v)[i];
    service.workload = service.workload ?? {};
    return service.workload as Values;
};

describe("workload defaults", () => {
    it.each(["prod", "staging"] as const)("%s: every HPA minimum is at least the environment's floor", (stack) => {
        const config = parseStackConfig(rawStackConfig(stack));
        for (const service of config.services) {
            expect(service.workload.replicas.min).toBeGreaterThanOrEqual(ENVIRONMENT_DEFAULTS[stack].minReplicas);
            expect(service.workload.replicas.min).toBeLessThanOrEqual(service.workload.replicas.max);
        }
        expect(config.workloads.namespace).toBe("iam");
    });

    it("fills what a block leaves out, by kind and environment", () => {
        const staging = parseStackConfig(rawStackConfig("staging"));
        const api = staging.services[0].workload;
        expect(api.replicas).toEqual({ min: 1, max: 3 });
        expect(api.shutdown).toEqual(WORKLOAD_DEFAULTS.http);
        expect(api.resources).toEqual({ cpu: "100m", memory: WORKLOAD_DEFAULTS.memory, memoryLimit: WORKLOAD_DEFAULTS.memory });
        expect(defaultWorkloadConfig("worker", "prod")).toMatchObject({
            replicas: { min: 2, max: WORKLOAD_DEFAULTS.maxReplicas },
            shutdown: WORKLOAD_DEFAULTS.worker,
            zoneSpread: "preferred",
        });
    });
});

describe("workload validation", () => {
    it.each<[string, (v: Values) => void, RegExp]>([
        [
            "an HPA minimum above its maximum",
            (v) => {
                workload(v, 0).replicas = { min: 5, max: 3 };
            },
            /^services\[0\]\.workload\.replicas\.min \(5\) must be <= max \(3\)/,
        ],
        [
            "one replica in prod",
            (v) => {
                workload(v, 1).replicas = { min: 1, max: 3 };
            },
            /^services\[1\]\.workload\.replicas\.min \(1\) must be >= 2 in prod/,
        ],
        [
            "a probe on an undeclared port",
            (v) => {
                (services(v)[3].health as Values).port = "metrics";
            },
            /^services\[3\]\.health\.port names port "metrics", which iam-watcher does not declare/,
        ],
        [
            "a duplicate service name",
            (v) => {
                services(v)[2].name = "iam-watcher";
            },
            /^services\[3\]\.name duplicates service name "iam-watcher"/,
        ],
        [
            "a duplicate port",
            (v) => {
                (services(v)[1].ports as Values[])[1].port = 9090;
            },
            /^services\[1\]\.ports\[1\]\.port duplicates port "9090"/,
        ],
        [
            "the image tag latest",
            (v) => {
                (services(v)[2].image as Values).tag = "latest";
            },
            /^services\[2\]\.image\.tag must not be `latest`/,
        ],
        [
            "a memory limit below the request",
            (v) => {
                workload(v, 0).resources = { memory: "1Gi", memoryLimit: "512Mi" };
            },
            /^services\[0\]\.workload\.resources\.memoryLimit \(512Mi\) must be >= memory \(1Gi\)/,
        ],
        [
            "a malformed CPU request",
            (v) => {
                workload(v, 0).resources = { cpu: "half" };
            },
            /^services\[0\]\.workload\.resources\.cpu must be a CPU quantity/,
        ],
        [
            "no surge (a rollout could never start)",
            (v) => {
                workload(v, 0).rollout = { maxSurge: 0 };
            },
            /^services\[0\]\.workload\.rollout\.maxSurge must be a pod count 1-100 or a percentage/,
        ],
        [
            "a grace period no longer than the preStop sleep",
            (v) => {
                workload(v, 0).shutdown = { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 };
            },
            /^services\[0\]\.workload\.shutdown\.terminationGracePeriodSeconds \(30\) must be > preStopSleepSeconds \(30\)/,
        ],
        [
            "an HTTP service without a preStop sleep",
            (v) => {
                workload(v, 1).shutdown = { preStopSleepSeconds: 0 };
            },
            /^services\[1\]\.workload\.shutdown\.preStopSleepSeconds \(0\) must be >= 1/,
        ],
        [
            "a credential in plain env",
            (v) => {
                workload(v, 0).env = { DB_PASSWORD: "hunter2" };
            },
            /^services\[0\]\.workload\.env\.DB_PASSWORD looks like a credential/,
        ],
        [
            "env shadowing a store connection key",
            (v) => {
                workload(v, 0).env = { MARIADB_HOST: "localhost" };
            },
            /^services\[0\]\.workload\.env\.MARIADB_HOST is set by the data tier/,
        ],
        [
            "a root user",
            (v) => {
                workload(v, 2).runAsUser = 0;
            },
            /^services\[2\]\.workload\.runAsUser \(0\) must be >= 1/,
        ],
        [
            "a malformed Pod Identity policy ARN",
            (v) => {
                workload(v, 2).podIdentity = { policyArns: ["ReadOnlyAccess"] };
            },
            /^services\[2\]\.workload\.podIdentity\.policyArns\[0\] must be an IAM policy ARN/,
        ],
        [
            "an unknown zone spread",
            (v) => {
                workload(v, 0).zoneSpread = "strict";
            },
            /^services\[0\]\.workload\.zoneSpread must be one of required, preferred/,
        ],
        [
            "a typo in a workload key",
            (v) => {
                workload(v, 0).replica = { min: 2 };
            },
            /^services\[0\]\.workload\.replica is not a known key/,
        ],
        [
            "a call to a worker, which has no Service to call",
            (v) => {
                services(v)[1].calls = [{ service: "iam-pump", port: "health" }];
            },
            /^services\[1\]\.calls\[0\]\.service names iam-pump, a worker: workers have no Service and take no calls \(only kind: http services get a cluster Service for their called ports\); remove the call or make iam-pump kind: http$/,
        ],
        [
            "the workloads in kube-system",
            (v) => {
                v.workloads = { namespace: "kube-system" };
            },
            /^workloads\.namespace must not be kube-system/,
        ],
        [
            "draining longer than a public pod lives",
            (v) => {
                (v.edge as Values).deregistrationDelaySeconds = 60;
            },
            /^edge\.deregistrationDelaySeconds \(60\) must be shorter than services\[0\]\.workload\.shutdown\.terminationGracePeriodSeconds \(60\) of iam-apiserver/,
        ],
    ])("rejects %s, naming the field", (_what, edit, message) => {
        expect(configProblems("prod", edit)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it("checks the drain timing against public services only", () => {
        // The workers' grace periods (180 s, 300 s) are longer, but no load balancer drains them.
        expect(
            configProblems("prod", (v) => {
                (v.edge as Values).deregistrationDelaySeconds = 59;
            }),
        ).toEqual([]);
        expect(
            configProblems("prod", (v) => {
                (v.edge as Values).deregistrationDelaySeconds = 100;
                workload(v, 0).shutdown = { terminationGracePeriodSeconds: 120 };
            }),
        ).toEqual([expect.stringMatching(/^edge\.deregistrationDelaySeconds \(100\) must be shorter than services\[1\]/)]);
    });

    it("creates nothing when a workload is invalid, and lists every bad field at once", async () => {
        const edit = (v: Values): void => {
            workload(v, 0).replicas = { min: 5, max: 3 };
            (services(v)[2].image as Values).tag = "latest";
        };
        const run = runStack("staging", { edit });
        await expect(run).rejects.toThrow(ConfigValidationError);
        await run.catch((error: ConfigValidationError) => {
            expect(error.problems).toEqual([expect.stringMatching(/^services\[0\]\.workload\.replicas\.min/), expect.stringMatching(/^services\[2\]\.image\.tag/)]);
        });
        expect(registeredWithMonitor()).toBe(0);
    });
});

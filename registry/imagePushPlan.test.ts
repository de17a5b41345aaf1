import { commandLine, pushCommands } from "./imagePushPlan";

const registry = { account: "123456789012", region: "eu-west-1" };
const repositories = ["iam-apiserver", "iam-authz-server", "iam-pump", "iam-watcher"];
const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

describe("npm run images -- push <tag>", () => {
    it("logs Docker in to the registry once, then tags and pushes each local <repository>:<tag>", () => {
        expect(pushCommands({ registry, repositories, tag: "v1.9.0" }).map(commandLine)).toEqual([
            `aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin ${host}`,
            ...repositories.flatMap((r) => [`docker tag ${r}:v1.9.0 ${host}/${r}:v1.9.0`, `docker push ${host}/${r}:v1.9.0`]),
        ]);
    });

    it("pushes only the named repositories (what the missing-image error prints)", () => {
        const lines = pushCommands({ registry, repositories, tag: "v1.9.0", only: ["iam-pump"] }).map(commandLine);
        expect(lines.slice(1)).toEqual([`docker tag iam-pump:v1.9.0 ${host}/iam-pump:v1.9.0`, `docker push ${host}/iam-pump:v1.9.0`]);
    });

    it("pipes the password, never puts it in an argument", () => {
        const [login] = pushCommands({ registry, repositories, tag: "v1" });
        expect(login.stdinFrom).toEqual(["aws", "ecr", "get-login-password", "--region", "eu-west-1"]);
        expect(login.argv).toContain("--password-stdin");
    });

    it("refuses latest, a digest and an unknown repository, all at once", () => {
        expect(() => pushCommands({ registry, repositories, tag: "latest", only: ["iam-nope"] })).toThrow(
            'the tag must be a release tag like v1.9.0 (not latest, not a digest), got "latest"\niam-nope is not a repository of the registry (its repositories: iam-apiserver, iam-authz-server, iam-pump, iam-watcher)',
        );
        expect(() => pushCommands({ registry, repositories, tag: `sha256:${"0".repeat(64)}` })).toThrow(/release tag/);
    });
});

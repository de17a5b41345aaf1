/**
 * `npm run images -- push <tag> [repository...]`, planned: log Docker in to
 * the registry, then tag and push each local image `<repository>:<tag>` to
 * it. Pure: it returns the commands; scripts/images.ts prints or runs them.
 */
import { RegistryRef, repositoryUrl } from "./imagePlan";
import { registryHost } from "./registryPolicy";

/** One command: argv, and optionally a command whose output is its standard input (`a | b`). */
export interface Command {
    argv: string[];
    stdinFrom?: string[];
}

/** A release tag the registry accepts: not `latest`, not a digest (tags are immutable there). */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** What to push: the registry, its repositories, the tag, and optionally only some repositories. */
export interface PushRequest {
    registry: RegistryRef;
    /** Every repository of the registry (its stack file's `repositories`). */
    repositories: readonly string[];
    tag: string;
    /** Push only these (default: all). Each must be a repository of the registry. */
    only?: readonly string[];
}

/** The commands that push `<repository>:<tag>` for each repository; throws with every problem when the request is invalid. */
export function pushCommands(request: PushRequest): Command[] {
    const problems: string[] = [];
    if (!TAG.test(request.tag) || request.tag === "latest") {
        problems.push(`the tag must be a release tag like v1.9.0 (not latest, not a digest), got ${JSON.stringify(request.tag)}`);
    }
    const selected = request.only && request.only.length > 0 ? [...request.only] : [...request.repositories];
    for (const name of selected.filter((r) => !request.repositories.includes(r))) {
        problems.push(`${name} is not a repository of the registry (its repositories: ${request.repositories.join(", ")})`);
    }
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
    const { region } = request.registry;
    const login: Command = {
        stdinFrom: ["aws", "ecr", "get-login-password", "--region", region],
        argv: ["docker", "login", "--username", "AWS", "--password-stdin", registryHost(request.registry.account, region)],
    };
    return [
        login,
        ...selected.flatMap((repository): Command[] => {
            const remote = `${repositoryUrl(request.registry, repository)}:${request.tag}`;
            return [{ argv: ["docker", "tag", `${repository}:${request.tag}`, remote] }, { argv: ["docker", "push", remote] }];
        }),
    ];
}

/** A command as a shell line, for `--dry-run` and logs. */
export function commandLine(command: Command): string {
    const line = command.argv.join(" ");
    return command.stdinFrom ? `${command.stdinFrom.join(" ")} | ${line}` : line;
}

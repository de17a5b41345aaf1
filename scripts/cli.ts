/**
 * What every command in scripts/ shares: `--help` (or `-h`) anywhere prints
 * the command's usage to stdout and exits 0 before it reads or writes
 * anything; a usage error prints it to stderr and exits 2. Each command
 * exports `USAGE` and `main(args, io)`; scripts/cli.test.ts checks them all.
 */

/** Where a command writes: the process's streams, or a test's collectors. */
export interface CliIo {
    out(text: string): void;
    err(text: string): void;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/** Whether the arguments ask for the usage. */
export function helpRequested(args: readonly string[]): boolean {
    return args.includes("--help") || args.includes("-h");
}

/** Runs a command as the process: its exit code becomes the process's; an error is printed (message only) with exit 1. */
export function runCli(main: (args: string[], io: CliIo) => number | Promise<number>): void {
    Promise.resolve()
        .then(() => main(process.argv.slice(2), PROCESS_IO))
        .then(
            (code) => process.exit(code),
            (error: unknown) => {
                process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
                process.exit(1);
            },
        );
}

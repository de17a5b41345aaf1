/**
 * `npm test`: the type check (`tsc --noEmit -p .`) and jest, side by side.
 *
 * On 2 cores the two overlap well: jest's global setup runs the program for
 * the stack files on one core for several seconds while the other would sit
 * idle. Run one after the other they took 48.7 s; side by side 41.7 s (same
 * machine, 2026-12-07).
 *
 * Jest's output streams through as it comes; the type check's is held and
 * printed after jest, so the two never interleave. The last line is the count
 * `N passed, N failed` (test/summaryReporter.js): a failed type check adds one
 * failure to it, as .ci/run counts it, and the exit code is non-zero when
 * either failed. Arguments go to jest (`npm test -- cluster/`).
 */
"use strict";
const { Buffer } = require("buffer");
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const COUNT = /^(\d+) passed, (\d+) failed$/;

function run(args, onOutput) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", (chunk) => onOutput("stdout", chunk));
        child.stderr.on("data", (chunk) => onOutput("stderr", chunk));
        child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
}

async function main() {
    const typeCheckOutput = [];
    let jestStdout = "";
    const typeCheck = run([path.join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."], (_stream, chunk) => typeCheckOutput.push(chunk));
    const jest = run(["--max-semi-space-size=64", path.join(root, "node_modules", "jest", "bin", "jest.js"), ...process.argv.slice(2)], (stream, chunk) => {
        if (stream === "stdout") jestStdout += chunk.toString();
        process[stream].write(chunk);
    });
    const [typeCheckCode, jestCode] = await Promise.all([typeCheck, jest]);
    if (typeCheckCode !== 0) {
        process.stdout.write(`\n${Buffer.concat(typeCheckOutput).toString()}`);
        process.stdout.write("type check (tsc --noEmit -p .): FAILED\n");
        const lines = jestStdout.trim().split("\n");
        const count = lines
            .map((l) => COUNT.exec(l.trim()))
            .filter(Boolean)
            .pop();
        const [passed, failed] = count ? [Number(count[1]), Number(count[2])] : [0, 0];
        process.stdout.write(`\n${passed} passed, ${failed + 1} failed\n`);
    }
    process.exitCode = typeCheckCode !== 0 || jestCode !== 0 ? 1 : 0;
}

main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});

import * as fs from "fs";

export default function globalTeardown(): void {
    const dir = process.env.IAM_HARNESS_RUNS;
    if (dir) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

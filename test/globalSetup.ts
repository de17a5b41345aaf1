/**
 * Runs the program once per stack file (normally and as a new stack's
 * preview) before the test files start; the harness hands those runs to every
 * test that asks for a stack file as it is. Loading and running the whole
 * program is most of a test file's cost, so this keeps `npm test` fast.
 */
import { shareStandardRuns } from "./harness";

export default async function globalSetup(): Promise<void> {
    await shareStandardRuns();
}

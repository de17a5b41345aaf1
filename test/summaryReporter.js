/**
 * Prints the run's count as one plain line, `N passed, N failed`, after jest's
 * own report, so CI (and a reader) get the totals without parsing jest's output.
 */
class SummaryReporter {
    onRunComplete(_contexts, results) {
        const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
        process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
    }
}
module.exports = SummaryReporter;

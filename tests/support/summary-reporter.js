const path = require('path');

// Prints where the run's time went — the slowest test files, with their own time (boot, set-up and tests) — and then
// the plain closing line CI reads: "N passed, N failed" (", N skipped" when some were).
const SLOWEST = 10;

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.files = [];
  }

  onTestResult(_test, result) {
    const seconds = (result.perfStats.end - result.perfStats.start) / 1000;
    this.files.push({
      file: path.relative(this.rootDir, result.testFilePath),
      seconds,
      tests: result.numPassingTests + result.numFailingTests,
    });
  }

  onRunComplete(_contexts, results) {
    if (this.files.length > 1) {
      const slowest = [...this.files].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST);
      const total = this.files.reduce((sum, file) => sum + file.seconds, 0);
      process.stdout.write(`\nSlowest test files (of ${this.files.length}, ${total.toFixed(0)} s in all):\n`);
      for (const file of slowest)
        process.stdout.write(`  ${file.seconds.toFixed(1).padStart(6)} s  ${file.file} (${file.tests} tests)\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;

import type { Reporter, TestModule } from 'vitest/node';

/**
 * Fails the run when no test executed. vitest exits 0 on an empty run in some setups
 * (a projects list it could not read, a filter that matched nothing), and a green
 * run that tested nothing is worse than a red one. Also prints the plain
 * `N passed, N failed` line that CI reads.
 */
export default class RequireTestsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    if (passed + failed === 0) {
      console.error('No test ran: failing the run on purpose (see scripts/require-tests-reporter.ts).');
      process.exitCode = 1;
    }
  }
}

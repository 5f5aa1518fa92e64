// @ts-check
/**
 * Mutation testing of the detectors (src/check) and the exploration
 * (src/explore): `npm run mutation`. Too slow for `npm test` or CI; run it
 * after changing either folder, and keep test/mutation/SURVIVORS.md in step.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // Not isolate/worker.ts: it runs only inside the worker thread of an isolated exploration, where the test runner's
  // per-test coverage cannot see it, so every mutant of it would count as unreached; test/engine/watchdog.test.ts
  // exercises it end to end (a worker that cannot find its scenario, one that hangs, one that answers).
  mutate: ['src/check/**/*.ts', 'src/explore/**/*.ts', '!src/explore/isolate/worker.ts'],
  // Each mutant runs only the tests that reached its code in the dry run.
  coverageAnalysis: 'perTest',
  // One runner per core.
  concurrency: 2,
  // A mutant that breaks a scheduling loop makes an execution spin until this stops it: three times
  // the tests' own time, plus 10 s for a machine that other work slows down.
  timeoutMS: 10_000,
  timeoutFactor: 3,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  // Surviving mutants and the score table; the list of tests per file would bury them.
  clearTextReporter: { reportTests: false },
  // Re-tests only the mutants whose code or covering tests changed since the last run (`--force` for a full one).
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

import { configDefaults, defineConfig } from 'vitest/config';
import { sourceAliases } from './vitest.config.ts';

/**
 * The suites `npm run mutation` runs against every mutant of src/check and
 * src/explore. A surviving mutant runs every test that reached its code, so
 * the whole run costs about (mutants × the time of these suites) / 2 cores:
 * they must take a second or two in all. So: test/mutation/ (unit tests of
 * the detectors, strategies, tokens, options, minimisation and explore()'s
 * reporting, a few executions each at most), and the engine suites that
 * check classification, replay, hostile values, rejections and bad input in
 * milliseconds; and the watchdog's suite, the one that runs isolated
 * explorations (explore/isolate), at a few seconds; the regression file's,
 * and the outcome histogram's suites, under a second each. Left out: the suites that spend seconds on thousands of
 * executions to show silence (detectors, livelock, determinism, strategies,
 * the property and fuzz suites), the browser suite (Chromium), the CLI
 * suites (a process per case), the differential check against real Node,
 * and the vitest-matcher suites (a nested vitest per case).
 */
export const MUTATION_SUITES = [
  'test/mutation/*.test.ts',
  'test/engine/badInput.test.ts',
  'test/engine/classification.test.ts',
  'test/engine/hostile.test.ts',
  'test/engine/rejections.test.ts',
  'test/engine/replay.test.ts',
  'test/engine/watchdog.test.ts',
  'test/conservation.test.ts',
  'test/regressions.test.ts',
  'test/outcomes.test.ts',
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: MUTATION_SUITES,
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    testTimeout: 60_000,
  },
});

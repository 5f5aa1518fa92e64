import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The tests run the sources, never a build that may be stale: the same mapping as tsconfig.json's `paths`. */
export const sourceAliases = [
  { find: /^interleave$/, replacement: source('./src/index.ts') },
  { find: /^interleave\/vitest$/, replacement: source('./src/vitest/index.ts') },
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture projects hold tests that are meant to fail; a test runs them in a vitest of their own.
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    // Explorations are CPU-bound; one worker per core keeps timings honest on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // Every execution of every suite is checked against Node's event-loop laws (src/check/laws/); users' runs are not.
    env: { INTERLEAVE_CHECK_LAWS: '1' },
  },
});

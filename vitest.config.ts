import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The tests run the sources, never a build that may be stale: the same mapping as tsconfig.json's `paths`.
    alias: [
      { find: /^interleave$/, replacement: source('./src/index.ts') },
      { find: /^interleave\/vitest$/, replacement: source('./src/vitest/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Explorations are CPU-bound; one worker per core keeps timings honest on 2 cores.
    pool: 'forks',
    testTimeout: 60_000,
  },
});

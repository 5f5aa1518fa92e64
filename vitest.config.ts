import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Explorations are CPU-bound; one worker per core keeps timings honest on 2 cores.
    pool: 'forks',
    testTimeout: 60_000,
  },
});

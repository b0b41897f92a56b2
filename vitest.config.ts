import { defineConfig } from 'vitest/config';

/**
 * One run for every tier. Suites that start QEMU or Chromium wait on conditions, not sleeps,
 * and two workers keep them from starving each other on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});

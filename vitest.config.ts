import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every --summary a test's CLI run writes must validate against the published schema.
    setupFiles: ['test/helpers/summary-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the CLI and a sandbox each; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});

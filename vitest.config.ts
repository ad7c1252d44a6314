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
    // The CLI speaks the locale's language: tests read the English their assertions quote on any machine
    // (a pt_BR desktop too); a test of another language sets its own.
    env: { FLUENCE_LANG: 'en' },
  },
});

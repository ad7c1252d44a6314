import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every --summary a test's CLI run writes must validate against the published schema.
    setupFiles: ['test/helpers/summary-setup.ts'],
    // A timeout catches a hang, never slowness (speed is the benchmarks' to measure): CLI tests that
    // take 5-10 s on a quiet machine took 20-34 s on a loaded 2-core one (CI's own log).
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // End-to-end tests spawn the CLI and a sandbox each; two cores, so keep the pool small.
    maxWorkers: 2,
    // The CLI speaks the locale's language: tests read the English their assertions quote on any machine
    // (a pt_BR desktop too); a test of another language sets its own.
    env: { FLUENCE_LANG: 'en' },
  },
});

import { afterAll, afterEach, expect } from 'vitest';
import { takeInvalidSummaries } from './run-summary.js';

// Every summary a CLI run of a test writes (`--summary`, a serve run's summary.json) is checked
// against the published schema when the process ends (test/helpers/cli.ts): a test that made one
// that does not validate fails here, whatever it asserted itself.
const noInvalidSummary = (): void => {
  expect(takeInvalidSummaries(), 'summaries that do not validate against schema/run-summary.schema.json').toEqual([]);
};
afterEach(noInvalidSummary);
afterAll(noInvalidSummary);

import { createLogger, type Logger } from './log.js';
import { estimateFile as estimate, type Estimate } from './engine/estimate.js';
import { normalizeEnrichOptions, type EnrichOptions } from './options/normalize.js';
import { runEnrich, type RunResult, type RunWatch } from './engine/run.js';

export { ERROR_CODES, FluenceError, type ErrorCode } from './errors.js';
export { normalizeEnrichOptions, type EnrichOptions } from './options/normalize.js';
export { PRODUCTION_URL } from './options/checks.js';
export type { EnrichConfig } from './options/config.js';
export type { ProgressSnapshot, RunResult, RunWatch } from './engine/run.js';
export type { RunResources, RunSummary, RunSummaryRedis, StopFacts, StopReason } from './engine/run-summary.js';
export type { RowStatus } from './api/outcome.js';
export type { QuotaCheck } from './engine/quota.js';
export type { Estimate } from './engine/estimate.js';
export type { Logger } from './log.js';

/** How a library caller stops and watches a run (`signal`, `onProgress`: see `RunWatch`). */
export interface RunControl extends RunWatch {
  /** pino logger for the run's logs. @default warnings and errors on stderr */
  logger?: Logger;
  /** Where FLUENCE_API_KEY and FLUENCE_BASE_URL are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Enriches one CSV file, as `fluence-enrich enrich` does (the CLI is a thin layer over this).
 * The key comes from `options.apiKey`, `options.apiKeyFile` or FLUENCE_API_KEY. Resolves with
 * the exit code the CLI would use and the summary; rejects with a `FluenceError` (stable `code`)
 * when the run cannot start.
 */
export async function enrichFile(options: EnrichOptions, control: RunControl = {}): Promise<RunResult> {
  const config = normalizeEnrichOptions({ progress: 'off', ...options }, control.env ?? process.env);
  return runEnrich(config, {
    logger: control.logger ?? createLogger('warn'),
    ...(control.signal ? { signal: control.signal } : {}),
    ...(control.onProgress ? { onProgress: control.onProgress } : {}),
  });
}

/** What `enrichFile` would spend on a file, without a CRM request (the key is optional here). */
export async function estimateFile(options: EnrichOptions, control: Pick<RunControl, 'env'> = {}): Promise<Estimate> {
  return estimate(
    normalizeEnrichOptions({ progress: 'off', ...options }, control.env ?? process.env, { estimate: true }),
  );
}

export interface Enricher {
  /** Enriches `input` with the enricher's settings, overridden by `options`. */
  enrich(input: string, options?: Partial<EnrichOptions>, control?: RunControl): Promise<RunResult>;
  estimate(input: string, options?: Partial<EnrichOptions>): Promise<Estimate>;
}

/**
 * Settings given once (key, base URL, endpoint, a shared `cache`...) for many files: e.g. a
 * nightly job over several exports that should pay only for contacts not already answered.
 */
export function createEnricher(defaults: Omit<EnrichOptions, 'input'>, control: RunControl = {}): Enricher {
  return {
    enrich: (input, options = {}, runControl = {}) =>
      enrichFile({ ...defaults, ...options, input }, { ...control, ...runControl }),
    estimate: (input, options = {}) => estimateFile({ ...defaults, ...options, input }, control),
  };
}

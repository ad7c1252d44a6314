import { createLogger, type Logger } from './log.js';
import { normalizeEnrichOptions, type EnrichOptions } from './pipeline/options.js';
import { runEnrich, type RunResult } from './pipeline/run.js';

export { FluenceError } from './errors.js';
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox/server.js';
export { DEMO_KEYS, type KeySpec } from './sandbox/keys.js';
export { normalizeEnrichOptions, PRODUCTION_URL, type EnrichOptions } from './pipeline/options.js';
export type { EnrichConfig } from './pipeline/config.js';
export type { RunResult } from './pipeline/run.js';

/**
 * Enriches one CSV file, as `fluence-enrich enrich` does. The key comes from `options.apiKey`,
 * `options.apiKeyFile` or FLUENCE_API_KEY. Resolves with the exit code the CLI would use and the
 * summary; rejects with a `FluenceError` (stable `code`) when the run cannot start.
 */
export async function enrichFile(
  options: EnrichOptions,
  control: { logger?: Logger; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  const config = normalizeEnrichOptions({ progress: 'off', ...options }, control.env ?? process.env);
  return runEnrich(config, { logger: control.logger ?? createLogger('warn'), ...(control.signal ? { signal: control.signal } : {}) });
}

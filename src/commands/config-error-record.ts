import { resolve } from 'node:path';
import { FluenceError } from '../errors.js';
import { newFacts, recordFailedRun } from '../engine/run-record.js';
import { RunStats } from '../engine/stats.js';
import { createLogger } from '../log.js';
import { PRODUCTION_URL } from '../options/checks.js';
import { enrichConfig } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';

/**
 * Errors raised while the options are normalised that still leave a run to report: its options
 * were read (so `--summary` and `--report` are known) and only the key or the address is wrong.
 * Options that cannot be read (`BAD_OPTION`, `BAD_ARGUMENTS`) leave no run: nothing is written.
 */
const RECORDED = new Set(['MISSING_KEY', 'BAD_KEY_FORMAT', 'INSECURE_BASE_URL']);

/** Stands in for the key, which is missing or malformed: never written, and never a real key's shape to leak. */
const NO_KEY = '0'.repeat(40);

/**
 * A run stopped by `RECORDED` errors writes its `--summary` and `--report` as any failed run
 * does (`recordFailedRun`): a nightly job's dashboard must not go on showing last night's
 * success. The config is made again without what failed (no key, the production address) only
 * to know the run's paths; the key given is never read again, nor written.
 */
export async function recordConfigError(
  error: unknown,
  input: string,
  args: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
  rerun: string,
): Promise<void> {
  if (!(error instanceof FluenceError) || !RECORDED.has(error.code)) return;
  let config: ReturnType<typeof enrichConfig>;
  let values: ReturnType<typeof resolveOptions>;
  try {
    const { FLUENCE_BASE_URL: _url, ...rest } = env;
    values = resolveOptions(
      'enrich',
      error.code === 'INSECURE_BASE_URL' ? { ...args, baseUrl: PRODUCTION_URL } : args,
      error.code === 'INSECURE_BASE_URL' ? rest : env,
    );
    config = enrichConfig(input, values, { env, apiKey: NO_KEY });
  } catch {
    // Another option cannot be read either: that error would have come next, and leaves no run.
    return;
  }
  if (!config.summaryPath && !config.reportPath) return;
  const logger = createLogger(
    values.quiet ? 'warn' : values.logLevel,
    values.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json'),
  );
  const facts = newFacts(input === '-' ? 'stdin' : resolve(input));
  await recordFailedRun(
    error,
    config,
    { summaryPath: config.summaryPath, reportPath: config.reportPath, rerun },
    new RunStats(),
    facts,
    logger,
  );
}

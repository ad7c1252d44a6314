import { basename, extname, join } from 'node:path';
import { TIERS } from '../api/plans.js';
import { DEFAULT_RETRY_POLICY } from '../api/retry-delay.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { chooseLang } from '../i18n/lang.js';
import { isXlsxPath } from '../input/dialect.js';
import { DEFAULT_FIELDS } from '../output/fields.js';
import { parseRedisTarget } from '../redis/url.js';
import type { EnrichConfig } from './config.js';
import { readKey } from './key.js';
import { optionsOf } from './table.js';
import { resolveOptions, type LibraryOptions, type OptionConfig, type OptionValues } from './values.js';

/** A run's options as the library takes them: the table's (camelCase), the input and the key. */
export type EnrichOptions = LibraryOptions & {
  /** CSV or .xlsx with first name, last name and company columns; `-` for standard input (CSV). */
  input: string;
  /** The key itself (library use); the CLI reads FLUENCE_API_KEY or --api-key-file instead. */
  apiKey?: string;
  /** The file has no header: `map` gives 1-based positions (default 1, 2, 3); the same as `header: false`. */
  noHeader?: boolean;
};

/** The values of `enrich`'s options: what `enrichConfig` turns into a run's config. */
export type EnrichValues = OptionValues<'enrich'>;

/**
 * Turns library options and the environment into one frozen, fully-defaulted config.
 * `estimate`: for a run that never pays (the key is optional, and standard input needs no checkpoint).
 */
export function normalizeEnrichOptions(
  options: EnrichOptions,
  env: NodeJS.ProcessEnv = process.env,
  { estimate = false } = {},
): EnrichConfig {
  const { input, apiKey, noHeader, ...given } = options;
  const header = given.header ?? (noHeader === undefined ? undefined : !noHeader);
  return enrichConfig(input, resolveOptions('enrich', { ...given, header }, env), { env, estimate, apiKey });
}

/** The fields options give as they are (their `to` in the table). */
function optionConfig(values: EnrichValues): OptionConfig {
  const byName = values as unknown as Record<string, unknown>;
  return Object.fromEntries(
    optionsOf('enrich').flatMap(([name, spec]) => (spec.to === undefined ? [] : [[spec.to, byName[name]]])),
  ) as OptionConfig;
}

/** The run's config from its options' values: the fields made by rules across options, and the checks between them. */
export function enrichConfig(
  input: string,
  values: EnrichValues,
  {
    env = process.env,
    estimate = false,
    apiKey,
  }: { env?: NodeJS.ProcessEnv; estimate?: boolean; apiKey?: string | undefined } = {},
): EnrichConfig {
  const rate = planRate(values);
  const format = outputFormat(input, values);
  const stem = input === '-' ? 'stdin' : basename(input, extname(input));
  const output = values.output ?? join('output', `${stem}.enriched.${format}`);

  const config: EnrichConfig = {
    ...optionConfig(values),
    input,
    output,
    checkpoint: values.cache ?? values.checkpoint ?? `${output}.checkpoint.sqlite`,
    sharedCache: values.cache !== undefined,
    apiKey: '',
    rate,
    fields: values.fields ?? DEFAULT_FIELDS[values.endpoint],
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: values.retries + 1 },
    maxRateWaitMs: 5 * 60_000,
    maxBodyBytes: 1024 * 1024,
    progress: values.quiet ? 'off' : (values.progress ?? (process.stderr.isTTY ? 'tty' : 'log')),
    // A workbook is already Excel's: --excel (Excel's CSV dialect) only shapes a CSV.
    excel: format === 'csv' && values.excel,
    format,
    lang: chooseLang(values.lang, env),
    redis: undefined,
  };
  if (values.redis !== undefined && values.redis.trim() !== '')
    config.redis = parseRedisTarget(values.redis, values.redisPrefix);
  else if (values.redisPrefix !== undefined)
    throw new FluenceError('BAD_OPTION', message('errors.badOption.prefixWithoutRedis'));
  for (const [stream, name] of [
    [input, 'stdin'],
    [values.output, 'stdout'],
  ] as const) {
    if (stream === '-' && !estimate && values.checkpoint === undefined && values.cache === undefined) {
      throw new FluenceError('BAD_OPTION', message('errors.badOption.streamWithoutStore', { stream: name }));
    }
  }
  if (values.cache !== undefined && values.checkpoint !== undefined)
    throw new FluenceError('BAD_OPTION', message('errors.badOption.notBoth', { a: '--cache', b: '--checkpoint' }));
  if (values.excel && config.format === 'jsonl')
    throw new FluenceError('BAD_OPTION', message('errors.badOption.notBoth', { a: '--excel', b: '--format jsonl' }));
  Object.defineProperty(config, 'apiKey', {
    value: readKey({ apiKey, apiKeyFile: values.apiKeyFile }, env, estimate),
    enumerable: false,
  });
  return Object.freeze(config);
}

/** `--tier`, or `--rate` with `--burst` (2 x rate by default); neither: learned from the API's headers. */
function planRate({ tier, rate, burst }: Pick<EnrichValues, 'tier' | 'rate' | 'burst'>): EnrichConfig['rate'] {
  if (tier !== undefined) {
    if (rate !== undefined || burst !== undefined)
      throw new FluenceError('BAD_OPTION', message('errors.badOption.notBoth', { a: '--tier', b: '--rate/--burst' }));
    return { rate: TIERS[tier].rate, burst: TIERS[tier].burst };
  }
  if (rate === undefined && burst === undefined) return undefined;
  if (rate === undefined) throw new FluenceError('BAD_OPTION', message('errors.badOption.burstWithoutRate'));
  return { rate, burst: burst ?? Math.max(1, Math.round(rate * 2)) };
}

/**
 * `--format`, else the output's name (`.xlsx`, `.jsonl`), else the input's kind: a workbook in
 * gives a workbook out. A name and a format that disagree are refused rather than guessed.
 */
function outputFormat(
  input: string,
  { output, format }: Pick<EnrichValues, 'output' | 'format'>,
): EnrichConfig['format'] {
  const named =
    output === undefined || output === '-'
      ? undefined
      : /\.xlsx$/i.test(output)
        ? 'xlsx'
        : /\.jsonl$/i.test(output)
          ? 'jsonl'
          : undefined;
  if (format === undefined) return named ?? (output === undefined && isXlsxPath(input) ? 'xlsx' : 'csv');
  if ((named === 'xlsx') !== (format === 'xlsx') && output !== undefined && output !== '-') {
    throw new FluenceError('BAD_OPTION', message('errors.badOption.formatOutput', { format, output }));
  }
  return format;
}

/** Base URL and key for the utility commands (`credits`, `status`, ...), checked as for `enrich`. */
export function normalizeConnection(
  values: { baseUrl: string; apiKeyFile: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
  { keyOptional = false } = {},
): { baseUrl: string; readonly apiKey: string } {
  const connection = { baseUrl: values.baseUrl, apiKey: '' };
  Object.defineProperty(connection, 'apiKey', {
    value: readKey({ apiKeyFile: values.apiKeyFile }, env, keyOptional),
    enumerable: false,
  });
  return Object.freeze(connection);
}

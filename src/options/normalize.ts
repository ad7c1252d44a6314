import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { CRM_ENDPOINTS, TIER_NAMES, TIERS, type CrmEndpoint, type TierName } from '../api/plans.js';
import { DEFAULT_RETRY_POLICY } from '../api/retry-delay.js';
import { FluenceError } from '../errors.js';
import { parseMap } from '../input/columns.js';
import type { EnrichConfig } from './config.js';
import { checkDelimiter, checkEncoding, isXlsxPath } from '../input/dialect.js';
import { DEFAULT_FIELDS, parseFields } from '../output/fields.js';
import { parseRedisTarget } from '../redis/url.js';

/** The production base URL from the provider's docs. */
export const PRODUCTION_URL = 'https://knjx20589d.execute-api.us-west-2.amazonaws.com/prod';

/** Raw options as the CLI (or a library caller) gives them. */
export interface EnrichOptions {
  input: string;
  output?: string;
  endpoint?: string;
  baseUrl?: string;
  checkpoint?: string;
  /** A checkpoint shared across files and runs: answers any file's contacts already bought. */
  cache?: string;
  /** `30d`, `12h`, `90m`, `3600s`. */
  maxAge?: string;
  refresh?: boolean;
  tier?: string;
  rate?: number | string;
  burst?: number | string;
  concurrency?: number | string;
  maxCredits?: number | string;
  summary?: string;
  /** Also write an HTML report of the run here. */
  report?: string;
  map?: readonly string[];
  /** The file has no header: `map` gives 1-based positions (default 1, 2, 3). */
  noHeader?: boolean;
  fields?: string;
  apiKeyFile?: string;
  /** The key itself (library use); the CLI reads FLUENCE_API_KEY or --api-key-file instead. */
  apiKey?: string;
  timeout?: number | string;
  retries?: number | string;
  progress?: 'tty' | 'log' | 'off';
  encoding?: string;
  delimiter?: string;
  /** An .xlsx input's sheet by name (default: the first). */
  sheet?: string;
  excel?: boolean;
  format?: string;
  /** `redis://[:password@]host:port/db`; the CLI also reads FLUENCE_REDIS_URL. */
  redis?: string;
  redisPrefix?: string;
  /** Seconds to wait for a lost Redis before stopping. */
  redisWait?: number | string;
}

/** What the user gave, as they wrote it (a number is shown as typed, NaN as the text that made it). */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

const bad = (option: string, expected: string, got: unknown): never => {
  throw new FluenceError('BAD_OPTION', `option --${option}: expected ${expected}, got ${shown(got)}`);
};

/**
 * A numeric option from the command line (text, so a typo is shown as typed), a config file or a
 * library caller (a number); `min` is the smallest allowed value, `above` when it must be exceeded.
 */
function numeric(option: string, value: number | string | undefined, rule: { integer?: boolean; min: number; above?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  const expected = `${rule.integer ? 'a whole number' : 'a number'} ${rule.above ? '>' : '>='} ${rule.min}`;
  if (!Number.isFinite(n) || (rule.above ? n <= rule.min : n < rule.min) || (rule.integer && !Number.isInteger(n))) bad(option, expected, value);
  return n;
}

const positive = (option: string, value: number | string | undefined, integer = false): number | undefined => numeric(option, value, { integer, min: 0, above: true });

const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--max-age 30d`: a number and a unit (s, m, h, d, w). */
export function parseAge(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!match) return bad('max-age', 'a duration like 30d, 12h or 90m', text);
  return Number(match[1]) * AGE_UNITS[match[2]!.toLowerCase()]!;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The key travels in a header: plain HTTP is only allowed to this machine (the sandbox). */
export function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FluenceError('BAD_OPTION', `option --base-url: expected a URL like ${PRODUCTION_URL}, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') bad('base-url', 'an http(s) URL', text);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new FluenceError('INSECURE_BASE_URL', `option --base-url: ${url.host} over plain http would send the API key in clear; use https (plain http is allowed only to localhost)`);
  }
  if (url.username || url.password) bad('base-url', 'a URL without credentials', `${url.protocol}//…@${url.host}`);
  if (url.search || url.hash) bad('base-url', 'the API root with nothing after it (no ?query or #fragment), e.g. .../prod', `${url.origin}${url.pathname}${url.search ? '?…' : '#…'}`);
  return url.toString().replace(/\/+$/, '');
}

function readKey(options: Pick<EnrichOptions, 'apiKey' | 'apiKeyFile'>, env: NodeJS.ProcessEnv, optional = false): string {
  let key = options.apiKey ?? '';
  if (!key && options.apiKeyFile) {
    try {
      key = readFileSync(options.apiKeyFile, 'utf8').trim();
    } catch (error) {
      throw new FluenceError('MISSING_KEY', `option --api-key-file: cannot read ${options.apiKeyFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!key) key = (env.FLUENCE_API_KEY ?? '').trim();
  if (!key && optional) return '';
  if (!key) throw new FluenceError('MISSING_KEY', 'no API key: set FLUENCE_API_KEY or pass --api-key-file PATH (try the sandbox: npm run demo)');
  if (!/^[A-Za-z0-9]{40}$/.test(key)) {
    throw new FluenceError('BAD_KEY_FORMAT', `the API key should be 40 letters or digits; the one given has ${key.length} characters (check for quotes or spaces)`);
  }
  return key;
}

/**
 * Turns CLI/library options and the environment into one frozen, fully-defaulted config.
 * `estimate`: for a run that never pays (the key is optional, and standard input needs no checkpoint).
 */
export function normalizeEnrichOptions(options: EnrichOptions, env: NodeJS.ProcessEnv = process.env, { estimate = false } = {}): EnrichConfig {
  const endpoint = (options.endpoint ?? 'crm_basico') as CrmEndpoint;
  if (!CRM_ENDPOINTS.includes(endpoint)) bad('endpoint', CRM_ENDPOINTS.join(' or '), options.endpoint);

  let rate: EnrichConfig['rate'];
  if (options.tier !== undefined) {
    const tier = options.tier.toLowerCase() as TierName;
    if (!TIER_NAMES.includes(tier)) bad('tier', TIER_NAMES.join(', '), options.tier);
    if (options.rate !== undefined || options.burst !== undefined) throw new FluenceError('BAD_OPTION', 'give either --tier or --rate/--burst, not both');
    rate = { rate: TIERS[tier].rate, burst: TIERS[tier].burst };
  } else if (options.rate !== undefined || options.burst !== undefined) {
    if (options.rate === undefined) throw new FluenceError('BAD_OPTION', 'option --burst needs --rate too (requests per second), or give --tier instead');
    const r = positive('rate', options.rate)!;
    rate = { rate: r, burst: positive('burst', options.burst, true) ?? Math.max(1, Math.round(r * 2)) };
  }

  const format = outputFormat(options);
  const stem = options.input === '-' ? 'stdin' : basename(options.input, extname(options.input));
  const output = options.output ?? join('output', `${stem}.enriched.${format}`);
  const maxCredits = numeric('max-credits', options.maxCredits, { integer: true, min: 0 });
  const retries = numeric('retries', options.retries, { integer: true, min: 0 }) ?? DEFAULT_RETRY_POLICY.maxAttempts - 1;

  const config: EnrichConfig = {
    input: options.input,
    output,
    checkpoint: options.cache ?? options.checkpoint ?? `${output}.checkpoint.sqlite`,
    sharedCache: options.cache !== undefined,
    maxAgeMs: options.maxAge === undefined ? undefined : parseAge(options.maxAge),
    refresh: options.refresh ?? false,
    endpoint,
    baseUrl: checkBaseUrl(options.baseUrl ?? (env.FLUENCE_BASE_URL || PRODUCTION_URL)),
    apiKey: '',
    rate,
    concurrency: positive('concurrency', options.concurrency, true),
    maxCredits,
    summaryPath: options.summary,
    reportPath: options.report,
    map: parseMap(options.map ?? []),
    noHeader: options.noHeader ?? false,
    fields: options.fields === undefined ? DEFAULT_FIELDS[endpoint] : parseFields(options.fields),
    timeoutMs: (positive('timeout', options.timeout) ?? 35) * 1000,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: retries + 1 },
    maxRateWaitMs: 5 * 60_000,
    maxBodyBytes: 1024 * 1024,
    progress: options.progress ?? (process.stderr.isTTY ? 'tty' : 'log'),
    encoding: options.encoding === undefined ? undefined : checkEncoding(options.encoding),
    delimiter: options.delimiter === undefined ? undefined : checkDelimiter(options.delimiter),
    sheet: options.sheet,
    // A workbook is already Excel's: --excel (Excel's CSV dialect) only shapes a CSV.
    excel: format === 'csv' && (options.excel ?? false),
    format,
    redis: undefined,
    redisWaitMs: (numeric('redis-wait', options.redisWait, { min: 0 }) ?? 30) * 1000,
  };
  const redisUrl = options.redis ?? (env.FLUENCE_REDIS_URL || undefined);
  if (redisUrl !== undefined && redisUrl.trim() !== '') config.redis = parseRedisTarget(redisUrl, options.redisPrefix);
  else if (options.redisPrefix !== undefined) throw new FluenceError('BAD_OPTION', 'option --redis-prefix needs --redis URL (or FLUENCE_REDIS_URL)');
  for (const [stream, name] of [[options.input, 'reading standard input (-)'], [options.output, 'writing to standard output (-o -)']] as const) {
    if (stream === '-' && !estimate && options.checkpoint === undefined && options.cache === undefined) {
      throw new FluenceError('BAD_OPTION', `${name} needs --checkpoint PATH or --cache PATH: that is where answers are kept so a rerun pays nothing twice`);
    }
  }
  if (options.cache !== undefined && options.checkpoint !== undefined) throw new FluenceError('BAD_OPTION', 'give --cache or --checkpoint, not both');
  if (options.excel && config.format === 'jsonl') throw new FluenceError('BAD_OPTION', 'give --excel or --format jsonl, not both');
  Object.defineProperty(config, 'apiKey', { value: readKey(options, env, estimate), enumerable: false });
  return Object.freeze(config);
}

const FORMATS = ['csv', 'jsonl', 'xlsx'] as const;

/**
 * `--format`, else the output's name (`.xlsx`, `.jsonl`), else the input's kind: a workbook in
 * gives a workbook out. A name and a format that disagree are refused rather than guessed.
 */
function outputFormat(options: EnrichOptions): EnrichConfig['format'] {
  const named = options.output === undefined || options.output === '-' ? undefined : /\.xlsx$/i.test(options.output) ? 'xlsx' : /\.jsonl$/i.test(options.output) ? 'jsonl' : undefined;
  if (options.format === undefined) return named ?? (options.output === undefined && isXlsxPath(options.input) ? 'xlsx' : 'csv');
  const format = FORMATS.find((f) => f === options.format) ?? bad('format', FORMATS.join(', '), options.format);
  if ((named === 'xlsx') !== (format === 'xlsx') && options.output !== undefined && options.output !== '-') {
    throw new FluenceError('BAD_OPTION', `option --format ${format} and output ${options.output} disagree: an .xlsx workbook is written to a name ending .xlsx, and only there`);
  }
  return format;
}

/** Base URL and key for the utility commands (`credits`, `status`, ...), checked as for `enrich`. */
export function normalizeConnection(options: { baseUrl?: string; apiKeyFile?: string }, env: NodeJS.ProcessEnv = process.env, { keyOptional = false } = {}): { baseUrl: string; readonly apiKey: string } {
  const connection = { baseUrl: checkBaseUrl(options.baseUrl ?? (env.FLUENCE_BASE_URL || PRODUCTION_URL)), apiKey: '' };
  Object.defineProperty(connection, 'apiKey', { value: readKey(options, env, keyOptional), enumerable: false });
  return Object.freeze(connection);
}

/** yargs reads a positional `-` (standard input) as an empty string: give it back its meaning. */
export function inputArg(value: string, argv: readonly string[] = process.argv.slice(2)): string {
  return value === '' && argv.includes('-') ? '-' : value;
}

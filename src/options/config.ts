import type { CrmEndpoint } from '../api/plans.js';
import type { RetryPolicy } from '../api/retry-delay.js';
import type { MapField } from '../input/columns.js';
import type { RedisTarget } from '../redis/url.js';

/** A run's settings, fully defaulted and frozen at the edge (see `normalizeEnrichOptions`). */
export interface EnrichConfig {
  input: string;
  output: string;
  checkpoint: string;
  /** The checkpoint is a cache shared across files and runs (`--cache`). */
  sharedCache: boolean;
  /** Stored answers older than this are asked again (`--max-age`); undefined = never. */
  maxAgeMs: number | undefined;
  /** Ask every contact again, whatever is stored (`--refresh`). */
  refresh: boolean;
  endpoint: CrmEndpoint;
  baseUrl: string;
  /** Never enumerable: loggers and JSON.stringify cannot print it. */
  readonly apiKey: string;
  /** Plan rate and burst; undefined = learn from `X-RateLimit-Limit` (burst = 2 x rate, as every published tier). */
  rate: { rate: number; burst: number } | undefined;
  /** Requests in flight at most; undefined = enough to keep the rate full at 4 s per call. */
  concurrency: number | undefined;
  maxCredits: number | undefined;
  summaryPath: string | undefined;
  /** An HTML report of the run (`--report`): charts and the rows that need attention. */
  reportPath: string | undefined;
  map: Partial<Record<MapField, string>>;
  /** The file has no header row: columns are taken by position (--map field=N). */
  noHeader: boolean;
  fields: readonly string[];
  timeoutMs: number;
  retry: RetryPolicy;
  /** A 429 asking to wait longer than this stops the run (monthly quota). */
  maxRateWaitMs: number;
  maxBodyBytes: number;
  progress: 'tty' | 'log' | 'off';
  /** Input encoding; undefined = detected. */
  encoding: string | undefined;
  /** Input delimiter; undefined = detected. */
  delimiter: string | undefined;
  /** An .xlsx input's sheet (`--sheet`); undefined = the first. */
  sheet: string | undefined;
  /** Write what Excel pt-BR opens by double-click: UTF-8 BOM, `;`, CRLF. */
  excel: boolean;
  /** csv, one JSON object per line, or an Excel workbook. */
  format: 'csv' | 'jsonl' | 'xlsx';
  /** Runs on any machine share the key's rate, claims and answers here (`--redis`); undefined = this machine only. */
  redis: RedisTarget | undefined;
  /** How long a run waits for a lost Redis before stopping with the rest pending (`--redis-wait`). */
  redisWaitMs: number;
}

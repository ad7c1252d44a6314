import type { RetryPolicy } from '../api/retry-delay.js';
import type { Lang } from '../i18n/lang.js';
import type { RedisTarget } from '../redis/url.js';
import type { OptionConfig } from './values.js';

/**
 * A run's settings, fully defaulted and frozen at the edge (see `normalizeEnrichOptions`). The
 * fields an option gives as it is come from the option table (`endpoint`, `baseUrl`, `maxAgeMs`,
 * `timeoutMs`, `map`, `noHeader`...: each entry's `to`); these are made by rules across options.
 */
export interface EnrichConfig extends OptionConfig {
  input: string;
  output: string;
  checkpoint: string;
  /** The checkpoint is a cache shared across files and runs (`--cache`). */
  sharedCache: boolean;
  /** Never enumerable: loggers and JSON.stringify cannot print it. */
  readonly apiKey: string;
  /** Plan rate and burst; undefined = learn from `X-RateLimit-Limit` (burst = 2 x rate, as every published tier). */
  rate: { rate: number; burst: number } | undefined;
  /** `analise` paths written as columns (`--fields`, else the endpoint's defaults). */
  fields: readonly string[];
  retry: RetryPolicy;
  /** A 429 asking to wait longer than this stops the run (monthly quota). */
  maxRateWaitMs: number;
  maxBodyBytes: number;
  progress: 'tty' | 'log' | 'off';
  /** Write what Excel pt-BR opens by double-click: UTF-8 BOM, `;`, CRLF. */
  excel: boolean;
  /** csv, one JSON object per line, or an Excel workbook. */
  format: 'csv' | 'jsonl' | 'xlsx';
  /** The language of what a person reads (messages, summary text, report): `--lang`, else the locale, else English. Never of what machines read (codes, field names, JSON log lines). */
  lang: Lang;
  /** Runs on any machine share the key's rate, claims and answers here (`--redis`); undefined = this machine only. */
  redis: RedisTarget | undefined;
}

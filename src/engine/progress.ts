import { DEFAULT_LANG, formatDuration, formatNumber, formatPercent, t, type Lang } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { RunStats } from './stats.js';

/** The run's progress at one moment: what the terminal line, the log lines and `RunControl.onProgress` show. */
export interface ProgressSnapshot {
  rows: number;
  total: number;
  requests: number;
  ok: number;
  notFound: number;
  invalid: number;
  failed: number;
  pending: number;
  credits: number;
  /** Requests per second lately (over the last seconds, given a `since` sample), else since the run began. */
  rateNow: number;
  planRate: number;
  rateShare: number;
  rateLimited: number;
  fromOtherRuns: number;
  rowsPerSecond: number;
  etaSeconds: number | undefined;
  elapsedSeconds: number;
}

/** The request count at a moment: what a later snapshot's `rateNow` is measured from. */
export interface RateSample {
  at: number;
  requests: number;
}

/** One definition of the progress numbers, read from the run's counters (never changing them). */
export function progressSnapshot(stats: RunStats, total: number, since?: RateSample): ProgressSnapshot {
  const elapsed = stats.elapsedSeconds;
  const lately = since ? (Date.now() - since.at) / 1000 : 0;
  const rateNow = lately > 0 ? (stats.requests - since!.requests) / lately : stats.requests / Math.max(elapsed, 0.001);
  const rate = elapsed > 0 ? stats.rows / elapsed : 0;
  const { byStatus } = stats;
  return {
    rows: stats.rows,
    total,
    requests: stats.requests,
    ok: byStatus.ok,
    // Ambiguous and insufficient_data are "not found" to a person reading the page.
    notFound: byStatus.not_found + byStatus.ambiguous + byStatus.insufficient_data,
    invalid: byStatus.invalid_input,
    failed: byStatus.failed,
    pending: byStatus.pending,
    credits: stats.creditsUsed,
    rateNow: Math.round(rateNow * 10) / 10,
    planRate: stats.planRate,
    rateShare: stats.rateShare,
    rateLimited: stats.rateLimited,
    fromOtherRuns: stats.fromOtherRuns,
    rowsPerSecond: Math.round(rate),
    etaSeconds: rate > 0 ? Math.round((total - stats.rows) / rate) : undefined,
    elapsedSeconds: Math.round(elapsed * 10) / 10,
  };
}

/**
 * A live line on a terminal; periodic JSON log lines otherwise (cron, Docker). Reads the run's
 * counters, never changes them.
 */
export class Progress {
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(stats: RunStats, total: number, mode: 'tty' | 'log' | 'off', logger: Logger, lang: Lang = DEFAULT_LANG) {
    if (mode === 'off') return;
    let ticks = 0;
    const tick = (): void => {
      const now = progressSnapshot(stats, total);
      ticks += 1;
      if (mode === 'tty') {
        process.stderr.write(`\r\x1b[K${progressLine(now, lang)}`);
      } else if (ticks % LOG_EVERY === 0) {
        logger.info(
          {
            progress: {
              rows: now.rows,
              total,
              requests: now.requests,
              rateShare: now.rateShare,
              rateLimited: now.rateLimited,
              fromOtherRuns: now.fromOtherRuns,
              creditsUsed: now.credits,
              rowsPerSecond: now.rowsPerSecond,
              etaSeconds: now.etaSeconds,
            },
          },
          'progress',
        );
      }
    };
    this.#timer = setInterval(tick, TICK_MS);
    this.#timer.unref();
    this.stop = () => {
      clearInterval(this.#timer);
      if (mode === 'tty') process.stderr.write('\r\x1b[K');
    };
  }

  stop: () => void = () => undefined;
}

/** The terminal's live line, in `lang`: `120/1.468 linhas  118 requisições  9,8 req/s (98 % do plano) ...`. */
export function progressLine(now: ProgressSnapshot, lang: Lang = DEFAULT_LANG): string {
  return t(lang, 'cli.progress.line', {
    rows: now.rows,
    total: now.total,
    requests: now.requests,
    rate: formatNumber(lang, now.rateNow, 1),
    share: formatPercent(lang, now.rateShare, 0),
    limited: now.rateLimited,
    others: now.fromOtherRuns > 0 ? t(lang, 'cli.progress.others', { count: now.fromOtherRuns }) : '',
    credits: now.credits,
    eta: now.etaSeconds === undefined ? '' : t(lang, 'cli.progress.eta', { eta: formatDuration(lang, now.etaSeconds) }),
  });
}

/** The terminal line's refresh; a watcher's too. */
const TICK_MS = 500;
/** `rateNow` for a watcher: over the last 2 s (4 ticks). */
const RATE_WINDOW_TICKS = 4;
/** A log line every 10 s (every 20th tick). */
const LOG_EVERY = 20;

/**
 * A caller watching the run (the web page): `onProgress` at once, every half second, and once
 * more when the returned function ends the watch. The caller throttles further if it must.
 */
export function watchProgress(
  stats: RunStats,
  total: number,
  onProgress: ((snapshot: ProgressSnapshot) => void) | undefined,
): () => void {
  if (!onProgress) return () => undefined;
  // `rateNow` over the last seconds: a live chart shows the rate as it is, not its average so far.
  const samples: RateSample[] = [];
  const tell = (): void => {
    onProgress(progressSnapshot(stats, total, samples[0]));
    samples.push({ at: Date.now(), requests: stats.requests });
    if (samples.length > RATE_WINDOW_TICKS) samples.shift();
  };
  tell();
  const timer = setInterval(tell, TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    tell();
  };
}

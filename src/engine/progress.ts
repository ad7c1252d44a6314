import type { Logger } from '../log.js';
import type { RunStats } from './stats.js';

/**
 * A live line on a terminal; periodic JSON log lines otherwise (cron, Docker). Reads the run's
 * counters, never changes them.
 */
export class Progress {
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(stats: RunStats, total: number, mode: 'tty' | 'log' | 'off', logger: Logger) {
    if (mode === 'off') return;
    const tick = (): void => {
      const elapsed = stats.elapsedSeconds;
      const rate = elapsed > 0 ? stats.rows / elapsed : 0;
      const eta = rate > 0 ? Math.round((total - stats.rows) / rate) : undefined;
      if (mode === 'tty') {
        const others = stats.fromOtherRuns > 0 ? `  ${stats.fromOtherRuns} from other runs` : '';
        const line = `${stats.rows}/${total} rows  ${stats.requests} requests  ${(stats.requests / Math.max(elapsed, 0.001)).toFixed(1)} req/s (${Math.round(stats.rateShare * 100)} % of plan)  ${stats.rateLimited} 429s${others}  ${stats.creditsUsed} credits${eta === undefined ? '' : `  ETA ${eta}s`}`;
        process.stderr.write(`\r\x1b[K${line}`);
      } else {
        logger.info(
          {
            progress: {
              rows: stats.rows,
              total,
              requests: stats.requests,
              rateShare: stats.rateShare,
              rateLimited: stats.rateLimited,
              fromOtherRuns: stats.fromOtherRuns,
              creditsUsed: stats.creditsUsed,
              rowsPerSecond: Math.round(rate),
              etaSeconds: eta,
            },
          },
          'progress',
        );
      }
    };
    this.#timer = setInterval(tick, mode === 'tty' ? 500 : 10_000);
    this.#timer.unref();
    this.stop = () => {
      clearInterval(this.#timer);
      if (mode === 'tty') process.stderr.write('\r\x1b[K');
    };
  }

  stop: () => void = () => undefined;
}

import type { RateLimiter } from '../rate/limiter.js';
import { concurrencyFor } from './plan.js';
import type { RunStats } from './stats.js';

/** How often the in-flight cap follows the answers' latency. */
const ADAPT_EVERY_MS = 2000;

/**
 * Every 2 s, sizes the limiter's in-flight cap for the slowest answers seen since the last look
 * (shrinking by at most 10 % a turn, so one fast spell does not drop the sockets slow calls
 * need). Returns the way to stop it.
 */
export function adaptConcurrency(
  limiter: Pick<RateLimiter, 'maxConcurrent'>,
  stats: Pick<RunStats, 'takeSlowest'>,
  rate: number,
): () => void {
  const timer = setInterval(() => {
    const slowest = stats.takeSlowest();
    if (slowest > 0)
      limiter.maxConcurrent = Math.max(concurrencyFor(rate, slowest), Math.ceil(limiter.maxConcurrent * 0.9));
  }, ADAPT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

import type { Lookup, ReuseRule } from '../sharing/types.js';
import type { EnrichConfig } from '../options/config.js';

/**
 * Whether a stored answer serves this run (which started at `nowMs`) instead of a new request:
 * always when it was bought since the run began (a repeat in the file, or another run on the
 * same cache, must not pay again), else unless --refresh, or --max-age finds it stale.
 */
export function reusable(
  known: Lookup,
  config: Pick<EnrichConfig, 'refresh' | 'maxAgeMs'>,
  nowMs: number,
  runId?: string,
): known is Extract<Lookup, { state: 'final' }> {
  if (known?.state !== 'final') return false;
  if (runId !== undefined && known.runId === runId) return true;
  // Bought since this run began (by it, or by a run sharing the cache): as new as a request now.
  if (runId !== undefined && known.updatedAt >= nowMs) return true;
  return !config.refresh && (config.maxAgeMs === undefined || nowMs - known.updatedAt <= config.maxAgeMs);
}

/** The same rule for a whole pass at once (a count in the store), for a run starting at `nowMs`. */
export function reuseRule(config: Pick<EnrichConfig, 'refresh' | 'maxAgeMs'>, nowMs: number): ReuseRule {
  return { refresh: config.refresh, storedSince: config.maxAgeMs === undefined ? 0 : nowMs - config.maxAgeMs };
}

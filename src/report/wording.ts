/** The report's sentences that depend on what the run did: pure, so each case is tested alone. */
import type { RunSummary } from '../engine/run-summary.js';

/** Whether the run had a Redis is all these sentences read of it. */
type HadRedis = { redis?: unknown };

const n = (value: number): string => value.toLocaleString('en-US');

/** Where another run's answers came through: Redis when the run used one, else the shared cache. */
export const sharedStore = (s: HadRedis): string => (s.redis ? 'Redis' : 'cache');

/** Where the credits saved came from: only the sources that gave something, and the repeats apart (they are not counted in it). */
export function savedNote(
  s: Pick<RunSummary, 'fromCheckpoint' | 'fromOtherRuns' | 'fromRedis' | 'duplicates'> & HadRedis,
): string {
  const sources = [
    s.fromCheckpoint ? `${n(s.fromCheckpoint)} rows from the checkpoint` : '',
    s.fromOtherRuns ? `${n(s.fromOtherRuns)} from other runs on the same ${sharedStore(s)}` : '',
    s.fromRedis ? `${n(s.fromRedis)} from Redis, bought before this run` : '',
  ].filter(Boolean);
  const reused = sources.length > 0 ? sources.join(', ') : 'no stored answer reused';
  return s.duplicates ? `${reused}; ${n(s.duplicates)} repeats in the file asked once (not counted)` : reused;
}

/** What the list of rows needing attention shows, and what it leaves out. */
export function attentionNote(listed: number, more: Partial<Record<string, number>>): string {
  const left = Object.values(more).reduce((a: number, b) => a + (b ?? 0), 0);
  if (left === 0) return '';
  const which = Object.entries(more)
    .map(([status, count]) => `${n(count ?? 0)} ${status}`)
    .join(', ');
  return `Listed: the first ${n(listed)} in input order. Not listed: ${n(left)} more (${which}).`;
}

/** Said instead of the rate chart when there is nothing to chart, or under two seconds of it (one point draws no line). */
export function noRateChart(
  s: Pick<RunSummary, 'requests' | 'elapsedSeconds' | 'planRate' | 'rateLimited' | 'retries' | 'error'>,
): string {
  if (s.requests === 0) {
    return s.error
      ? `No request was sent: the run stopped on an error first [${s.error.code}].`
      : 'No request was sent: every row was answered from the checkpoint, another run, or was invalid.';
  }
  const met = [
    s.rateLimited ? `429 answers (${n(s.rateLimited)} in all)` : 'no 429',
    s.retries ? `retries (${n(s.retries)} in all)` : 'no retry',
  ].join(' and ');
  return `${n(s.requests)} requests in ${s.elapsedSeconds.toFixed(1)} s${s.planRate ? ` against the plan's ${n(s.planRate)}/s` : ''}, with ${met}: too short a run to chart its rate second by second.`;
}

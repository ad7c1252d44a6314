/** The report's sentences that depend on what the run did: pure, so each case is tested alone. */
import type { RunSummary } from '../engine/run-summary.js';
import { DEFAULT_LANG, formatDuration, formatNumber, t, type Lang } from '../i18n/index.js';

/** Whether the run had a Redis is all these sentences read of it. */
type HadRedis = { redis?: unknown };

/** Where another run's answers came through: Redis when the run used one, else the shared cache. */
export const sharedStore = (s: HadRedis, lang: Lang = DEFAULT_LANG): string =>
  s.redis ? 'Redis' : t(lang, 'report.shared.cache');

/** Where the credits saved came from: only the sources that gave something, and the repeats apart (they are not counted in it). */
export function savedNote(
  s: Pick<RunSummary, 'fromCheckpoint' | 'fromOtherRuns' | 'fromRedis' | 'duplicates'> & HadRedis,
  lang: Lang = DEFAULT_LANG,
): string {
  const sources = [
    s.fromCheckpoint ? t(lang, 'report.saved.checkpoint', { count: s.fromCheckpoint }) : '',
    s.fromOtherRuns ? t(lang, 'report.saved.others', { count: s.fromOtherRuns, store: sharedStore(s, lang) }) : '',
    s.fromRedis ? t(lang, 'report.saved.redis', { count: s.fromRedis }) : '',
  ].filter(Boolean);
  const reused = sources.length > 0 ? sources.join(', ') : t(lang, 'report.saved.none');
  return s.duplicates ? t(lang, 'report.saved.repeats', { reused, count: s.duplicates }) : reused;
}

/** What the list of rows needing attention shows, and what it leaves out. */
export function attentionNote(
  listed: number,
  more: Partial<Record<string, number>>,
  lang: Lang = DEFAULT_LANG,
): string {
  const left = Object.values(more).reduce((a: number, b) => a + (b ?? 0), 0);
  if (left === 0) return '';
  // The statuses keep their names: they are the output's `fluence_status` values.
  const which = Object.entries(more)
    .map(([status, count]) => `${formatNumber(lang, count ?? 0)} ${status}`)
    .join(', ');
  return t(lang, 'report.attention.more', { listed, left, which });
}

/** Said instead of the rate chart when there is nothing to chart, or under two seconds of it (one point draws no line). */
export function noRateChart(
  s: Pick<RunSummary, 'requests' | 'elapsedSeconds' | 'planRate' | 'rateLimited' | 'retries' | 'error'> &
    Partial<Pick<RunSummary, 'quotaRefused'>>,
  lang: Lang = DEFAULT_LANG,
): string {
  if (s.requests === 0) {
    return s.error ? t(lang, 'report.noRate.error', { code: s.error.code }) : t(lang, 'report.noRate.none');
  }
  // A 429 for the monthly quota is not the rate limit: said apart, as what it is.
  const quota = s.quotaRefused ? t(lang, 'report.rate.quota', { count: s.quotaRefused }) : '';
  const short = t(lang, 'report.noRate.short', {
    requests: s.requests,
    elapsed: formatDuration(lang, s.elapsedSeconds),
    plan: s.planRate ? t(lang, 'report.noRate.plan', { rate: s.planRate }) : '',
    limited: s.rateLimited
      ? t(lang, 'report.noRate.limited', { count: s.rateLimited })
      : t(lang, s.quotaRefused ? 'report.noRate.noRateLimited' : 'report.noRate.noLimited'),
    retries: s.retries ? t(lang, 'report.noRate.retries', { count: s.retries }) : t(lang, 'report.noRate.noRetries'),
  });
  return `${short}${quota}`;
}

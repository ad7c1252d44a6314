import { EXIT } from '../errors.js';
import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';
import type { RunSummary } from './run-summary.js';

/** The parts of a run's summary that decide what the user should do next. */
export type NextStepInput = Pick<RunSummary, 'exitCode' | 'stopReason' | 'byStatus' | 'error' | 'quotaResetsAt'>;

/**
 * When a monthly-quota stop says the quota resets, as `YYYY-MM-DD HH:MM UTC` (the time the 429's
 * `Retry-After` or `X-RateLimit-Reset` points to, to the minute: the reset is at a month's start).
 */
export function quotaResetFrom(stopMessage: string): string | null {
  const iso = /resets at (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(stopMessage)?.[1];
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(at) ? null : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What to do after this run, in one sentence in `lang`, or null when every row has its final
 * answer. Each stop has its own remedy: running the same command again right away helps after a
 * signal or a lost Redis, not after the credits or the month's quota ran out.
 */
export function nextStep(s: NextStepInput, lang: Lang = DEFAULT_LANG): string | null {
  const pending = s.byStatus.pending;
  const left = s.byStatus.failed + pending;
  if (s.error) return t(lang, 'cli.next.error', { code: s.error.code });
  switch (s.stopReason) {
    case 'credits':
      return t(lang, 'cli.next.credits', { pending });
    case 'quota': {
      const until = s.quotaResetsAt ? t(lang, 'cli.next.quotaUntil', { at: s.quotaResetsAt }) : '';
      return t(lang, 'cli.next.quota', { pending, until });
    }
    case 'budget':
      return t(lang, 'cli.next.budget', { pending });
    default:
      return left > 0 || s.exitCode === EXIT.rerun ? t(lang, 'cli.next.resume', { left }) : null;
  }
}

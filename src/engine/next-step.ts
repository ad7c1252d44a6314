import { EXIT } from '../errors.js';
import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';
import type { RunSummary, StopFacts } from './run-summary.js';
import { resetText, type StopPlace } from './stop-facts.js';

/** The parts of a run's summary that decide what the user should do next (`stopFacts`: when the quota resets, to say it in the language). */
export type NextStepInput = Pick<RunSummary, 'exitCode' | 'stopReason' | 'byStatus' | 'error' | 'quotaResetsAt'> &
  Partial<Pick<RunSummary, 'stopFacts'>>;

/**
 * When a monthly-quota stop's quota resets, as `YYYY-MM-DD HH:MM UTC` (the time the 429's
 * `Retry-After` or `X-RateLimit-Reset` points to, to the minute: the reset is at a month's start);
 * null for any other stop.
 */
export function quotaResetOf(stop: StopFacts | undefined): string | null {
  const at = stop?.reason === 'quota' ? Date.parse(stop.resetsAt) : Number.NaN;
  return Number.isNaN(at) ? null : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** When the quota resets, as the stop's message says it (in `lang`); else `quotaResetsAt` as it is. */
function resetWords(s: NextStepInput, lang: Lang): string | null {
  return s.stopFacts?.reason === 'quota' ? resetText(lang, s.stopFacts.resetsAt) : s.quotaResetsAt;
}

/**
 * What to do after this run, in one sentence in `lang`, or null when every row has its final
 * answer. Each stop has its own remedy: running the same command again right away helps after a
 * signal or a lost Redis, not after the credits or the month's quota ran out. A page's run
 * (`where`) is resumed with its Resume button, and its limit is the page's cost limit.
 */
export function nextStep(s: NextStepInput, lang: Lang = DEFAULT_LANG, where: StopPlace = 'cli'): string | null {
  const pending = s.byStatus.pending;
  const left = s.byStatus.failed + pending;
  const page = where === 'page' ? '.page' : '';
  if (s.error) return t(lang, `cli.next.error${page}`, { code: s.error.code });
  switch (s.stopReason) {
    case 'credits':
      return t(lang, `cli.next.credits${page}`, { pending });
    case 'quota': {
      const at = resetWords(s, lang);
      const until = at ? t(lang, 'cli.next.quotaUntil', { at }) : '';
      return t(lang, `cli.next.quota${page}`, { pending, until });
    }
    case 'budget':
      return t(lang, `cli.next.budget${page}`, { pending });
    default:
      return left > 0 || s.exitCode === EXIT.rerun ? t(lang, `cli.next.resume${page}`, { left }) : null;
  }
}

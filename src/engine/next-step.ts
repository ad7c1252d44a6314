import type { RunSummary } from './run-summary.js';

/** The parts of a run's summary that decide what the user should do next. */
export type NextStepInput = Pick<RunSummary, 'exitCode' | 'stopReason' | 'byStatus' | 'error' | 'quotaResetsAt'>;

const NOT_PAID_AGAIN = 'answers already bought are not paid again';

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
 * What to do after this run, in one sentence, or null when every row has its final answer. Each
 * stop has its own remedy: running the same command again right away helps after a signal or a
 * lost Redis, not after the credits or the month's quota ran out.
 */
export function nextStep(s: NextStepInput): string | null {
  const pending = s.byStatus.pending;
  const left = s.byStatus.failed + pending;
  if (s.error)
    return `fix the cause of ${s.error.code} (its message says how), then run the same command again (${NOT_PAID_AGAIN})`;
  switch (s.stopReason) {
    case 'credits':
      return `${pending} rows pending: the account's credits do not cover them. Top up the credits, then run the same command again to ask them (${NOT_PAID_AGAIN})`;
    case 'quota':
      return `${pending} rows pending: the plan's monthly quota is used up${s.quotaResetsAt ? ` until ${s.quotaResetsAt} (from the 429's rate-limit headers)` : ''}. Run the same command again once it resets, or move to a plan with a larger quota (${NOT_PAID_AGAIN})`;
    case 'budget':
      return `${pending} rows pending: the --max-credits budget is spent. Run the same command again, with the --max-credits you allow for the rest, to ask them (${NOT_PAID_AGAIN})`;
    default:
      return left > 0 || s.exitCode === 2
        ? `${left} rows failed or pending: run the same command again to resume (${NOT_PAID_AGAIN})`
        : null;
  }
}

import { DEFAULT_LANG, render, type Lang, type Message } from '../i18n/index.js';
import type { PlanQuota } from '../api/plans.js';

/** A file's requests against the plan's monthly quota, as `estimate` and the run's first log line say it. */
export interface QuotaCheck {
  /** Requests the file needs at least: one per contact to ask (retries of failures add to it). */
  requests: number;
  /** CRM requests the plan allows per calendar month; null when not known. */
  monthlyQuota: number | null;
  tier: string | null;
  /** How the quota was known (`/tiers`, by the key's rate limit ...), or why it was not. */
  how: string;
  /** Whether this file alone needs more than the month allows; null when the quota is unknown. */
  exceeds: boolean | null;
  /** Always null: the API does not publish what this month has already used. */
  usedThisMonth: null;
}

/** A check with `how` in the reader's words beside it (not enumerable: the summary's JSON and schema keep `how` alone). */
type ToldCheck = QuotaCheck & { readonly said?: Message };

export function quotaCheck(requests: number, quota: PlanQuota): QuotaCheck {
  const limit = quota.monthlyQuota ?? null;
  const check: QuotaCheck = {
    requests,
    monthlyQuota: limit,
    tier: quota.tier ?? null,
    how: quota.how,
    exceeds: limit === null ? null : requests > limit,
    usedThisMonth: null,
  };
  return quota.said ? Object.defineProperty(check, 'said', { value: quota.said, enumerable: false }) : check;
}

/** One sentence on the quota, kept as a message (a log line quotes it); an exceeded quota says what the run would do and what to do instead. */
export function quotaMessage(q: QuotaCheck): Message {
  const needs = { key: 'cli.quota.needs', params: { requests: q.requests } } as const;
  const how = (q as ToldCheck).said ?? q.how;
  if (q.monthlyQuota === null) return { key: 'cli.quota.unknown', params: { needs, how } };
  const params = { needs, tier: q.tier, quota: q.monthlyQuota, how };
  return { key: q.exceeds ? 'cli.quota.exceeds' : 'cli.quota.within', params };
}

/** The quota's sentence in `lang`. */
export const quotaText = (q: QuotaCheck, lang: Lang = DEFAULT_LANG): string => render(lang, quotaMessage(q));

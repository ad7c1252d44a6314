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

const n = (value: number): string => value.toLocaleString('en-US');

export function quotaCheck(requests: number, quota: PlanQuota): QuotaCheck {
  const limit = quota.monthlyQuota ?? null;
  return {
    requests,
    monthlyQuota: limit,
    tier: quota.tier ?? null,
    how: quota.how,
    exceeds: limit === null ? null : requests > limit,
    usedThisMonth: null,
  };
}

/** One sentence on the quota; an exceeded quota says what the run would do and what to do instead. */
export function quotaText(q: QuotaCheck): string {
  const needs = `needs ${n(q.requests)} request${q.requests === 1 ? '' : 's'}`;
  const unpublished =
    'what this month has already used is not published by the API, so the room left is not known here';
  if (q.monthlyQuota === null) return `${needs}; the plan's monthly quota is unknown (${q.how})`;
  const of = `the ${q.tier} tier's ${n(q.monthlyQuota)} a month (${q.how})`;
  if (!q.exceeds) return `${needs} of ${of}; ${unpublished}`;
  return `${needs}, MORE THAN ${of}: the run would stop at the quota (exit 3) after using the whole month's requests, the rest pending until it resets. Split the file, or move to a larger plan; ${unpublished}`;
}

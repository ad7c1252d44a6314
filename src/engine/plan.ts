import type { ApiClient } from '../api/client.js';
import { ENDPOINT_COST, monthlyQuotaOf, type PlanQuota } from '../api/plans.js';
import { readTierTable } from '../api/tiers.js';
import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { contactsCovered } from './budget.js';
import { checkAccount, type Account } from './preflight.js';
import { quotaCheck, quotaMessage, type QuotaCheck } from './quota.js';

/** Longest the in-flight cap may grow to when answers are slow. */
export const MAX_CONCURRENCY = 4000;

/** The Developer tier's: what a run assumes when neither the options nor the server say. */
export const DEFAULT_RATE = Object.freeze({ rate: 50, burst: 100 });

/** Where a run's rate came from, as its log line says. */
export type RateFrom = 'options' | 'X-RateLimit-Limit' | 'default (Developer tier)';

/**
 * In flight = rate x latency keeps the rate full (Little's law); size for the slowest answer
 * seen lately, with a margin, so slow calls never starve the limiter and fast ones hold few sockets.
 */
export function concurrencyFor(rate: number, slowestMs: number): number {
  return Math.min(MAX_CONCURRENCY, Math.max(8, Math.ceil((rate * slowestMs * 1.25) / 1000) + 8));
}

/**
 * The rate and burst a run keeps to: the options', else the server's announced limit (burst =
 * 2 x rate, as every published tier), else the Developer tier's. `account` is undefined when
 * the API was not asked.
 */
export function ratePlan(
  options: EnrichConfig['rate'],
  account: Pick<Account, 'rateLimit'> | undefined,
): { rate: number; burst: number; from: RateFrom } {
  if (options) return { ...options, from: 'options' };
  if (account?.rateLimit) return { rate: account.rateLimit, burst: account.rateLimit * 2, from: 'X-RateLimit-Limit' };
  return { ...DEFAULT_RATE, from: 'default (Developer tier)' };
}

/** The account's plan against the `/tiers` table: its monthly quota, if the API says. */
export async function planQuota(
  client: ApiClient,
  account: Account,
  options: EnrichConfig['rate'],
): Promise<PlanQuota> {
  return monthlyQuotaOf(await readTierTable(client), account.plan, account.rateLimit ?? options?.rate);
}

export interface RunPlan {
  account: Account;
  rate: number;
  burst: number;
  /** Requests in flight at the start (the run adapts it unless --concurrency set it). */
  concurrency: number;
  /** The requests this run may make against the monthly quota; null when there is nothing to ask. */
  quota: QuotaCheck | null;
}

/** What the first pass counted, for the plan's line. */
export interface PlanCounts {
  rows: number;
  valid: number;
  distinct: number;
  toAsk: number;
}

/**
 * The run's plan, before any paid request: the account (key, plan, credits, announced rate), the
 * rate, burst and concurrency it keeps to, and the quota. Logs the line that says what the run
 * may spend, and warns when the credits or the monthly quota will not cover it.
 */
export async function planRun(
  client: ApiClient,
  config: EnrichConfig,
  counts: PlanCounts,
  logger: Logger,
): Promise<RunPlan> {
  const { toAsk, distinct } = counts;
  const cost = ENDPOINT_COST[config.endpoint];
  const maxCost = toAsk * cost;
  const account = await checkAccount(client, config.baseUrl);
  // Nothing to ask, nothing to count against the quota: a rerun makes one free call, not two.
  const quota = toAsk > 0 ? quotaCheck(toAsk, await planQuota(client, account, config.rate)) : null;
  const { rate, burst, from } = ratePlan(config.rate, account);
  // Until answers come back, assume 4 s per call; then follow the slowest answers seen.
  const concurrency = config.concurrency ?? concurrencyFor(rate, 4000);
  const start = {
    // A figure in the reader's way (`99.997`), or the word for unknown.
    left:
      account.creditsLeft === undefined
        ? ({ key: 'cli.unknown' } as const)
        : ({ key: 'cli.number', params: { n: account.creditsLeft } } as const),
    maxCost,
    toAsk,
    cost,
    valid: counts.valid,
    distinct,
    answered: distinct - toAsk,
    quota: quota ? ({ key: 'cli.log.startQuota', params: { text: quotaMessage(quota) } } as const) : '',
  } as const;
  const fields = { plan: account.plan, creditsLeft: account.creditsLeft, maxCost, rows: counts.rows };
  logger.info(...said('cli.log.start', start, { ...fields, rate, burst, concurrency, rateFrom: from, quota }));
  if (quota?.exceeds) logger.warn(...said('cli.log.quotaExceeded', { toAsk, quota: quota.monthlyQuota }, { quota }));
  if (account.creditsLeft !== undefined && account.creditsLeft < maxCost) {
    const covered = contactsCovered(account.creditsLeft, toAsk, cost);
    const values = { left: account.creditsLeft, covered, toAsk, cost };
    logger.warn(...said('cli.log.creditsShort', values, { creditsLeft: account.creditsLeft, covered, toAsk }));
  }
  return { account, rate, burst, concurrency, quota };
}

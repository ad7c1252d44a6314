import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api/client.js';
import { decide, type DecideContext } from '../api/outcome.js';
import { effectsOf, type Effects } from './attempt-effects.js';
import { ENDPOINT_COST } from '../api/plans.js';
import type { Contact } from '../contact/normalize.js';
import { reason, reasonText } from '../contact/reason.js';
import { render, type Lang, type Message } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { Sharing } from '../sharing/sharing.js';
import type { ClaimedNow, Lookup } from '../sharing/types.js';
import type { Answer } from '../output/answer.js';
import type { Budget } from './budget.js';
import type { EnrichConfig } from '../options/config.js';
import type { RateLimiter } from '../rate/limiter.js';
import type { RateShare } from '../rate/share.js';
import type { ApiReply } from '../api/reply.js';
import type { StopFacts } from './run-summary.js';
import type { RunStats } from './stats.js';
import { stopText } from './stop-facts.js';

export interface RequesterDeps {
  config: EnrichConfig;
  client: ApiClient;
  limiter: RateLimiter;
  /** The rule that shares the key's rate with runs this one cannot see. */
  share: RateShare;
  /** Claims, and where outcomes are written (see `openSharing`). */
  sharing: Sharing;
  /** What to do with another run's answer (found as the request would leave), or a dead run's request taken over. */
  stored: { reuse: (lookup: Extract<Lookup, { state: 'final' }>) => Answer; takeover: () => void };
  budget: Budget;
  stats: RunStats;
  logger: Logger;
  /** Aborted once the run stops taking new requests. */
  halted: AbortSignal;
  stop(facts: StopFacts, words?: Message): void;
}

/** What a limiter job brings back: the API's reply, or why no request left (see `sendOnce`). */
type Sent = ApiReply | Exclude<ClaimedNow, { kind: 'claimed' | 'stopped' }> | Held | undefined;

/**
 * Asks Fluence about one person until there is a final answer, the attempts are spent, or the
 * run stops. Each attempt is its own limiter job (a token each); the checkpoint learns "started"
 * before the request leaves and the outcome as soon as it is known.
 */
export async function ask(deps: RequesterDeps, contact: Contact, key: string): Promise<Answer> {
  const { halted } = deps;
  const cost = ENDPOINT_COST[deps.config.endpoint];
  const row: RowState = { attempt: 0, credits: 0, lastError: '', lastStatus: undefined };
  for (;;) {
    if (halted.aborted) return unanswered(deps, row, 'pending');
    const reply = await deps.limiter.schedule(() => sendOnce(deps, contact, key, cost), halted);
    if (reply === undefined) return unanswered(deps, row, 'pending');
    if (reply.kind !== 'http' && reply.kind !== 'network') {
      const found = await noRequest(deps, key, reply);
      if (found === 'again') continue;
      return found ?? unanswered(deps, row, 'pending');
    }
    const effects = effectsOf(decide(reply, decideContext(deps.config, row)), cost);
    carryOut(deps, key, row, effects);
    const { next } = effects;
    if (next.kind === 'answer')
      return {
        status: next.status,
        httpStatus: next.httpStatus,
        credits: row.credits,
        error: next.error,
        analiseJson: next.analiseJson,
      };
    if (next.kind === 'end') return unanswered(deps, row, next.status);
    if (!(await pause(next.delayMs, halted))) return unanswered(deps, row, 'pending');
  }
}

/**
 * One attempt, as a limiter job (it holds a token): the budget, the claim, then the request.
 * Undefined when the run stopped; else the reply, or why no request left.
 */
async function sendOnce(deps: RequesterDeps, contact: Contact, key: string, cost: number): Promise<Sent> {
  const { sharing, budget, stats, halted } = deps;
  if (halted.aborted) return undefined;
  // The money first: a request the budget has no room for is neither claimed nor sent. Held
  // before the claim, so that the claim can say "started" in the same step (Redis: one
  // script looks, claims and marks it), and given back if the claim finds it another's.
  const room = reserve(deps, cost);
  if (room !== true) return room;
  // The claim is made as the request leaves, so no other run is asking it. (A checkpoint of the
  // run's own claims at once: no wait between the stop's check and the request.)
  const claim = sharing.claimNow(key, halted);
  const now = claim instanceof Promise ? await claim : claim;
  if (now.kind !== 'claimed') {
    budget.settle(cost, 0);
    deps.limiter.refund(1);
    return now.kind === 'stopped' ? undefined : now;
  }
  if (now.uncertain) deps.stored.takeover();
  sharing.markStarted(key);
  stats.sent();
  const ticket = deps.share.ticket(Date.now());
  const started = performance.now();
  const answer = await deps.client.postCrm(deps.config.endpoint, contact);
  stats.observeLatency(performance.now() - started);
  // What the server's bucket says about the others using the key: the limiter's bucket
  // follows. A 429 says it too (the bucket was empty as it arrived), and that this request
  // took no token: unsaid, each 429 of ours would read as a token the others did not take.
  if (answer.kind === 'http')
    deps.limiter.followServer(deps.share, ticket, answer.rate.remaining, answer.status === 429);
  return answer;
}

/**
 * No request left: another run's answer (reused), or 'again' once what stood in the way has
 * passed, or undefined when the run stopped while waiting.
 */
async function noRequest(
  deps: RequesterDeps,
  key: string,
  reply: Exclude<Sent, ApiReply | undefined>,
): Promise<Answer | 'again' | undefined> {
  const { halted } = deps;
  switch (reply.kind) {
    case 'creditsHeld':
      // The credits are held by requests in flight: look again once one of them ends.
      return (await untilSettled(reply.settled, halted)) ? 'again' : undefined;
    case 'answered':
      return deps.stored.reuse(reply.lookup);
    case 'unavailable':
      // The store runs meet in did not answer (Redis away): nothing left; look again once it is back.
      return (await pause(250, halted)) ? 'again' : undefined;
    case 'held':
      // Another run took it between our look and our token: wait for its answer, then look again.
      return (await deps.sharing.waitFor(key, halted)) ? 'again' : undefined;
  }
}

/** What `decide` is told about the attempt that produced a reply. */
function decideContext(config: EnrichConfig, row: RowState): DecideContext {
  return {
    endpoint: config.endpoint,
    attempt: row.attempt + 1,
    policy: config.retry,
    nowMs: Date.now(),
    maxRateWaitMs: config.maxRateWaitMs,
    baseUrl: config.baseUrl,
  };
}

/**
 * A row's error when the run's own words say it, in the reader's language: the quota's stop, a
 * fatal answer (a refused key, a wrong address). Undefined for an API's answer, which keeps its words.
 */
function rowError(effects: Effects, lang: Lang): string | undefined {
  if (effects.stop?.reason === 'quota') return stopText(effects.stop, lang);
  return effects.fatalWords && render(lang, effects.fatalWords);
}

/** The row without a final answer: what its last attempt said, or why none was made. */
function unanswered(deps: RequesterDeps, row: RowState, status: 'failed' | 'pending'): Answer {
  return {
    status,
    httpStatus: row.lastStatus,
    credits: row.credits,
    // Never sent: a reason of the run's own, in its language (an API's answer stays the API's words).
    error:
      row.lastError ||
      reasonText(reason('rows.notAttempted', { why: deps.stats.stopReason ?? 'stopped' }), deps.config.lang),
    analiseJson: '',
  };
}

/** Waits `ms`; false when the run stops first. */
async function pause(ms: number, halted: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: halted });
    return true;
  } catch {
    return false;
  }
}

/**
 * Holds `cost` in the budget: true, or the wait for the credits held by requests in flight (its
 * token given back), or undefined when the budget has no room (the run stops).
 */
function reserve(deps: RequesterDeps, cost: number): true | Held | undefined {
  const { budget } = deps;
  const room = budget.reserveOrWait(cost);
  if (room === true) return true;
  if (room instanceof Promise) {
    deps.limiter.refund(1);
    return { kind: 'creditsHeld', settled: room };
  }
  deps.stop(budget.full(cost));
  return undefined;
}

/** The account's credits are all held by requests in flight: `settled` resolves when one ends. */
interface Held {
  kind: 'creditsHeld';
  settled: Promise<void>;
}

/** Waits for `settled`; false when the run stops first. */
function untilSettled(settled: Promise<void>, halted: AbortSignal): Promise<boolean> {
  if (halted.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onHalt = (): void => resolve(false);
    halted.addEventListener('abort', onHalt, { once: true });
    void settled.then(() => {
      halted.removeEventListener('abort', onHalt);
      resolve(true);
    });
  });
}

/** What a row's attempts have come to so far. */
interface RowState {
  attempt: number;
  /** Credits the row has cost in this run. */
  credits: number;
  lastError: string;
  lastStatus: number | undefined;
}

/** Carries out an attempt's effects (see `attempt-effects.ts`): the budget, the counters, the store, the run. */
function carryOut(deps: RequesterDeps, key: string, row: RowState, effects: Effects): void {
  const { sharing, stats } = deps;
  const cost = ENDPOINT_COST[deps.config.endpoint];
  if (effects.attempt) row.attempt += 1;
  deps.budget.settle(cost, effects.spent);
  if (effects.uncertain) {
    stats.uncertain += 1;
    stats.creditsMaybeUsed += cost;
    sharing.countUncertain();
  }
  row.credits += effects.charged;
  stats.creditsUsed += effects.charged;
  if (effects.creditsLeft !== undefined) stats.creditsLeft = effects.creditsLeft;
  const delayMs = effects.next.kind === 'again' ? effects.next.delayMs : 0;
  if (effects.counter === 'throttled') {
    stats.throttled();
    deps.logger.debug(
      { waitMs: delayMs, inFlight: deps.limiter.running },
      'rate limited (429): waiting, then back through the limiter',
    );
    void deps.limiter.throttled();
  } else if (effects.counter === 'retried') {
    stats.retried();
    deps.logger.debug(
      { attempt: row.attempt, delayMs, error: effects.last?.error, uncertain: effects.uncertain },
      'transient failure: retrying',
    );
  }
  // The quota's 429 is no rate limit (nothing is retried): counted as the quota's refusal.
  if (effects.stop?.reason === 'quota') stats.quotaRefused += 1;
  if (effects.last) {
    row.lastError = rowError(effects, deps.config.lang) ?? effects.last.error;
    if ('httpStatus' in effects.last) row.lastStatus = effects.last.httpStatus;
  }
  const { record } = effects;
  if (record.kind === 'final') sharing.saveFinal(key, record.result);
  else if (record.kind === 'held') sharing.markHeld(key, record.error);
  else sharing.markUnanswered(key, record.error);
  if (effects.stop) deps.stop(effects.stop, effects.fatalWords);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api/client.js';
import { decide } from '../api/outcome.js';
import { ENDPOINT_COST } from '../api/plans.js';
import type { Contact } from '../contact/normalize.js';
import type { Logger } from '../log.js';
import type { Sharing } from '../sharing/sharing.js';
import type { ClaimedNow, Lookup } from '../sharing/types.js';
import type { Answer } from './answer.js';
import type { Budget } from './budget.js';
import type { EnrichConfig } from '../options/config.js';
import type { RateLimiter } from './limiter.js';
import type { RateShare } from '../rate/share.js';
import type { ApiReply } from '../api/reply.js';
import type { RunStats, StopReason } from './stats.js';

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
  stop(reason: StopReason, message: string, code?: string): void;
}

/**
 * Asks Fluence about one person until there is a final answer, the attempts are spent, or the
 * run stops. Each attempt is its own limiter job (a token each); the checkpoint learns "started"
 * before the request leaves and the outcome as soon as it is known.
 */
export async function ask(deps: RequesterDeps, contact: Contact, key: string): Promise<Answer> {
  const { config, sharing, budget, stats, halted } = deps;
  const { endpoint } = config;
  const cost = ENDPOINT_COST[endpoint];
  let attempt = 0;
  let credits = 0;
  let lastError = '';
  let lastStatus: number | undefined;
  const unanswered = (status: 'failed' | 'pending'): Answer => ({
    status,
    httpStatus: lastStatus,
    credits,
    error: lastError || `not attempted: the run stopped (${stats.stopReason ?? 'stopped'})`,
    analiseJson: '',
  });
  const pause = async (ms: number): Promise<boolean> => {
    try {
      await sleep(ms, undefined, { signal: halted });
      return true;
    } catch {
      return false;
    }
  };

  for (;;) {
    if (halted.aborted) return unanswered('pending');
    const reply = await deps.limiter.schedule(async (): Promise<ApiReply | Exclude<ClaimedNow, { kind: 'claimed' | 'stopped' }> | undefined> => {
      if (halted.aborted) return undefined;
      // The claim is made as the request leaves, so no other run is asking it. (A checkpoint of the
      // run's own claims at once: no wait between the stop's check and the request.)
      const claim = sharing.claimNow(key, halted);
      const now = claim instanceof Promise ? await claim : claim;
      if (now.kind !== 'claimed') {
        deps.limiter.refund(1);
        return now.kind === 'stopped' ? undefined : now;
      }
      if (now.uncertain) deps.stored.takeover();
      if (!budget.reserve(cost)) {
        deps.stop('budget', `the --max-credits budget of ${budget.limit} has no room for another request at ${cost} credits (${budget.spent} spent or possibly spent, ${budget.reserved} held by requests in flight)`);
        return undefined;
      }
      sharing.markStarted(key);
      stats.sent();
      const ticket = deps.share.ticket(Date.now());
      const started = performance.now();
      const answer = await deps.client.postCrm(endpoint, contact);
      stats.observeLatency(performance.now() - started);
      if (answer.kind === 'http' && answer.status !== 429 && !deps.limiter.clustered) {
        // What the server's bucket says about the others using the key: our share follows. (A
        // 429 reads 0 whoever emptied the bucket, the first burst's own stragglers included: the
        // limiter empties its bucket for it, and the next answers tell who else is there.) Not with
        // a bucket in Redis: it counts every run already, and N runs reading one deficit would
        // take it N times.
        const { correction, ownRate } = deps.share.observe(ticket, answer.rate.remaining);
        if (correction > 0) void deps.limiter.take(correction);
        deps.limiter.rate = ownRate;
      }
      return answer;
    }, halted);
    if (reply === undefined) return unanswered('pending');
    if (reply.kind === 'answered') return deps.stored.reuse(reply.lookup);
    if (reply.kind === 'unavailable') {
      // The shared store did not answer (Redis away): nothing left; look again once it is back.
      if (!(await pause(250))) return unanswered('pending');
      continue;
    }
    if (reply.kind === 'held') {
      // Another run took it between our look and our token: wait for its answer, then look again.
      if (!(await sharing.waitFor(key, halted))) return unanswered('pending');
      continue;
    }
    attempt += 1;
    const decision = decide(reply, { endpoint, attempt, policy: config.retry, nowMs: Date.now(), maxRateWaitMs: config.maxRateWaitMs, baseUrl: config.baseUrl });

    switch (decision.kind) {
      case 'final': {
        budget.settle(cost, decision.credits);
        credits += decision.credits;
        stats.creditsUsed += decision.credits;
        if (decision.creditsLeft !== undefined) stats.creditsLeft = decision.creditsLeft;
        const analiseJson = decision.analise === undefined ? '' : JSON.stringify(decision.analise);
        sharing.saveFinal(key, { status: decision.status, httpStatus: decision.httpStatus, credits: decision.credits, error: decision.error, analise: analiseJson });
        return { status: decision.status, httpStatus: decision.httpStatus, credits, error: decision.error, analiseJson };
      }
      case 'wait':
        // Throttled, not an attempt: the same request goes back through the limiter.
        attempt -= 1;
        budget.settle(cost, 0);
        stats.throttled();
        deps.logger.debug({ waitMs: decision.delayMs, inFlight: deps.limiter.running }, 'rate limited (429): waiting, then back through the limiter');
        void deps.limiter.throttled();
        sharing.markHeld(key, 'rate limited');
        if (!(await pause(decision.delayMs))) return unanswered('pending');
        continue;
      case 'retry':
        budget.settle(cost, decision.uncertain ? cost : 0);
        if (decision.uncertain) {
          stats.uncertain += 1;
          stats.creditsMaybeUsed += cost;
          sharing.countUncertain();
        }
        stats.retried();
        deps.logger.debug({ attempt, delayMs: decision.delayMs, error: decision.error, uncertain: decision.uncertain }, 'transient failure: retrying');
        lastError = decision.error;
        lastStatus = decision.httpStatus;
        sharing.markHeld(key, decision.error);
        if (!(await pause(decision.delayMs))) return unanswered('pending');
        continue;
      case 'failed':
        budget.settle(cost, decision.uncertain ? cost : decision.credits);
        if (decision.uncertain) {
          stats.uncertain += 1;
          stats.creditsMaybeUsed += cost;
          sharing.countUncertain();
        }
        credits += decision.credits;
        stats.creditsUsed += decision.credits;
        lastError = decision.error;
        lastStatus = decision.httpStatus;
        sharing.markUnanswered(key, decision.error);
        return unanswered('failed');
      case 'stop':
        budget.settle(cost, 0);
        sharing.markUnanswered(key, decision.error);
        lastError = decision.error;
        lastStatus = decision.httpStatus;
        deps.stop(decision.reason, decision.error);
        return unanswered('pending');
      case 'fatal':
        budget.settle(cost, 0);
        sharing.markUnanswered(key, decision.message);
        lastError = decision.message;
        deps.stop('fatal', decision.message, decision.code);
        return unanswered('pending');
    }
  }
}

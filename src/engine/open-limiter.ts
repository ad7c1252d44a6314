import { message } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { SharedBucketPlace } from '../rate/bucket.js';
import { RateLimiter } from '../rate/limiter.js';
import { RateShare } from '../rate/share.js';
import type { Closers } from './closers.js';
import type { RunPlan } from './plan.js';

/**
 * The run's rate limiter, ready to hand out tokens, stopped with the run's other resources.
 * `shared`: the key's bucket in Redis, one for every run on the key; without it the bucket is
 * this run's (`chooseBucket` says at which rate each refills).
 */
export async function openLimiter(
  plan: RunPlan,
  shared: SharedBucketPlace | undefined,
  closers: Closers,
  logger: Logger,
): Promise<{ limiter: RateLimiter; share: RateShare }> {
  const { rate, burst } = plan;
  const remaining = Math.min(burst, plan.account.remaining ?? burst);
  // A bucket found less than half full at the start: someone else is using the key. Start from
  // what they seem to leave and let the answers say more.
  const share = new RateShare({
    rate,
    burst,
    initial: remaining,
    othersAtStart: remaining < burst / 2 ? rate * (1 - remaining / burst) : 0,
    nowMs: Date.now(),
  });
  // The first burst reaches the server over a few hundred ms (connections open one by one),
  // while its full bucket loses that time's refill: start 0.1 s of rate short, once per run.
  const initial = Math.max(1, remaining - Math.ceil(rate * 0.1));
  const limiter = new RateLimiter({
    rate,
    burst,
    initial,
    maxConcurrent: plan.concurrency,
    share,
    cluster: shared,
  });
  limiter.onError = (error) =>
    logger.debug({ err: (error as Error).message }, 'Redis call failed (the rate limiter tries again)');
  closers.push(message('cli.closing.rateLimiter'), () => limiter.stop());
  await limiter.ready();
  return { limiter, share };
}

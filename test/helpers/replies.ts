import type { DecideContext } from '../../src/api/outcome.js';
import type { ApiReply } from '../../src/api/reply.js';
import { DEFAULT_RETRY_POLICY } from '../../src/api/retry-delay.js';

/** Rate-limit headers of an answer with room left. */
export const rate = { limit: 500, remaining: 10, reset: undefined, retryAfter: undefined };

/** An HTTP answer with `status` and `body`, as the client hands it to `decide`. */
export const http = (
  status: number,
  body: unknown,
  extra: Partial<Extract<ApiReply, { kind: 'http' }>> = {},
): ApiReply => ({
  kind: 'http',
  status,
  body,
  bodyError: undefined,
  rate,
  ...extra,
});

/** A first attempt on /crm at time 0, with the default retry policy and no jitter. */
export const ctx = (over: Partial<DecideContext> = {}): DecideContext => ({
  endpoint: 'crm',
  attempt: 1,
  policy: DEFAULT_RETRY_POLICY,
  nowMs: 0,
  maxRateWaitMs: 300_000,
  random: () => 0.5,
  ...over,
});

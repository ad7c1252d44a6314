export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  maxAttempts: number;
  /** Delay before the second attempt, before jitter. @default 1000 */
  baseDelayMs: number;
  /** Longest delay between attempts. @default 30000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * How long to wait after failed attempt number `attempt` (1-based), or undefined when the
 * attempts are spent. Exponential, capped, with jitter over the upper half so a crowd of rows
 * that failed together does not come back together.
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long a 429 asks us to wait: `Retry-After` when given, else until `X-RateLimit-Reset`,
 * else one second.
 */
export function rateLimitWait(
  rate: { retryAfter: number | undefined; reset: number | undefined },
  nowMs: number,
): number {
  if (rate.retryAfter !== undefined) return Math.max(0, rate.retryAfter * 1000);
  if (rate.reset !== undefined) return Math.max(0, rate.reset * 1000 - nowMs);
  return 1000;
}

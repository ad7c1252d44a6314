export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** When the bucket will be full again (ms since epoch). */
  fullAtMs: number;
  /** How long until one token is available; 0 when allowed. */
  waitMs: number;
}

/**
 * A token bucket: `rate` tokens per second refill continuously up to `burst`. Time comes from
 * `now` so tests can drive it with a fake clock.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #updatedAt: number;
  readonly #now: () => number;

  constructor(rate: number, burst: number, now: () => number) {
    this.rate = rate;
    this.burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  take(): TakeResult {
    const now = this.#now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) * this.rate) / 1000);
    this.#updatedAt = now;
    const allowed = this.#tokens >= 1;
    if (allowed) this.#tokens -= 1;
    const fullAtMs = now + ((this.burst - this.#tokens) * 1000) / this.rate;
    const waitMs = allowed ? 0 : ((1 - this.#tokens) * 1000) / this.rate;
    return { allowed, remaining: Math.floor(this.#tokens), fullAtMs, waitMs };
  }
}

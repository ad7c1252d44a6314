import Bottleneck from 'bottleneck';

export interface RateLimiterOptions {
  /** Requests per second. */
  rate: number;
  /** Most requests released at once after a quiet spell. */
  burst: number;
  /** Tokens at the start (e.g. `X-RateLimit-Remaining` of the preflight). @default burst */
  initial?: number;
  /** Requests in flight at most. */
  maxConcurrent: number;
  /** Refill period. @default 50 */
  tickMs?: number;
}

/**
 * A token bucket in front of the API, matching the server's own (rate/s, capacity burst), on
 * Bottleneck's reservoir. Bottleneck's own `reservoirIncrease*` adds a fixed amount per
 * heartbeat, so timer drift would lose rate; we refill from elapsed time instead. Every attempt (retries and 429 re-queues included) is a new
 * job, so each one spends a token: Bottleneck's `retryCount` would bypass the reservoir.
 */
export class RateLimiter {
  readonly rate: number;
  readonly burst: number;
  readonly #bottleneck: Bottleneck;
  readonly #timer: NodeJS.Timeout;
  #last = Date.now();
  #carry = 0;

  constructor(options: RateLimiterOptions) {
    this.rate = options.rate;
    this.burst = options.burst;
    this.#bottleneck = new Bottleneck({ reservoir: Math.min(options.burst, options.initial ?? options.burst), maxConcurrent: options.maxConcurrent });
    this.#timer = setInterval(() => void this.#refill(), options.tickMs ?? 50);
    this.#timer.unref();
  }

  /**
   * Mirrors the server's bucket: whole tokens live in Bottleneck's reservoir, the fraction in
   * `#carry`, and refill stops at `burst` (what overflows a full bucket is lost, as on the
   * server). Jobs only take from the reservoir meanwhile, so a stale reading can only under-fill.
   */
  async #refill(): Promise<void> {
    const now = Date.now();
    const elapsed = now - this.#last;
    this.#last = now;
    const current = (await this.#bottleneck.currentReservoir()) ?? 0;
    const level = Math.min(this.burst, current + this.#carry + (elapsed * this.rate) / 1000);
    const whole = Math.floor(level);
    this.#carry = level - whole;
    if (whole > current) await this.#bottleneck.incrementReservoir(whole - current);
  }

  /** Runs `job` once a token and a concurrency slot are free. */
  schedule<T>(job: () => Promise<T>): Promise<T> {
    return this.#bottleneck.schedule(job);
  }

  /** Jobs waiting for a token or a slot. */
  get waiting(): number {
    const counts = this.#bottleneck.counts();
    return (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0);
  }

  /** Jobs released (running now). */
  get running(): number {
    const counts = this.#bottleneck.counts();
    return (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#bottleneck.stop({ dropWaitingJobs: false });
  }
}

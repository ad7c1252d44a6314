import type { RateBucket, SharedBucketPlace } from './bucket.js';
import { chooseBucket } from './choose-bucket.js';
import type { RateShare, Ticket } from './share.js';

/** Most requests released in one go before the event loop gets a turn. */
const MAX_BATCH = 64;

interface Waiter {
  release: () => void;
  /** Aborted while waiting: skipped when reached. */
  cancelled: boolean;
}

export interface RateLimiterOptions {
  /** Requests per second. */
  rate: number;
  /** Most requests released at once after a quiet spell. */
  burst: number;
  /** Tokens at the start (e.g. `X-RateLimit-Remaining` of the preflight). @default burst */
  initial?: number;
  /** Requests in flight at most. */
  maxConcurrent: number;
  /** Refill period of a local bucket. @default 50 */
  tickMs?: number;
  /**
   * The rule this run follows to share the key with runs it cannot see: a bucket of its own
   * refills at the share's rate, not `rate`; both engines leave a reserve (see `chooseBucket`).
   */
  share?: RateShare;
  /**
   * One bucket for every run on the key, kept in Redis by Bottleneck's clustering: `id` names
   * it (a hash of the key), `connection` is the run's Redis. Without it, the bucket is this run's.
   */
  cluster?: SharedBucketPlace;
}

/**
 * A token bucket in front of the API, matching the server's own (rate/s, capacity burst), plus a
 * cap on requests in flight. The bucket is this run's or shared in Redis (`chooseBucket`); this
 * class never asks which.
 *
 * Each job Bottleneck drains (the Redis bucket) waits a timer turn (~1 ms), so one job per request
 * tops out near 1,000 requests/s, short of the top plans: waiting requests take their tokens in batches, one
 * take per batch (the bucket is charged the batch's size, so its bound holds exactly). Every
 * attempt (retries and 429 re-queues included) asks for its own token.
 */
export class RateLimiter {
  #maxConcurrent: number;
  readonly #bucket: RateBucket;
  /** Requests waiting for a token, oldest first; cancelled ones are skipped when reached. */
  #waiters: Waiter[] = [];
  #head = 0;
  #cancelled = 0;
  #running = 0;
  #pumping = false;
  #stopped = false;
  /** Called when a bucket call fails (Redis away; the pump retries until it is back or the run stops). */
  onError: (error: unknown) => void = () => undefined;

  constructor(options: RateLimiterOptions) {
    this.#maxConcurrent = options.maxConcurrent;
    this.#bucket = chooseBucket({
      rate: options.rate,
      capacity: options.burst,
      initial: options.initial ?? options.burst,
      tickMs: options.tickMs ?? 50,
      shared: options.cluster,
      share: options.share,
      onError: (error) => this.onError(error),
    });
  }

  /** Resolves once the bucket can be used (a shared one: it exists, refilling at this plan's rate). */
  ready(): Promise<void> {
    return this.#bucket.ready();
  }

  /**
   * Runs `job` once a token and an in-flight slot are free. Resolves `undefined` without running
   * it when `signal` aborts first (the run stopped: the request must not be sent).
   */
  async schedule<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) return undefined;
    const released = await new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        waiter.cancelled = true;
        this.#cancelled += 1;
        resolve(false);
      };
      const waiter: Waiter = {
        release: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
        cancelled: false,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      void this.#pump();
    });
    if (!released) return undefined;
    try {
      return await job();
    } finally {
      this.#running -= 1;
      void this.#pump();
    }
  }

  /** Hands out tokens to waiters, a batch per take, while slots are free. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#stopped && this.waiting > 0 && this.#running < this.#maxConcurrent) {
        // At most a few dozen at a time, letting the event loop send them between batches: a
        // thousand released at once would leave late, all together, onto a bucket already spent.
        const wanted = Math.min(this.waiting, this.#maxConcurrent - this.#running, MAX_BATCH);
        let batch = 0;
        try {
          batch = await this.#batchSize(wanted);
          // Counted as running before the wait so concurrent pumps cannot overshoot the cap.
          this.#running += batch;
          await this.#bucket.take(batch);
        } catch (error) {
          this.#running -= batch;
          // stop() drops the batch waiting for tokens; its waiters are never released.
          if (this.#stopped) return;
          // The bucket's store failed the call (Redis away): nothing was taken. Try again while
          // the run waits for it (the run decides how long).
          this.onError(error);
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        let given = 0;
        while (given < batch && this.#head < this.#waiters.length) {
          const waiter = this.#waiters[this.#head++]!;
          if (waiter.cancelled) {
            this.#cancelled -= 1;
            continue;
          }
          waiter.release();
          given += 1;
        }
        if (given < batch) {
          // Waiters cancelled while the batch waited: give their tokens back.
          this.#running -= batch - given;
          this.refund(batch - given);
        }
        if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
          this.#waiters = this.#waiters.slice(this.#head);
          this.#head = 0;
        }
        if (batch === MAX_BATCH) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * How many tokens the next batch takes: what the bucket holds, up to `wanted`; from an empty
   * bucket, what its next refill frees (`emptyBatch`), so the batch that waits takes it all.
   */
  async #batchSize(wanted: number): Promise<number> {
    const available = await this.#bucket.level();
    return Math.min(wanted, available >= 1 ? available : this.#bucket.emptyBatch);
  }

  /**
   * The server just answered 429: its bucket is empty, whatever ours says (requests arrive later
   * than we release them, and a full server bucket loses the refill we counted meanwhile).
   * Empty ours too so the requests behind do not meet the same answer.
   */
  throttled(): Promise<void> {
    return this.#bucket.empty();
  }

  /**
   * An answer brought the server's `X-RateLimit-Remaining`: the bucket learns from it what runs
   * it cannot see take, by the `share` rule (`ticket` is what `share` noted as the request left;
   * `refused`: the answer was a 429).
   */
  followServer(share: RateShare, ticket: Ticket, remaining: number | undefined, refused = false): void {
    this.#bucket.followServer(share, ticket, remaining, refused);
  }

  /** A token taken for a request that did not leave (another run had claimed it): back to the bucket. */
  refund(tokens: number): void {
    if (!this.#stopped) this.#bucket.giveBack(tokens);
  }

  /** Changes the in-flight cap (e.g. as observed latency changes). */
  set maxConcurrent(value: number) {
    this.#maxConcurrent = Math.max(1, Math.floor(value));
    void this.#pump();
  }

  get maxConcurrent(): number {
    return this.#maxConcurrent;
  }

  /** Requests waiting for a token or a slot. */
  get waiting(): number {
    return this.#waiters.length - this.#head - this.#cancelled;
  }

  /** Requests released and not yet finished. */
  get running(): number {
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#bucket.stop();
  }
}

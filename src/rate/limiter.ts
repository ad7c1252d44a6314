import Bottleneck from 'bottleneck';

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
  /** Refill period. @default 50 */
  tickMs?: number;
  /** Tokens never spent, left in the server's bucket (see `RateShare.reserve`). @default 0 */
  reserve?: number;
  /**
   * One bucket for every run on the key, kept in Redis by Bottleneck's clustering: `id` names
   * it (a hash of the key), `connection` is the run's Redis. Refilled by Bottleneck's scripts on
   * Redis's clock, so N processes refill it once, not N times.
   */
  cluster?: { connection: Bottleneck.IORedisConnection; id: string };
}

/**
 * Cluster mode: how often each process asks Redis for news. Bottleneck wakes a limiter whose
 * jobs wait for an empty reservoir only at its heartbeat: at the default 5 s, a 100/s bucket gave
 * 20/s (measured); every 100 ms a burst of 2 x rate never runs dry between two looks.
 */
const CLUSTER_HEARTBEAT_MS = 100;
/** Cluster mode: the refill step Redis adds (integer tokens; the interval then gives the exact rate). */
const refillStep = (rate: number): { amount: number; intervalMs: number } => {
  const amount = Math.max(1, Math.round(rate / 20));
  return { amount, intervalMs: (amount * 1000) / rate };
};
/** Cluster mode: Redis keys of a bucket nobody used for this long are dropped (a later run starts it afresh). */
const CLUSTER_IDLE_MS = 5 * 60_000;

/**
 * A token bucket in front of the API, matching the server's own (rate/s, capacity burst), kept
 * in Bottleneck's reservoir, plus a cap on requests in flight.
 *
 * Two Bottleneck habits shape it. Each job Bottleneck drains waits a timer turn (~1 ms), so one
 * job per request tops out near 1,000 requests/s, short of the top plans: waiting requests take
 * their tokens in batches, one weighted job per batch (the reservoir is charged the batch's
 * size, so the bucket's bound holds exactly). And `reservoirIncrease*` adds a fixed amount per
 * heartbeat, so timer drift would lose rate: we refill from elapsed time instead. Every attempt
 * (retries and 429 re-queues included) asks for its own token; Bottleneck's `retryCount` would
 * bypass the reservoir.
 *
 * With `cluster`, the bucket is Bottleneck's in Redis, shared by every run on the key: Redis's
 * own reservoir increase refills it (on Redis's clock, once for all processes), so no local
 * refill; the in-flight cap and the batching stay per process.
 */
export class RateLimiter {
  /** Refill rate now: the plan's, or this run's share of it when others use the key too. */
  rate: number;
  /** The bucket's capacity here: the plan's burst less the reserve. */
  readonly burst: number;
  #maxConcurrent: number;
  readonly #bottleneck: Bottleneck;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #tickMs: number;
  #last = Date.now();
  #carry = 0;
  /** Requests waiting for a token, oldest first; cancelled ones are skipped when reached. */
  #waiters: Waiter[] = [];
  #head = 0;
  #cancelled = 0;
  #running = 0;
  #pumping = false;
  #stopped = false;
  /** The bucket is Redis's, shared by every run on the key (see `cluster`). */
  readonly clustered: boolean;
  /** Called when Redis fails a call (the pump retries until Redis is back or the run stops). */
  onError: (error: unknown) => void = () => undefined;

  constructor(options: RateLimiterOptions) {
    this.rate = options.rate;
    const reserve = Math.floor(options.reserve ?? 0);
    this.burst = Math.max(1, options.burst - reserve);
    this.#maxConcurrent = options.maxConcurrent;
    const reservoir = Math.max(0, Math.min(options.burst, options.initial ?? options.burst) - reserve);
    this.#tickMs = options.tickMs ?? 50;
    this.clustered = options.cluster !== undefined;
    if (options.cluster) {
      const { amount, intervalMs } = refillStep(options.rate);
      // `reservoir` applies only when this run creates the bucket; runs joining keep its level.
      this.#bottleneck = new Bottleneck({
        id: options.cluster.id,
        datastore: 'ioredis',
        connection: options.cluster.connection,
        clearDatastore: false,
        reservoir,
        reservoirIncreaseAmount: amount,
        reservoirIncreaseInterval: intervalMs,
        reservoirIncreaseMaximum: this.burst,
        heartbeatInterval: CLUSTER_HEARTBEAT_MS,
        timeout: CLUSTER_IDLE_MS,
      });
      this.#bottleneck.on('error', (error) => this.onError(error));
      // Bottleneck's heartbeat does not recreate a bucket Redis lost (a restart without its data,
      // or keys expired while every run waited on claims), and its waiting jobs then wait for
      // ever: any other call recreates it, and the next heartbeat wakes them.
      this.#timer = setInterval(() => {
        if (this.waiting > 0) this.#bottleneck.currentReservoir().catch((error: unknown) => this.onError(error));
      }, 1000);
      this.#timer.unref();
    } else {
      this.#bottleneck = new Bottleneck({ reservoir });
      // Not unref'd: while requests wait for tokens, this timer is what keeps the process alive.
      this.#timer = setInterval(() => void this.#refill(), this.#tickMs);
    }
  }

  /**
   * Cluster mode: waits for the shared bucket, then makes its refill this plan's (a bucket left
   * by runs on another plan follows the key's plan now; its level is kept).
   */
  async ready(): Promise<void> {
    if (!this.clustered) return;
    await this.#bottleneck.ready();
    const { amount, intervalMs } = refillStep(this.rate);
    await this.#bottleneck.updateSettings({ reservoirIncreaseAmount: amount, reservoirIncreaseInterval: intervalMs, reservoirIncreaseMaximum: this.burst });
  }

  /**
   * Mirrors the server's bucket: whole tokens live in Bottleneck's reservoir, the fraction in
   * `#carry`, and refill stops at `burst` (what overflows a full bucket is lost, as on the
   * server). Batches only take from the reservoir meanwhile, so a stale reading can only under-fill.
   */
  async #refill(): Promise<void> {
    const now = Date.now();
    // A late tick means this process was busy (opening a thousand requests takes a while):
    // what we released before has not reached the server yet, whose full bucket loses that
    // time's refill. Credit at most two periods, or those requests would land with the next
    // ones on a bucket that never got the tokens.
    const elapsed = Math.min(now - this.#last, 2 * this.#tickMs);
    this.#last = now;
    const current = (await this.#bottleneck.currentReservoir()) ?? 0;
    const level = Math.min(this.burst, current + this.#carry + (elapsed * this.rate) / 1000);
    const whole = Math.floor(level);
    this.#carry = level - whole;
    if (whole > current) await this.#bottleneck.incrementReservoir(whole - current);
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

  /** Hands out tokens to waiters, a batch per Bottleneck job, while slots are free. */
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
          await this.#bottleneck.schedule({ weight: batch }, async () => undefined);
        } catch (error) {
          this.#running -= batch;
          // stop() drops the batch waiting for tokens; its waiters are never released.
          if (this.#stopped) return;
          if (!this.clustered) throw error;
          // Redis failed the call: nothing was taken. Try again while the run waits for Redis.
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
   * How many tokens the next batch takes: what the bucket holds, up to `wanted`. An empty local
   * bucket: one (the refill timer frees it within a tick). An empty shared bucket: what one
   * heartbeat refills, so the job that waits for the next heartbeat takes that heartbeat's
   * tokens at once rather than one.
   */
  async #batchSize(wanted: number): Promise<number> {
    const available = Math.floor((await this.#bottleneck.currentReservoir()) ?? 0);
    if (available >= 1) return Math.min(wanted, available);
    return this.clustered ? Math.min(wanted, Math.max(1, Math.floor((this.rate * CLUSTER_HEARTBEAT_MS) / 1000))) : 1;
  }

  /**
   * The server just answered 429: its bucket is empty, whatever ours says (requests arrive later
   * than we release them, and a full server bucket loses the refill we counted meanwhile).
   * Empty ours too so the requests behind do not meet the same answer.
   */
  async throttled(): Promise<void> {
    this.#carry = 0;
    // Shared bucket: every run on the key meets the same empty server bucket.
    // (Bottleneck's types say it returns the limiter; it returns a promise of it.)
    await Promise.resolve(this.#bottleneck.updateSettings({ reservoir: 0 })).catch((error: unknown) => this.onError(error));
  }

  /** The server holds `tokens` fewer than this bucket predicted (others took them): take them out here too. */
  async take(tokens: number): Promise<void> {
    const whole = Math.floor(tokens);
    if (whole <= 0 || this.#stopped) return;
    const current = (await this.#bottleneck.currentReservoir()) ?? 0;
    await this.#bottleneck.updateSettings({ reservoir: Math.max(0, current - whole) });
  }

  /** A token taken for a request that did not leave (another run had claimed it): back to the bucket. */
  refund(tokens: number): void {
    if (!this.#stopped) this.#bottleneck.incrementReservoir(tokens).catch((error: unknown) => this.onError(error));
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
    clearInterval(this.#timer);
    const stopped = this.#bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
    if (!this.clustered) return stopped;
    // Redis away: Bottleneck's stop would wait for it. The run's Redis link closes the connection.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    // (With a shared connection Bottleneck returns nothing here, not a promise.)
    await Promise.resolve(this.#bottleneck.disconnect(false)).catch(() => undefined);
  }
}

import Bottleneck from 'bottleneck';
import type { BucketOptions, RateBucket, SharedBucketPlace } from './bucket.js';

/**
 * How often each process asks Redis for news. Bottleneck wakes a limiter whose jobs wait for an
 * empty reservoir only at its heartbeat: at the default 5 s, a 100/s bucket gave 20/s
 * (measured); every 100 ms a burst of 2 x rate never runs dry between two looks.
 */
const HEARTBEAT_MS = 100;
/** Redis keys of a bucket nobody used for this long are dropped (a later run starts it afresh). */
const IDLE_MS = 5 * 60_000;
/** How often a take waiting for tokens checks that Redis still has the bucket. */
const LOST_BUCKET_CHECK_MS = 1000;
/** Longest `stop` waits for Bottleneck to stop while Redis is away. */
const STOP_WAIT_MS = 1000;

/** The refill step Redis adds: whole tokens, at the interval that then gives the exact rate. */
const refillStep = (rate: number): { reservoirIncreaseAmount: number; reservoirIncreaseInterval: number } => {
  const amount = Math.max(1, Math.round(rate / 20));
  return { reservoirIncreaseAmount: amount, reservoirIncreaseInterval: (amount * 1000) / rate };
};

/**
 * One bucket for every run on the key, kept in Redis by Bottleneck's clustering. Bottleneck's
 * own reservoir increase refills it, in Lua on Redis's clock: N processes refill it once, not
 * N times, and never in-process. Only the reservoir is used: the in-flight cap and the batching
 * stay the limiter's, per process, and every attempt is a take of its own (Bottleneck's
 * `retryCount` would bypass the reservoir).
 */
export class RedisBucket implements RateBucket {
  readonly #bottleneck: Bottleneck;
  readonly #rate: number;
  readonly #capacity: number;
  readonly #onError: (error: unknown) => void;
  readonly #lostBucketCheck: NodeJS.Timeout;
  /** Takes waiting in Bottleneck for tokens. */
  #waitingTakes = 0;

  constructor(options: BucketOptions, place: SharedBucketPlace) {
    this.#rate = options.rate;
    this.#capacity = options.capacity;
    this.#onError = options.onError;
    // `reservoir` applies only when this run creates the bucket; runs joining keep its level.
    this.#bottleneck = new Bottleneck({
      id: place.id,
      datastore: 'ioredis',
      connection: place.connection,
      clearDatastore: false,
      reservoir: options.initial,
      ...refillStep(options.rate),
      reservoirIncreaseMaximum: options.capacity,
      heartbeatInterval: HEARTBEAT_MS,
      timeout: IDLE_MS,
    });
    this.#bottleneck.on('error', (error) => this.#onError(error));
    // Bottleneck's heartbeat does not recreate a bucket Redis lost (a restart without its data,
    // or keys expired while every run waited on claims), and its waiting jobs then wait for
    // ever: any other call recreates it, and the next heartbeat wakes them.
    this.#lostBucketCheck = setInterval(() => {
      if (this.#waitingTakes > 0) this.#bottleneck.currentReservoir().catch((error: unknown) => this.#onError(error));
    }, LOST_BUCKET_CHECK_MS);
    this.#lostBucketCheck.unref();
  }

  /**
   * Waits for the shared bucket, then makes its refill this plan's (a bucket left by runs on
   * another plan follows the key's plan now; its level is kept).
   */
  async ready(): Promise<void> {
    await this.#bottleneck.ready();
    await this.#bottleneck.updateSettings({ ...refillStep(this.#rate), reservoirIncreaseMaximum: this.#capacity });
  }

  /** What one heartbeat refills: the batch that waits for the next heartbeat takes all of it. */
  get emptyBatch(): number {
    return Math.max(1, Math.floor((this.#rate * HEARTBEAT_MS) / 1000));
  }

  async level(): Promise<number> {
    return Math.floor((await this.#bottleneck.currentReservoir()) ?? 0);
  }

  async take(tokens: number): Promise<void> {
    this.#waitingTakes += 1;
    try {
      // One weighted job: the reservoir is charged the whole batch at once, atomically in Redis.
      await this.#bottleneck.schedule({ weight: tokens }, async () => undefined);
    } finally {
      this.#waitingTakes -= 1;
    }
  }

  giveBack(tokens: number): void {
    this.#bottleneck.incrementReservoir(tokens).catch((error: unknown) => this.#onError(error));
  }

  /** Every run on the key meets the same empty server bucket. */
  async empty(): Promise<void> {
    // (Bottleneck's types say it returns the limiter; it returns a promise of it.)
    await Promise.resolve(this.#bottleneck.updateSettings({ reservoir: 0 })).catch((error: unknown) =>
      this.#onError(error),
    );
  }

  /**
   * Nothing to learn: this bucket counts every run on the key already, and N runs reading one
   * deficit in the server's bucket would take it out N times.
   */
  followServer(): void {}

  async stop(): Promise<void> {
    clearInterval(this.#lostBucketCheck);
    const stopped = this.#bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
    // Redis away: Bottleneck's stop would wait for it. The run's Redis link closes the connection.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    // (With a shared connection Bottleneck returns nothing here, not a promise.)
    await Promise.resolve(this.#bottleneck.disconnect(false)).catch(() => undefined);
  }
}

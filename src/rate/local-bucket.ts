import Bottleneck from 'bottleneck';
import type { BucketOptions, RateBucket } from './bucket.js';
import { missedAtStart, RELEASE_MS, type RateShare, type Ticket } from './share.js';

/**
 * This run's own bucket, mirroring the server's (rate/s, capacity burst) in Bottleneck's
 * in-process reservoir. Bottleneck's `reservoirIncrease*` adds a fixed amount per interval, so
 * timer drift would lose rate: the bucket is refilled from elapsed time instead. Alone it cannot
 * see other runs on the key: the server's answers tell it, through the share rule.
 */
export class LocalBucket implements RateBucket {
  readonly #bottleneck: Bottleneck;
  /** Refill rate now: the plan's, or this run's share of it when others use the key too. */
  #rate: number;
  readonly #capacity: number;
  readonly #tickMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  #last = Date.now();
  /** The fraction of a token refilled and not yet in the reservoir (which holds whole tokens). */
  #carry = 0;
  #stopped = false;
  /** Tokens held back at the start until the first look at the server (`Observation.start`). */
  #held: number;
  readonly #startedAt = Date.now();
  /** Held tokens being given back, at `#bonusRate` per ms on top of the refill, until a correction says others are there. */
  #bonus = 0;
  #bonusRate = 0;

  constructor(options: BucketOptions) {
    this.#held = Math.max(0, Math.min(options.initial, Math.floor(options.held ?? 0)));
    this.#rate = options.rate;
    this.#capacity = options.capacity;
    this.#tickMs = options.tickMs;
    this.#onError = options.onError;
    this.#bottleneck = new Bottleneck({ reservoir: options.initial - this.#held });
    // Not unref'd: while requests wait for tokens, this timer is what keeps the process alive.
    this.#timer = setInterval(() => void this.#refill(), this.#tickMs);
  }

  async ready(): Promise<void> {}

  /** The refill timer frees a token within a tick: a batch waiting on an empty bucket waits for one. */
  readonly emptyBatch = 1;

  async level(): Promise<number> {
    return Math.floor((await this.#bottleneck.currentReservoir()) ?? 0);
  }

  /**
   * Mirrors the server's bucket: whole tokens live in Bottleneck's reservoir, the fraction in
   * `#carry`, and refill stops at capacity (what overflows a full bucket is lost, as on the
   * server). Takes only take from the reservoir meanwhile, so a stale reading can only under-fill.
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
    const bonus = Math.min(this.#bonus, elapsed * this.#bonusRate);
    this.#bonus -= bonus;
    const level = Math.min(this.#capacity, current + this.#carry + (elapsed * this.#rate) / 1000 + bonus);
    const whole = Math.floor(level);
    this.#carry = level - whole;
    if (whole > current) await this.#bottleneck.incrementReservoir(whole - current);
  }

  async take(tokens: number): Promise<void> {
    // One weighted job: the reservoir is charged the whole batch at once.
    await this.#bottleneck.schedule({ weight: tokens }, async () => undefined);
  }

  giveBack(tokens: number): void {
    this.#bottleneck.incrementReservoir(tokens).catch((error: unknown) => this.#onError(error));
  }

  async empty(): Promise<void> {
    this.#carry = 0;
    // (Bottleneck's types say it returns the limiter; it returns a promise of it.)
    await Promise.resolve(this.#bottleneck.updateSettings({ reservoir: 0 })).catch((error: unknown) =>
      this.#onError(error),
    );
  }

  /**
   * The bucket predicts the server's as if this run were alone: tokens missing there were taken
   * by someone else, so they come out of this bucket too, and the refill becomes this run's share.
   */
  followServer(share: RateShare, ticket: Ticket, remaining: number | undefined, refused = false): void {
    const { correction, ownRate, start } = share.observe(ticket, remaining, refused);
    if (start === 'alone') {
      // Alone after all: what was held back and the refill missed meanwhile, over RELEASE_MS
      // (a run started just after this one shows in the answers meanwhile, and stops it).
      this.#bonus = this.#held + missedAtStart(share.rate, Date.now() - this.#startedAt);
      this.#bonusRate = this.#bonus / RELEASE_MS;
    }
    if (start) this.#held = 0;
    if (correction > 0) {
      this.#bonus = 0;
      void this.#remove(correction);
    }
    this.#rate = ownRate;
  }

  /** Takes `tokens` out at once, down to empty (they were spent by others at the server). */
  async #remove(tokens: number): Promise<void> {
    const whole = Math.floor(tokens);
    if (whole <= 0 || this.#stopped) return;
    const current = (await this.#bottleneck.currentReservoir()) ?? 0;
    await this.#bottleneck.updateSettings({ reservoir: Math.max(0, current - whole) });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }
}

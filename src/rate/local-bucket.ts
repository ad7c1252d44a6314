import type { BucketOptions, RateBucket } from './bucket.js';
import { followLook, type RateShare, type Ticket } from './share.js';

/** A take waiting for its tokens. */
interface WaitingTake {
  tokens: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * This run's own bucket, mirroring the server's (rate/s, capacity burst): a number in this
 * process. A take the bucket covers is served at once, in the same turn of the event loop (a
 * reservoir behind timer turns, as Bottleneck's in-process one was, held the first request of a
 * run 300 ms while the row loop read ahead). It is refilled from elapsed time, so timer drift
 * loses no rate. Alone it cannot see other runs on the key: the server's answers tell it,
 * through the share rule.
 */
export class LocalBucket implements RateBucket {
  /** Whole tokens; the fraction refilled and not yet whole is in `#carry`. */
  #level: number;
  /** Refill rate now: the plan's, or this run's share of it when others use the key too. */
  #rate: number;
  readonly #capacity: number;
  readonly #tickMs: number;
  readonly #timer: NodeJS.Timeout;
  #last = Date.now();
  #carry = 0;
  #stopped = false;
  /** Takes waiting for tokens, oldest first (the limiter has one at a time). */
  #waiting: WaitingTake[] = [];
  /** Tokens held back at the start until the first look at the server (`Observation.start`). */
  #held: number;
  readonly #startedAt = Date.now();
  /** Held tokens being given back, at `#bonusRate` per ms on top of the refill, until a correction says others are there (see `followLook`). */
  #bonus = 0;
  #bonusRate = 0;

  constructor(options: BucketOptions) {
    this.#held = Math.max(0, Math.min(options.initial, Math.floor(options.held ?? 0)));
    this.#rate = options.rate;
    this.#capacity = options.capacity;
    this.#tickMs = options.tickMs;
    this.#level = Math.max(0, Math.floor(options.initial - this.#held));
    // Not unref'd: while requests wait for tokens, this timer is what keeps the process alive.
    this.#timer = setInterval(() => this.#refill(), this.#tickMs);
  }

  async ready(): Promise<void> {}

  /** The refill timer frees a token within a tick: a batch waiting on an empty bucket waits for one. */
  readonly emptyBatch = 1;

  async level(): Promise<number> {
    return this.#level;
  }

  /**
   * Mirrors the server's bucket: whole tokens in `#level`, the fraction in `#carry`, and refill
   * stops at capacity (what overflows a full bucket is lost, as on the server).
   */
  #refill(): void {
    const now = Date.now();
    // A late tick means this process was busy (opening a thousand requests takes a while):
    // what we released before has not reached the server yet, whose full bucket loses that
    // time's refill. Credit at most two periods, or those requests would land with the next
    // ones on a bucket that never got the tokens.
    const elapsed = Math.min(now - this.#last, 2 * this.#tickMs);
    this.#last = now;
    const bonus = Math.min(this.#bonus, elapsed * this.#bonusRate);
    this.#bonus -= bonus;
    const level = Math.min(this.#capacity, this.#level + this.#carry + (elapsed * this.#rate) / 1000 + bonus);
    const whole = Math.floor(level);
    this.#carry = level - whole;
    if (whole > this.#level) this.#add(whole - this.#level);
  }

  /** Adds tokens, and serves the takes waiting for them, oldest first. */
  #add(tokens: number): void {
    this.#level += tokens;
    while (this.#waiting.length > 0 && this.#level >= this.#waiting[0]!.tokens) {
      const take = this.#waiting.shift()!;
      this.#level -= take.tokens;
      take.resolve();
    }
  }

  take(tokens: number): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('rate bucket stopped'));
    if (this.#waiting.length === 0 && this.#level >= tokens) {
      this.#level -= tokens;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#waiting.push({ tokens, resolve, reject }));
  }

  giveBack(tokens: number): void {
    if (!this.#stopped) this.#add(tokens);
  }

  async empty(): Promise<void> {
    this.#carry = 0;
    this.#level = 0;
  }

  /**
   * The bucket predicts the server's as if this run were alone: tokens missing there were taken
   * by someone else, so they come out of this bucket too (`followLook`), and the refill becomes
   * this run's share.
   */
  followServer(share: RateShare, ticket: Ticket, remaining: number | undefined, refused = false): void {
    const look = share.observe(ticket, remaining, refused);
    this.#rate = look.ownRate;
    if (this.#stopped) return;
    const now = { level: this.#level, held: this.#held, bonus: this.#bonus, bonusRate: this.#bonusRate };
    const next = followLook(now, look, share, this.#startedAt, Date.now());
    this.#level = next.level;
    this.#held = next.held;
    this.#bonus = next.bonus;
    this.#bonusRate = next.bonusRate;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const dropped = this.#waiting;
    this.#waiting = [];
    for (const take of dropped) take.reject(new Error('rate bucket stopped'));
  }
}

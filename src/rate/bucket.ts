import type Bottleneck from 'bottleneck';
import type { RateShare, Ticket } from './share.js';

/**
 * The token bucket the limiter takes its tokens from, whichever engine keeps it: this process
 * (`LocalBucket`) or Redis, shared by every run on the key (`RedisBucket`). `chooseBucket` picks
 * one at the start; the limiter never asks which it has.
 *
 * A call that fails (Redis away) rejects or reports to `onError`, having taken nothing, so the
 * caller may simply try again.
 */
export interface RateBucket {
  /** Resolves once the bucket can be used (a shared bucket: it exists and refills at this run's plan). */
  ready(): Promise<void>;
  /** Whole tokens in the bucket now. */
  level(): Promise<number>;
  /**
   * How many tokens a batch should wait for when the bucket is empty: what the engine frees at
   * its next refill, so the batch that waits takes all of it rather than one token.
   */
  readonly emptyBatch: number;
  /** Waits until `tokens` are in the bucket, then takes them. Rejects when stopped meanwhile. */
  take(tokens: number): Promise<void>;
  /** Puts back tokens taken for requests that never left. */
  giveBack(tokens: number): void;
  /** Empties the bucket now: the server's own is empty (it answered 429). */
  empty(): Promise<void>;
  /**
   * An answer brought the server's `X-RateLimit-Remaining` (`remaining`) for the request that
   * left with `ticket` (`refused`: a 429): what it tells about runs this bucket cannot see, by
   * the `share` rule.
   */
  followServer(share: RateShare, ticket: Ticket, remaining: number | undefined, refused?: boolean): void;
  /** Stops refilling and drops the take waiting, if any; never waits long for an absent Redis. */
  stop(): Promise<void>;
}

/** Where a shared bucket lives: Bottleneck's connection to the run's Redis, and the bucket's name there. */
export interface SharedBucketPlace {
  connection: Bottleneck.IORedisConnection;
  /** A hash of the key and the API address (Bottleneck names its keys `b_<id>_...`). */
  id: string;
}

/** What `chooseBucket` needs to make either engine. */
export interface BucketOptions {
  /** Tokens added per second (the plan's: a bucket of the run's own that follows a `share` refills at the share's). */
  rate: number;
  /** Most tokens the bucket holds (the plan's burst; a run following a `share` leaves a reserve of it). */
  capacity: number;
  /** Tokens at the start (a shared bucket that already exists keeps its own level). */
  initial: number;
  /**
   * Local bucket: tokens of `initial` held back until the run's first look at the server says
   * whether it is alone (see `START_SHARE` in share.ts). @default 0
   */
  held?: number;
  /** Local bucket: refill period in ms. */
  tickMs: number;
  /** Set: the bucket is in Redis, shared by every run on the key. */
  shared?: SharedBucketPlace;
  /**
   * The rule a run follows to share the key with runs it cannot see (`chooseBucket` says what it
   * changes). Without it, the bucket is exactly `rate`, `capacity` and `initial`.
   */
  share?: RateShare;
  /** Told of each failed call the bucket retries or gives up on (Redis away). */
  onError: (error: unknown) => void;
}

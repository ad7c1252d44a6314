/**
 * Sharing one key's rate with runs this one cannot see (another fluence-enrich on another file,
 * a second machine, any program using the key): the rule, pure, with the clock passed in.
 *
 * The limiter's bucket predicts the server's bucket as if this run were alone. Each answer's
 * `X-RateLimit-Remaining` is the server's bucket right after it took that request's token; the
 * prediction at the moment that token left is `expected`. When the server has fewer tokens than
 * predicted, someone else took them: that deficit is taken out of our bucket (so it matches the
 * server again), and the deficit per second since the previous look is a sample of the others'
 * rate. This run's refill rate is then what the others leave:
 *
 *   own = plan rate                               while nobody else is seen,
 *   own = max(floor, SHARE_FACTOR x (plan - others))  otherwise.
 *
 * Two things keep the others' estimate honest, or runs that all follow the rule together ask more
 * than the plan and meet a steady trickle of 429s (three runs at 50/s: 3.4 %, 13.6 % on a loaded
 * machine): a deficit too small to correct still counts as the others' when seen (at 50/s another
 * run's quarter second is within the ordering noise: it was counted as nobody, reading the others
 * at half their rate), and a 429 of this run's is told too (`refused`): its request took no token.
 *
 * The factor below 1 is what makes several runs that all follow this rule settle on equal shares
 * that add up to just under the plan's rate (two runs: each 0.98 / 1.98 = 49.5 %), instead of
 * drifting apart or draining the bucket into 429s. When the others stop, their estimate decays
 * (time constant `TAU_MS`) and the rate comes back within a few seconds.
 *
 * The start: runs started together all read a full bucket at their preflight, and each would
 * spend all of it before any answer tells it about the others (three runs on a 100/s key met
 * 12-16 % 429s that way). So a run starts on `START_SHARE` of its bucket, refilled at that share
 * of the plan, until its first look at the server (an answer sent `SAMPLE_MS` after the start).
 * Alone at two looks in a row (`Observation.start === 'alone'`), it gets the rest back over
 * `RELEASE_MS`, which costs about one answer's latency and half a second at a third of the rate
 * (the first clear look already restores the plan's rate); not alone, the rule above takes over.
 * Simulated (test/rate-share.test.ts), this took two and three runs started 50 ms to 1 s apart
 * from 3-30 % 429s to none at every tier. A run's own first requests land late and the looks
 * at the start see that as a small deficit: up to `startSlack` of it is not others (a lone run
 * read it as others, and never spent its held tokens).
 */

/** Share of (plan - others) a run takes: below 1, so equal shares are where runs settle. */
export const SHARE_FACTOR = 0.98;
/** The others' rate estimate follows new samples with this time constant. */
export const TAU_MS = 1000;
/**
 * ... and samples below it twice as fast: others who stopped give their rate back sooner (a run
 * left alone at the end of another waited seconds to refill at the whole plan, the server's
 * bucket filling unused meanwhile), while others who start are still seen within `TAU_MS`.
 * Simulated, it took the runs together from 0.956 to 0.968 of the plan on average, without 429s
 * (a quarter of TAU_MS gave 0.980 but up to 0.8 % 429s).
 */
const TAU_DOWN_MS = TAU_MS / 2;
/** Share of its bucket and of the plan a run uses until its first look at the server: three runs started together fit. */
export const START_SHARE = 1 / 3;
/** A run found alone gets its held tokens back over this long, not at once: a run started just after it shows up meanwhile. */
export const RELEASE_MS = 1000;
/**
 * How late a run's own first requests may land (a process opening a hundred connections at
 * once, on a busy machine: 50-160 ms measured at load 6 on two cores). The server's bucket is
 * full until they land and loses that time's refill, which this run's prediction counted from
 * the moment they left: the first looks read the difference as a deficit. A lone run read it
 * as others (25-80 tokens at 500/s), was found 'shared' at its first look, dropped the tokens
 * it held and cut its rate: 20.3 s for 18 s of the plan. (0.3 s let a third run started a
 * second after two others take another's quarter second for its own lag: 0.4 % of 429s,
 * simulated at 50/s.)
 */
const START_LAG_MS = 200;
/** Clear looks in a row that say a run is alone at its start. */
const START_LOOKS = 2;
/** Evidence is taken at most this often. */
const SAMPLE_MS = 250;
/** Others are "seen" above this share of the plan; below, this run has it all. */
const SEEN = 0.01;

export interface ShareOptions {
  /** The plan's requests per second. */
  rate: number;
  /** The plan's bucket capacity. */
  burst: number;
  /** The smallest share of the plan a run keeps (it must keep learning what is left). @default 0.05 */
  minShare?: number;
  /** Others' rate assumed at the start (e.g. from a nearly empty bucket at the preflight). @default 0 */
  othersAtStart?: number;
  /** The server's bucket at the start (the preflight's `X-RateLimit-Remaining`). @default burst */
  initial?: number;
  nowMs: number;
}

/** What a run notes as a request leaves: when, what its bucket predicted the server has, and corrections so far. */
export interface Ticket {
  sentAt: number;
  expected: number;
  corrections: number;
}

export interface Observation {
  /** Tokens to take out of this run's bucket now (negative: put back), so it matches the server. */
  correction: number;
  /** This run's refill rate from now on. */
  ownRate: number;
  /**
   * Set once, when the start is settled (a look that shows others, or two clear looks in a row,
   * or an answer without `X-RateLimit-Remaining`): `alone`, the bucket gets back what it held at
   * the start (`heldAtStart`) and the refill it missed (`missedAtStart`), over `RELEASE_MS`;
   * `shared`, it drops them.
   */
  start?: 'alone' | 'shared';
}

/**
 * Whether the held tokens being given back still go out after a look took `correction` tokens
 * out of the bucket: not once any are found missing (beyond the noise, or the start's own lag
 * that the look which says alone may put down), as another run started just after this one
 * shows. (Letting up to `startSlack` a look through was tried: two runs a second apart met
 * 0.15-0.50 % 429s, but about as many without it, so that alone is not their cause.)
 */
export function keepsBonus(correction: number): boolean {
  return correction <= 0;
}

/** Tokens a bucket holds back at the start, out of `initial`: all but `START_SHARE` of them. */
export function heldAtStart(initial: number): number {
  return Math.floor(initial * (1 - START_SHARE));
}

/** The refill a bucket missed by refilling at `START_SHARE` of `rate` for `elapsedMs`, given back to a run found alone. */
export function missedAtStart(rate: number, elapsedMs: number): number {
  return (rate * (1 - START_SHARE) * Math.max(0, elapsedMs)) / 1000;
}

/**
 * What a run found alone gets back (`held` tokens and the refill it missed since `startedAt`),
 * no more than the server's bucket holds beyond this run's `level` and the reserve, as this
 * run predicts it: the server's bucket stops filling at its burst, and the later the verdict
 * (slow answers), the more refill a run "missed" that the server never had. Without this cap,
 * one bench of a lone run (500/s, answers in 0.3-3 s) met 56 429s (0.19 %); with it, none in
 * two (the cause of those 56 is not proven: the simulation does not reproduce them).
 */
export function releasedAtStart(
  share: RateShare,
  held: number,
  startedAt: number,
  level: number,
  nowMs: number,
): number {
  const wanted = held + missedAtStart(share.rate, nowMs - startedAt);
  return Math.max(0, Math.min(wanted, share.predicted(nowMs) - share.reserve - level));
}

/** A run's own bucket as a look at the server changes it: its level, the tokens held at the start, and those being given back (at `bonusRate` per ms). */
export interface BucketTokens {
  level: number;
  held: number;
  bonus: number;
  bonusRate: number;
}

/**
 * What a look at the server (`look`, from `RateShare.observe`) does to a run's own bucket, at
 * `nowMs` (`startedAt`: when the bucket started). Any correction stops the held tokens' release
 * (`keepsBonus`); the tokens found missing come out of the bucket, down to empty, then out of
 * what is still held or being given back (those are the server's tokens too, in this run's view
 * of it). Alone after all: what was held back and the refill missed meanwhile, as far as the
 * server's bucket has them, over `RELEASE_MS` (a run started just after this one shows in the
 * answers meanwhile, and stops it). Once the start is settled, nothing is held any more.
 */
export function followLook(
  tokens: BucketTokens,
  look: Observation,
  share: RateShare,
  startedAt: number,
  nowMs: number,
): BucketTokens {
  let { level, held, bonus, bonusRate } = tokens;
  if (!keepsBonus(look.correction)) bonus = 0;
  let missing = Math.floor(look.correction);
  if (missing > 0) {
    const fromLevel = Math.min(Math.max(0, level), missing);
    level -= fromLevel;
    missing -= fromLevel;
    const fromHeld = Math.min(held, missing);
    held -= fromHeld;
    bonus = Math.max(0, bonus - (missing - fromHeld));
  }
  if (look.start === 'alone') {
    bonus = releasedAtStart(share, held, startedAt, level, nowMs);
    bonusRate = bonus / RELEASE_MS;
  }
  if (look.start) held = 0;
  return { level, held, bonus, bonusRate };
}

export class RateShare {
  readonly rate: number;
  readonly burst: number;
  readonly #floor: number;
  /** Deficits smaller than this are ordering noise (requests released together arrive in any order). */
  readonly #noise: number;
  /**
   * Tokens a run leaves in the server's bucket: with the bucket never quite empty, a run that is
   * not alone sees it in `X-RateLimit-Remaining` before anyone meets a 429 (an empty bucket
   * reads 0 to everyone, alone or not). Costs that many tokens once, at the start.
   */
  readonly reserve: number;
  /**
   * The deficit the looks at the start put down to this run's own late first requests
   * (`START_LAG_MS` of the plan's rate), not to others: at most half of what another run takes
   * at its start (`START_SHARE` of a bucket), so a run started with this one is still seen.
   */
  readonly startSlack: number;
  /** Of `startSlack`, what the looks at the start have put down to this run's own lag so far. */
  #lag = 0;
  #others: number;
  /** Cumulative corrections applied to the bucket. */
  #corrections = 0;
  /**
   * The server's bucket as this run predicts it: refilled at the plan's rate (not this run's
   * share: the server refills at the plan's), less this run's requests and the others' as seen.
   */
  #model: number;
  #modelAt: number;
  /** Send time of the latest answer used as evidence; older answers tell nothing new. */
  #evidenceAt: number;
  /**
   * The part of the deficit not yet corrected that samples have already counted as the others'
   * (its highest point since the last correction): a deficit too small to correct is counted
   * once, when seen, and not again when it is corrected later.
   */
  #counted = 0;
  /**
   * Whether an answer has told anything about the others yet. Before, the run is careful (see
   * the start above) and reports nobody: `othersAtStart` is a guess from a bucket found low,
   * which may be this run's own previous requests (a rerun), not evidence of anyone.
   */
  #looked = false;
  /** Looks in a row that showed nobody (-1 once one showed someone, until the start is settled). */
  #clearLooks = 0;
  /** Whether `Observation.start` was given. */
  #started = false;

  constructor(options: ShareOptions) {
    this.rate = options.rate;
    this.burst = options.burst;
    this.#floor = options.rate * (options.minShare ?? 0.05);
    this.#noise = Math.max(8, options.burst * 0.01);
    this.reserve = Math.min(options.burst / 4, Math.max(2 * this.#noise, options.burst * 0.05));
    this.startSlack = Math.min(
      (options.burst * START_SHARE) / 2,
      Math.max(this.#noise, (options.rate * START_LAG_MS) / 1000),
    );
    this.#others = options.othersAtStart ?? 0;
    this.#evidenceAt = options.nowMs;
    this.#model = options.initial ?? options.burst;
    this.#modelAt = options.nowMs;
  }

  /** Notes a request leaving now: what the server should hold right after taking its token. */
  ticket(nowMs: number): Ticket {
    this.#model = Math.min(this.burst, this.#model + (this.rate * (nowMs - this.#modelAt)) / 1000) - 1;
    this.#modelAt = nowMs;
    return { sentAt: nowMs, expected: this.#model, corrections: this.#corrections };
  }

  /** The server's bucket at `nowMs`, as this run predicts it (its own requests and the others' as seen taken out). */
  predicted(nowMs: number): number {
    return Math.min(this.burst, this.#model + (this.rate * (nowMs - this.#modelAt)) / 1000);
  }

  /** Others' requests per second, as seen in answers: 0 until an answer has shown any. */
  get othersRate(): number {
    return this.#looked ? this.#others : 0;
  }

  /** This run's refill rate: the plan while alone, else its share of what the others leave; a share of it before the first look. */
  get ownRate(): number {
    const shared =
      this.#others < this.rate * SEEN ? this.rate : Math.max(this.#floor, SHARE_FACTOR * (this.rate - this.#others));
    return this.#looked ? shared : Math.min(shared, this.rate * START_SHARE);
  }

  /**
   * An answer came back: `remaining` is the server's `X-RateLimit-Remaining` after that request.
   * `refused`: it was a 429. The request took no token (the prediction gets it back, or every
   * 429 of ours would read as a token the others took too few), and the server's bucket was
   * empty as it arrived: evidence like any other, read as `remaining` 0.
   */
  observe(ticket: Ticket, remaining: number | undefined, refused = false): Observation {
    if (refused) {
      this.#model += 1;
      this.#corrections -= 1;
      remaining = 0;
    }
    // No X-RateLimit-Remaining: nothing to learn from, so no reason to stay careful.
    if (remaining === undefined && !this.#started) {
      this.#looked = true;
      this.#started = true;
      this.#others = 0;
      return { correction: 0, ownRate: this.ownRate, start: 'alone' };
    }
    // Evidence must be newer than the last used, and cover a little time to be a rate.
    if (remaining === undefined || ticket.sentAt <= this.#evidenceAt) return { correction: 0, ownRate: this.ownRate };
    const interval = ticket.sentAt - this.#evidenceAt;
    // What the server should have had, given the corrections made since this request left.
    const expected = ticket.expected - (this.#corrections - ticket.corrections);
    let deficit = expected - remaining;
    // A look every quarter second: over shorter spans, a few requests arriving out of order read as a rate.
    if (interval < SAMPLE_MS) return { correction: 0, ownRate: this.ownRate };
    // Until the start is settled, a deficit within `startSlack` (in all) is this run's own first
    // requests landing late: the prediction is corrected, and nobody is seen. A larger one is
    // others, all of it, as at any other time.
    let lag = 0;
    if (!this.#started && deficit > 0 && deficit <= this.startSlack - this.#lag) {
      lag = deficit;
      this.#lag += lag;
      this.#corrections += lag;
      this.#model -= lag;
      deficit -= lag;
    }
    // What the others took since the previous look: the deficit's growth past what was counted.
    // A deficit within the noise is counted too (at the small tiers, another run's quarter
    // second is within it: counting it as nobody read the others at half their rate, and the
    // runs together asked more than the plan). It may be ordering noise, so only its growth
    // counts: noise that comes and goes adds at most the noise once, not once per look.
    const sample = Math.max(0, deficit - this.#counted) / (interval / 1000);
    if (this.#looked) {
      const weight = 1 - Math.exp(-interval / (sample < this.#others ? TAU_DOWN_MS : TAU_MS));
      this.#others = Math.min(this.rate, Math.max(0, this.#others + weight * (Math.max(0, sample) - this.#others)));
    } else {
      // The first look replaces the guess at the start (a low bucket may have been our own
      // rerun's). Its deficit is mostly the others' own start (a third of a bucket each, at once),
      // a lump rather than a rate: read as a rate it would drop every run to the floor together.
      // So this run keeps its start's share at most, and the next looks say more.
      this.#others = Math.min(this.rate * (1 - START_SHARE), Math.max(0, sample));
    }
    this.#evidenceAt = ticket.sentAt;
    this.#looked = true;
    this.#clearLooks = deficit > this.#noise ? -1 : this.#clearLooks + 1;
    // Alone takes two clear looks in a row (half a second at least): a run started a little later
    // than this one shows up by the second, before the held tokens go out onto its own start.
    let start: Observation['start'];
    if (!this.#started && (this.#clearLooks < 0 || this.#clearLooks >= START_LOOKS)) {
      start = this.#clearLooks < 0 ? 'shared' : 'alone';
      this.#started = true;
    }
    let correction = lag;
    // Only ever down: a bucket found fuller than predicted (requests of ours that met a 429 took
    // nothing) refills at its own pace rather than in a lump that others may be counting on too.
    if (deficit > this.#noise) {
      correction += deficit;
      this.#corrections += deficit;
      this.#model -= deficit;
      this.#counted = 0;
    } else {
      this.#counted = Math.max(this.#counted, deficit);
    }
    return { correction, ownRate: this.ownRate, ...(start ? { start } : {}) };
  }
}

/**
 * Runs sharing one bucket in Redis: the tokens it never holds. Both buckets stop filling when
 * full, and a full bucket's tokens released at once reach the server later (a process opening
 * its connections, another machine's network): the server's full bucket loses that lag's refill,
 * ours does not, and the burst meets 429s. Measured: three processes starting together on two
 * cores took 300 ms to land their first requests, and met 90 429s with a bucket as deep as the
 * server's. Holding 0.3 s of rate back (at most a quarter of the burst) absorbs that; at full
 * demand the bucket is near empty and the cap costs nothing.
 */
export function sharedBucketReserve(rate: number, burst: number): number {
  return Math.min(Math.floor(burst / 4), Math.ceil(rate * 0.3));
}

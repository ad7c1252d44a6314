import { contactKey, type Contact } from '../contact/normalize.js';
import type { Sharing } from '../sharing/sharing.js';
import type { Acquired, AnswerFrom, Lookup } from '../sharing/types.js';
import type { Answer } from '../output/answer.js';
import { SeqSet } from './seq-set.js';
import type { RunStats } from './stats.js';

type StoredAnswer = Extract<Lookup, { state: 'final' }>;

export interface AnswerSourceOptions {
  sharing: Sharing;
  stats: Pick<
    RunStats,
    | 'duplicates'
    | 'fromOtherRuns'
    | 'fromRedis'
    | 'fromCheckpoint'
    | 'creditsSaved'
    | 'fromEarlierAttempts'
    | 'creditsEarlierAttempts'
    | 'uncertain'
    | 'uncertainFromEarlierRun'
  >;
  runId: string;
  /** When the run began: an answer stored since then was bought by a run at work now. */
  startedAt: number;
  /** Whether a stored answer serves this run instead of a request (see `reusable`). */
  reusable: (known: Lookup) => known is StoredAnswer;
  /** Aborted once the run stops taking new requests. */
  halted: AbortSignal;
  /** Asks Fluence (claimed as the request leaves: see `Sharing.claimNow`). */
  ask: (contact: Contact, key: string) => Promise<Answer>;
}

/**
 * Where a valid row's answer comes from, in this order: a request already in flight for the same
 * contact (the row is a duplicate), an answer stored where runs share them (checkpoint, cache or
 * Redis), or a request, claimed so no other run asks it too. Every credit saved, duplicate row and
 * request an earlier run may have been charged for is counted here, once.
 */
export class AnswerSource {
  readonly #o: AnswerSourceOptions;
  readonly #inflight = new Map<string, Promise<Answer>>();
  /** Stored answers this run has reused, by their number where they were read: the first use saves their cost, a repeat is a duplicate row. */
  readonly #reused = new Map<AnswerFrom, SeqSet>();

  constructor(options: AnswerSourceOptions) {
    this.#o = options;
  }

  /** The answer for a valid contact: at once when known, else a promise of the request. */
  answerFor(contact: Contact): Answer | Promise<Answer> {
    const key = contactKey(contact);
    const pending = this.#inflight.get(key);
    if (pending) {
      this.#o.stats.duplicates += 1;
      return pending.then((answer) => ({ ...answer, credits: 0 }));
    }
    const known = this.#o.sharing.lookup(key);
    if (this.#o.reusable(known)) return this.reuse(known);
    const asked = this.#claimThenAsk(contact, key, known).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, asked);
    return asked;
  }

  /** A stored answer serves the row: the first use of each stored answer saves its cost; a repeat is a duplicate. */
  reuse(known: StoredAnswer): Answer {
    const { stats, runId, startedAt } = this.#o;
    let credits = 0;
    if (known.runId === runId || !this.#reusedFrom(known.from).add(known.seq)) stats.duplicates += 1;
    else if (sameRun(known.runId, runId)) {
      // Bought by this run before it was resumed: spent by the run, not saved (its row says what it cost).
      stats.fromEarlierAttempts += 1;
      stats.creditsEarlierAttempts += credits = known.result.credits;
    } else {
      if (known.updatedAt >= startedAt) stats.fromOtherRuns += 1;
      else if (known.from === 'redis') stats.fromRedis += 1;
      else stats.fromCheckpoint += 1;
      stats.creditsSaved += known.result.credits;
    }
    const { result } = known;
    return {
      status: result.status,
      httpStatus: result.httpStatus,
      credits,
      error: result.error,
      analiseJson: result.analise,
    };
  }

  /** An earlier run sent this request and died before its answer: it may have been charged. */
  takeover(): void {
    this.#o.stats.uncertain += 1;
    this.#o.stats.uncertainFromEarlierRun += 1;
    this.#o.sharing.countUncertain();
  }

  #reusedFrom(from: AnswerFrom): SeqSet {
    let set = this.#reused.get(from);
    if (!set) this.#reused.set(from, (set = new SeqSet()));
    return set;
  }

  /** Another run's answer, or a request: a contact another run is asking is waited for, not bought twice. */
  #claimThenAsk(contact: Contact, key: string, known: Lookup): Promise<Answer> {
    const got = this.#o.sharing.acquire(key, known, this.#o.halted);
    return got instanceof Promise
      ? got.then((now) => this.#askAfter(now, contact, key))
      : Promise.resolve(this.#askAfter(got, contact, key));
  }

  #askAfter(got: Acquired, contact: Contact, key: string): Answer | Promise<Answer> {
    if (got.kind === 'answer') return this.reuse(got.lookup);
    if (got.uncertain) this.takeover();
    return this.#o.ask(contact, key);
  }
}

/**
 * Whether a stored answer's run is an earlier attempt of this one: the page saves each attempt of
 * a run as `<run>/<uuid>` (`RunControl.runId`), so a resumed run's attempts share `<run>/`. A run
 * id without a `/` (the CLI's UUID) has no other attempt: a rerun is another run.
 */
export function sameRun(stored: string, runId: string): boolean {
  const run = pageRunOf(runId);
  return run !== undefined && stored !== runId && stored.startsWith(run);
}

/** The page's run an attempt's id belongs to (`<run>/` of `<run>/<uuid>`); undefined for the CLI's own UUID. */
export function pageRunOf(runId: string | undefined): string | undefined {
  const cut = runId?.lastIndexOf('/') ?? -1;
  return runId && cut > 0 ? runId.slice(0, cut + 1) : undefined;
}

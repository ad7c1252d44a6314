import type { Claims } from './claims.js';
import type { OwnAnswers } from './own-answers.js';
import type { Sharing } from './sharing.js';
import type { Acquired, ClaimedNow, Lookup, StoredResult } from './types.js';

/**
 * Where the run's outcomes are copied after its own store has them, for runs that cannot read
 * that store (Redis, for runs on other machines). No `markStarted`: the claim itself marked the
 * contact started there, in the same round trip (see `RedisAnswers.claim`).
 */
export interface OutcomeMirror {
  saveFinal(contact: string, result: StoredResult): void;
  markHeld(contact: string, error: string): void;
  markUnanswered(contact: string, error: string): void;
}

/**
 * Runs that use one store at once: before a run asks about a contact it claims it where the runs
 * meet (`claims`), so a contact is asked once across runs; a contact another live run is asking
 * is waited for and answered from what that run stored. The runs meet in a `--cache`'s own
 * SQLite file on one machine, or in Redis across machines, whose `mirror` then gets every outcome
 * after the run's own store (`own`, which keeps everything, Redis's answers included).
 */
export class ClaimingSharing implements Sharing {
  readonly #own: OwnAnswers;
  readonly #claims: Claims;
  readonly #mirror: OutcomeMirror | undefined;
  #joined = false;

  constructor(own: OwnAnswers, claims: Claims, mirror?: OutcomeMirror) {
    this.#own = own;
    this.#claims = claims;
    this.#mirror = mirror;
  }

  lookup(contact: string): Lookup {
    return this.#own.lookup(contact);
  }

  async acquire(contact: string, _known: Lookup, signal: AbortSignal): Promise<Acquired> {
    const got = await this.#joinedClaims().acquire(contact, signal);
    return got.kind === 'answer' ? { kind: 'answer', lookup: this.#own.adopt(contact, got.lookup) } : got;
  }

  async claimNow(contact: string, signal: AbortSignal): Promise<ClaimedNow> {
    const now = await this.#joinedClaims().claimNow(contact, signal);
    return now.kind === 'answered' ? { kind: 'answered', lookup: this.#own.adopt(contact, now.lookup) } : now;
  }

  waitFor(contact: string, signal: AbortSignal): Promise<boolean> {
    return this.#joinedClaims().waitFor(contact, signal);
  }

  markStarted(contact: string): void {
    this.#own.markStarted(contact);
  }

  saveFinal(contact: string, result: StoredResult): void {
    this.#own.saveFinal(contact, result);
    this.#mirror?.saveFinal(contact, result);
  }

  markHeld(contact: string, error: string): void {
    this.#own.markHeld(contact, error);
    this.#mirror?.markHeld(contact, error);
  }

  markUnanswered(contact: string, error: string): void {
    this.#own.markUnanswered(contact, error);
    this.#mirror?.markUnanswered(contact, error);
  }

  countUncertain(): void {
    this.#own.countUncertain();
  }

  /** Starts the heartbeat the other runs see this one by. */
  async join(): Promise<void> {
    this.#joined = true;
    await this.#claims.start();
  }

  async leave(): Promise<void> {
    if (this.#joined) await this.#claims.stop();
  }

  get uncertainTotal(): number {
    return this.#own.uncertainTotal;
  }

  get waitedSeconds(): number {
    return this.#joined ? this.#claims.waitedSeconds : 0;
  }

  #joinedClaims(): Claims {
    if (!this.#joined) throw new Error('sharing: a claim before join()');
    return this.#claims;
  }
}

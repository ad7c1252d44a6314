import type { OwnAnswers } from './own-answers.js';
import type { Sharing } from './sharing.js';
import type { Acquired, ClaimedNow, Lookup, StoredResult } from './types.js';

const CLAIMED: ClaimedNow = { kind: 'claimed', uncertain: false };

/**
 * A checkpoint of the run's own (one input file): an exclusive lock keeps any other run out, so
 * there is nobody to claim from or wait for, and what an earlier run left is all there is to know.
 */
export class CheckpointSharing implements Sharing {
  readonly #own: OwnAnswers;

  constructor(own: OwnAnswers) {
    this.#own = own;
  }

  lookup(contact: string): Lookup {
    return this.#own.lookup(contact);
  }

  acquire(_contact: string, known: Lookup, signal: AbortSignal): Acquired {
    // An earlier run sent this and died before the answer: it may have been charged.
    return { kind: 'ask', uncertain: known?.state === 'started' && !signal.aborted };
  }

  claimNow(_contact: string, _signal: AbortSignal): ClaimedNow {
    return CLAIMED;
  }

  waitFor(_contact: string, _signal: AbortSignal): Promise<boolean> {
    return Promise.resolve(true);
  }

  markStarted(contact: string): void {
    this.#own.markStarted(contact);
  }

  saveFinal(contact: string, result: StoredResult): void {
    this.#own.saveFinal(contact, result);
  }

  markHeld(contact: string, error: string): void {
    this.#own.markHeld(contact, error);
  }

  markUnanswered(contact: string, error: string): void {
    this.#own.markUnanswered(contact, error);
  }

  countUncertain(): void {
    this.#own.countUncertain();
  }

  /** Nobody else to tell: the lock keeps other runs out. */
  async join(): Promise<void> {}

  async leave(): Promise<void> {}

  get uncertainTotal(): number {
    return this.#own.uncertainTotal;
  }

  get waitedSeconds(): number {
    return 0;
  }
}

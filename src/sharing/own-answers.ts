import type { StoredAnswers } from './sqlite/answers.js';
import type { AnswerFrom, FinalLookup, Lookup, RunScope, StoredResult } from './types.js';

/**
 * The run's own store's answers (its checkpoint, or the `--cache`), for this run: what every
 * engine reads first and writes first, so a rerun here never depends on anything else.
 */
export class OwnAnswers {
  readonly #answers: StoredAnswers;
  readonly #run: RunScope;
  /** What this store's answers are called ('checkpoint' or 'cache'). */
  readonly #from: AnswerFrom;

  constructor(answers: StoredAnswers, run: RunScope, from: AnswerFrom) {
    this.#answers = answers;
    this.#run = run;
    this.#from = from;
  }

  lookup(contact: string): Lookup {
    return this.#answers.lookup(this.#run.endpoint, contact);
  }

  /**
   * Another run's answer, as this run uses it: one read elsewhere (Redis) is saved here too, with
   * its age (a copy is as old as the answer, for --max-age); one read from this store is here already.
   */
  adopt(contact: string, lookup: FinalLookup): FinalLookup {
    if (lookup.from !== this.#from)
      this.#answers.saveFinal(this.#run.endpoint, contact, lookup.result, lookup.runId, lookup.updatedAt);
    return lookup;
  }

  markStarted(contact: string): void {
    this.#answers.markStarted(this.#run.endpoint, contact, this.#run.runId);
  }

  saveFinal(contact: string, result: StoredResult): void {
    this.#answers.saveFinal(this.#run.endpoint, contact, result, this.#run.runId);
  }

  markHeld(contact: string, error: string): void {
    this.#answers.markHeld(this.#run.endpoint, contact, this.#run.runId, error);
  }

  markUnanswered(contact: string, error: string): void {
    this.#answers.markUnanswered(this.#run.endpoint, contact, error);
  }

  countUncertain(): void {
    this.#answers.countUncertain();
  }

  get uncertainTotal(): number {
    return this.#answers.uncertainTotal;
  }
}

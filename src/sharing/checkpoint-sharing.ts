import type { RedisLink } from '../redis/link.js';
import type { PassStore, Sharing } from './sharing.js';
import type { StoredAnswers } from './sqlite/answers.js';
import type { Checkpoint } from './sqlite/checkpoint.js';
import type { Acquired, ClaimedNow, Lookup, StoredResult } from './types.js';

/** What a run is, for the store it shares: its id, its endpoint, and which stored answers serve it. */
export interface RunScope {
  runId: string;
  endpoint: string;
  /** Whether a stored answer serves this run instead of a request (see `reusable`). */
  reusable: (known: Lookup) => boolean;
}

const CLAIMED: ClaimedNow = { kind: 'claimed', uncertain: false };

/**
 * A checkpoint of the run's own (one input file): an exclusive lock keeps any other run out, so
 * there is nobody to claim from or wait for, and what an earlier run left is all there is to know.
 */
export class CheckpointSharing implements Sharing {
  /** The run's own store (with Redis too, it keeps everything). */
  protected readonly checkpoint: Checkpoint;
  protected readonly answers: StoredAnswers;
  protected readonly run: RunScope;
  readonly pass: PassStore;

  constructor(checkpoint: Checkpoint, run: RunScope, pass: PassStore) {
    this.checkpoint = checkpoint;
    this.answers = checkpoint.answers;
    this.run = run;
    this.pass = pass;
  }

  lookup(contact: string): Lookup {
    return this.answers.lookup(this.run.endpoint, contact);
  }

  acquire(_contact: string, known: Lookup, signal: AbortSignal): Acquired | Promise<Acquired> {
    // An earlier run sent this and died before the answer: it may have been charged.
    return { kind: 'ask', uncertain: known?.state === 'started' && !signal.aborted };
  }

  claimNow(_contact: string, _signal: AbortSignal): ClaimedNow | Promise<ClaimedNow> {
    return CLAIMED;
  }

  waitFor(_contact: string, _signal: AbortSignal): Promise<boolean> {
    return Promise.resolve(true);
  }

  markStarted(contact: string): void {
    this.answers.markStarted(this.run.endpoint, contact, this.run.runId);
  }

  saveFinal(contact: string, result: StoredResult): void {
    this.answers.saveFinal(this.run.endpoint, contact, result, this.run.runId);
  }

  markHeld(contact: string, error: string): void {
    this.answers.markHeld(this.run.endpoint, contact, this.run.runId, error);
  }

  markUnanswered(contact: string, error: string): void {
    this.answers.markUnanswered(this.run.endpoint, contact, error);
  }

  countUncertain(): void {
    this.answers.countUncertain();
  }

  async join(_link: RedisLink | undefined): Promise<void> {}

  async leave(): Promise<void> {}

  get uncertainTotal(): number {
    return this.answers.uncertainTotal;
  }

  get waitedSeconds(): number {
    return 0;
  }

  get writesLost(): number {
    return 0;
  }

  get redisCameBackEmpty(): boolean {
    return false;
  }

  close(): void {
    this.checkpoint.close();
  }

  closeUnused(): void {
    this.checkpoint.closeUnused();
  }
}

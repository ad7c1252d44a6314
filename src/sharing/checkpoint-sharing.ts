import type { RedisLink } from '../redis/link.js';
import type { PassStore, Sharing } from './sharing.js';
import type { CheckpointStore } from './sqlite/checkpoint.js';
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
  protected readonly store: CheckpointStore;
  protected readonly run: RunScope;
  readonly pass: PassStore;

  constructor(store: CheckpointStore, run: RunScope, pass: PassStore) {
    this.store = store;
    this.run = run;
    this.pass = pass;
  }

  lookup(contact: string): Lookup {
    return this.store.lookup(this.run.endpoint, contact);
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
    this.store.markStarted(this.run.endpoint, contact, this.run.runId);
  }

  saveFinal(contact: string, result: StoredResult): void {
    this.store.saveFinal(this.run.endpoint, contact, result, this.run.runId);
  }

  markHeld(contact: string, error: string): void {
    this.store.markHeld(this.run.endpoint, contact, this.run.runId, error);
  }

  markUnanswered(contact: string, error: string): void {
    this.store.markUnanswered(this.run.endpoint, contact, error);
  }

  countUncertain(): void {
    this.store.countUncertain();
  }

  async join(_link: RedisLink | undefined): Promise<void> {}

  async leave(): Promise<void> {}

  get uncertainTotal(): number {
    return this.store.uncertainTotal;
  }

  get waitedSeconds(): number {
    return 0;
  }

  get writesLost(): number {
    return 0;
  }

  close(): void {
    this.store.close();
  }

  closeUnused(): void {
    this.store.closeUnused();
  }
}

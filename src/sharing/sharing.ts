import type { Shape } from '../input/shape.js';
import type { Acquired, ClaimedNow, Lookup, PassOptions, ReuseRule, StoredResult } from './types.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * How a run shares its work with other runs, and with the runs after it: a checkpoint of its own
 * (one file), a `--cache` any number of runs on this machine use at once, or Redis across
 * machines (with a local checkpoint too, so a rerun never depends on Redis). `openSharing` picks
 * one from what the run opened; the run loop and the requester only ever see this.
 *
 * A call returns at once where the engine can answer at once (a checkpoint on this machine), so a
 * run without other runs to meet pays no wait for them.
 */
export interface Sharing {
  /** This run's own store's answer for a contact: read before anything else is tried. */
  lookup(contact: string): Lookup;
  /**
   * Before a row waits for a token (`known`: what `lookup` found): ask it, or use an answer another
   * run bought meanwhile (a wait while another live run is asking it happens in here).
   */
  acquire(contact: string, known: Lookup, signal: AbortSignal): MaybePromise<Acquired>;
  /** As the request is about to leave: claimed (send it), answered meanwhile, held by another run, or not now. */
  claimNow(contact: string, signal: AbortSignal): MaybePromise<ClaimedNow>;
  /** Waits until the run holding `contact` finishes or dies; false when this run stops first. */
  waitFor(contact: string, signal: AbortSignal): Promise<boolean>;
  /** Written before the request leaves: if the run dies now, the next knows it may have paid. */
  markStarted(contact: string): void;
  saveFinal(contact: string, result: StoredResult): void;
  /** No final answer yet and this run tries again: nothing in flight, the contact stays this run's. */
  markHeld(contact: string, error: string): void;
  /** No final answer and nothing in flight: a later run asks again. */
  markUnanswered(contact: string, error: string): void;
  /** One request that may have been charged without an answer this run can use. */
  countUncertain(): void;
  /** Tells the other runs this one is there; an error here stops the run before it spends. */
  join(): Promise<void>;
  /** Lets go of what this run claimed and never sent (best effort). */
  leave(): Promise<void>;
  /** Possibly-charged requests without a usable answer, over every run on this store. */
  readonly uncertainTotal: number;
  /** Time during which some row waited for another run's answer. */
  readonly waitedSeconds: number;
}

/** The distinct contacts of a pass over the input, counted against the stored answers. */
export interface PassStore {
  /** What an earlier pass over the same bytes, read with the same options, found (undefined: make the pass). */
  recall(options: PassOptions): Shape | undefined;
  begin(): void;
  /** Records a valid contact of the pass; false when the pass had it already (a duplicate). */
  add(contact: string): boolean;
  /** Commits the pass's contacts, with what it found where passes are kept. */
  end(options: PassOptions, shape: Shape): void;
  abort(): void;
  /** Distinct contacts of the pass, and how many have no stored answer a run may reuse (`rule`). */
  counts(rule: ReuseRule): { distinct: number; toAsk: number };
}

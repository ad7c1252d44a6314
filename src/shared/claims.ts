import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimView, Lookup } from '../store/checkpoint.js';
import { decideClaim, HEARTBEAT_MS, type ClaimDecision } from './claim-rule.js';
import { isProcessAlive } from '../process-alive.js';

/**
 * What runs sharing answers need from a store: a heartbeat per run, an atomic claim, a fresh
 * look at a contact someone else holds, and letting go at the end. The SQLite cache implements
 * it on one machine; a store on a server every machine reaches can stand beside it.
 */
export interface ClaimStore {
  heartbeat(runId: string, host: string, pid: number): void;
  claim(endpoint: string, contact: string, runId: string, decide: (row: ClaimView | undefined) => ClaimDecision): { decision: ClaimDecision; lookup: Lookup };
  peek(endpoint: string, contact: string): ClaimView | undefined;
  endRun(runId: string): void;
}

/** Before a row takes a token: ask it (claimed when its token comes), or use an answer another run bought. */
export type Acquired = { kind: 'ask' } | { kind: 'answer'; lookup: Extract<Lookup, { state: 'final' }> };

/** At the moment a request would leave: claimed (send it), answered meanwhile, or held by another run (wait). */
export type ClaimedNow = { kind: 'claimed'; uncertain: boolean } | { kind: 'answered'; lookup: Extract<Lookup, { state: 'final' }> } | { kind: 'held' };

/** How often a run looks again at a contact another run is asking. */
const POLL_MS = 200;


/**
 * Claims contacts for one run in the store runs share, so each contact is asked once across
 * runs: a contact another live run is asking is waited for (its row stays in the ordered window
 * like a request in flight) and answered from what that run stored, at 0 credits.
 */
export class Claims {
  readonly #store: ClaimStore;
  readonly #runId: string;
  readonly #endpoint: string;
  readonly #reusable: (lookup: Lookup) => boolean;
  readonly #host = hostname();
  #timer: NodeJS.Timeout | undefined;
  /** Rows waiting for another run's answer now; and since when some row has been waiting. */
  #waiting = 0;
  #waitingSince = 0;
  #waitedMs = 0;

  constructor(store: ClaimStore, options: { runId: string; endpoint: string; reusable: (lookup: Lookup) => boolean }) {
    this.#store = store;
    this.#runId = options.runId;
    this.#endpoint = options.endpoint;
    this.#reusable = options.reusable;
  }

  /** Says this run is alive now, and every `HEARTBEAT_MS` until `stop()`. */
  start(): void {
    this.#store.heartbeat(this.#runId, this.#host, process.pid);
    this.#timer = setInterval(() => {
      // A beat lost to a busy store is made up by the next: the lease allows several.
      try {
        this.#store.heartbeat(this.#runId, this.#host, process.pid);
      } catch {
        /* the next beat tries again */
      }
    }, HEARTBEAT_MS);
    this.#timer.unref();
  }

  #decide = (row: ClaimView | undefined): ClaimDecision =>
    decideClaim(row && { state: row.state, run: row.run, holder: row.holder, reusable: this.#reusable(row.lookup) }, { runId: this.#runId, nowMs: Date.now(), host: this.#host, isAlive: isProcessAlive });

  /**
   * Before a row waits for a token: an answer another run stored, or a wait while another live
   * run holds the contact. Nothing is written: the claim is made when the token comes (`claimNow`),
   * so a run holds only what it is sending, never the rows its window has merely read ahead, and
   * a run behind it on the same contacts is not kept waiting for them. `signal` ends a wait (the
   * row then goes on to `ask`, which sees the stop).
   */
  async acquire(contact: string, signal: AbortSignal): Promise<Acquired> {
    for (;;) {
      const row = this.#store.peek(this.#endpoint, contact);
      const decision = this.#decide(row);
      if (decision.kind === 'reuse' && row?.lookup?.state === 'final') return { kind: 'answer', lookup: row.lookup };
      if (decision.kind !== 'wait') return { kind: 'ask' };
      if (!(await this.waitFor(contact, signal))) return { kind: 'ask' };
    }
  }

  /** Claims `contact` as its request is about to leave (one transaction: nobody else can claim it in between). */
  claimNow(contact: string): ClaimedNow {
    const { decision, lookup } = this.#store.claim(this.#endpoint, contact, this.#runId, this.#decide);
    if (decision.kind === 'ask') return { kind: 'claimed', uncertain: decision.uncertain };
    if (decision.kind === 'reuse' && lookup?.state === 'final') return { kind: 'answered', lookup };
    return { kind: 'held' };
  }

  /** Waits until the holder of `contact` finishes or dies; false when the run stops first. */
  async waitFor(contact: string, signal: AbortSignal): Promise<boolean> {
    if (this.#waiting++ === 0) this.#waitingSince = Date.now();
    try {
      for (;;) {
        await sleep(POLL_MS, undefined, { signal });
        if (this.#decide(this.#store.peek(this.#endpoint, contact)).kind !== 'wait') return true;
      }
    } catch {
      return false;
    } finally {
      if (--this.#waiting === 0) this.#waitedMs += Date.now() - this.#waitingSince;
    }
  }

  /** Time during which at least one row waited for another run's answer. */
  get waitedSeconds(): number {
    const now = this.#waiting > 0 ? Date.now() - this.#waitingSince : 0;
    return Math.round((this.#waitedMs + now) / 100) / 10;
  }

  /**
   * Ends the heartbeat and lets go of claims never sent. Best effort: when the store cannot be
   * written (the run is failing on it), the lease lets the others take over, as after a crash.
   */
  stop(): void {
    clearInterval(this.#timer);
    try {
      this.#store.endRun(this.#runId);
    } catch {
      /* taken over after the lease */
    }
  }
}

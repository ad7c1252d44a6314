import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Acquired, ClaimedNow, ClaimView, Lookup, StoredResult } from './types.js';
import { decideClaim, HEARTBEAT_MS, LEASE_MS, type ClaimDecision } from './claim-rule.js';
import { isProcessAlive } from '../process-alive.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * What runs sharing answers need from a store: a heartbeat per run, an atomic claim, a fresh
 * look at a contact someone else holds, and letting go at the end. A cache's own SQLite file
 * implements it on one machine, synchronously (`sqlite/claim-rows.ts`); Redis across machines
 * (`redis/answers.ts`).
 */
export interface ClaimStore {
  heartbeat(runId: string, host: string, pid: number): MaybePromise<void>;
  claim(
    endpoint: string,
    contact: string,
    runId: string,
    decide: (row: ClaimView | undefined) => ClaimDecision,
  ): MaybePromise<{ decision: ClaimDecision; lookup: Lookup }>;
  peek(endpoint: string, contact: string): MaybePromise<ClaimView | undefined>;
  /**
   * Resolves when `contact` may have changed: told by the store (Redis publishes each outcome),
   * or after a while, or when `signal` aborts. Without it, a waiting row looks every `POLL_MS`.
   */
  changed?(endpoint: string, contact: string, signal: AbortSignal): Promise<void>;
  endRun(runId: string): MaybePromise<void>;
}

/** Where a run records what happened to each request it sends. */
export interface OutcomeRecords {
  markStarted(endpoint: string, contact: string, runId: string): void;
  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string): void;
  markHeld(endpoint: string, contact: string, runId: string, error: string): void;
  markUnanswered(endpoint: string, contact: string, error: string): void;
}

/** What a call to the store gave: its value, or why there is none. */
type Reached<T> = { ok: true; value: T } | { ok: false; stopped: boolean };

/** Waits for the store, but never past the run's stop: a store that stopped answering must not hold the run. */
async function reach<T>(work: () => MaybePromise<T>, signal: AbortSignal): Promise<Reached<T>> {
  if (signal.aborted) return { ok: false, stopped: true };
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<Reached<T>>((resolve) => {
    onAbort = () => resolve({ ok: false, stopped: true });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .then((value) => ({ ok: true as const, value })),
      stopped,
    ]);
  } catch {
    return { ok: false, stopped: signal.aborted };
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

/** A request to make; a takeover is found when it is claimed (`claimNow`), not before. */
const ASK: Acquired = { kind: 'ask', uncertain: false };

/**
 * How often a run looks again at a contact another run is asking (or at a store out of reach),
 * when the store does not say when it changed. A look at the SQLite cache costs microseconds; a
 * row that waits longer than the answer it waits for holds up the ordered window behind it.
 */
const POLL_MS = 100;

/** Waits `POLL_MS`; false when the run stops first. */
const pause = (signal: AbortSignal): Promise<boolean> =>
  sleep(POLL_MS, undefined, { signal }).then(
    () => true,
    () => false,
  );

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
  /** When the store last confirmed this run's heartbeat (ms): older than the lease, others may have taken its claims. */
  #beatAt = 0;
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

  /** Says this run is alive now (an error here stops the run before it spends), and every `HEARTBEAT_MS` until `stop()`. */
  async start(): Promise<void> {
    await this.#beat();
    this.#timer = setInterval(() => {
      // A beat lost to a busy or absent store is made up by the next: the lease allows several.
      this.#beat().catch(() => undefined);
    }, HEARTBEAT_MS);
    this.#timer.unref();
  }

  async #beat(): Promise<void> {
    const sent = Date.now();
    await this.#store.heartbeat(this.#runId, this.#host, process.pid);
    this.#beatAt = Math.max(this.#beatAt, sent);
  }

  #decide = (row: ClaimView | undefined): ClaimDecision =>
    decideClaim(row && { state: row.state, run: row.run, holder: row.holder, reusable: this.#reusable(row.lookup) }, {
      runId: this.#runId,
      nowMs: Date.now(),
      host: this.#host,
      isAlive: isProcessAlive,
    });

  /**
   * Before a row waits for a token: an answer another run stored, or a wait while another live
   * run holds the contact. Nothing is written: the claim is made when the token comes (`claimNow`),
   * so a run holds only what it is sending, never the rows its window has merely read ahead, and
   * a run behind it on the same contacts is not kept waiting for them. `signal` ends a wait (the
   * row then goes on to `ask`, which sees the stop). A store out of reach is asked again until it
   * answers or the run stops.
   */
  async acquire(contact: string, signal: AbortSignal): Promise<Acquired> {
    for (;;) {
      const read = await reach(() => this.#store.peek(this.#endpoint, contact), signal);
      if (!read.ok) {
        if (read.stopped || !(await pause(signal))) return ASK;
        continue;
      }
      const row = read.value;
      const decision = this.#decide(row);
      if (decision.kind === 'reuse' && row?.lookup?.state === 'final') return { kind: 'answer', lookup: row.lookup };
      if (decision.kind !== 'wait') return ASK;
      if (!(await this.waitFor(contact, signal))) return ASK;
    }
  }

  /** Claims `contact` as its request is about to leave (atomically: nobody else can claim it in between). */
  async claimNow(contact: string, signal: AbortSignal): Promise<ClaimedNow> {
    const made = await reach(() => this.#store.claim(this.#endpoint, contact, this.#runId, this.#decide), signal);
    if (!made.ok) return { kind: made.stopped ? 'stopped' : 'unavailable' };
    const { decision, lookup } = made.value;
    if (decision.kind === 'ask')
      return (await this.#stillOurs(contact, signal))
        ? { kind: 'claimed', uncertain: decision.uncertain }
        : { kind: 'held' };
    if (decision.kind === 'reuse' && lookup?.state === 'final') return { kind: 'answered', lookup };
    return { kind: 'held' };
  }

  /**
   * Whether a claim just made is still this run's as its request leaves. Only a run whose own
   * heartbeat is older than the lease can have lost it (paused, or cut off from the store: a run on
   * another machine may have taken it over meanwhile), so only such a run beats again and reads
   * the claim once more; a claim lost is given back as 'held' (its token goes back, and the row
   * waits for the new holder's answer). A store out of reach: not known to be ours, not sent.
   */
  async #stillOurs(contact: string, signal: AbortSignal): Promise<boolean> {
    if (Date.now() - this.#beatAt <= LEASE_MS) return true;
    const read = await reach(async () => {
      await this.#beat();
      return this.#store.peek(this.#endpoint, contact);
    }, signal);
    return (
      read.ok && read.value?.run === this.#runId && (read.value.state === 'claimed' || read.value.state === 'started')
    );
  }

  /** Waits until the holder of `contact` finishes or dies (or the store is back); false when the run stops first. */
  async waitFor(contact: string, signal: AbortSignal): Promise<boolean> {
    if (this.#waiting++ === 0) this.#waitingSince = Date.now();
    try {
      for (;;) {
        if (this.#store.changed) {
          // Listening before looking: an answer that lands between the look and the wait still wakes it.
          const listening = new AbortController();
          const stop = (): void => listening.abort();
          signal.addEventListener('abort', stop, { once: true });
          try {
            const woken = this.#store.changed(this.#endpoint, contact, listening.signal);
            const read = await reach(() => this.#store.peek(this.#endpoint, contact), signal);
            if (read.ok && this.#decide(read.value).kind !== 'wait') return true;
            if (!read.ok && read.stopped) return false;
            await woken;
            if (signal.aborted) return false;
          } finally {
            signal.removeEventListener('abort', stop);
            listening.abort();
          }
          continue;
        }
        if (!(await pause(signal))) return false;
        const read = await reach(() => this.#store.peek(this.#endpoint, contact), signal);
        if (read.ok && this.#decide(read.value).kind !== 'wait') return true;
        if (!read.ok && read.stopped) return false;
      }
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
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    // Bounded: a store out of reach would otherwise hold the run's end.
    await reach(() => this.#store.endRun(this.#runId), AbortSignal.timeout(1000));
  }
}

import type { Redis } from 'ioredis';
import type { ClaimView, StoredResult } from '../types.js';
import type { ClaimDecision } from '../claim-rule.js';
import type { ClaimStore, OutcomeRecords } from '../claims.js';
import type { RedisKeys } from './keys.js';
import { defineScripts, type Field, FIELDS_ARG, fieldValues, hashOf, type Scripts, type ViewReply } from './scripts.js';

/**
 * How often a row waiting for another run's answer looks again when no message woke it: a message
 * lost (a subscriber reconnecting), a holder that died (its claims free without a write), a
 * lease that lapsed.
 */
const FALLBACK_POLL_MS = 1000;

/** How long a heartbeat is kept after its last beat: far past the lease, so a long pause still finds it. */
const KEEP_HEARTBEAT_MS = 24 * 3600_000;

/**
 * Claims and answers in Redis, shared by runs on any machine: the same rules as the SQLite
 * cache (`claim-rule.ts`), with Redis's key expiry as the runs' lease. A claim is a
 * compare-and-set on the contact's version: the pure rule decides on what was read, and the
 * claim only lands if nobody wrote in between (else it reads again).
 *
 * Writes are not awaited by the run (the local checkpoint has already recorded them, and
 * ioredis sends them in order): a failed write costs sharing, never an answer. `failedWrites`
 * counts them.
 */
export class RedisAnswers implements ClaimStore, OutcomeRecords {
  readonly #redis: Redis & Scripts;
  readonly #keys: RedisKeys;
  /** When each run of this process first beat: kept in its heartbeat (see `ClaimView.holder`). */
  readonly #startedAt = new Map<string, number>();
  failedWrites = 0;
  /** Rows waiting for a contact's outcome, by the contact's key. */
  readonly #waiters = new Map<string, Set<() => void>>();
  #subscriber: Redis | undefined;

  /** See `FALLBACK_POLL_MS`. */
  readonly #fallbackPollMs: number;
  /** Resolves once the subscriber listens (a message published before is missed, and the fallback look finds it). */
  #listening: Promise<unknown> | undefined;

  constructor(redis: Redis, keys: RedisKeys, options: { fallbackPollMs?: number } = {}) {
    this.#fallbackPollMs = options.fallbackPollMs ?? FALLBACK_POLL_MS;
    this.#redis = defineScripts(redis);
    this.#keys = keys;
  }

  async heartbeat(runId: string, host: string, pid: number): Promise<void> {
    if (!this.#startedAt.has(runId)) this.#startedAt.set(runId, Date.now());
    await this.#redis.fluenceBeat(
      this.#keys.run(runId),
      `${host}\t${pid}\t${this.#startedAt.get(runId)}`,
      KEEP_HEARTBEAT_MS,
    );
  }

  async endRun(runId: string): Promise<void> {
    // Claims never sent, and the heartbeat, go together: without a heartbeat they are dead, and
    // the claim rule asks them again at no risk ('claimed' was never sent).
    try {
      await this.#redis.del(this.#keys.run(runId));
    } finally {
      this.#subscriber?.disconnect();
      this.#subscriber = undefined;
    }
  }

  async #read(endpoint: string, contact: string): Promise<{ version: string; view: ClaimView | undefined }> {
    const raw = await this.#redis.fluenceView(this.#keys.contact(endpoint, contact), FIELDS_ARG, this.#keys.runPrefix);
    return { version: hashOf(raw[0]).version ?? '', view: toView(raw) };
  }

  async peek(endpoint: string, contact: string): Promise<ClaimView | undefined> {
    return (await this.#read(endpoint, contact)).view;
  }

  async claim<D extends ClaimDecision>(
    endpoint: string,
    contact: string,
    runId: string,
    decide: (row: ClaimView | undefined) => D,
  ): Promise<{ decision: D; lookup: ClaimView['lookup'] }> {
    const key = this.#keys.contact(endpoint, contact);
    // Most claims are of contacts nobody holds: one round trip. The rule's answer in those cases is
    // the one it gives for no row (ask, nothing uncertain); test/claims-lapsed.test.ts checks it.
    // Else the same round trip read the contact, for the rule.
    const free = await this.#redis.fluenceClaimFree(key, FIELDS_ARG, runId, this.#keys.runPrefix);
    if (free === 1) return { decision: decide(undefined), lookup: undefined };
    for (let raw = free; ; ) {
      const version = hashOf(raw[0]).version ?? '';
      const view = toView(raw);
      const decision = decide(view);
      if (decision.kind !== 'ask' || (await this.#redis.fluenceClaim(key, FIELDS_ARG, version, runId)) === 1)
        return { decision, lookup: view?.lookup };
      raw = await this.#redis.fluenceView(key, FIELDS_ARG, this.#keys.runPrefix);
    }
  }

  /**
   * Resolves when `contact` gets an outcome (another run's answer, published by write.lua), or
   * after `FALLBACK_POLL_MS`, or when `signal` aborts: the caller looks again either way.
   */
  changed(endpoint: string, contact: string, signal: AbortSignal): Promise<void> {
    const key = this.#keys.contact(endpoint, contact);
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const left = this.#waiters.get(key);
        left?.delete(done);
        if (left?.size === 0) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, this.#fallbackPollMs);
      signal.addEventListener('abort', done, { once: true });
      let waiting = this.#waiters.get(key);
      if (!waiting) this.#waiters.set(key, (waiting = new Set()));
      waiting.add(done);
      this.#subscribe();
    });
  }

  /** The subscriber, on a connection of its own (a subscribed connection takes no other command), made on the first wait. */
  #subscribe(): void {
    if (this.#subscriber) return;
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, key: string) => {
      for (const wake of [...(this.#waiters.get(key) ?? [])]) wake();
    });
    this.#listening = subscriber.subscribe(this.#keys.outcomes).catch(() => undefined);
  }

  /** Resolves once rows waiting here are woken by the others' answers (tests: a wait begun before may miss one). */
  async listening(): Promise<void> {
    await this.#listening;
  }

  #write(endpoint: string, contact: string, mode: string, values: Partial<Record<Field, string>>): void {
    const keys = this.#keys;
    this.#redis
      .fluenceWrite(
        keys.contact(endpoint, contact),
        keys.answerSeq,
        FIELDS_ARG,
        mode,
        keys.outcomes,
        ...fieldValues(values),
      )
      .catch(() => {
        this.failedWrites += 1;
      });
  }

  markStarted(endpoint: string, contact: string, runId: string): void {
    this.#write(endpoint, contact, 'started', { state: 'started', run: runId });
  }

  markHeld(endpoint: string, contact: string, runId: string, error: string): void {
    this.#write(endpoint, contact, 'held', { state: 'claimed', run: runId, error });
  }

  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.#write(endpoint, contact, 'unanswered', { state: 'unanswered', run: '', error });
  }

  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string): void {
    const { status, httpStatus, credits, error, analise } = result;
    this.#write(endpoint, contact, 'final', {
      state: 'final',
      run: '',
      status,
      httpStatus: String(httpStatus),
      credits: String(credits),
      error,
      analise,
      runId,
      updatedAt: String(Date.now()),
    });
  }
}

/** A contact's hash as the claim rule sees it; its answer is marked as Redis's, numbered by Redis. */
function toView([pairs, holder, redisNow]: ViewReply): ClaimView | undefined {
  const { state, run, updatedAt, status, httpStatus, credits, error, analise, runId, seq } = hashOf(pairs);
  if (!state) return undefined;
  const [host, pid, startedAt, beatAt] = (holder ?? '').split('\t');
  // Aged on Redis's clock, then placed on this machine's (an older version's heartbeat has no time: it lives only within its lease).
  const age = beatAt === undefined ? 0 : Math.max(0, Number(redisNow) - Number(beatAt));
  return {
    state: state as ClaimView['state'],
    run: run || null,
    holder: holder
      ? {
          heartbeatAt: Date.now() - age,
          host: host!,
          pid: Number(pid),
          ...(startedAt ? { startedAt: Number(startedAt) } : {}),
        }
      : undefined,
    lookup:
      state === 'final'
        ? {
            state: 'final',
            result: {
              status: status as StoredResult['status'],
              httpStatus: Number(httpStatus),
              credits: Number(credits),
              error: error ?? '',
              analise: analise ?? '',
            },
            runId: runId ?? '',
            updatedAt: Number(updatedAt),
            seq: Number(seq),
            from: 'redis',
          }
        : state === 'started'
          ? { state: 'started' }
          : { state: 'unanswered' },
  };
}

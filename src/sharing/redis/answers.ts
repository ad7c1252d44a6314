import type { Redis } from 'ioredis';
import type { FinalStatus } from '../../api/outcome.js';
import type { ClaimView, StoredResult } from '../types.js';
import type { ClaimDecision } from '../claim-rule.js';
import type { ClaimStore, OutcomeRecords } from '../claims.js';
import type { RedisKeys } from './keys.js';

/** Redis's own clock in ms: heartbeats are aged on one clock, whatever the machines' clocks say. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** A contact's hash, its holder's heartbeat, and Redis's clock, read in one round trip. */
const VIEW = `${NOW}
local h = redis.call('HMGET', KEYS[1], 'v', 's', 'r', 't', 'st', 'hs', 'cr', 'er', 'an', 'rid', 'q')
local holder = false
if h[3] and h[3] ~= '' then holder = redis.call('GET', ARGV[1] .. h[3]) end
h[12] = holder
h[13] = tostring(now)
return h`;

/**
 * A run's heartbeat: its host, pid and start (its machine's clock), and the time of the beat (Redis's clock). Kept well past the
 * lease (its age, not its presence, says whether the run is alive): a run on this machine keeps
 * its claims while its process lives, so its host and pid must still be there after a long pause.
 */
const HEARTBEAT = `${NOW}
redis.call('SET', KEYS[1], ARGV[1] .. '\t' .. now, 'PX', ARGV[2])
return now`;

/**
 * Claims a contact if nobody wrote to it since it was read (`v` is its version), marked started:
 * the claim is made as the request leaves (see `Claims.claimNow`), so the claim and "started"
 * are one write, and one round trip.
 */
const CLAIM = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 's', 'started', 'r', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'v', 1)
return 1`;

/**
 * Claims a contact in one round trip when the claim rule would ask without a doubt (see
 * `decideClaim`): nobody has it, its last try left no answer, or it is this run's own; marked
 * started, as `CLAIM`. Else nothing is written, and what is there comes back as `VIEW` reads it,
 * for the claim rule to decide on (then `CLAIM`, on its version).
 */
const CLAIM_FREE = `
local s = redis.call('HGET', KEYS[1], 's')
if s and s ~= 'unanswered' and redis.call('HGET', KEYS[1], 'r') ~= ARGV[1] then
${VIEW.replace('ARGV[1]', 'ARGV[2]')}
end
redis.call('HSET', KEYS[1], 's', 'started', 'r', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'v', 1)
return 1`;

/**
 * Writes an outcome; a final answer also gets the next number of the answer sequence. An outcome
 * that ends a try (final, unanswered) is published on `ARGV[2]`: rows of other runs waiting for
 * it wake at once instead of at their next look.
 */
const WRITE = `
redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[1] == 'final' then redis.call('HSET', KEYS[1], 'q', redis.call('INCR', KEYS[2])) end
local n = redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if ARGV[1] == 'final' or ARGV[1] == 'unanswered' then redis.call('PUBLISH', ARGV[2], KEYS[1]) end
return n`;

/**
 * How often a row waiting for another run's answer looks again when no message woke it: a message
 * lost (a subscriber reconnecting), a holder that died (its claims free without a write), a
 * lease that lapsed.
 */
const FALLBACK_POLL_MS = 1000;

interface Scripts {
  fluenceView(key: string, runPrefix: string): Promise<Array<string | null>>;
  fluenceClaim(key: string, version: string, runId: string): Promise<number>;
  fluenceWrite(key: string, seqKey: string, mode: string, channel: string, ...fields: string[]): Promise<number>;
  fluenceBeat(key: string, holder: string, keepMs: number): Promise<number>;
  fluenceClaimFree(key: string, runId: string, runPrefix: string): Promise<number | Array<string | null>>;
}

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
    redis.defineCommand('fluenceView', { numberOfKeys: 1, lua: VIEW });
    redis.defineCommand('fluenceClaim', { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand('fluenceWrite', { numberOfKeys: 2, lua: WRITE });
    redis.defineCommand('fluenceBeat', { numberOfKeys: 1, lua: HEARTBEAT });
    redis.defineCommand('fluenceClaimFree', { numberOfKeys: 1, lua: CLAIM_FREE });
    this.#redis = redis as Redis & Scripts;
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
    const raw = await this.#redis.fluenceView(this.#keys.contact(endpoint, contact), this.#keys.runPrefix);
    return { version: raw[0] ?? '', view: toView(raw) };
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
    const free = await this.#redis.fluenceClaimFree(key, runId, this.#keys.runPrefix);
    if (free === 1) return { decision: decide(undefined), lookup: undefined };
    for (let raw = free; ; ) {
      const version = (typeof raw === 'number' ? undefined : raw[0]) ?? '';
      const view = typeof raw === 'number' ? undefined : toView(raw);
      const decision = decide(view);
      if (decision.kind !== 'ask' || (await this.#redis.fluenceClaim(key, version, runId)) === 1)
        return { decision, lookup: view?.lookup };
      raw = await this.#redis.fluenceView(key, this.#keys.runPrefix);
    }
  }

  /**
   * Resolves when `contact` gets an outcome (another run's answer, published by `WRITE`), or
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

  #write(endpoint: string, contact: string, mode: string, fields: string[]): void {
    this.#redis
      .fluenceWrite(this.#keys.contact(endpoint, contact), this.#keys.answerSeq, mode, this.#keys.outcomes, ...fields)
      .catch(() => {
        this.failedWrites += 1;
      });
  }

  markStarted(endpoint: string, contact: string, runId: string): void {
    this.#write(endpoint, contact, 'started', ['s', 'started', 'r', runId]);
  }

  markHeld(endpoint: string, contact: string, runId: string, error: string): void {
    this.#write(endpoint, contact, 'held', ['s', 'claimed', 'r', runId, 'er', error]);
  }

  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.#write(endpoint, contact, 'unanswered', ['s', 'unanswered', 'r', '', 'er', error]);
  }

  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string): void {
    const { status, httpStatus, credits, error, analise } = result;
    this.#write(endpoint, contact, 'final', [
      's',
      'final',
      'r',
      '',
      'st',
      status,
      'hs',
      String(httpStatus),
      'cr',
      String(credits),
      'er',
      error,
      'an',
      analise,
      'rid',
      runId,
      't',
      String(Date.now()),
    ]);
  }
}

/** A contact's hash as the claim rule sees it; its answer is marked as Redis's, numbered by Redis. */
function toView(raw: Array<string | null>): ClaimView | undefined {
  const [, state, run, updatedAt, status, httpStatus, credits, error, analise, runId, seq, holder, redisNow] = raw;
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
              status: status as FinalStatus,
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

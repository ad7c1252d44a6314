import type Database from 'better-sqlite3';
import type { FinalStatus } from '../../api/outcome.js';
import type { AnswerFrom, Lookup, StoredResult } from '../types.js';
import type { Handle } from './open.js';

/** A stored row, as read: arrays, not objects (the resume path reads one per input row). */
export type Row = [
  seq: number,
  contact: string,
  state: string,
  status: string,
  httpStatus: number,
  credits: number,
  error: string,
  analise: string,
  runId: string,
  updatedAt: number,
];
export const READ = 'seq, contact, state, status, http_status, credits, error, analise, run, updated_at';

/** A stored row as a stored answer, said to come `from` this store. */
export function toLookup(row: Row, from: AnswerFrom): Lookup {
  const [seq, , state, status, httpStatus, credits, error, analise, runId, updatedAt] = row;
  if (state === 'final')
    return {
      state: 'final',
      result: { status: status as FinalStatus, httpStatus, credits, error, analise },
      runId,
      updatedAt,
      seq,
      from,
    };
  // A claim not yet sent counts as nothing sent.
  return { state: state === 'started' ? 'started' : 'unanswered' };
}

/** Rows read ahead of the lookups at most, and per page (a few MB of answers). */
const AHEAD_ROWS = 2048;
const AHEAD_PAGE = 512;

/**
 * Remembers, per (endpoint, person), that a request was started and what its final answer was,
 * and how many requests may have been charged without an answer. Lookups along the order the
 * answers were stored are served from pages read ahead.
 */
export class StoredAnswers {
  readonly #handle: Handle;
  readonly #from: AnswerFrom;
  readonly #get: Database.Statement<[string, string], Row>;
  readonly #page: Database.Statement<[number, number, string, number], Row>;
  readonly #start: Database.Statement<[string, string, string, number]>;
  readonly #final: Database.Statement<[string, string, string, number, number, string, string, string, number]>;
  readonly #unanswered: Database.Statement<[string, string, string, number]>;
  readonly #held: Database.Statement<[string, string, string, string, number]>;
  readonly #addUncertain: Database.Statement<[]>;
  readonly #uncertain: Database.Statement<[], [string]>;
  /** Answers read ahead, by contact, for `#aheadEndpoint`; in `seq` order. */
  readonly #ahead = new Map<string, Row>();
  #aheadEndpoint: string | undefined;
  /** Last `seq` read ahead, and the last one that existed when the store was opened. */
  #cursor = 0;
  readonly #end: number;
  #aheadRead = 0;
  #aheadUsed = 0;

  /** `from`: what this store's answers are called where they are used ('checkpoint' or 'cache'). */
  constructor(handle: Handle, from: AnswerFrom) {
    this.#handle = handle;
    this.#from = from;
    const { db } = handle;
    this.#end = db.prepare<[], [number | null]>('SELECT max(seq) FROM results').raw(true).get()?.[0] ?? 0;
    this.#get = db
      .prepare<[string, string], Row>(`SELECT ${READ} FROM results WHERE endpoint = ? AND contact = ?`)
      .raw(true);
    // `+endpoint`: walk the table along seq; SQLite would otherwise pick the (endpoint, contact)
    // index and sort a whole endpoint's rows for every page.
    this.#page = db
      .prepare<[number, number, string, number], Row>(
        `SELECT ${READ} FROM results WHERE seq > ? AND seq <= ? AND +endpoint = ? ORDER BY seq LIMIT ?`,
      )
      .raw(true);
    this.#start = db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, updated_at) VALUES (?, ?, 'started', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'started', run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#final = db.prepare(
      `INSERT INTO results (endpoint, contact, state, status, http_status, credits, error, analise, run, updated_at)
       VALUES (?, ?, 'final', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'final', status = excluded.status, http_status = excluded.http_status,
         credits = excluded.credits, error = excluded.error, analise = excluded.analise, run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#held = db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, error, updated_at) VALUES (?, ?, 'claimed', ?, ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'claimed', run = excluded.run, error = excluded.error, updated_at = excluded.updated_at`,
    );
    this.#unanswered = db.prepare(
      `INSERT INTO results (endpoint, contact, state, error, updated_at) VALUES (?, ?, 'unanswered', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'unanswered', error = excluded.error, updated_at = excluded.updated_at`,
    );
    this.#addUncertain = db.prepare("UPDATE meta SET v = CAST(v AS INTEGER) + 1 WHERE k = 'uncertain'");
    this.#uncertain = db.prepare<[], [string]>("SELECT v FROM meta WHERE k = 'uncertain'").raw(true);
  }

  lookup(endpoint: string, contact: string): Lookup {
    const row = this.#readAhead(endpoint, contact) ?? this.#handle.guard(() => this.#get.get(endpoint, contact));
    return row && toLookup(row, this.#from);
  }

  /**
   * A rerun looks rows up in the order the first run stored them: serve those from pages read
   * along `seq` (about 2 us a row against 6-8 for a search per row). A row found ahead is
   * handed out once; any write to a contact drops it from here, so nothing served is stale. When
   * the file's order does not follow the checkpoint's, reading ahead stops and lookups search.
   */
  #readAhead(endpoint: string, contact: string): Row | undefined {
    this.#aheadEndpoint ??= endpoint;
    if (endpoint !== this.#aheadEndpoint) return undefined;
    let row = this.#ahead.get(contact);
    if (row === undefined && this.#ahead.size === 0 && this.#readPage(endpoint)) row = this.#ahead.get(contact);
    if (row === undefined) return undefined;
    this.#ahead.delete(contact);
    this.#aheadUsed += 1;
    // Now and then: rows well behind this one were passed by (the file does not have them here).
    if (this.#aheadUsed % 64 === 0) this.#dropOldest((held) => held[0] < row[0] - AHEAD_ROWS / 2);
    if (this.#ahead.size < AHEAD_ROWS - AHEAD_PAGE) this.#readPage(endpoint);
    return row;
  }

  /** Reads the next page along `seq`; false once there is nothing more worth reading. */
  #readPage(endpoint: string): boolean {
    if (this.#cursor >= this.#end) return false;
    // Most of what was read went unused: this file is in another order.
    if (this.#aheadRead >= 4 * AHEAD_ROWS && this.#aheadUsed * 4 < this.#aheadRead) return false;
    const rows = this.#handle.guard(() => this.#page.all(this.#cursor, this.#end, endpoint, AHEAD_PAGE));
    this.#cursor = rows.length < AHEAD_PAGE ? this.#end : rows[rows.length - 1]![0];
    this.#aheadRead += rows.length;
    for (const row of rows) this.#ahead.set(row[1], row);
    // Rows the file passed by (or never had): the oldest go first.
    this.#dropOldest(() => this.#ahead.size > AHEAD_ROWS);
    return rows.length > 0;
  }

  /** Drops rows read ahead from the oldest (lowest `seq`) on, while `drop` says so. */
  #dropOldest(drop: (held: Row) => boolean): void {
    for (const [key, held] of this.#ahead) {
      if (!drop(held)) break;
      this.#ahead.delete(key);
    }
  }

  /** Lookups answered from pages read ahead, and rows read ahead (for tests and tuning). */
  get readAhead(): { used: number; read: number } {
    return { used: this.#aheadUsed, read: this.#aheadRead };
  }

  /** Forgets what was read ahead about a contact that is being written (or claimed). */
  forget(endpoint: string, contact: string): void {
    if (endpoint === this.#aheadEndpoint) this.#ahead.delete(contact);
  }

  /**
   * Counts one request that may have been charged without an answer we could use: a 504, a
   * connection lost after sending, or a request an earlier run left `started`. Kept in the
   * checkpoint, so runs killed in a row still add up: repeat charges are at most this total.
   */
  countUncertain(): number {
    return this.#handle.guard(() => {
      this.#addUncertain.run();
      return this.uncertainTotal;
    });
  }

  /** Possibly-charged requests without a usable answer, over every run on this checkpoint. */
  get uncertainTotal(): number {
    return Number(this.#handle.guard(() => this.#uncertain.get()?.[0] ?? 0));
  }

  /** Written (and committed) before the request leaves: if we die now, the next run knows it may have paid. */
  markStarted(endpoint: string, contact: string, runId: string): void {
    this.forget(endpoint, contact);
    this.#handle.guard(() => this.#start.run(endpoint, contact, runId, Date.now()));
  }

  /** `updatedAt`: when the answer was bought (a copy of another run's answer keeps its age for --max-age). */
  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string, updatedAt = Date.now()): void {
    this.forget(endpoint, contact);
    this.#handle.guard(() =>
      this.#final.run(
        endpoint,
        contact,
        result.status,
        result.httpStatus,
        result.credits,
        result.error,
        result.analise,
        runId,
        updatedAt,
      ),
    );
  }

  /** The attempt ended without a final answer and nothing is in flight: a later run asks again. */
  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.forget(endpoint, contact);
    this.#handle.guard(() => this.#unanswered.run(endpoint, contact, error, Date.now()));
  }

  /**
   * An attempt ended without a final answer and this run will try again (after a retry delay or
   * a 429's wait): nothing is in flight, and the contact stays claimed by `runId`, so another run
   * waits rather than asking too.
   */
  markHeld(endpoint: string, contact: string, runId: string, error: string): void {
    this.forget(endpoint, contact);
    this.#handle.guard(() => this.#held.run(endpoint, contact, runId, error, Date.now()));
  }
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FluenceError } from '../errors.js';
import type { FinalStatus } from '../api/outcome.js';

/** A stored final answer for one person on one endpoint. */
export interface StoredResult {
  status: FinalStatus;
  httpStatus: number;
  /** What the answer cost when it was bought. */
  credits: number;
  error: string;
  /** `analise` as JSON text, or '' when there was none. */
  analise: string;
}

/** `final`: answered (`runId` says which run paid); `started`: sent and never answered (a run died); `unanswered`: tried, no final answer. */
export type Lookup = { state: 'final'; result: StoredResult; runId: string; updatedAt: number } | { state: 'started' } | { state: 'unanswered' } | undefined;

const SCHEMA_VERSION = '1';

/**
 * Remembers, per (endpoint, person), that a request was started and what its final answer was.
 * SQLite in WAL mode: every write is committed before we act on it, so a killed process loses
 * nothing it was told. The database is opened in exclusive locking mode, so a second run on the
 * same file fails fast instead of paying for the same rows; the OS drops the lock if we die.
 */
export class CheckpointStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string, string], [string, string, number, number, string, string, string, number]>;
  readonly #start: Database.Statement<[string, string, number]>;
  readonly #final: Database.Statement<[string, string, string, number, number, string, string, string, number]>;
  readonly #unanswered: Database.Statement<[string, string, string, number]>;

  /**
   * Opens (or creates) the checkpoint at `path` for answers from `scope.endpoint` about the rows
   * of `scope.input`; a checkpoint made for another endpoint or file is refused, never reused.
   * A `shared` store (`--cache`) serves any file: answers are keyed by endpoint and person.
   */
  constructor(path: string, scope: { endpoint: string; input: string } | 'shared') {
    this.path = path;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.#db = new Database(path, { timeout: 0 });
      this.#db.pragma('locking_mode = EXCLUSIVE');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      // Take the exclusive lock now, not at the first write.
      this.#db.exec('BEGIN EXCLUSIVE; COMMIT;');
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS results (
          endpoint TEXT NOT NULL, contact TEXT NOT NULL, state TEXT NOT NULL,
          status TEXT, http_status INTEGER, credits INTEGER, error TEXT, analise TEXT, run TEXT,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (endpoint, contact)) WITHOUT ROWID;`);
      const meta = new Map(this.#db.prepare<[], { k: string; v: string }>('SELECT k, v FROM meta').all().map((r) => [r.k, r.v]));
      if (meta.size === 0) {
        const insert = this.#db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)');
        this.#db.transaction(() => {
          insert.run('schema', SCHEMA_VERSION);
          insert.run('endpoint', scope === 'shared' ? '*' : scope.endpoint);
          insert.run('input', scope === 'shared' ? '*' : scope.input);
          insert.run('uncertain', '0');
        })();
      } else if (meta.get('schema') !== SCHEMA_VERSION) {
        throw new FluenceError('CHECKPOINT_VERSION', `checkpoint ${path} was written by another version (schema ${meta.get('schema')}); use a new --checkpoint path`);
      } else if (scope === 'shared' ? meta.get('input') !== '*' : meta.get('endpoint') !== scope.endpoint || meta.get('input') !== scope.input) {
        const mine = scope === 'shared' ? 'a shared --cache' : `${scope.input} on /${scope.endpoint}`;
        const theirs = meta.get('input') === '*' ? 'a shared cache (use it with --cache)' : `${meta.get('input')} on /${meta.get('endpoint')}`;
        throw new FluenceError('CHECKPOINT_MISMATCH', `checkpoint ${path} belongs to ${theirs}, not ${mine}; give this run its own --checkpoint (or -o) path`);
      }
    } catch (error) {
      if (error instanceof FluenceError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw new FluenceError('CHECKPOINT_LOCKED', `checkpoint ${path} is in use by another fluence-enrich run; wait for it to finish (two runs on one checkpoint would pay twice)`);
      }
      throw storeError(error, path, 'CHECKPOINT_OPEN');
    }
    // Rows as arrays: the resume path does one lookup per input row.
    this.#get = this.#db.prepare<[string, string], [string, string, number, number, string, string, string, number]>(
      'SELECT state, status, http_status, credits, error, analise, run, updated_at FROM results WHERE endpoint = ? AND contact = ?',
    ).raw(true);
    this.#start = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, updated_at) VALUES (?, ?, 'started', ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'started', updated_at = excluded.updated_at`,
    );
    this.#final = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, status, http_status, credits, error, analise, run, updated_at)
       VALUES (?, ?, 'final', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'final', status = excluded.status, http_status = excluded.http_status,
         credits = excluded.credits, error = excluded.error, analise = excluded.analise, run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#unanswered = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, error, updated_at) VALUES (?, ?, 'unanswered', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'unanswered', error = excluded.error, updated_at = excluded.updated_at`,
    );
  }

  lookup(endpoint: string, contact: string): Lookup {
    const row = this.#guard(() => this.#get.get(endpoint, contact));
    if (!row) return undefined;
    const [state, status, httpStatus, credits, error, analise, runId, updatedAt] = row;
    if (state === 'final') return { state: 'final', result: { status: status as FinalStatus, httpStatus, credits, error, analise }, runId, updatedAt };
    return { state: state === 'started' ? 'started' : 'unanswered' };
  }

  /**
   * Counts one request that may have been charged without an answer we could use: a 504, a
   * connection lost after sending, or a request an earlier run left `started`. Kept in the
   * checkpoint, so runs killed in a row still add up: repeat charges are at most this total.
   */
  countUncertain(): number {
    return this.#guard(() => {
      this.#db.prepare("UPDATE meta SET v = CAST(v AS INTEGER) + 1 WHERE k = 'uncertain'").run();
      return this.uncertainTotal;
    });
  }

  /** Possibly-charged requests without a usable answer, over every run on this checkpoint. */
  get uncertainTotal(): number {
    return Number(this.#guard(() => this.#db.prepare<[], { v: string }>("SELECT v FROM meta WHERE k = 'uncertain'").get()?.v ?? 0));
  }

  /** Written (and committed) before the request leaves: if we die now, the next run knows it may have paid. */
  markStarted(endpoint: string, contact: string): void {
    this.#guard(() => this.#start.run(endpoint, contact, Date.now()));
  }

  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string): void {
    this.#guard(() => this.#final.run(endpoint, contact, result.status, result.httpStatus, result.credits, result.error, result.analise, runId, Date.now()));
  }

  /** The attempt ended without a final answer and nothing is in flight: a later run asks again. */
  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.#guard(() => this.#unanswered.run(endpoint, contact, error, Date.now()));
  }

  close(): void {
    if (this.#db?.open) this.#db.close();
  }

  #guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw storeError(error, this.path, 'CHECKPOINT_FAILED');
    }
  }
}

/** SQLite's failures, as coded errors that say what to do. */
function storeError(error: unknown, path: string, fallback: string): FluenceError {
  if (error instanceof FluenceError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new FluenceError('CHECKPOINT_LOCKED', `checkpoint ${path} is in use by another fluence-enrich run; wait for it to finish (two runs on one checkpoint would pay twice)`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR_SHORT_READ')) {
    return new FluenceError('CHECKPOINT_CORRUPT', `checkpoint ${path} is damaged (${code}); move it aside and rerun: answers stored in it will be asked (and paid) again`);
  }
  if (code === 'SQLITE_FULL') return new FluenceError('CHECKPOINT_FULL', `the disk holding checkpoint ${path} is full; free space and rerun`);
  return new FluenceError(fallback, `checkpoint ${path}: ${(error as Error).message} (${code || 'error'})`, { cause: error });
}

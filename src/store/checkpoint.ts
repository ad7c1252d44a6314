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
export type Lookup = { state: 'final'; result: StoredResult; runId: string } | { state: 'started' } | { state: 'unanswered' } | undefined;

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
  readonly #get: Database.Statement<[string, string], [string, string, number, number, string, string, string]>;
  readonly #start: Database.Statement<[string, string, number]>;
  readonly #final: Database.Statement<[string, string, string, number, number, string, string, string, number]>;
  readonly #unanswered: Database.Statement<[string, string, string, number]>;

  constructor(path: string) {
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
      const version = this.#db.prepare<[], { v: string }>("SELECT v FROM meta WHERE k = 'schema'").get()?.v;
      if (version === undefined) this.#db.prepare("INSERT INTO meta (k, v) VALUES ('schema', ?)").run(SCHEMA_VERSION);
      else if (version !== SCHEMA_VERSION) {
        throw new FluenceError('CHECKPOINT_VERSION', `checkpoint ${path} was written by another version (schema ${version}); use a new --checkpoint path`);
      }
    } catch (error) {
      if (error instanceof FluenceError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw new FluenceError('CHECKPOINT_LOCKED', `checkpoint ${path} is in use by another fluence-enrich run; wait for it to finish (two runs on one checkpoint would pay twice)`);
      }
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new FluenceError('CHECKPOINT_CORRUPT', `checkpoint ${path} is not a readable checkpoint (${code}); move it aside and rerun (answers in it would be asked again)`);
      }
      throw new FluenceError('CHECKPOINT_OPEN', `cannot open checkpoint ${path}: ${(error as Error).message}`, { cause: error });
    }
    // Rows as arrays: the resume path does one lookup per input row.
    this.#get = this.#db.prepare<[string, string], [string, string, number, number, string, string, string]>(
      'SELECT state, status, http_status, credits, error, analise, run FROM results WHERE endpoint = ? AND contact = ?',
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
    const row = this.#get.get(endpoint, contact);
    if (!row) return undefined;
    const [state, status, httpStatus, credits, error, analise, runId] = row;
    if (state === 'final') return { state: 'final', result: { status: status as FinalStatus, httpStatus, credits, error, analise }, runId };
    return { state: state === 'started' ? 'started' : 'unanswered' };
  }

  /** Written (and committed) before the request leaves: if we die now, the next run knows it may have paid. */
  markStarted(endpoint: string, contact: string): void {
    this.#start.run(endpoint, contact, Date.now());
  }

  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string): void {
    this.#final.run(endpoint, contact, result.status, result.httpStatus, result.credits, result.error, result.analise, runId, Date.now());
  }

  /** The attempt ended without a final answer and nothing is in flight: a later run asks again. */
  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.#unanswered.run(endpoint, contact, error, Date.now());
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FluenceError } from '../../errors.js';
import type { FinalStatus } from '../../api/outcome.js';
import type { ClaimView, FileScope, Lookup, ReuseRule, StoredResult } from '../types.js';

const SCHEMA_VERSION = '2';

/**
 * `seq` numbers answers in the order they were first asked, which is the input's order: a rerun
 * reads them back in pages along it (see `#readAhead`) instead of one index search per row.
 */
const RESULTS_TABLE = `(
  seq INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL, contact TEXT NOT NULL, state TEXT NOT NULL,
  status TEXT, http_status INTEGER, credits INTEGER, error TEXT, analise TEXT, run TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (endpoint, contact))`;
/** One row per run using the store, renewed by its heartbeat: how runs know the others are alive (see `claim-rule.ts`). */
const RUNS_TABLE = '(id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL)';
/** How long a run waits for another's write to a shared cache before calling it locked. */
const SHARED_BUSY_TIMEOUT_MS = 30_000;
const COLUMNS = 'endpoint, contact, state, status, http_status, credits, error, analise, run, updated_at';
const READ = 'seq, contact, state, status, http_status, credits, error, analise, run, updated_at';

type Row = [seq: number, contact: string, state: string, status: string, httpStatus: number, credits: number, error: string, analise: string, runId: string, updatedAt: number];

/** Rows read ahead of the lookups at most, and per page (a few MB of answers). */
const AHEAD_ROWS = 2048;
const AHEAD_PAGE = 512;

/**
 * Remembers, per (endpoint, person), that a request was started and what its final answer was.
 * SQLite in WAL mode: every write is committed before we act on it, so a killed process loses
 * nothing it was told. The database is opened in exclusive locking mode, so a second run on the
 * same file fails fast instead of paying for the same rows; the OS drops the lock if we die.
 */
export class CheckpointStore {
  readonly path: string;
  /** Whether this run made the file (nothing in it yet from any run). */
  readonly created: boolean;
  /** A cache used by any number of runs at once (`--cache`): normal locking, claims between runs. */
  readonly cache: boolean;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string, string], Row>;
  readonly #page: Database.Statement<[number, number, string, number], Row>;
  readonly #start: Database.Statement<[string, string, string, number]>;
  readonly #final: Database.Statement<[string, string, string, number, number, string, string, string, number]>;
  readonly #unanswered: Database.Statement<[string, string, string, number]>;
  readonly #held: Database.Statement<[string, string, string, string, number]>;
  readonly #claimed: Database.Statement<[string, string, string, number]>;
  readonly #runRow: Database.Statement<[string], { heartbeat_at: number; host: string; pid: number }>;
  /** Answers read ahead, by contact, for `#aheadEndpoint`; in `seq` order. */
  readonly #ahead = new Map<string, Row>();
  #aheadEndpoint: string | undefined;
  /** Last `seq` read ahead, and the last one that existed when the store was opened. */
  #cursor = 0;
  readonly #end: number;
  #aheadRead = 0;
  #aheadUsed = 0;

  /**
   * Opens (or creates) the checkpoint at `path` for answers from `scope.endpoint` about the rows
   * of `scope.input`; a checkpoint made for another endpoint or file is refused, never reused.
   * A `cache` store (`--cache`) serves any file: answers are keyed by endpoint and person.
   */
  constructor(path: string, scope: FileScope | 'cache') {
    this.path = path;
    this.cache = scope === 'cache';
    // Runs starting at the same instant on a new shared cache can meet a lock SQLite does not wait
    // for (setting up the WAL): a shared cache tries again for a while before calling it locked.
    for (let attempt = 1; ; attempt++) {
      try {
        this.#db = this.#open(path, scope);
        break;
      } catch (error) {
        if (!this.cache || attempt >= 40 || !(error instanceof FluenceError) || error.code !== 'CHECKPOINT_LOCKED') throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 + Math.random() * 100);
      }
    }
    this.created = this.#created;
    this.#end = this.#db.prepare<[], [number | null]>('SELECT max(seq) FROM results').raw(true).get()?.[0] ?? 0;
    // Rows as arrays: the resume path reads one per input row.
    this.#get = this.#db.prepare<[string, string], Row>(`SELECT ${READ} FROM results WHERE endpoint = ? AND contact = ?`).raw(true);
    // `+endpoint`: walk the table along seq; SQLite would otherwise pick the (endpoint, contact)
    // index and sort a whole endpoint's rows for every page.
    this.#page = this.#db.prepare<[number, number, string, number], Row>(
      `SELECT ${READ} FROM results WHERE seq > ? AND seq <= ? AND +endpoint = ? ORDER BY seq LIMIT ?`,
    ).raw(true);
    this.#start = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, updated_at) VALUES (?, ?, 'started', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'started', run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#final = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, status, http_status, credits, error, analise, run, updated_at)
       VALUES (?, ?, 'final', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'final', status = excluded.status, http_status = excluded.http_status,
         credits = excluded.credits, error = excluded.error, analise = excluded.analise, run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#claimed = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, updated_at) VALUES (?, ?, 'claimed', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'claimed', run = excluded.run, updated_at = excluded.updated_at`,
    );
    this.#runRow = this.#db.prepare('SELECT heartbeat_at, host, pid FROM runs WHERE id = ?');
    this.#held = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, run, error, updated_at) VALUES (?, ?, 'claimed', ?, ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'claimed', run = excluded.run, error = excluded.error, updated_at = excluded.updated_at`,
    );
    this.#unanswered = this.#db.prepare(
      `INSERT INTO results (endpoint, contact, state, error, updated_at) VALUES (?, ?, 'unanswered', ?, ?)
       ON CONFLICT (endpoint, contact) DO UPDATE SET state = 'unanswered', error = excluded.error, updated_at = excluded.updated_at`,
    );
  }

  #created = false;

  /** Opens the database and checks (or writes) what it is for; the one place the file is opened. */
  #open(path: string, scope: FileScope | 'cache'): Database.Database {
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      // A shared cache waits its turn for the write lock (each write is one short transaction);
      // a per-file checkpoint holds an exclusive lock, so a second run of the same job fails fast.
      db = new Database(path, { timeout: this.cache ? SHARED_BUSY_TIMEOUT_MS : 0 });
      if (!this.cache) db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Exclusive: take the lock now, not at the first write. Shared: runs starting together
      // create the tables one at a time.
      db.exec(this.cache ? 'BEGIN IMMEDIATE;' : 'BEGIN EXCLUSIVE; COMMIT; BEGIN IMMEDIATE;');
      db.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);');
      const meta = new Map(db.prepare<[], { k: string; v: string }>('SELECT k, v FROM meta').all().map((r) => [r.k, r.v]));
      if (meta.size > 0) this.#checkScope(db, path, meta, scope);
      this.#created = meta.size === 0;
      if (meta.size === 0) {
        const insert = db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)');
        db.exec(`CREATE TABLE results ${RESULTS_TABLE};`);
        insert.run('schema', SCHEMA_VERSION);
        insert.run('endpoint', scope === 'cache' ? '*' : scope.endpoint);
        insert.run('input', scope === 'cache' ? '*' : scope.input);
        insert.run('uncertain', '0');
      } else if (meta.get('schema') === '1') {
        upgradeFromVersion1(db);
      } else if (meta.get('schema') !== SCHEMA_VERSION) {
        throw new FluenceError('CHECKPOINT_VERSION', `checkpoint ${path} was written by another version (schema ${meta.get('schema')}); use a new --checkpoint path`);
      }
      db.exec(`CREATE TABLE IF NOT EXISTS runs ${RUNS_TABLE};`);
      db.exec('COMMIT;');
    } catch (error) {
      if (db?.open && db.inTransaction) db.exec('ROLLBACK;');
      // Refused or broken: let go of the file (and its lock) before saying why.
      if (db?.open) db.close();
      if (error instanceof FluenceError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw new FluenceError('CHECKPOINT_LOCKED', `checkpoint ${path} is in use by another fluence-enrich run; wait for it to finish (two runs on one checkpoint would pay twice)`);
      }
      throw storeError(error, path, 'CHECKPOINT_OPEN');
    }
    return db;
  }

  /**
   * A checkpoint serves the file it was made for: the same path, or the same bytes under another
   * path (moved, or mounted elsewhere in a container), which then becomes its path. A shared cache
   * serves any file; a per-file checkpoint is never reused for another file's answers.
   */
  #checkScope(db: Database.Database, path: string, meta: Map<string, string>, scope: FileScope | 'cache'): void {
    if (scope === 'cache') {
      if (meta.get('input') === '*') return;
      throw new FluenceError('CHECKPOINT_MISMATCH', `${path} is the checkpoint of ${meta.get('input')} (on /${meta.get('endpoint')}), not a shared cache; use it with --checkpoint for that file, or give --cache a path of its own`);
    }
    if (meta.get('input') === '*') {
      throw new FluenceError('CHECKPOINT_MISMATCH', `${path} is a shared cache; use it with --cache ${path} (it serves any file)`);
    }
    if (meta.get('endpoint') !== scope.endpoint) {
      throw new FluenceError('CHECKPOINT_MISMATCH', `checkpoint ${path} holds answers from /${meta.get('endpoint')}, not /${scope.endpoint}; give this run another --checkpoint (or -o) path, or use --cache for answers shared across files and runs`);
    }
    if (meta.get('input') === scope.input) return;
    const scan = parseJson(meta.get('note:scan')) as { bytes?: unknown } | undefined;
    if (scope.bytes !== undefined && scan?.bytes === scope.bytes) {
      db.prepare("UPDATE meta SET v = ? WHERE k = 'input'").run(scope.input);
      return;
    }
    throw new FluenceError(
      'CHECKPOINT_MISMATCH',
      `checkpoint ${path} belongs to ${meta.get('input')}, and ${scope.input} is another file (its bytes differ). To reuse answers across files, use a shared --cache PATH (it serves any file, and tonight's export pays only for new contacts); to start this file afresh, give it another --checkpoint (or -o) path`,
    );
  }

  lookup(endpoint: string, contact: string): Lookup {
    const row = this.#readAhead(endpoint, contact) ?? this.#guard(() => this.#get.get(endpoint, contact));
    return row && this.#toLookup(row);
  }

  #toLookup(row: Row): Lookup {
    const [seq, , state, status, httpStatus, credits, error, analise, runId, updatedAt] = row;
    if (state === 'final') return { state: 'final', result: { status: status as FinalStatus, httpStatus, credits, error, analise }, runId, updatedAt, seq, from: this.cache ? 'cache' : 'checkpoint' };
    // A claim not yet sent counts as nothing sent.
    return { state: state === 'started' ? 'started' : 'unanswered' };
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
    const rows = this.#guard(() => this.#page.all(this.#cursor, this.#end, endpoint, AHEAD_PAGE));
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

  /** Forgets what was read ahead about a contact that is being written. */
  #forget(endpoint: string, contact: string): void {
    if (endpoint === this.#aheadEndpoint) this.#ahead.delete(contact);
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
  markStarted(endpoint: string, contact: string, runId: string): void {
    this.#forget(endpoint, contact);
    this.#guard(() => this.#start.run(endpoint, contact, runId, Date.now()));
  }

  /** A run using the store says it is alive (see `claim-rule.ts`): at its start, then every heartbeat. */
  heartbeat(runId: string, host: string, pid: number): void {
    const now = Date.now();
    this.#guard(() =>
      this.#db
        .prepare('INSERT INTO runs (id, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at')
        .run(runId, host, pid, now, now),
    );
  }

  /** A run that ends cleanly lets go of what it claimed and never sent, and of its heartbeat row. */
  endRun(runId: string): void {
    this.#guard(() =>
      this.#db.transaction(() => {
        this.#db.prepare("UPDATE results SET state = 'unanswered', run = NULL WHERE run = ? AND state = 'claimed'").run(runId);
        this.#db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      })(),
    );
  }

  /** The row for a contact as the claim rule sees it, read fresh (never from pages read ahead). */
  #claimRow(endpoint: string, contact: string): (Row & { holder?: { heartbeatAt: number; host: string; pid: number } }) | undefined {
    const row = this.#get.get(endpoint, contact);
    if (!row) return undefined;
    const runId = row[8];
    const holder = runId ? this.#runRow.get(runId) : undefined;
    return Object.assign(row, { holder: holder && { heartbeatAt: holder.heartbeat_at, host: holder.host, pid: holder.pid } });
  }

  /**
   * Claims a contact for `runId` in one transaction: `decide` (the pure claim rule) sees the row
   * as it is, and when it says `ask`, the row becomes this run's claim before anyone else can
   * look. `lookup` is the row as a stored answer, for `reuse`.
   */
  claim<D extends { kind: string }>(endpoint: string, contact: string, runId: string, decide: (row: ClaimView | undefined) => D): { decision: D; lookup: Lookup } {
    this.#forget(endpoint, contact);
    return this.#guard(() =>
      this.#db
        .transaction(() => {
          const row = this.#claimRow(endpoint, contact);
          const view = row && { state: row[2] as ClaimView['state'], run: row[8] || null, holder: row.holder, lookup: this.#toLookup(row) };
          const decision = decide(view);
          if (decision.kind === 'ask') this.#claimed.run(endpoint, contact, runId, Date.now());
          return { decision, lookup: view?.lookup };
        })
        .immediate(),
    );
  }

  /** A fresh look at a contact another run holds: its answer, or who holds it now. */
  peek(endpoint: string, contact: string): ClaimView | undefined {
    return this.#guard(() => {
      const row = this.#claimRow(endpoint, contact);
      return row && { state: row[2] as ClaimView['state'], run: row[8] || null, holder: row.holder, lookup: this.#toLookup(row) };
    });
  }



  /** `updatedAt`: when the answer was bought (a copy of another run's answer keeps its age for --max-age). */
  saveFinal(endpoint: string, contact: string, result: StoredResult, runId: string, updatedAt = Date.now()): void {
    this.#forget(endpoint, contact);
    this.#guard(() => this.#final.run(endpoint, contact, result.status, result.httpStatus, result.credits, result.error, result.analise, runId, updatedAt));
  }

  /** The attempt ended without a final answer and nothing is in flight: a later run asks again. */
  markUnanswered(endpoint: string, contact: string, error: string): void {
    this.#forget(endpoint, contact);
    this.#guard(() => this.#unanswered.run(endpoint, contact, error, Date.now()));
  }

  /**
   * An attempt ended without a final answer and this run will try again (after a retry delay or
   * a 429's wait): nothing is in flight, and the contact stays claimed by `runId`, so another run
   * waits rather than asking too.
   */
  markHeld(endpoint: string, contact: string, runId: string, error: string): void {
    this.#forget(endpoint, contact);
    this.#guard(() => this.#held.run(endpoint, contact, runId, error, Date.now()));
  }


  /**
   * Starts recording the distinct contacts of a pass over the input, kept with the pass's note so a
   * run over the same bytes can count what it still has to ask without reading the file again;
   * `temporary` (estimate) keeps them for this connection only and leaves the file as it was.
   */
  beginPass(temporary: boolean): void {
    this.#guard(() => {
      this.#db.exec(`CREATE ${temporary ? 'TEMP ' : ''}TABLE IF NOT EXISTS pass_contacts (contact TEXT PRIMARY KEY) WITHOUT ROWID;`);
      this.#db.exec('BEGIN; DELETE FROM pass_contacts;');
    });
    this.#addContact = this.#db.prepare('INSERT OR IGNORE INTO pass_contacts (contact) VALUES (?)');
  }

  #addContact: Database.Statement<[string]> | undefined;

  /** Records a valid contact of the pass; false when the file had it already (a duplicate). */
  addPassContact(contact: string): boolean {
    return this.#guard(() => this.#addContact!.run(contact).changes === 1);
  }

  /** Ends the pass: its contacts (and `note`, when given, as the `scan` note) are committed together. */
  endPass(note?: string): void {
    if (note !== undefined) this.setNote('scan', note);
    this.#guard(() => this.#db.exec('COMMIT;'));
  }

  abortPass(): void {
    if (this.#db.open && this.#db.inTransaction) this.#db.exec('ROLLBACK;');
  }

  /** Distinct contacts of the last pass, and how many of them have no stored answer this run may reuse. */
  passCounts(endpoint: string, rule: ReuseRule): { distinct: number; toAsk: number } {
    return this.#guard(() => {
      const distinct = this.#db.prepare<[], [number]>('SELECT count(*) FROM pass_contacts').raw(true).get()![0];
      if (rule.refresh) return { distinct, toAsk: distinct };
      const answered = this.#db
        .prepare<[string, number], [number]>(
          `SELECT count(*) FROM pass_contacts p WHERE EXISTS (SELECT 1 FROM results r WHERE r.endpoint = ? AND r.contact = p.contact AND r.state = 'final' AND r.updated_at >= ?)`,
        )
        .raw(true)
        .get(endpoint, rule.storedSince)![0];
      return { distinct, toAsk: distinct - answered };
    });
  }

  /** A note kept with the answers (e.g. what the first pass learned about the input). */
  note(name: string): string | undefined {
    return this.#guard(() => this.#db.prepare<[string], { v: string }>('SELECT v FROM meta WHERE k = ?').get(`note:${name}`)?.v);
  }

  setNote(name: string, value: string): void {
    this.#guard(() => this.#db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(`note:${name}`, value));
  }

  close(): void {
    if (this.#db?.open) this.#db.close();
  }

  /** Closes, and removes the file if this run made it and never used it (a shared cache may have been found by another run meanwhile: kept). */
  closeUnused(): void {
    this.close();
    if (!this.created || this.cache) return;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.path}${suffix}`, { force: true });
  }

  #guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw storeError(error, this.path, 'CHECKPOINT_FAILED');
    }
  }
}

/** Schema 1 keyed answers by (endpoint, contact) alone: number them in the order they were stored. */
function upgradeFromVersion1(db: Database.Database): void {
  db.exec(`
    CREATE TABLE results_v2 ${RESULTS_TABLE};
    INSERT INTO results_v2 (${COLUMNS}) SELECT ${COLUMNS} FROM results ORDER BY updated_at;
    DROP TABLE results;
    ALTER TABLE results_v2 RENAME TO results;
    UPDATE meta SET v = '${SCHEMA_VERSION}' WHERE k = 'schema';`);
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
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
    return new FluenceError(
      'CHECKPOINT_CORRUPT',
      `${path} is not a readable checkpoint (${code}). If it is a file of yours, give --checkpoint (or --cache) another path; if it is a damaged checkpoint, move it aside and rerun (answers stored in it will be asked, and paid, again)`,
    );
  }
  if (code === 'SQLITE_FULL') return new FluenceError('CHECKPOINT_FULL', `the disk holding checkpoint ${path} is full; free space and rerun`);
  return new FluenceError(fallback, `checkpoint ${path}: ${(error as Error).message} (${code || 'error'})`, { cause: error });
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FluenceError } from '../../errors.js';
import { message } from '../../i18n/message.js';
import type { FileScope } from '../types.js';
import { storeError } from './errors.js';

/**
 * What a store is opened for: one file's answers (a checkpoint), any file's for any number of runs
 * at once (`'cache'`), or one estimate's count, in a file of its own that is then gone (`'scratch'`).
 */
export type Scope = FileScope | 'cache' | 'scratch';

/** The one connection every part of a store works through. */
export interface Handle {
  readonly db: Database.Database;
  readonly path: string;
  /** Runs `action`, turning SQLite's failures into coded errors. */
  guard<T>(action: () => T): T;
}

const SCHEMA_VERSION = '2';

/**
 * `seq` numbers answers in the order they were first asked, which is the input's order: a rerun
 * reads them back in pages along it (see `StoredAnswers`) instead of one index search per row.
 */
const RESULTS_TABLE = `(
  seq INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL, contact TEXT NOT NULL, state TEXT NOT NULL,
  status TEXT, http_status INTEGER, credits INTEGER, error TEXT, analise TEXT, run TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (endpoint, contact))`;
/** One row per run using the store, renewed by its heartbeat: how runs know the others are alive (see `claim-rule.ts`). */
const RUNS_TABLE =
  '(id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL)';
/** How long a run waits for another's write to a cache before calling it locked. */
const CACHE_BUSY_TIMEOUT_MS = 30_000;
const COLUMNS = 'endpoint, contact, state, status, http_status, credits, error, analise, run, updated_at';

/**
 * Opens (or creates) the store at `path` for `scope`; a checkpoint made for another endpoint or
 * file is refused, never reused. SQLite in WAL mode: every write is committed before we act on
 * it, so a killed process loses nothing it was told. A store one run has to itself (a checkpoint,
 * a scratch) is opened in exclusive locking mode, so a second run on the same file fails fast
 * instead of paying for the same rows; the OS drops the lock if we die. `created`: this run made
 * the file (nothing in it yet from any run).
 */
export function openStore(path: string, scope: Scope): { db: Database.Database; created: boolean } {
  // Runs starting at the same instant on a new cache can meet a lock SQLite does not wait for
  // (setting up the WAL): a cache tries again for a while before calling it locked.
  for (let attempt = 1; ; attempt++) {
    try {
      return openOnce(path, scope);
    } catch (error) {
      if (scope !== 'cache' || attempt >= 40 || !(error instanceof FluenceError) || error.code !== 'CHECKPOINT_LOCKED')
        throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 + Math.random() * 100);
    }
  }
}

/** Opens the database and checks (or writes) what it is for; the one place the file is opened. */
function openOnce(path: string, scope: Scope): { db: Database.Database; created: boolean } {
  const cache = scope === 'cache';
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    // A cache waits its turn for the write lock (each write is one short transaction); a store of
    // one run's own holds an exclusive lock, so a second run of the same job fails fast.
    db = new Database(path, { timeout: cache ? CACHE_BUSY_TIMEOUT_MS : 0 });
    if (!cache) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Exclusive: take the lock now, not at the first write. A cache: runs starting together
    // create the tables one at a time.
    db.exec(cache ? 'BEGIN IMMEDIATE;' : 'BEGIN EXCLUSIVE; COMMIT; BEGIN IMMEDIATE;');
    db.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);');
    const meta = new Map(
      db
        .prepare<[], { k: string; v: string }>('SELECT k, v FROM meta')
        .all()
        .map((r) => [r.k, r.v]),
    );
    if (meta.size > 0) checkScope(db, path, meta, scope);
    if (meta.size === 0) {
      const insert = db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)');
      db.exec(`CREATE TABLE results ${RESULTS_TABLE};`);
      insert.run('schema', SCHEMA_VERSION);
      insert.run('endpoint', typeof scope === 'string' ? '*' : scope.endpoint);
      insert.run('input', typeof scope === 'string' ? '*' : scope.input);
      insert.run('uncertain', '0');
    } else if (meta.get('schema') === '1') {
      upgradeFromVersion1(db);
    } else if (meta.get('schema') !== SCHEMA_VERSION) {
      throw new FluenceError(
        'CHECKPOINT_VERSION',
        message('errors.checkpointVersion', { path, schema: String(meta.get('schema')) }),
      );
    }
    db.exec(`CREATE TABLE IF NOT EXISTS runs ${RUNS_TABLE};`);
    db.exec('COMMIT;');
    return { db, created: meta.size === 0 };
  } catch (error) {
    if (db?.open && db.inTransaction) db.exec('ROLLBACK;');
    // Refused or broken: let go of the file (and its lock) before saying why.
    if (db?.open) db.close();
    // A lock held by another run, a file that is no checkpoint, a full disk: each said as such.
    throw storeError(error, path, 'CHECKPOINT_OPEN');
  }
}

/**
 * A checkpoint serves the file it was made for: the same path, or the same bytes under another
 * path (moved, or mounted elsewhere in a container), which then becomes its path. A cache serves
 * any file; a per-file checkpoint is never reused for another file's answers. A scratch store is
 * always new.
 */
function checkScope(db: Database.Database, path: string, meta: Map<string, string>, scope: Scope): void {
  if (typeof scope === 'string') {
    if (meta.get('input') === '*') return;
    throw new FluenceError(
      'CHECKPOINT_MISMATCH',
      message('errors.checkpointMismatch.notCache', {
        path,
        input: String(meta.get('input')),
        endpoint: String(meta.get('endpoint')),
      }),
    );
  }
  if (meta.get('input') === '*') {
    throw new FluenceError('CHECKPOINT_MISMATCH', message('errors.checkpointMismatch.isCache', { path }));
  }
  if (meta.get('endpoint') !== scope.endpoint) {
    throw new FluenceError(
      'CHECKPOINT_MISMATCH',
      message('errors.checkpointMismatch.endpoint', {
        path,
        endpoint: String(meta.get('endpoint')),
        wanted: scope.endpoint,
      }),
    );
  }
  if (meta.get('input') === scope.input) return;
  const scan = parseJson(meta.get('note:scan')) as { bytes?: unknown } | undefined;
  if (scope.bytes !== undefined && scan?.bytes === scope.bytes) {
    db.prepare("UPDATE meta SET v = ? WHERE k = 'input'").run(scope.input);
    return;
  }
  throw new FluenceError(
    'CHECKPOINT_MISMATCH',
    message('errors.checkpointMismatch', { path, input: String(meta.get('input')), other: scope.input }),
  );
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

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import { isProcessAlive } from '../process-alive.js';

/** The run writing an output: what a refused run needs to say whom to wait for. */
export interface OutputHolder {
  token: string;
  host: string;
  pid: number;
  startedAt: number;
}

/** The lock beside an output: visible, so a user who sees it knows a run is writing there. */
export const lockPathOf = (output: string): string => `${output}.lock`;

/** What a refused run says: which output, which process has it, what to do. */
export function lockedMessage(output: string, holder: OutputHolder | undefined, here: string): Message {
  return message('errors.outputLocked', {
    output,
    known: holder ? 'yes' : 'no',
    pid: String(holder?.pid ?? ''),
    remote: holder && holder.host !== here ? 'yes' : 'no',
    host: holder?.host ?? '',
    started: holder ? new Date(holder.startedAt).toISOString() : '',
  });
}

const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * The holder as a view: a view lives in the schema on the file's first page, so every write of
 * the file is that one page, which a kill cannot leave half written (a table would be a second).
 */
const holderView = (me: OutputHolder): string =>
  `DROP VIEW IF EXISTS holder; CREATE VIEW holder AS SELECT ${sqlText(me.token)} AS token, ${sqlText(me.host)} AS host, ${me.pid} AS pid, ${me.startedAt} AS started_at;`;

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? '';
const isBusy = (error: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(codeOf(error));

/**
 * One run at a time per output. The lock is a write transaction held open on a one-page SQLite
 * file beside the output: the OS drops it when the process dies, however it dies, so a SIGKILL
 * leaves a file the next run simply takes (a pid file could not tell a dead run from a new
 * process with the same pid, pid 1 in every container). Readers still see the committed holder,
 * so a refused run can say who has it.
 */
export class OutputLock {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #onExit = (): void => this.#remove();

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    // A hard exit (a second SIGINT) skips `release`: the OS drops the lock, this removes the file.
    process.on('exit', this.#onExit);
  }

  /** Takes the lock for `output`, or throws OUTPUT_LOCKED at once; standard output (`-`) takes none. */
  static async acquire(output: string): Promise<OutputLock | undefined> {
    if (output === '-') return undefined;
    const path = lockPathOf(output);
    const me: OutputHolder = { token: randomUUID(), host: hostname(), pid: process.pid, startedAt: Date.now() };
    for (let attempt = 0; attempt < 10; attempt++) {
      const db = openLockFile(path, output);
      let held: boolean;
      try {
        held = hold(db, me);
      } catch (error) {
        db.close();
        throw lockFailed(path, output, error);
      }
      if (!held) {
        db.close();
        throw new FluenceError('OUTPUT_LOCKED', lockedMessage(output, await readHolder(path, me), me.host));
      }
      // A run that just finished removes the file while still holding it: what we hold may no
      // longer be at `path`. Ours only if the file there names us.
      if ((await readHolderOnce(path))?.token === me.token) return new OutputLock(path, db);
      db.close();
    }
    throw new FluenceError('OUTPUT_LOCKED', lockedMessage(output, undefined, me.host));
  }

  /** Removes the file while still holding it (a run opening it meanwhile meets the lock, never a file about to go), then lets go. */
  release(): void {
    process.off('exit', this.#onExit);
    this.#remove();
    if (this.#db.open) this.#db.close();
  }

  #remove(): void {
    try {
      rmSync(this.path, { force: true });
    } catch {
      // Left behind (its folder made read-only meanwhile): harmless, the next run takes it over.
    }
  }
}

function openLockFile(path: string, output: string): Database.Database {
  try {
    // Reading the file waits out another run writing its holder (a moment); taking the lock does not wait (see `hold`).
    const db = new Database(path, { timeout: 2000 });
    // No journal file: every lock file made at this path would share its name (the one a finishing
    // run just removed, and the next run's new one), and SQLite would roll one back into the other.
    db.pragma('journal_mode = MEMORY');
    return db;
  } catch (error) {
    throw lockFailed(path, output, error);
  }
}

/**
 * Begins the write transaction that is the lock (false: another run has it), with our holder
 * committed underneath: written and committed, then the lock taken again, until the holder found
 * under the lock is us.
 */
function hold(db: Database.Database, me: OutputHolder): boolean {
  for (let round = 0; round < 10; round++) {
    // No wait: a second run is refused at once rather than queued behind the first.
    db.pragma('busy_timeout = 0');
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
    const found =
      db
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'view' AND name = 'holder'")
        .get()!.n > 0;
    if (found && db.prepare<[], { token: string }>('SELECT token FROM holder').get()?.token === me.token) return true;
    db.exec(holderView(me));
    // A refused run reading the holder may hold up the commit a moment: wait for it.
    db.pragma('busy_timeout = 2000');
    db.exec('COMMIT');
  }
  return false;
}

/** The holder named by the file at `path` now, if any (read as any reader would, beside the lock). */
async function readHolderOnce(path: string): Promise<OutputHolder | undefined> {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 500 });
    const row = db
      .prepare<[], { token: string; host: string; pid: number; started_at: number }>(
        'SELECT token, host, pid, started_at FROM holder',
      )
      .get();
    return row && { token: row.token, host: row.host, pid: row.pid, startedAt: row.started_at };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/**
 * The run that has the lock, for the refusal: its holder may lag its lock by a moment (it is
 * still writing itself over us or a dead run), so look again briefly before saying "another run".
 */
async function readHolder(path: string, me: OutputHolder): Promise<OutputHolder | undefined> {
  let holder: OutputHolder | undefined;
  for (let look = 0; look < 10; look++) {
    holder = await readHolderOnce(path);
    if (holder && holder.token !== me.token && (holder.host !== me.host || isProcessAlive(holder.pid))) return holder;
    await sleep(100);
  }
  return holder?.token === me.token ? undefined : holder;
}

function lockFailed(path: string, output: string, error: unknown): FluenceError {
  const code = codeOf(error) || (error as Error).message;
  return new FluenceError('OUTPUT_LOCK_FAILED', message('errors.outputLockFailed', { output, path, code }), {
    cause: error,
  });
}

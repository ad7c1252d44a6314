import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StoredAnswers } from './answers.js';
import { ClaimRows } from './claim-rows.js';
import { storeError } from './errors.js';
import { openStore, type Handle, type Scope } from './open.js';
import { PassContacts } from './pass-contacts.js';
import { WordVerdicts } from './word-verdicts.js';

/**
 * One SQLite store (a checkpoint, a cache, or an estimate's scratch) and its parts, all over one
 * connection: the answers (lookups, read-ahead, outcomes), the claims and heartbeats runs on a
 * cache meet through, and the contacts of a first pass.
 */
export class Checkpoint {
  readonly path: string;
  /** Whether this run made the file (nothing in it yet from any run). */
  readonly created: boolean;
  readonly answers: StoredAnswers;
  readonly #handle: Handle;
  readonly #scope: Scope;
  #claims: ClaimRows | undefined;

  constructor(path: string, scope: Scope) {
    const { db, created } = openStore(path, scope);
    this.path = path;
    this.created = created;
    this.#scope = scope;
    this.#handle = { db, path, guard: (action) => guard(action, path) };
    this.answers = new StoredAnswers(this.#handle, scope === 'cache' ? 'cache' : 'checkpoint');
  }

  /** Claims and heartbeats (only runs on a cache use them). */
  get claims(): ClaimRows {
    this.#claims ??= new ClaimRows(this.#handle, this.answers);
    return this.#claims;
  }

  /** The contacts of a pass over an input; `kept` with the input's bytes, else this connection's own. */
  pass(endpoint: string, kept: { bytes: string } | undefined): PassContacts {
    return new PassContacts(this.#handle, endpoint, kept);
  }

  /** The first pass's verdicts on first words, kept under `list` (the rules' version and the gazetteer's hash). */
  wordVerdicts(list: string): WordVerdicts {
    return new WordVerdicts(this.#handle, list);
  }

  /**
   * The value kept under `key` in the store's meta, set to `value` first if it has none (in one
   * transaction: of two runs starting together on a new cache, the first to write decides).
   */
  recordOnce(key: string, value: string): string {
    return this.#handle.guard(() =>
      this.#db
        .transaction(() => {
          this.#db.prepare('INSERT OR IGNORE INTO meta (k, v) VALUES (?, ?)').run(key, value);
          return this.#db.prepare<[string], { v: string }>('SELECT v FROM meta WHERE k = ?').get(key)!.v;
        })
        .immediate(),
    );
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Closes, and removes the file if this run made it and never used it (a cache may have been found by another run meanwhile: kept). */
  closeUnused(): void {
    this.close();
    if (!this.created || this.#scope === 'cache') return;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.path}${suffix}`, { force: true });
  }

  get #db(): Database.Database {
    return this.#handle.db;
  }
}

function guard<T>(action: () => T, path: string): T {
  try {
    return action();
  } catch (error) {
    throw storeError(error, path, 'CHECKPOINT_FAILED');
  }
}

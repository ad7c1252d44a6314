import type Database from 'better-sqlite3';
import type { Handle } from './open.js';

/**
 * The first pass's verdicts on first words (`RememberedFirstNames`' bits), kept in the store
 * under `list`: the rules' version and the gazetteer's hash, so a new list or new rules start
 * afresh. A `--cache` makes a new pass on every run (it serves many files): with these, a rerun
 * whose words it has all seen never loads the gazetteer.
 */
export class WordVerdicts {
  readonly #handle: Handle;
  readonly #list: string;
  readonly #get: Database.Statement<[string, string], [number]>;

  constructor(handle: Handle, list: string) {
    this.#handle = handle;
    this.#list = list;
    const { db } = handle;
    this.#get = handle.guard(() => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS first_words (list TEXT NOT NULL, word TEXT NOT NULL, verdict INTEGER NOT NULL, PRIMARY KEY (list, word)) WITHOUT ROWID;',
      );
      return db
        .prepare<[string, string], [number]>('SELECT verdict FROM first_words WHERE list = ? AND word = ?')
        .raw(true);
    });
  }

  recall(word: string): number | undefined {
    return this.#handle.guard(() => this.#get.get(this.#list, word)?.[0]);
  }

  /** Adds verdicts (another run's on the same word are merged: each keeps what it was asked), and drops other lists'. */
  save(verdicts: readonly [string, number][]): void {
    if (verdicts.length === 0) return;
    const { db } = this.#handle;
    this.#handle.guard(() => {
      const put = db.prepare<[string, string, number]>(
        'INSERT INTO first_words (list, word, verdict) VALUES (?, ?, ?) ON CONFLICT (list, word) DO UPDATE SET verdict = verdict | excluded.verdict',
      );
      db.transaction(() => {
        db.prepare<[string]>('DELETE FROM first_words WHERE list <> ?').run(this.#list);
        for (const [word, bits] of verdicts) put.run(this.#list, word, bits);
      }).immediate();
    });
  }
}

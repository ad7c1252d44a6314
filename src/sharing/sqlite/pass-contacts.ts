import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Shape } from '../../input/shape.js';
import type { PassStore } from '../sharing.js';
import type { PassOptions, ReuseRule } from '../types.js';
import type { Handle } from './open.js';

/** The rules of the first pass: change it when they change (e.g. what is valid); old passes and word verdicts are then not reused. */
export const PASS_VERSION = 10;

/**
 * What decides a first pass's result: the file's bytes and the options that read them. A pass
 * (parse and check every row) runs at about 20 MB/s, hashing at 1 GB/s: a rerun over the same
 * file reuses the pass it already made.
 */
export function passFingerprint(config: PassOptions, bytes: string): string {
  const rules = JSON.stringify({
    pass: PASS_VERSION,
    encoding: config.encoding,
    delimiter: config.delimiter,
    map: config.map,
    noHeader: config.noHeader,
    sheet: config.sheet,
    hiddenRows: config.hiddenRows,
  });
  return createHash('sha256').update(rules).update(bytes).digest('hex');
}

interface PassNote {
  fingerprint: string;
  bytes: string;
  shape: Shape;
}

/** A note this tool wrote; anything unreadable counts as no note (the pass is simply made again). */
function parseNote(text: string | undefined): PassNote | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as PassNote);
  } catch {
    return undefined;
  }
}

/** The statements of a pass, made once its table is there. */
interface PassStatements {
  add: Database.Statement<[string]>;
  distinct: Database.Statement<[], [number]>;
  answered: Database.Statement<[string, number], [number]>;
}

/**
 * A pass's distinct contacts in the store. `kept` (a per-file checkpoint): they stay, with a note
 * of what the pass found, so a run over the same bytes counts what it still has to ask without
 * reading the file again. Otherwise (a cache other files' runs use at the same time, or an
 * estimate, which leaves the file as it was) they are this connection's own and go with it.
 */
export class PassContacts implements PassStore {
  readonly #handle: Handle;
  readonly #endpoint: string;
  /** The input's bytes' hash when passes are kept. */
  readonly #kept: { bytes: string } | undefined;
  readonly #note: Database.Statement<[string], [string]>;
  readonly #setNote: Database.Statement<[string, string]>;
  #statements: PassStatements | undefined;

  constructor(handle: Handle, endpoint: string, kept: { bytes: string } | undefined) {
    this.#handle = handle;
    this.#endpoint = endpoint;
    this.#kept = kept;
    this.#note = handle.db.prepare<[string], [string]>('SELECT v FROM meta WHERE k = ?').raw(true);
    this.#setNote = handle.db.prepare(
      'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
    );
  }

  recall(options: PassOptions): Shape | undefined {
    if (!this.#kept) return undefined;
    const known = parseNote(this.#handle.guard(() => this.#note.get('note:scan')?.[0]));
    return known?.fingerprint === passFingerprint(options, this.#kept.bytes) ? known.shape : undefined;
  }

  begin(): void {
    const { db } = this.#handle;
    this.#handle.guard(() => {
      db.exec(
        `CREATE ${this.#kept ? '' : 'TEMP '}TABLE IF NOT EXISTS pass_contacts (contact TEXT PRIMARY KEY) WITHOUT ROWID;`,
      );
      db.exec('BEGIN; DELETE FROM pass_contacts;');
    });
    this.#prepared();
  }

  /** The pass's statements, made once its table is there (this run's, or the one an earlier pass kept). */
  #prepared(): PassStatements {
    const { db } = this.#handle;
    this.#statements ??= this.#handle.guard(() => ({
      add: db.prepare<[string]>('INSERT OR IGNORE INTO pass_contacts (contact) VALUES (?)'),
      distinct: db.prepare<[], [number]>('SELECT count(*) FROM pass_contacts').raw(true),
      answered: db
        .prepare<[string, number], [number]>(
          `SELECT count(*) FROM pass_contacts p WHERE EXISTS (SELECT 1 FROM results r WHERE r.endpoint = ? AND r.contact = p.contact AND r.state = 'final' AND r.updated_at >= ?)`,
        )
        .raw(true),
    }));
    return this.#statements;
  }

  add(contact: string): boolean {
    return this.#handle.guard(() => this.#statements!.add.run(contact).changes === 1);
  }

  /** Commits the pass's contacts, and where passes are kept, its note (together). */
  end(options: PassOptions, shape: Shape): void {
    const kept = this.#kept;
    if (kept) {
      const note = JSON.stringify({
        fingerprint: passFingerprint(options, kept.bytes),
        bytes: kept.bytes,
        shape,
      } satisfies PassNote);
      this.#handle.guard(() => this.#setNote.run('note:scan', note));
    }
    this.#handle.guard(() => this.#handle.db.exec('COMMIT;'));
  }

  abort(): void {
    const { db } = this.#handle;
    if (db.open && db.inTransaction) db.exec('ROLLBACK;');
  }

  counts(rule: ReuseRule): { distinct: number; toAsk: number } {
    const statements = this.#prepared();
    return this.#handle.guard(() => {
      const distinct = statements.distinct.get()![0];
      if (rule.refresh) return { distinct, toAsk: distinct };
      const answered = statements.answered.get(this.#endpoint, rule.storedSince)![0];
      return { distinct, toAsk: distinct - answered };
    });
  }
}

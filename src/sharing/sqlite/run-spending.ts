import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/** What a store says the requests of one run (every attempt of it) cost. */
export interface RunSpending {
  /** Credits of the final answers its attempts bought. */
  credits: number;
  /** Its final answers: contacts it asked and saved (a row repeating one, or answered by another run, is not among them). */
  answered: number;
  /** Per attempt, its requests marked started and never finished (cut off): each may have been charged. */
  unfinished: Record<string, number>;
}

/**
 * Reads, from the store at `path`, what the requests whose `run` starts with `prefix` cost: the
 * page's runs give each attempt the id `<run>/<uuid>`, so a run's money is what its attempts
 * saved, whatever its own files say (a server killed -9 wrote its progress seconds before).
 * One short read: runs writing the store meanwhile are not disturbed.
 */
export function runSpending(path: string, prefix: string): RunSpending {
  if (!existsSync(path)) return { credits: 0, answered: 0, unfinished: {} };
  const db = new Database(path, { fileMustExist: true, timeout: 30_000 });
  try {
    const range = [prefix, `${prefix}\uffff`] as [string, string];
    const [credits, answered] = db
      .prepare<[string, string], [number | null, number]>(
        "SELECT sum(credits), count(*) FROM results WHERE state = 'final' AND run >= ? AND run < ?",
      )
      .raw(true)
      .get(...range) ?? [null, 0];
    const started = db
      .prepare<[string, string], [string, number]>(
        "SELECT run, count(*) FROM results WHERE state = 'started' AND run >= ? AND run < ? GROUP BY run",
      )
      .raw(true)
      .all(...range);
    return { credits: credits ?? 0, answered, unfinished: Object.fromEntries(started) };
  } finally {
    db.close();
  }
}

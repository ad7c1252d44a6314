import type { ProgressSnapshot } from '../engine/progress.js';

/** Counters a person reads as "so far": a resumed run's never go below what its earlier attempts reached. */
const SO_FAR = ['ok', 'notFound', 'invalid', 'failed'] as const;

/**
 * The run's progress from its current attempt's `snapshot`: credits of every attempt (`earlier`
 * plus this one's), and, for a resumed run, the totals of the run rather than of the attempt.
 * A resume reads the file again from its first row (the answers it has are written from the
 * cache at once), so its own counters start at 0 and its rows per second are those cached rows:
 * shown as they are, the counters went backwards and the time left said seconds for thousands
 * of requests. `before`: the run's progress when it was resumed (undefined for a first attempt).
 */
export function runProgress(
  snapshot: ProgressSnapshot,
  earlier: number,
  before: ProgressSnapshot | undefined,
): ProgressSnapshot {
  const progress: ProgressSnapshot = { ...snapshot, credits: earlier + snapshot.credits };
  if (!before) return progress;
  // Before the resumed attempt has counted its file, the run's own total.
  progress.total = snapshot.total || before.total;
  for (const name of SO_FAR) progress[name] = Math.max(before[name], snapshot[name]);
  const done = Math.max(doneRows(before), doneRows(snapshot));
  progress.rows = Math.min(progress.total, done + snapshot.pending);
  // Time left from the requests still to make at the rate they go now (unknown while none go).
  const left = progress.total - done;
  progress.etaSeconds = snapshot.rateNow > 0 ? Math.round(left / snapshot.rateNow) : undefined;
  return progress;
}

/** Rows with their answer (a stopped run writes its unasked rows too, as `pending`). */
export const doneRows = (p: ProgressSnapshot): number => Math.max(0, p.rows - p.pending);

/** A run that ended (or was cut off) has no time left. */
export function ended(progress: ProgressSnapshot | undefined): ProgressSnapshot | undefined {
  return progress && { ...progress, etaSeconds: undefined };
}

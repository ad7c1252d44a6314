import { contactKey } from '../contact/normalize.js';
import { checkUnchanged, snapshotOf } from '../input/file-guard.js';
import type { FirstNames } from '../contact/first-names.js';
import type { RowView } from '../input/row-view.js';
import { scan, type Shape } from '../input/shape.js';
import type { PassStore } from '../sharing/sharing.js';
import type { Checkpoint } from '../sharing/sqlite/checkpoint.js';
import { rememberedFirstNames } from './first-words.js';

/** The options that read the input (what `scan` takes). */
type ScanOptions = Parameters<typeof scan>[0];

/**
 * Scans the input, recording each valid contact in `pass`: the distinct contacts are what a run
 * may have to ask. `visit` sees every row, and whether its contact came earlier in the file.
 */
export async function scanContacts(
  config: ScanOptions,
  pass: PassStore,
  visit?: (row: RowView, repeat: boolean) => void,
  names?: FirstNames,
): Promise<Shape> {
  pass.begin();
  try {
    return await scan(
      config,
      (row) => {
        const repeat = row.reason === undefined && !pass.add(contactKey(row.contact));
        visit?.(row, repeat);
      },
      names,
    );
  } catch (error) {
    pass.abort();
    throw error;
  }
}

/**
 * The first pass over the input, or what an earlier run's pass over the same bytes found. Either
 * way the file must still be what the run's snapshot saw (a pass is only reused for the bytes the
 * store hashed, which a file still being written no longer holds).
 */
export async function firstPass(
  config: ScanOptions,
  pass: PassStore,
  store?: Checkpoint,
): Promise<{ shape: Shape; reused: boolean }> {
  const known = pass.recall(config);
  const snapshot = snapshotOf(config);
  if (known) {
    if (snapshot) await checkUnchanged(snapshot, 'first pass');
    return { shape: known, reused: true };
  }
  // The first words' verdicts of earlier passes in this store (a cache's rerun makes a new pass).
  const words = store ? rememberedFirstNames(store) : undefined;
  try {
    const shape = await scanContacts(config, pass, undefined, words?.names);
    pass.end(config, shape);
    return { shape, reused: false };
  } finally {
    // Kept even when the pass stops the run (a doubtful column): its verdicts hold all the same.
    words?.keep();
  }
}

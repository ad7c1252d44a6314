import { createHash } from 'node:crypto';
import { contactKey } from '../contact/normalize.js';
import type { CheckpointStore } from '../sharing/sqlite/checkpoint.js';
import { scan, type RowView, type Shape } from '../input/shape.js';

/** The options that read the input (what `scan` takes). */
type ScanOptions = Parameters<typeof scan>[0];

/**
 * What decides a first pass's result: the file's bytes and the options that read them. A pass
 * (parse and check every row) runs at about 20 MB/s, hashing at 1 GB/s: a rerun over the same
 * file reuses the pass it already made.
 */
export function passFingerprint(config: ScanOptions, bytes: string): string {
  // `pass` names the rules of the first pass: change it when they change (e.g. what is valid).
  const rules = JSON.stringify({ pass: 3, encoding: config.encoding, delimiter: config.delimiter, map: config.map, noHeader: config.noHeader, sheet: config.sheet });
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

/**
 * Scans the input, recording each valid contact in the store (`temporary` for a pass that must
 * leave the store as it was): the distinct contacts are what a run may have to ask.
 */
export async function scanContacts(config: ScanOptions, store: CheckpointStore, temporary: boolean, visit?: (row: RowView, repeat: boolean) => void): Promise<Shape> {
  store.beginPass(temporary);
  try {
    return await scan(config, (row) => {
      const repeat = row.reason === undefined && !store.addPassContact(contactKey(row.contact));
      visit?.(row, repeat);
    });
  } catch (error) {
    store.abortPass();
    throw error;
  }
}

/**
 * The first pass over the input, or what an earlier run's pass over the same bytes found (kept in
 * the checkpoint with the file's distinct contacts).
 */
export async function firstPass(config: ScanOptions, store: CheckpointStore, bytes: string): Promise<{ shape: Shape; reused: boolean }> {
  if (store.cache) {
    // Runs on other files share this cache at the same time: this pass's contacts are this connection's own.
    const shape = await scanContacts(config, store, true);
    store.endPass();
    return { shape, reused: false };
  }
  const print = passFingerprint(config, bytes);
  const known = parseNote(store.note('scan'));
  if (known?.fingerprint === print) return { shape: known.shape, reused: true };
  const shape = await scanContacts(config, store, false);
  store.endPass(JSON.stringify({ fingerprint: print, bytes, shape } satisfies PassNote));
  return { shape, reused: false };
}

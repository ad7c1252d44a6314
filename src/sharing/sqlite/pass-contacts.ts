import { createHash } from 'node:crypto';
import type { Shape } from '../../input/shape.js';
import type { PassStore } from '../sharing.js';
import type { PassOptions, ReuseRule } from '../types.js';
import type { CheckpointStore } from './checkpoint.js';

/**
 * What decides a first pass's result: the file's bytes and the options that read them. A pass
 * (parse and check every row) runs at about 20 MB/s, hashing at 1 GB/s: a rerun over the same
 * file reuses the pass it already made.
 */
export function passFingerprint(config: PassOptions, bytes: string): string {
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
 * A pass's distinct contacts in the checkpoint. `kept` (a per-file checkpoint): they stay with
 * a note of what the pass found, so a run over the same bytes counts what it still has to ask
 * without reading the file again. Otherwise (a cache other files' runs use at the same time, or
 * an estimate, which leaves the file as it was) they are this connection's own and go with it.
 */
export class PassContacts implements PassStore {
  readonly #store: CheckpointStore;
  readonly #endpoint: string;
  /** The input's bytes' hash when passes are kept. */
  readonly #kept: { bytes: string } | undefined;

  constructor(store: CheckpointStore, endpoint: string, kept: { bytes: string } | undefined) {
    this.#store = store;
    this.#endpoint = endpoint;
    this.#kept = kept;
  }

  recall(options: PassOptions): Shape | undefined {
    if (!this.#kept) return undefined;
    const known = parseNote(this.#store.note('scan'));
    return known?.fingerprint === passFingerprint(options, this.#kept.bytes) ? known.shape : undefined;
  }

  begin(): void {
    this.#store.beginPass(!this.#kept);
  }

  add(contact: string): boolean {
    return this.#store.addPassContact(contact);
  }

  end(options: PassOptions, shape: Shape): void {
    const kept = this.#kept;
    this.#store.endPass(kept && JSON.stringify({ fingerprint: passFingerprint(options, kept.bytes), bytes: kept.bytes, shape } satisfies PassNote));
  }

  abort(): void {
    this.#store.abortPass();
  }

  counts(rule: ReuseRule): { distinct: number; toAsk: number } {
    return this.#store.passCounts(this.#endpoint, rule);
  }
}

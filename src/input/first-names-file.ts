import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { Gazetteer } from '../contact/first-names.js';

/** The gazetteer's file, beside `dist/` and `src/` (see scripts/build-names.mjs). */
export const FIRST_NAMES_FILE = new URL('../../data/first-names.txt.gz', import.meta.url);

let loading: Promise<Gazetteer> | undefined;
let loaded: Gazetteer | undefined;
/** How many times the file was read in this process (once at most): tests and the bench read it. */
export const firstNamesLoads = { count: 0, ms: 0, wordsMs: 0 };

/**
 * The gazetteer, read once per process and only when a first pass judges names (a rerun that
 * reuses its pass, `--version`, `--help` never do). Its word list is unzipped only when a first
 * word is no known name.
 */
export function loadFirstNames(): Promise<Gazetteer> {
  loading ??= (async () => {
    if (loaded) return loaded;
    const started = performance.now();
    const file = await readFile(FIRST_NAMES_FILE);
    const split = 4 + file.readUInt32BE(0);
    const names = (await promisify(gunzip)(file.subarray(4, split))).toString('latin1');
    return made(file, names, started);
  })();
  return loading;
}

/**
 * The same, read at once: for a pass that answers from kept verdicts (`RememberedFirstNames`) and
 * needs the list only on a word they do not hold, in the middle of a row.
 */
export function loadFirstNamesNow(): Gazetteer {
  if (loaded) return loaded;
  const started = performance.now();
  const file = readFileSync(FIRST_NAMES_FILE);
  const split = 4 + file.readUInt32BE(0);
  return made(file, gunzipSync(file.subarray(4, split)).toString('latin1'), started);
}

function made(file: Buffer, names: string, started: number): Gazetteer {
  if (loaded) return loaded;
  const split = 4 + file.readUInt32BE(0);
  loaded = new Gazetteer(names, () => {
    const started = performance.now();
    const words = gunzipSync(file.subarray(split)).toString('latin1');
    firstNamesLoads.wordsMs = performance.now() - started;
    if (process.env.FLUENCE_DEBUG_FIRST_NAMES)
      process.stderr.write(`first-name word list loaded in ${Math.round(firstNamesLoads.wordsMs)} ms\n`);
    return words;
  });
  firstNamesLoads.count += 1;
  firstNamesLoads.ms = performance.now() - started;
  if (process.env.FLUENCE_DEBUG_FIRST_NAMES)
    process.stderr.write(`first names loaded in ${Math.round(firstNamesLoads.ms)} ms\n`);
  return loaded;
}

/**
 * The list's identity for verdicts kept between runs: the hash of its bytes (5 MB, a few
 * milliseconds; nothing unzipped), so a list rebuilt with other names is never answered for.
 */
export function firstNamesListHash(): string {
  return createHash('sha256').update(readFileSync(FIRST_NAMES_FILE)).digest('hex').slice(0, 16);
}

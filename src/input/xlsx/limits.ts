import { getHeapStatistics } from 'node:v8';

/**
 * What a workbook's parts may hold before the reader refuses them, chosen far past what any
 * spreadsheet program writes, so only a broken or hostile file meets them (and is refused in
 * bounded memory, before anything is spent).
 */
export const LIMITS = {
  /** Excel's last row. */
  rows: 1_048_576,
  /** Excel's last column (XFD). */
  columns: 16_384,
  /** Characters of one cell's text: Excel holds 32,767; a program that writes more is still read up to this. */
  cell: 1024 * 1024,
  /** Characters of one row's cells together (as a CSV row: 32 MB). */
  row: 32 * 1024 * 1024,
  /**
   * Characters of XML between two tags (a cell's text with its entities, whitespace between
   * rows): Excel writes none between rows, and a cell's text, escaped, stays under a few times
   * `cell`. Past this, the parser would hold the whole stretch in memory.
   */
  gap: 8 * 1024 * 1024,
  /** Bytes of a small part (the workbook, relationships, styles), read whole: bloated styles reach a few MB. */
  smallPart: 64 * 1024 * 1024,
} as const;

/**
 * Heap kept free per byte of the shared-strings part (every distinct text, held while the sheet
 * is read). Once read, the table takes 1.1-1.6 bytes a byte (measured: 5,000 distinct 2 KB notes,
 * a 10 MB part, 11 MB; 200,000 short names, 5 MB, 8 MB); the run shares the heap with it: that 10
 * MB table in a 40 MB old space ran out of memory in one run of three. 4 keeps such a workbook out.
 */
export const HEAP_PER_SHARED_STRING_BYTE = 4;

/**
 * Room V8 keeps for its young generation, which `heap_size_limit` counts though long-lived data
 * (the table) never stays there: three semi-spaces, 3 x 16 MB on Node 20 and 22, 3 x 64 MB on
 * Node 24. The larger is assumed when no flag says otherwise.
 */
const DEFAULT_YOUNG_RESERVE = 192 * 1024 * 1024;
const MB = 1024 * 1024;

/** The last value of a V8 size flag (`--max-old-space-size=40`, `--max_old_space_size 40`) in `args`, in MB. */
export function flagMegabytes(args: readonly string[], flag: string): number | undefined {
  const names = [flag, flag.replace(/-/g, '_')].map((name) => `--${name}`);
  let found: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = names.find((n) => arg === n || arg.startsWith(`${n}=`));
    if (!name) continue;
    const value = Number(arg === name ? args[i + 1] : arg.slice(name.length + 1));
    if (Number.isFinite(value) && value > 0) found = value;
  }
  return found;
}

/**
 * The old generation's limit: where the table lives, and what runs out. `heap_size_limit` adds
 * the young generation's reserve to it, 48 MB on Node 20 but 192 MB on Node 24: with
 * `--max-old-space-size=40` Node 24 reports 232 MB, and a guard reading that let a 10 MB table
 * in to exhaust a 40 MB old space (the process died by a signal). The flag V8 was given (on the
 * command line or in NODE_OPTIONS) says the old generation's size; without one, the reserve is
 * taken off the limit.
 */
export function oldSpaceLimit(
  heapLimit = getHeapStatistics().heap_size_limit,
  args: readonly string[] = [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...process.execArgv],
): number {
  const old = flagMegabytes(args, 'max-old-space-size');
  if (old !== undefined) return Math.min(old * MB, heapLimit);
  const semi = flagMegabytes(args, 'max-semi-space-size');
  const reserve = semi === undefined ? DEFAULT_YOUNG_RESERVE : 3 * semi * MB;
  return Math.max(heapLimit - reserve, heapLimit / 2);
}

/** Heap the process has left for the table: half of what its old generation has free (the run needs the rest). */
export function sharedStringsBudget(): { bytes: number; free: number; limit: number } {
  const limit = oldSpaceLimit();
  const free = Math.max(0, limit - getHeapStatistics().used_heap_size);
  return { bytes: Math.floor(free / 2 / HEAP_PER_SHARED_STRING_BYTE), free, limit };
}

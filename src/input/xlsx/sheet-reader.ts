import type { Readable } from 'node:stream';
import type { CellNumber, CellProblem } from '../input.js';
import type { CellContext } from './cells.js';
import { initSheetState, sheetHandlers } from './sheet-state.js';
import { strictDecoder, xmlStream } from './xml.js';

/** One row of a sheet: `line` is its row number in the spreadsheet. */
export interface SheetRow {
  line: number;
  cells: string[];
  /** Hidden in the workbook: by hand, or filtered out by an AutoFilter or a Table's filter (Excel hides both the same way). */
  hidden?: true;
  numbers?: CellNumber[];
  problems?: CellProblem[];
}

/** How the reader says what is wrong with a sheet: each error names the sheet and the file. */
export interface SheetErrors {
  /** A formula saved without its result: nothing says what Excel would show. */
  uncomputed(ref: string, formula: string, placeholder: boolean): Error;
  /** Rows or cells no spreadsheet program writes (`what` says which). */
  malformed(what: string): Error;
  /** Bytes that are not UTF-8, in row `line` (`inRow`) or after it (0: before the first). */
  notUtf8(line: number, inRow: boolean): Error;
  /** A cell's text longer than `LIMITS.cell`. */
  cellTooLarge(ref: string): Error;
  /** A row's cells together longer than `LIMITS.row`. */
  rowTooLarge(line: number): Error;
  /** More than `LIMITS.gap` characters between two tags, after row `line`, inside cell `ref` if it is one. */
  gap(line: number, ref: string | undefined): Error;
}

/** Rows handed on at a time (the reader's pace is the consumer's). */
const BATCH = 512;

/**
 * The rows of one worksheet's XML, parsed as its bytes are decompressed (never the whole sheet in
 * memory), a batch at a time. A row with nothing a person would see (only formatting) is no row,
 * as a blank line in a CSV; trailing empty cells are left off. Rows and cells must come in
 * order, each once, within Excel's grid, and within `LIMITS` (in memory no larger than they);
 * else `errors` says what stops the reading. The tags' handlers and their state: `sheet-state.ts`.
 */
export async function* readSheetRows(
  xml: Readable,
  context: CellContext,
  errors: SheetErrors,
): AsyncGenerator<SheetRow[]> {
  const state = initSheetState();
  const parser = xmlStream(sheetHandlers(state, context, errors), () =>
    errors.gap(state.line, state.inCell ? state.cell.ref : undefined),
  );
  const decode = strictDecoder(
    () => errors.notUtf8(state.line, state.inRow),
    (valid) => parser.write(valid),
  );
  for await (const chunk of xml) {
    parser.write(decode(chunk as Buffer));
    while (state.ready.length >= BATCH) yield state.ready.splice(0, BATCH);
    if (state.done) break;
  }
  if (!state.done) {
    parser.write(decode());
    parser.close();
  }
  if (state.ready.length > 0) yield state.ready;
  state.ready = [];
}

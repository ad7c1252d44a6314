import type { Readable } from 'node:stream';
import type { CellNumber, CellProblem } from '../input.js';
import { columnIndex, columnName, readCell, type CellContext, type RawCell } from './cells.js';
import { LIMITS } from './limits.js';
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

/** A row's number as the sheet gives it: a whole number from 1, else NaN. */
const rowNumber = (r: string): number => (/^[1-9][0-9]{0,9}$/.test(r) ? Number(r) : Number.NaN);

/** The row a cell's reference names (`B7`: 7), undefined when it names none. */
function refRow(ref: string): number | undefined {
  const digits = /[0-9]+$/.exec(ref);
  return digits ? Number(digits[0]) : undefined;
}

/** Rows handed on at a time (the reader's pace is the consumer's). */
const BATCH = 512;

/**
 * The rows of one worksheet's XML, parsed as its bytes are decompressed (never the whole sheet in
 * memory), a batch at a time. A row with nothing a person would see (only formatting) is no row,
 * as a blank line in a CSV; trailing empty cells are left off. Rows and cells must come in
 * order, each once, within Excel's grid, and within `LIMITS` (in memory no larger than they);
 * else `errors` says what stops the reading.
 */
export async function* readSheetRows(
  xml: Readable,
  context: CellContext,
  errors: SheetErrors,
): AsyncGenerator<SheetRow[]> {
  let ready: SheetRow[] = [];
  let done = false;
  let line = 0;
  let cells: string[] = [];
  let numbers: CellNumber[] | undefined;
  let problems: CellProblem[] | undefined;
  let column = -1;
  /** Characters of the row's cells so far. */
  let rowChars = 0;
  const cell: RawCell = { ref: '', type: undefined, style: 0, value: undefined, formula: undefined, inline: undefined };
  /** Which element's text is being collected, and the text so far. */
  let capture: 'v' | 'f' | 't' | undefined;
  let text = '';
  let phonetic = 0;
  let inCell = false;
  let inRow = false;
  let hidden = false;

  const endCell = (): void => {
    const read = readCell(cell, context);
    if (read.kind === 'uncomputed') throw errors.uncomputed(cell.ref, read.formula, read.placeholder);
    rowChars += read.text.length;
    if (rowChars > LIMITS.row) throw errors.rowTooLarge(line);
    if (read.kind === 'number') {
      cells[column] = read.text;
      (numbers ??= []).push({ column, value: read.value, format: read.format });
      return;
    }
    if (read.text === '') return;
    cells[column] = read.text;
    if (read.kind === 'error') (problems ??= []).push({ column, cell: cell.ref, problem: read.text });
  };

  const endRow = (): void => {
    if (cells.length > 0) {
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      const row: SheetRow = { line, cells };
      if (hidden) row.hidden = true;
      if (numbers) row.numbers = numbers;
      if (problems) row.problems = problems;
      ready.push(row);
    }
    cells = [];
    numbers = undefined;
    problems = undefined;
  };

  /** Where the next row is: after the last, numbered past it, within Excel's rows. */
  const nextRow = (r: string | undefined): number => {
    const next = r === undefined ? line + 1 : rowNumber(r);
    if (Number.isNaN(next)) throw errors.malformed(`after row ${line}, a row is numbered ${JSON.stringify(r)}`);
    if (next > LIMITS.rows)
      throw errors.malformed(
        `it has a row numbered ${next}, past Excel's last row (${LIMITS.rows.toLocaleString('en-US')})`,
      );
    if (next === line)
      throw errors.malformed(`row ${line} is given twice (a later one would silently replace the first)`);
    if (next < line) throw errors.malformed(`row ${next} comes after row ${line} (a sheet's rows are stored in order)`);
    return next;
  };
  /** Where the next cell is: right of the last, in its row, within Excel's columns. */
  const nextColumn = (r: string | undefined): number => {
    const at = r === undefined ? -1 : columnIndex(r);
    const next = at >= 0 ? at : column + 1;
    const ref = r ?? `${columnName(next)}${line}`;
    const inRow = r === undefined ? line : refRow(r);
    if (inRow !== undefined && inRow !== line) throw errors.malformed(`cell ${ref} is stored inside row ${line}`);
    if (next >= LIMITS.columns) throw errors.malformed(`cell ${ref} is past Excel's last column (XFD)`);
    if (next === column)
      throw errors.malformed(`cell ${ref} is given twice (the later one would silently replace the first)`);
    if (next < column)
      throw errors.malformed(
        `cell ${ref} comes after cell ${columnName(column)}${line} (a row's cells are stored in order)`,
      );
    return next;
  };

  // A cell's attributes are never prefixed (unprefixed attributes are in no namespace): read directly.
  const parser = xmlStream(
    {
      open(name, tag) {
        const attributes = tag.attributes;
        if (done) return;
        switch (name) {
          case 'row': {
            line = nextRow(attributes.r);
            inRow = true;
            hidden = attributes.hidden === '1' || attributes.hidden === 'true';
            column = -1;
            rowChars = 0;
            break;
          }
          case 'c': {
            const r = attributes.r;
            column = nextColumn(r);
            cell.ref = r ?? `${columnName(column)}${line}`;
            cell.type = attributes.t;
            const s = attributes.s;
            cell.style = s === undefined ? 0 : Number(s);
            cell.value = undefined;
            cell.formula = undefined;
            cell.inline = undefined;
            inCell = true;
            break;
          }
          case 'v':
          case 'f':
            if (inCell) [capture, text] = [name, ''];
            break;
          case 'is':
            if (inCell) cell.inline = '';
            break;
          case 'rPh':
            phonetic += 1;
            break;
          case 't':
            if (cell.inline !== undefined && phonetic === 0) [capture, text] = ['t', ''];
            break;
        }
      },
      close(name) {
        if (done) return;
        switch (name) {
          case 'v':
            if (capture === 'v') cell.value = text;
            capture = undefined;
            break;
          case 'f':
            if (capture === 'f') cell.formula = text;
            capture = undefined;
            break;
          case 't':
            if (capture === 't') cell.inline += text;
            if (cell.inline !== undefined && cell.inline.length > LIMITS.cell) throw errors.cellTooLarge(cell.ref);
            capture = undefined;
            break;
          case 'rPh':
            phonetic -= 1;
            break;
          case 'c':
            if (inCell) endCell();
            inCell = false;
            break;
          case 'row':
            endRow();
            break;
          case 'sheetData':
            done = true;
            break;
        }
      },
      text(chunk) {
        if (capture === undefined) return;
        text += chunk;
        if (text.length > LIMITS.cell) throw errors.cellTooLarge(cell.ref);
      },
    },
    () => errors.gap(line, inCell ? cell.ref : undefined),
  );

  const decode = strictDecoder(
    () => errors.notUtf8(line, inRow),
    (valid) => parser.write(valid),
  );
  for await (const chunk of xml) {
    parser.write(decode(chunk as Buffer));
    while (ready.length >= BATCH) yield ready.splice(0, BATCH);
    if (done) break;
  }
  if (!done) {
    parser.write(decode());
    parser.close();
  }
  if (ready.length > 0) yield ready;
  ready = [];
}

import type { SaxesTagPlain } from 'saxes';
import type { CellNumber, CellProblem } from '../input.js';
import { columnIndex, columnName, readCell, type CellContext, type RawCell } from './cells.js';
import { LIMITS } from './limits.js';
import type { SheetErrors, SheetRow } from './sheet-reader.js';

/**
 * What the sheet reader knows while it reads a worksheet's XML, in one object (csv-parse's
 * `init_state`): each tag's handler below changes only what its tag says.
 */
export interface SheetState {
  /** Rows read and not yet handed on. */
  ready: SheetRow[];
  /** `</sheetData>` was read: nothing after it is a row. */
  done: boolean;
  /** The row being read (its number in the spreadsheet). */
  line: number;
  cells: string[];
  numbers: CellNumber[] | undefined;
  problems: CellProblem[] | undefined;
  /** The column of the cell being read (-1 before the row's first). */
  column: number;
  /** Characters of the row's cells so far. */
  rowChars: number;
  cell: RawCell;
  /** Which element's text is being collected, and the text so far. */
  capture: 'v' | 'f' | 't' | undefined;
  text: string;
  /** Depth inside `<rPh>` (a phonetic reading, not the cell's text). */
  phonetic: number;
  inCell: boolean;
  /** A row was begun (the first `<row>` seen): bytes that are not UTF-8 are said to be in a row. */
  inRow: boolean;
  hidden: boolean;
}

export function initSheetState(): SheetState {
  return {
    ready: [],
    done: false,
    line: 0,
    cells: [],
    numbers: undefined,
    problems: undefined,
    column: -1,
    rowChars: 0,
    cell: { ref: '', type: undefined, style: 0, value: undefined, formula: undefined, inline: undefined },
    capture: undefined,
    text: '',
    phonetic: 0,
    inCell: false,
    inRow: false,
    hidden: false,
  };
}

/** A sheet's XML handlers over one state: a cell's attributes are never prefixed (unprefixed attributes are in no namespace), so read directly. */
export function sheetHandlers(
  state: SheetState,
  context: CellContext,
  errors: SheetErrors,
): { open(name: string, tag: SaxesTagPlain): void; close(name: string): void; text(chunk: string): void } {
  return {
    open: (name, tag) => {
      if (!state.done) openTag(state, name, tag.attributes, errors);
    },
    close: (name) => {
      if (!state.done) closeTag(state, name, context, errors);
    },
    text: (chunk) => addText(state, chunk, errors),
  };
}

function openTag(state: SheetState, name: string, attributes: Record<string, string>, errors: SheetErrors): void {
  const { cell } = state;
  switch (name) {
    case 'row':
      openRow(state, attributes, errors);
      break;
    case 'c':
      openCell(state, attributes, errors);
      break;
    case 'v':
    case 'f':
      if (state.inCell) [state.capture, state.text] = [name, ''];
      break;
    case 'is':
      if (state.inCell) cell.inline = '';
      break;
    case 'rPh':
      state.phonetic += 1;
      break;
    case 't':
      if (cell.inline !== undefined && state.phonetic === 0) [state.capture, state.text] = ['t', ''];
      break;
  }
}

function closeTag(state: SheetState, name: string, context: CellContext, errors: SheetErrors): void {
  const { cell } = state;
  switch (name) {
    case 'v':
      if (state.capture === 'v') cell.value = state.text;
      state.capture = undefined;
      break;
    case 'f':
      if (state.capture === 'f') cell.formula = state.text;
      state.capture = undefined;
      break;
    case 't':
      if (state.capture === 't') cell.inline += state.text;
      if (cell.inline !== undefined && cell.inline.length > LIMITS.cell) throw errors.cellTooLarge(cell.ref);
      state.capture = undefined;
      break;
    case 'rPh':
      state.phonetic -= 1;
      break;
    case 'c':
      if (state.inCell) endCell(state, context, errors);
      state.inCell = false;
      break;
    case 'row':
      endRow(state);
      break;
    case 'sheetData':
      state.done = true;
      break;
  }
}

function addText(state: SheetState, chunk: string, errors: SheetErrors): void {
  if (state.capture === undefined) return;
  state.text += chunk;
  if (state.text.length > LIMITS.cell) throw errors.cellTooLarge(state.cell.ref);
}

function openRow(state: SheetState, attributes: Record<string, string>, errors: SheetErrors): void {
  state.line = nextRow(state, attributes.r, errors);
  state.inRow = true;
  state.hidden = attributes.hidden === '1' || attributes.hidden === 'true';
  state.column = -1;
  state.rowChars = 0;
}

function openCell(state: SheetState, attributes: Record<string, string>, errors: SheetErrors): void {
  const { cell } = state;
  const r = attributes.r;
  state.column = nextColumn(state, r, errors);
  cell.ref = r ?? `${columnName(state.column)}${state.line}`;
  cell.type = attributes.t;
  const s = attributes.s;
  cell.style = s === undefined ? 0 : Number(s);
  cell.value = undefined;
  cell.formula = undefined;
  cell.inline = undefined;
  state.inCell = true;
}

function endCell(state: SheetState, context: CellContext, errors: SheetErrors): void {
  const { cell, column, line } = state;
  const read = readCell(cell, context);
  if (read.kind === 'uncomputed') throw errors.uncomputed(cell.ref, read.formula, read.placeholder);
  state.rowChars += read.text.length;
  if (state.rowChars > LIMITS.row) throw errors.rowTooLarge(line);
  if (read.kind === 'number') {
    state.cells[column] = read.text;
    (state.numbers ??= []).push({ column, value: read.value, format: read.format });
    return;
  }
  if (read.text === '') return;
  state.cells[column] = read.text;
  if (read.kind === 'error') (state.problems ??= []).push({ column, cell: cell.ref, problem: read.text });
}

/** A row with nothing a person would see is no row; a row's gaps are empty cells. */
function endRow(state: SheetState): void {
  const { cells, line, hidden, numbers, problems } = state;
  if (cells.length > 0) {
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    const row: SheetRow = { line, cells };
    if (hidden) row.hidden = true;
    if (numbers) row.numbers = numbers;
    if (problems) row.problems = problems;
    state.ready.push(row);
  }
  state.cells = [];
  state.numbers = undefined;
  state.problems = undefined;
}

/** A row's number as the sheet gives it: a whole number from 1, else NaN. */
const rowNumber = (r: string): number => (/^[1-9][0-9]{0,9}$/.test(r) ? Number(r) : Number.NaN);

/** The row a cell's reference names (`B7`: 7), undefined when it names none. */
function refRow(ref: string): number | undefined {
  const digits = /[0-9]+$/.exec(ref);
  return digits ? Number(digits[0]) : undefined;
}

/** Where the next row is: after the last, numbered past it, within Excel's rows. */
function nextRow(state: SheetState, r: string | undefined, errors: SheetErrors): number {
  const { line } = state;
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
}

/** Where the next cell is: right of the last, in its row, within Excel's columns. */
function nextColumn(state: SheetState, r: string | undefined, errors: SheetErrors): number {
  const { column, line } = state;
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
}

import type { FirstNames } from '../contact/first-names.js';
import type { FluenceError } from '../errors.js';
import type { EnrichConfig } from '../options/config.js';
import { ColumnCheck } from './column-check.js';
import {
  checkTwins,
  fieldColumns,
  locateColumns,
  twinColumns,
  type Columns,
  type MapField,
  type TwinColumns,
} from './columns.js';
import type { Dialect } from './dialect.js';
import type { InputRecord } from './input.js';
import { withMappingHint } from './mapping-hint.js';
import { viewRow, type RowView } from './row-view.js';
import { mixedEndings } from './scan-errors.js';

export type ScanOptions = Pick<EnrichConfig, 'input' | 'encoding' | 'delimiter' | 'map' | 'noHeader'> &
  Partial<Pick<EnrichConfig, 'sheet' | 'hiddenRows'>>;

/** Records tried as the header before giving up: a preamble longer than this is not an export's. */
export const MAX_PREAMBLE_RECORDS = 10;
/** One-cell lines at the end taken as a footer ("Grand Totals", "Confidential...", "Copyright..."); more are rows. */
const MAX_FOOTER_RECORDS = 8;

/** The table once its header is found: what every later record is read against. */
export interface Table {
  header: string[];
  columns: Columns;
  twins: TwinColumns[];
  /** The values seen against the columns a rule chose (`ColumnCheck`). */
  check: ColumnCheck;
  /** Which record is the header, and the line it is on. */
  at: { record: number; line: number };
}

/**
 * What the first pass knows while it reads, in one object (csv-parse's `init_state`): each
 * concern below (the header finder, the row count, the footer hold, the column check) changes
 * only its own fields.
 */
export interface ScanState {
  /** Undefined until a record is the header. */
  table: Table | undefined;
  /** Why the first record is not a header, while later ones are tried (a preamble before the table). */
  notHeader: unknown;
  /** The records tried as the header: if none is, the first one's columns and the next ones' values suggest a `--map`. */
  tried: string[][];
  rows: number;
  valid: number;
  hidden: number;
  /** A guessed full-name column's values, and how many of them hold a space (see `checkFullNames`). */
  names: { given: number; spaced: number };
  /**
   * One-cell rows since the last full row, shown to `visit` only once a full row follows them: if
   * the file ends with a few of them, they are a footer, never counted as rows.
   */
  held: RowView[];
  /** The record before the first held row: where the table ends if they are a footer. */
  heldAfter: number;
  /** More one-cell rows in a row than a footer has: they are rows, not held. */
  longRun: boolean;
  lastLine: number;
}

export function initScanState(): ScanState {
  return {
    table: undefined,
    notHeader: undefined,
    tried: [],
    rows: 0,
    valid: 0,
    hidden: 0,
    names: { given: 0, spaced: 0 },
    held: [],
    heldAfter: 0,
    longRun: false,
    lastLine: 0,
  };
}

/**
 * The header finder: whether `record` is the header (or, with --no-header, the first record, made
 * up a header), else a preamble's line skipped. True when the record is used up (not data).
 */
export function findHeader(state: ScanState, record: InputRecord, config: ScanOptions, names: FirstNames): boolean {
  // Without a header, columns are named by position and the first record is data.
  const candidate = config.noHeader ? record.cells.map((_, i) => `column_${i + 1}`) : record.cells;
  const map =
    config.noHeader && Object.keys(config.map).length === 0
      ? { primeiro_nome: '1', ultimo_nome: '2', empresa: '3' }
      : config.map;
  let columns: Columns;
  try {
    columns = locateColumns(candidate, map);
  } catch (error) {
    skipPreamble(state, record, config, error, names);
    return true;
  }
  const header = candidate;
  state.table = {
    header,
    columns,
    twins: twinColumns(header, columns, map),
    check: new ColumnCheck(header, columns, ruledFields(columns, config.map), {
      positional: config.noHeader,
      names,
    }),
    at: { record: record.record, line: record.line },
  };
  state.lastLine = record.line;
  return !config.noHeader;
}

/** A record that is not the header: a line before the table (LinkedIn's "Notes:"), unless too many came first. */
function skipPreamble(
  state: ScanState,
  record: InputRecord,
  config: ScanOptions,
  error: unknown,
  names: FirstNames,
): void {
  const { notHeader, tried } = state;
  // Lines before the table (LinkedIn's "Notes:"): look for the header a few records on.
  const code = (error as FluenceError).code;
  if (config.noHeader || code !== 'MISSING_COLUMN') throw notHeader ?? error;
  tried.push(record.cells);
  if (record.record >= MAX_PREAMBLE_RECORDS)
    throw withMappingHint(notHeader ?? error, tried[0], tried.slice(1), names, config.map);
  state.notHeader ??= error;
}

/** The twin-column check, and lines of mixed endings read as one row: either stops the pass. */
export function checkRecord(table: Table, record: InputRecord, config: ScanOptions): void {
  const { header, twins } = table;
  if (record.strayBreak && record.cells.length > header.length) throw mixedEndings(config.input, record);
  if (twins.length > 0) checkTwins(twins, header, record.cells, record.line);
}

/** A data record as a row, counted (rows, hidden, valid). */
export function countRow(
  state: ScanState,
  table: Table,
  record: InputRecord,
  dialect: Dialect,
  names: FirstNames,
  sendHidden: boolean,
): RowView {
  state.rows += 1;
  if (record.hidden) state.hidden += 1;
  const row = viewRow(record, table.header.length, table.columns, names, sendHidden);
  row.sheetRow = dialect.xlsx ? record.line : record.record;
  if (row.reason === undefined) state.valid += 1;
  return row;
}

/**
 * The footer hold: a one-cell row after a blank line (and those after it) is held back; a full
 * row shows what was held, then itself. Too many held in a row are rows, not a footer.
 */
export function holdFooter(state: ScanState, record: InputRecord, row: RowView, show: (row: RowView) => void): void {
  const width = state.table!.header.length;
  const gap = record.line - state.lastLine;
  state.lastLine = record.line;
  // Counted once a row; a footer only matters for rows of one value.
  const oneCell = width >= 3 && filledCells(record.cells) <= 1;
  const { held } = state;
  // A footer starts after a blank line (a last row with one value does not: it stays a row).
  if (
    oneCell &&
    !state.longRun &&
    (held.length > 0 || (gap >= 2 && !record.cells.some((cell) => cell.includes('\n'))))
  ) {
    if (held.length === 0) state.heldAfter = record.record - 1;
    held.push(row);
    if (held.length > MAX_FOOTER_RECORDS) {
      state.longRun = true;
      showHeld(state, show);
    }
    return;
  }
  if (!oneCell) state.longRun = false;
  showHeld(state, show);
  show(row);
}

/** The rows held back, shown after all (they were not a footer). */
export function showHeld(state: ScanState, show: (row: RowView) => void): void {
  state.held.forEach(show);
  state.held = [];
}

/** How many held rows closing the file are a report's footer: a few one-cell lines after real rows, else none. */
export function footerRows(state: ScanState): number {
  return state.held.length > 0 && state.rows > state.held.length ? state.held.length : 0;
}

/** The column check: a row's values against the columns a rule chose, and a guessed full name's spaces. */
export function seeRow(state: ScanState, row: RowView): void {
  const columns = state.table?.columns;
  if (columns?.kind === 'full' && columns.guessed) countName(state.names, row.cells[columns.nome_completo]!);
  state.table?.check.see(row);
}

/**
 * The fields whose column a rule chose, not `--map`: an alias, the full-name guess, or (with
 * --no-header and no --map) the default positions 1, 2, 3. Only these are doubted as columns.
 */
function ruledFields(columns: Columns, map: Partial<Record<MapField, string>>): Set<MapField> {
  return new Set(
    fieldColumns(columns)
      .map(([field]) => field)
      .filter((field) => map[field] === undefined),
  );
}

/** Cells holding something other than spaces. */
function filledCells(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) if (cell.trim() !== '') n += 1;
  return n;
}

function countName(names: { given: number; spaced: number }, value: string): void {
  const name = value.trim();
  if (name === '') return;
  names.given += 1;
  if (/\s/.test(name)) names.spaced += 1;
}

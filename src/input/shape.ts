import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Contact } from '../contact/normalize.js';
import { invalidReason } from '../contact/validate.js';
import { contactDoubts, doubtReason, type Doubts } from '../contact/plausible.js';
import { recording, type FirstNames, type FirstWordVerdicts } from '../contact/first-names.js';
import type { FullName } from '../contact/full-name.js';
import { loadFirstNames } from './first-names-file.js';
import { adviceOf, FluenceError, withMore } from '../errors.js';
import { message, wordList } from '../i18n/message.js';
import {
  checkTwins,
  describeColumns,
  fieldColumns,
  locateColumns,
  otherCandidates,
  quoted,
  readFullName,
  readNameParts,
  twinColumns,
  type Columns,
  type MapField,
  type TwinColumns,
} from './columns.js';
import { ColumnCheck } from './column-check.js';
import { withMappingHint } from './mapping-hint.js';
import type { EnrichConfig } from '../options/config.js';
import { detectDialect, type Dialect } from './dialect.js';
import { inputError, inUserTerms, readBatches, type InputRecord } from './input.js';
import { checkRegularFile, checkUnchanged, snapshotOf, statInput, takeSnapshot } from './file-guard.js';
import { readingStopped, throwIfInterrupted } from './interrupt.js';
import { inputName } from './stdin.js';
import { describeTabs, tabList } from './xlsx/sheets.js';

type ScanOptions = Pick<EnrichConfig, 'input' | 'encoding' | 'delimiter' | 'map' | 'noHeader'> &
  Partial<Pick<EnrichConfig, 'sheet' | 'hiddenRows'>>;

/** What the first pass learns about a file. */
export interface Shape {
  dialect: Dialect;
  header: string[];
  columns: Columns;
  /** False with --no-header: the first record is data and the header is made up. */
  hasHeader: boolean;
  /** Which record is the header (1 unless lines came before it, as LinkedIn's notes): records up to it are not data. */
  headerRecord: number;
  /** The line the header is on (1 unless something came before it). */
  headerLine: number;
  /** The last record of the table: records after it are a footer (Salesforce's totals and copyright lines), not data. */
  tableEnd: number;
  /** Lines of that footer. */
  footerLines: number;
  rows: number;
  valid: number;
  /** Data rows hidden in the workbook (by hand or by a filter), and whether they are sent (`--hidden-rows send`) or not. */
  hiddenRows?: { rows: number; sent: boolean };
  /** The first words this pass called words and names (`fromVerdicts`): later passes judge alike without the gazetteer. */
  firstWords?: FirstWordVerdicts;
}

/** Why a row hidden in the workbook is not sent: whoever filtered the sheet meant the rows they see. */
export const HIDDEN_ROW =
  'the row is hidden in the workbook (filtered out, or hidden by hand): not sent; --hidden-rows send sends hidden rows';

/** One data row as the rules see it: the contact, padded cells, and why it cannot be sent (if so). */
export interface RowView {
  /** The line the row starts on. */
  line: number;
  /** Its number as a spreadsheet shows it: a CSV's record (a notes cell with a line break is one row), a workbook's row. */
  sheetRow?: number;
  cells: string[];
  contact: Contact;
  reason: string | undefined;
  /** What in the contact is not a person or a company, when the API would take it (the first pass's column check reads them too). */
  doubts?: Doubts;
}

/** The name's cells read as a name: a full name split, first and last names cleaned (see `readNameParts`). */
function readName(cells: readonly string[], columns: Columns): FullName {
  if (columns.kind === 'split')
    return readNameParts(cells[columns.primeiro_nome] ?? '', cells[columns.ultimo_nome] ?? '');
  return readFullName(cells[columns.nome_completo] ?? '');
}

export function toContact(cells: readonly string[], columns: Columns): Contact {
  const { firstName, lastName } = readName(cells, columns);
  return { firstName, lastName, company: cells[columns.empresa] ?? '' };
}

/**
 * A data row, padded to the header: invalid when it has more fields than the header (the extra
 * values go into the reason, so nothing is lost), when its contact cannot be sent (the API's own
 * rule, `invalidReason`), or when it is not a person at a company (`contactDoubt`: an id, an
 * email, digits, the company again), whoever chose its columns. A row hidden in a workbook is
 * not sent unless `sendHidden` (`--hidden-rows send`).
 */
export function viewRow(
  record: InputRecord,
  width: number,
  columns: Columns,
  names?: FirstNames,
  sendHidden = true,
): RowView {
  const view = judgeRow(record, width, columns, names);
  // Judged all the same: a hidden row's values still count in its columns' verdict.
  return record.hidden && !sendHidden ? { ...view, reason: HIDDEN_ROW } : view;
}

function judgeRow(record: InputRecord, width: number, columns: Columns, names?: FirstNames): RowView {
  // Most rows fit the header as they are: no copy.
  const cells = record.cells.length === width ? record.cells : record.cells.slice(0, width);
  while (cells.length < width) cells.push('');
  // A name says why it gives none (a comma that is not "Last, First", only a title).
  const full = readName(cells, columns);
  const contact: Contact = {
    firstName: full.firstName,
    lastName: full.lastName,
    company: cells[columns.empresa] ?? '',
  };
  const extra = record.cells.length - width;
  if (extra > 0) {
    return {
      line: record.line,
      cells,
      contact,
      reason: `line ${record.line} has ${record.cells.length} fields but the header has ${width}; extra values: ${record.cells
        .slice(width)
        .map((v) => JSON.stringify(v))
        .join(', ')}`,
    };
  }
  const refused = (record.problems && cellProblem(record.problems, columns)) ?? full.problem ?? invalidReason(contact);
  if (refused !== undefined) return { line: record.line, cells, contact, reason: refused };
  const doubts = contactDoubts(contact, names);
  return {
    line: record.line,
    cells,
    contact,
    reason: doubtReason(doubts, columns.kind === 'full' ? 'nome_completo' : undefined),
    doubts,
  };
}

/**
 * An error in a workbook cell the contact is made of (`#N/A` from a lookup that failed, `#REF!`):
 * its text is no name, so the row is never sent. Errors in other columns are kept as their text.
 */
function cellProblem(problems: NonNullable<InputRecord['problems']>, columns: Columns): string | undefined {
  for (const [field, column] of fieldColumns(columns)) {
    const problem = problems.find((p) => p.column === column);
    if (problem)
      return `${field}: cell ${problem.cell} shows the error ${problem.problem} (a formula that failed, or an error typed in), not a value; fix the cell in the workbook`;
  }
  return undefined;
}

/**
 * First pass: dialect, header, where the contact fields are, how many rows and how many are
 * valid (each row also shown to `visit`). A malformed file stops here with its line number,
 * before anything is spent.
 */
export async function scan(config: ScanOptions, visit?: (row: RowView) => void): Promise<Shape> {
  try {
    return await scanFile(config, visit);
  } catch (error) {
    const said = error instanceof FluenceError ? inUserTerms(error, config.input) : error;
    throw boundedMessage(await withSheetHint(said, config));
  }
}

/** Most of a message a person reads on one line: a header of 10,000 columns echoed whole would bury the code at its end. */
const MAX_MESSAGE_CHARS = 2000;

/** The error with its message cut in the middle when longer than `MAX_MESSAGE_CHARS` (its start says what, its end what to do). */
function boundedMessage(error: unknown): unknown {
  // A message in words bounds its long values itself (`quoted`).
  if (!(error instanceof FluenceError) || error.words || error.message.length <= MAX_MESSAGE_CHARS) return error;
  const cut = error.message.length - MAX_MESSAGE_CHARS;
  const message = `${error.message.slice(0, 1500)} … (${cut.toLocaleString('en-US')} characters left out) … ${error.message.slice(-500)}`;
  return new FluenceError(error.code, message, {
    exitCode: error.exitCode,
    ...(error.line === undefined ? {} : { line: error.line }),
    cause: error,
  });
}

/**
 * A workbook's sheet with no header (a cover page, a summary): the error lists the workbook's
 * tabs and names the sheets whose first rows hold one (`--sheet NAME`).
 */
async function withSheetHint(error: unknown, config: ScanOptions): Promise<unknown> {
  if (
    !(error instanceof FluenceError) ||
    (error.code !== 'MISSING_COLUMN' && error.code !== 'INPUT_EMPTY') ||
    config.noHeader
  )
    return error;
  const dialect = await detectDialect(config.input, { sheet: config.sheet }).catch(() => undefined);
  if (!dialect?.xlsx) return error;
  const { sheet, sheets } = dialect.xlsx;
  const isHeader = (cells: string[]): boolean => {
    try {
      locateColumns(cells, config.map);
      return true;
    } catch {
      return false;
    }
  };
  const { sheetsWithHeader } = await import('./xlsx.js');
  const found = await sheetsWithHeader(config.input, sheet, MAX_PREAMBLE_RECORDS, isHeader).catch(() => [] as string[]);
  const where = {
    sheet: JSON.stringify(sheet),
    first: config.sheet === undefined ? 'yes' : 'no',
    name: inputName(config.input),
    tabs: tabList(sheets),
    found: wordList(
      found.map((name) => JSON.stringify(name)),
      'and',
    ),
    count: found.length,
    word: found.length > 0 ? sheetWord(found[0]!) : '',
  };
  return withMore(error, adviceOf('errors.missingColumn.sheet', where));
}

/** A sheet's name as one shell word. */
const sheetWord = (name: string): string => (/^[\w@%+=:,./-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`);

async function scanFile(config: ScanOptions, visit?: (row: RowView) => void): Promise<Shape> {
  // The run's snapshot when there is one (see engine/input-file.ts); else one of the scan's own.
  const snapshot = snapshotOf(config) ?? (await takeSnapshot(config.input));
  const dialect = await detectDialect(config.input, {
    encoding: config.encoding,
    delimiter: config.delimiter,
    sheet: config.sheet,
  }).catch((error: unknown) => {
    throw inputError(error, config.input, 0);
  });
  // The workbook reader is loaded only for a workbook (see readBatches).
  if (dialect.xlsx) await (await import('./xlsx.js')).checkXlsxMemory(config.input);
  // Loaded here, by the pass that judges names, and only by it: a rerun reuses this pass's verdicts.
  const firstNames = recording(await loadFirstNames());
  let header: string[] | undefined;
  let columns: Columns | undefined;
  let twins: TwinColumns[] = [];
  let check: ColumnCheck | undefined;
  let headerAt = { record: 0, line: 0 };
  /** Why the first record is not a header, while later ones are tried (a preamble before the table). */
  let notHeader: unknown;
  /** The records tried as the header: if none is, the first one's columns and the next ones' values suggest a `--map`. */
  const tried: string[][] = [];
  let rows = 0;
  let valid = 0;
  let hidden = 0;
  const sendHidden = config.hiddenRows === 'send';
  const names = { given: 0, spaced: 0 };
  /**
   * One-cell rows since the last full row, shown to `visit` only once a full row follows them: if
   * the file ends with a few of them, they are a footer, never counted as rows.
   */
  let held: RowView[] = [];
  let heldAfter = 0;
  let longRun = false;
  let lastLine = 0;
  const show = (row: RowView): void => {
    if (columns?.kind === 'full' && columns.guessed) countName(names, row.cells[columns.nome_completo]!);
    check?.see(row);
    visit?.(row);
  };
  const bounds = { snapshot, pass: 'first pass', signal: readingStopped } as const;
  for await (const batch of readBatches(config.input, dialect, bounds)) {
    for (const record of batch) {
      if (!header || !columns) {
        // Without a header, columns are named by position and the first record is data.
        const candidate = config.noHeader ? record.cells.map((_, i) => `column_${i + 1}`) : record.cells;
        const map =
          config.noHeader && Object.keys(config.map).length === 0
            ? { primeiro_nome: '1', ultimo_nome: '2', empresa: '3' }
            : config.map;
        try {
          columns = locateColumns(candidate, map);
        } catch (error) {
          // Lines before the table (LinkedIn's "Notes:"): look for the header a few records on.
          const code = (error as FluenceError).code;
          if (config.noHeader || code !== 'MISSING_COLUMN') throw notHeader ?? error;
          tried.push(record.cells);
          if (record.record >= MAX_PREAMBLE_RECORDS)
            throw withMappingHint(notHeader ?? error, tried[0], tried.slice(1));
          notHeader ??= error;
          continue;
        }
        header = candidate;
        headerAt = { record: record.record, line: record.line };
        lastLine = record.line;
        twins = twinColumns(header, columns, map);
        check = new ColumnCheck(header, columns, ruledFields(columns, config.map), {
          positional: config.noHeader,
          names: firstNames,
        });
        if (!config.noHeader) continue;
      }
      if (record.strayBreak && record.cells.length > header.length) throw mixedEndings(config.input, record);
      if (twins.length > 0) checkTwins(twins, header, record.cells, record.line);
      rows += 1;
      if (record.hidden) hidden += 1;
      const row = viewRow(record, header.length, columns, firstNames, sendHidden);
      row.sheetRow = dialect.xlsx ? record.line : record.record;
      if (row.reason === undefined) valid += 1;
      const gap = record.line - lastLine;
      lastLine = record.line;
      // Counted once a row; a footer only matters for rows of one value.
      const oneCell = header.length >= 3 && filledCells(record.cells) <= 1;
      // A footer starts after a blank line (a last row with one value does not: it stays a row).
      if (oneCell && !longRun && (held.length > 0 || (gap >= 2 && !record.cells.some((cell) => cell.includes('\n'))))) {
        if (held.length === 0) heldAfter = record.record - 1;
        held.push(row);
        if (held.length > MAX_FOOTER_RECORDS) {
          longRun = true;
          held.forEach(show);
          held = [];
        }
        continue;
      }
      if (!oneCell) longRun = false;
      held.forEach(show);
      held = [];
      show(row);
    }
  }
  // A change after the last bytes were read (the read stops at the snapshot's size).
  await checkUnchanged(snapshot, 'first pass');
  if (notHeader !== undefined && !header) throw withMappingHint(notHeader, tried[0], tried.slice(1));
  if (!header || !columns)
    throw new FluenceError('INPUT_EMPTY', message('errors.inputEmpty', { name: inputName(config.input) }));
  // A few one-cell lines closing the file, after real rows, are a report's footer: not contacts.
  const footer = held.length > 0 && rows > held.length ? held.length : 0;
  if (footer === 0) held.forEach(show);
  // Values against the columns a rule chose, then the single-word test of a guessed full name (a rival person column says more).
  check?.verdict();
  if (columns.kind === 'full' && columns.guessed) checkFullNames(header, columns.nome_completo, names);
  const tableEnd = footer > 0 ? heldAfter : Number.MAX_SAFE_INTEGER;
  return {
    dialect,
    header,
    columns,
    hasHeader: !config.noHeader,
    headerRecord: headerAt.record,
    headerLine: headerAt.line,
    tableEnd,
    footerLines: footer,
    rows: rows - footer,
    valid,
    ...(dialect.xlsx ? { hiddenRows: { rows: hidden, sent: sendHidden } } : {}),
    firstWords: firstNames.verdicts(),
  };
}

/** Lines of mixed endings read as one row: several contacts in one, said with where it happens. */
function mixedEndings(input: string, record: InputRecord): FluenceError {
  return new FluenceError(
    'INPUT_MALFORMED',
    message('errors.inputMalformed.mixedEndings', {
      name: inputName(input),
      line: record.strayBreak!.line,
      said: record.strayBreak!.said,
      last: record.line,
      fields: record.cells.length,
    }),
    { line: record.strayBreak!.line },
  );
}

/** Records tried as the header before giving up: a preamble longer than this is not an export's. */
const MAX_PREAMBLE_RECORDS = 10;
/** One-cell lines at the end taken as a footer ("Grand Totals", "Confidential...", "Copyright..."); more are rows. */
const MAX_FOOTER_RECORDS = 8;

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

/**
 * A name column with no surname column is taken as full names only when most of its values
 * hold a space ("Maria Silva"); single words are first names, and the surname is elsewhere.
 */
function checkFullNames(header: readonly string[], column: number, names: { given: number; spaced: number }): void {
  if (names.given === 0 || names.spaced * 2 >= names.given) return;
  throw new FluenceError(
    'MISSING_COLUMN',
    message('errors.missingColumn.singleWords', {
      column: JSON.stringify(header[column]),
      single: names.given - names.spaced,
      given: names.given,
      headers: quoted(header),
    }),
    { advice: adviceOf('errors.missingColumn.singleWords', { column: JSON.stringify(header[column]) }) },
  );
}

/** Which column became which field, and which other columns could have been one: said before anything is spent. */
export function mappingText(
  shape: Pick<Shape, 'header' | 'columns'> &
    Partial<Pick<Shape, 'headerLine' | 'headerRecord' | 'footerLines' | 'dialect' | 'hiddenRows'>>,
): string {
  const choices = otherCandidates(shape.header, shape.columns).map(
    ({ field, chosen, others }) =>
      `; ${field}: took ${JSON.stringify(chosen)} over ${others.map((o) => JSON.stringify(o)).join(', ')} (--map ${field}=Header to choose)`,
  );
  const preamble =
    (shape.headerRecord ?? 1) > 1
      ? `; the header is on line ${shape.headerLine}: the ${shape.headerLine! - 1} lines before it are not contacts and were skipped`
      : '';
  const footer = shape.footerLines
    ? `; the ${shape.footerLines} one-cell lines closing the file (a report's footer) are not contacts and were skipped`
    : '';
  return (
    describeColumns(shape.header, shape.columns) +
    choices.join('') +
    preamble +
    footer +
    sheetText(shape.dialect) +
    hiddenText(shape.hiddenRows)
  );
}

/** Rows hidden in the workbook, said before anything is spent: sent or not, a person who filtered the sheet must know. */
function hiddenText(hidden: Shape['hiddenRows']): string {
  if (!hidden?.rows) return '';
  const rows = hidden.rows === 1 ? '1 row is' : `${hidden.rows} rows are`;
  return hidden.sent
    ? `; ${rows} hidden in the workbook (filtered out, or hidden by hand) and sent (--hidden-rows send)`
    : `; ${rows} hidden in the workbook (filtered out, or hidden by hand): not sent, never charged (--hidden-rows send to send them)`;
}

/** Which sheet of a workbook was read: a workbook's first visible tab is not always the one its owner meant. */
function sheetText(dialect: Dialect | undefined): string {
  if (!dialect?.xlsx) return '';
  const { sheet, sheets = [] } = dialect.xlsx;
  return sheets.length > 1
    ? `; read sheet ${JSON.stringify(sheet)} of ${describeTabs(sheets)} (--sheet NAME for another)`
    : `; read sheet ${JSON.stringify(sheet)}`;
}

/** SHA-256 of the input's bytes (about 1 GB/s): what makes two paths the same file for a checkpoint. */
export async function hashBytes(input: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    checkRegularFile(input, await statInput(input));
    for await (const chunk of createReadStream(input, { highWaterMark: 1024 * 1024, signal: readingStopped })) {
      throwIfInterrupted();
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    throwIfInterrupted();
    throw inputError(error, input, 0);
  }
  return hash.digest('hex');
}

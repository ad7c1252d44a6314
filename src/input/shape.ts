import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Contact } from '../contact/normalize.js';
import { invalidReason } from '../contact/validate.js';
import { FluenceError } from '../errors.js';
import { checkTwins, describeColumns, locateColumns, otherCandidates, splitFullName, twinColumns, type Columns, type TwinColumns } from './columns.js';
import type { EnrichConfig } from '../options/config.js';
import { detectDialect, type Dialect } from './dialect.js';
import { inputError, readBatches, type InputRecord } from './input.js';
import { checkXlsxMemory } from './xlsx.js';

type ScanOptions = Pick<EnrichConfig, 'input' | 'encoding' | 'delimiter' | 'map' | 'noHeader'> & Partial<Pick<EnrichConfig, 'sheet'>>;

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
}

/** One data row as the rules see it: the contact, padded cells, and why it cannot be sent (if so). */
export interface RowView {
  cells: string[];
  contact: Contact;
  reason: string | undefined;
}

export function toContact(cells: readonly string[], columns: Columns): Contact {
  const company = cells[columns.empresa] ?? '';
  if (columns.kind === 'full') return { ...splitFullName(cells[columns.nome_completo] ?? ''), company };
  return { firstName: cells[columns.primeiro_nome] ?? '', lastName: cells[columns.ultimo_nome] ?? '', company };
}

/**
 * A data row, padded to the header: invalid when it has more fields than the header (the extra
 * values go into the reason, so nothing is lost) or when its contact cannot be sent.
 */
export function viewRow(record: InputRecord, width: number, columns: Columns): RowView {
  // Most rows fit the header as they are: no copy.
  const cells = record.cells.length === width ? record.cells : record.cells.slice(0, width);
  while (cells.length < width) cells.push('');
  const contact = toContact(cells, columns);
  const extra = record.cells.length - width;
  const reason = extra > 0
    ? `line ${record.line} has ${record.cells.length} fields but the header has ${width}; extra values: ${record.cells.slice(width).map((v) => JSON.stringify(v)).join(', ')}`
    : invalidReason(contact);
  return { cells, contact, reason };
}

/**
 * First pass: dialect, header, where the contact fields are, how many rows and how many are
 * valid (each row also shown to `visit`). A malformed file stops here with its line number,
 * before anything is spent.
 */
export async function scan(config: ScanOptions, visit?: (row: RowView) => void): Promise<Shape> {
  const dialect = await detectDialect(config.input, { encoding: config.encoding, delimiter: config.delimiter, sheet: config.sheet }).catch((error: unknown) => {
    throw inputError(error, config.input, 0);
  });
  if (dialect.xlsx) await checkXlsxMemory(config.input);
  let header: string[] | undefined;
  let columns: Columns | undefined;
  let twins: TwinColumns[] = [];
  let headerAt = { record: 0, line: 0 };
  /** Why the first record is not a header, while later ones are tried (a preamble before the table). */
  let notHeader: unknown;
  let rows = 0;
  let valid = 0;
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
    visit?.(row);
  };
  for await (const batch of readBatches(config.input, dialect)) {
    for (const record of batch) {
      if (!header || !columns) {
        // Without a header, columns are named by position and the first record is data.
        const candidate = config.noHeader ? record.cells.map((_, i) => `column_${i + 1}`) : record.cells;
        const map = config.noHeader && Object.keys(config.map).length === 0 ? { primeiro_nome: '1', ultimo_nome: '2', empresa: '3' } : config.map;
        try {
          columns = locateColumns(candidate, map);
        } catch (error) {
          // Lines before the table (LinkedIn's "Notes:"): look for the header a few records on.
          const code = (error as FluenceError).code;
          if (config.noHeader || code !== 'MISSING_COLUMN' || record.record >= MAX_PREAMBLE_RECORDS) throw notHeader ?? error;
          notHeader ??= error;
          continue;
        }
        header = candidate;
        headerAt = { record: record.record, line: record.line };
        lastLine = record.line;
        twins = twinColumns(header, columns, map);
        if (!config.noHeader) continue;
      }
      if (twins.length > 0) checkTwins(twins, header, record.cells, record.line);
      rows += 1;
      const row = viewRow(record, header.length, columns);
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
  if (notHeader !== undefined && !header) throw notHeader;
  if (!header || !columns) throw new FluenceError('INPUT_EMPTY', `${config.input} is empty: expected a header row (primeiro_nome, ultimo_nome, empresa, ...) and rows`);
  // A few one-cell lines closing the file, after real rows, are a report's footer: not contacts.
  const footer = held.length > 0 && rows > held.length ? held.length : 0;
  if (footer === 0) held.forEach(show);
  if (columns.kind === 'full' && columns.guessed) checkFullNames(header, columns.nome_completo, names);
  const tableEnd = footer > 0 ? heldAfter : Number.MAX_SAFE_INTEGER;
  return { dialect, header, columns, hasHeader: !config.noHeader, headerRecord: headerAt.record, headerLine: headerAt.line, tableEnd, footerLines: footer, rows: rows - footer, valid };
}

/** Records tried as the header before giving up: a preamble longer than this is not an export's. */
const MAX_PREAMBLE_RECORDS = 10;
/** One-cell lines at the end taken as a footer ("Grand Totals", "Confidential...", "Copyright..."); more are rows. */
const MAX_FOOTER_RECORDS = 8;

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
    `no column for ultimo_nome: ${JSON.stringify(header[column])} holds single words (${names.given - names.spaced} of ${names.given} names have no space), so it is not a full name; the file has: ${header.map((h) => JSON.stringify(h)).join(', ')}. Name the surname's column with --map ultimo_nome=Header (or, if they are full names after all, --map nome_completo=${JSON.stringify(header[column])}); nothing was spent`,
  );
}

/** Which column became which field, and which other columns could have been one: said before anything is spent. */
export function mappingText(shape: Pick<Shape, 'header' | 'columns'> & Partial<Pick<Shape, 'headerLine' | 'headerRecord' | 'footerLines'>>): string {
  const choices = otherCandidates(shape.header, shape.columns).map(({ field, chosen, others }) => `; ${field}: took ${JSON.stringify(chosen)} over ${others.map((o) => JSON.stringify(o)).join(', ')} (--map ${field}=Header to choose)`);
  const preamble = (shape.headerRecord ?? 1) > 1 ? `; the header is on line ${shape.headerLine}: the ${shape.headerLine! - 1} lines before it are not contacts and were skipped` : '';
  const footer = shape.footerLines ? `; the ${shape.footerLines} one-cell lines closing the file (a report's footer) are not contacts and were skipped` : '';
  return describeColumns(shape.header, shape.columns) + choices.join('') + preamble + footer;
}

/** SHA-256 of the input's bytes (about 1 GB/s): what makes two paths the same file for a checkpoint. */
export async function hashBytes(input: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(input, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw inputError(error, input, 0);
  }
  return hash.digest('hex');
}

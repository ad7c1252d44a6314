import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Contact } from '../contact/normalize.js';
import type { CheckpointStore } from '../store/checkpoint.js';
import { invalidReason } from '../contact/validate.js';
import { FluenceError } from '../errors.js';
import { locateColumns, splitFullName, type Columns } from './columns.js';
import type { EnrichConfig } from './config.js';
import { detectDialect, type Dialect } from './dialect.js';
import { inputError, readBatches, type InputRecord } from './input.js';

type ScanOptions = Pick<EnrichConfig, 'input' | 'encoding' | 'delimiter' | 'map' | 'noHeader'>;

/** What the first pass learns about a file. */
export interface Shape {
  dialect: Dialect;
  header: string[];
  columns: Columns;
  /** False with --no-header: the first record is data and the header is made up. */
  hasHeader: boolean;
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
  const dialect = await detectDialect(config.input, { encoding: config.encoding, delimiter: config.delimiter }).catch((error: unknown) => {
    throw inputError(error, config.input, 0);
  });
  let header: string[] | undefined;
  let columns: Columns | undefined;
  let rows = 0;
  let valid = 0;
  for await (const batch of readBatches(config.input, dialect)) {
    for (const record of batch) {
      if (!header || !columns) {
        // Without a header, columns are named by position and the first record is data.
        header = config.noHeader ? record.cells.map((_, i) => `column_${i + 1}`) : record.cells;
        columns = locateColumns(header, config.noHeader && Object.keys(config.map).length === 0 ? { primeiro_nome: '1', ultimo_nome: '2', empresa: '3' } : config.map);
        if (!config.noHeader) continue;
      }
      rows += 1;
      const row = viewRow(record, header.length, columns);
      if (row.reason === undefined) valid += 1;
      visit?.(row);
    }
  }
  if (!header || !columns) throw new FluenceError('INPUT_EMPTY', `${config.input} is empty: expected a header row (primeiro_nome, ultimo_nome, empresa, ...) and rows`);
  return { dialect, header, columns, hasHeader: !config.noHeader, rows, valid };
}

/**
 * What decides a first pass's result: the file's bytes and the options that read them. Hashing
 * runs at about 1 GB/s, a pass (parse and check every row) at about 20 MB/s: a rerun over the
 * same file reuses the pass it already made.
 */
export async function fingerprint(config: ScanOptions): Promise<string> {
  const hash = createHash('sha256');
  // `pass` names the rules of the first pass: change it when they change (e.g. what is valid).
  hash.update(JSON.stringify({ pass: 1, encoding: config.encoding, delimiter: config.delimiter, map: config.map, noHeader: config.noHeader }));
  try {
    for await (const chunk of createReadStream(config.input, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw inputError(error, config.input, 0);
  }
  return hash.digest('hex');
}

/** A note this tool wrote; anything unreadable counts as no note (the pass is simply made again). */
function parseNote(text: string | undefined): { fingerprint: string; shape: Shape } | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as { fingerprint: string; shape: Shape });
  } catch {
    return undefined;
  }
}

/** The first pass over the input, or what an earlier run's pass over the same bytes found (kept in the checkpoint). */
export async function firstPass(config: ScanOptions, store: CheckpointStore): Promise<{ shape: Shape; reused: boolean }> {
  const print = await fingerprint(config);
  const known = parseNote(store.note('scan'));
  if (known?.fingerprint === print) return { shape: known.shape, reused: true };
  const shape = await scan(config);
  store.setNote('scan', JSON.stringify({ fingerprint: print, shape }));
  return { shape, reused: false };
}

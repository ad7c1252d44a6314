import { createReadStream } from 'node:fs';
import type { Readable, TransformCallback } from 'node:stream';
import { CsvError, Parser, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Dialect } from './dialect.js';
import { FluenceError } from '../errors.js';
import { Utf8Check } from './utf8.js';
import { inputName } from './stdin.js';

/** A cell that held a number in a workbook: written back as that number, shown in its number format. */
export interface CellNumber {
  column: number;
  /** The number (a date as its serial in Excel's 1900 system). */
  value: number;
  /** Its number format's code, as a workbook spells it (`00000-000`, `0%`, `mm-dd-yy`; `General` for none). */
  format: string;
}

/** A cell whose value is an error (`#N/A`, `#REF!`, a formula that failed, or typed as such). */
export interface CellProblem {
  column: number;
  /** The cell as the spreadsheet names it (`D7`). */
  cell: string;
  /** What the cell shows: `#N/A`. */
  problem: string;
}

export interface InputRecord {
  cells: string[];
  /** 1-based position among the file's records, the header being record 1. */
  record: number;
  /** Line of the file where the record ends (a spreadsheet's row number for an .xlsx input). */
  line: number;
  /** Cells that held numbers in a workbook (an .xlsx input), so a workbook written back keeps them numbers in their format. */
  numbers?: CellNumber[];
  /** A workbook's row hidden there (by hand or by a filter): sent only with `--hidden-rows send` (see `viewRow`). */
  hidden?: true;
  /** Cells holding an error in a workbook: such a cell is never sent (see `viewRow`). */
  problems?: CellProblem[];
}

/** Largest single record accepted; beyond it the file is refused rather than exhausting memory. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

const HINTS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED:
    'a quoted field is never closed (unbalanced "); close the quote, or open and save the file again in Excel',
  CSV_INVALID_CLOSING_QUOTE:
    'a quote (") is followed by other text inside a field; double quotes inside quoted fields ("") or remove them',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'text follows a closing quote; double quotes inside quoted fields ("") or remove them',
  CSV_MAX_RECORD_SIZE: `a row is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB; split the file or fix the row`,
};

export function inputError(error: unknown, path: string, lastRecordLine: number): FluenceError {
  if (error instanceof FluenceError) return error;
  if (error instanceof CsvError) {
    // An unclosed quote is only found at the end of the file: name the line it opened on (the
    // record after the last complete one), not the last line.
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordLine + 1 : (error as CsvError & { lines?: number }).lines;
    const hint = HINTS[error.code] ?? error.message;
    return new FluenceError('INPUT_MALFORMED', `${inputName(path)}: line ${line ?? '?'}: ${hint}`, {
      line,
      cause: error,
    });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FluenceError('INPUT_UNREADABLE', `${path}: no such file`);
  if (code === 'EISDIR') return new FluenceError('INPUT_UNREADABLE', `${path} is a folder; give a CSV file`);
  if (code === 'EACCES') return new FluenceError('INPUT_UNREADABLE', `${path}: permission denied`);
  return new FluenceError('INPUT_UNREADABLE', `${inputName(path)}: ${(error as Error).message}`, { cause: error });
}

/**
 * csv-parse's stream, handing out one array of records per chunk of input, each with the line it
 * ends on. The parser's own `info` option costs as much as the parsing (two objects per record);
 * reading `info.lines` as each record is pushed gives the same line for nothing, and one array
 * per chunk spares a stream step per record.
 */
class BatchParser extends Parser {
  #batch: Array<{ cells: string[]; line: number }> = [];

  override push(chunk: unknown): boolean {
    if (chunk === null) {
      this.#release();
      return super.push(null);
    }
    this.#batch.push({ cells: chunk as string[], line: this.info.lines });
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error?: Error | null) => {
      this.#release();
      callback(error);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error?: Error | null) => {
      this.#release();
      callback(error);
    });
  }

  #release(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    super.push(batch);
  }
}

/**
 * The file's records, read as needed (the consumer's pace is the reader's pace) a chunk at a
 * time, each with the line it ends on. A malformed file ends with a coded error naming the
 * line. Blank records before the header are skipped.
 */
export async function* readBatches(
  path: string,
  dialect: Dialect = { encoding: 'utf8', delimiter: ',', bom: false },
): AsyncGenerator<InputRecord[]> {
  if (dialect.xlsx) {
    // Loaded when a workbook is met: the reader's zip and XML libraries take ~120 ms to load, and most inputs are CSV.
    const { readXlsxBatches } = await import('./xlsx.js');
    yield* readXlsxBatches(path, dialect.xlsx.sheet);
    return;
  }
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  // UTF-8 goes to the parser as bytes, checked on the way; other encodings are decoded first.
  const decoded = (
    dialect.encoding === 'utf8' ? file.pipe(new Utf8Check(path)) : file.pipe(iconv.decodeStream(dialect.encoding))
  ) as Readable;
  // One 64 KB chunk's worth of records (~1,000 rows) waits ahead of the consumer at most.
  const parser = decoded.pipe(
    new BatchParser({
      bom: true,
      delimiter: dialect.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      readableHighWaterMark: 1,
    } as Options),
  );
  for (const stream of [file, decoded]) stream.on('error', (error: Error) => parser.destroy(error));
  let record = 0;
  let line = 0;
  try {
    for await (const parsed of parser as AsyncIterable<Array<{ cells: string[]; line: number }>>) {
      const batch: InputRecord[] = [];
      for (const { cells, line: end } of parsed) {
        line = end;
        if (record === 0 && cells.every((cell) => cell.trim() === '')) continue;
        record += 1;
        batch.push({ cells, record, line });
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw inputError(error, path, line);
  }
}

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Dialect } from './dialect.js';
import { FluenceError } from '../errors.js';
import { Utf8Check } from './utf8.js';

export interface InputRecord {
  cells: string[];
  /** 1-based position among the file's records, the header being record 1. */
  record: number;
  /** Line of the file where the record ends. */
  line: number;
}

/** Largest single record accepted; beyond it the file is refused rather than exhausting memory. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

const HINTS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (unbalanced "); close the quote, or open and save the file again in Excel',
  CSV_INVALID_CLOSING_QUOTE: 'a quote (") is followed by other text inside a field; double quotes inside quoted fields ("") or remove them',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote; double quotes inside quoted fields ("") or remove them',
  CSV_MAX_RECORD_SIZE: `a row is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB; split the file or fix the row`,
};

export function inputError(error: unknown, path: string, lastRecordLine: number): FluenceError {
  if (error instanceof FluenceError) return error;
  if (error instanceof CsvError) {
    // An unclosed quote is only found at the end of the file: name the line it opened on (the
    // record after the last complete one), not the last line.
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordLine + 1 : (error as CsvError & { lines?: number }).lines;
    const hint = HINTS[error.code] ?? error.message;
    return new FluenceError('INPUT_MALFORMED', `${path}: line ${line ?? '?'}: ${hint}`, { line, cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FluenceError('INPUT_UNREADABLE', `${path}: no such file`);
  if (code === 'EISDIR') return new FluenceError('INPUT_UNREADABLE', `${path} is a folder; give a CSV file`);
  if (code === 'EACCES') return new FluenceError('INPUT_UNREADABLE', `${path}: permission denied`);
  return new FluenceError('INPUT_UNREADABLE', `${path}: ${(error as Error).message}`, { cause: error });
}

/**
 * The file's records, read as needed (the consumer's pace is the reader's pace), each with the
 * line it ends on. A malformed file ends with a coded error naming the line. Blank records
 * before the header are skipped.
 */
export async function* readRecords(path: string, dialect: Dialect = { encoding: 'utf8', delimiter: ',', bom: false }): AsyncGenerator<InputRecord> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  // UTF-8 goes to the parser as bytes, checked on the way; other encodings are decoded first.
  const decoded = (dialect.encoding === 'utf8' ? file.pipe(new Utf8Check(path)) : file.pipe(iconv.decodeStream(dialect.encoding))) as Readable;
  const parser = decoded.pipe(
    parse({ bom: true, info: true, delimiter: dialect.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES }),
  );
  for (const stream of [file, decoded]) stream.on('error', (error: Error) => parser.destroy(error));
  let record = 0;
  let line = 0;
  try {
    for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      line = info.lines;
      if (record === 0 && cells.every((cell) => cell.trim() === '')) continue;
      record += 1;
      yield { cells, record, line };
    }
  } catch (error) {
    throw inputError(error, path, line);
  }
}

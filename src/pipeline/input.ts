import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { FluenceError } from '../errors.js';

export interface InputRecord {
  cells: string[];
  /** Line of the file where this record ends (1-based). */
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

function inputError(error: unknown, path: string): FluenceError {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
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
 * The file's records, read as needed (the consumer's pace is the reader's pace), with the line
 * each one ends on. A malformed file ends with a coded error naming the line.
 */
export async function* readRecords(path: string): AsyncGenerator<InputRecord> {
  const parser = createReadStream(path).on('error', (error) => parser.destroy(error)).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_RECORD_BYTES }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: record, line: info.lines };
    }
  } catch (error) {
    throw inputError(error, path);
  }
}

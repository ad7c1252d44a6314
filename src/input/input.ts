import { createReadStream } from 'node:fs';
import type { Readable, TransformCallback } from 'node:stream';
import { CsvError, Parser, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Dialect } from './dialect.js';
import { FluenceError } from '../errors.js';
import type { MessageKey } from '../i18n/catalog.js';
import { message, type Message } from '../i18n/message.js';
import { HeaderGuard } from './header-guard.js';
import { Utf8Check } from './utf8.js';
import { inputName } from './stdin.js';
import { fileError, type FileSnapshot, checkUnchanged } from './file-guard.js';
import { interruptedError } from './interrupt.js';
import { MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_RECORD_BYTES, sizeText } from './limits.js';

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
  /** A CSV record holding a line break of another kind than the file's lines (mixed line endings): where the record starts, and the break in words. */
  strayBreak?: { line: number; said: Message };
}

export { MAX_RECORD_BYTES } from './limits.js';

/** csv-parse's codes said in words, `errors.inputMalformed.<case>`. */
const HINTS: Record<string, MessageKey> = {
  CSV_QUOTE_NOT_CLOSED: 'errors.inputMalformed.quoteNotClosed',
  CSV_INVALID_CLOSING_QUOTE: 'errors.inputMalformed.closingQuote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'errors.inputMalformed.afterClosingQuote',
};

/** Where the parser was when it failed: in a quoted field or not, how long the field it was reading had grown. */
export interface ParserPlace {
  quoting: boolean;
  fieldBytes: number;
  /** The line the parser had reached. */
  lines: number;
}

/**
 * A record past the size limit: a quote never closed (the rest of the file became one field,
 * found where it opens), a cell too large, or a row too large.
 */
function tooLarge(path: string, lastRecordLine: number, place: ParserPlace | undefined, cause: unknown): FluenceError {
  const name = inputName(path);
  const start = lastRecordLine + 1;
  if (place?.quoting && place.lines - start > 100) {
    return new FluenceError(
      'INPUT_MALFORMED',
      message('errors.inputMalformed.quoteOpen', {
        name,
        line: start,
        lines: place.lines - start,
        size: sizeText(MAX_RECORD_BYTES),
      }),
      { line: start, cause },
    );
  }
  if (place && place.fieldBytes > MAX_CELL_BYTES) return cellTooLarge(name, start, cause);
  return new FluenceError(
    'INPUT_ROW_TOO_LARGE',
    message('errors.inputRowTooLarge', { name, line: start, size: sizeText(MAX_RECORD_BYTES) }),
    { line: start, cause },
  );
}

const cellTooLarge = (name: string, line: number, cause?: unknown): FluenceError =>
  new FluenceError(
    'INPUT_CELL_TOO_LARGE',
    message('errors.inputCellTooLarge', { name, line, size: sizeText(MAX_CELL_BYTES), excel: 32_767 }),
    { line, cause },
  );

/**
 * Any failure while reading the input, as a coded error in the user's terms: a CSV error with
 * its line (an unclosed quote names the line it opens on: the record after the last complete
 * one), a file system error by what it means, anything else without the parser's own words.
 */
export function inputError(error: unknown, path: string, lastRecordLine: number, place?: ParserPlace): FluenceError {
  if (error instanceof FluenceError) return inUserTerms(error, path);
  if (error instanceof CsvError) {
    if (error.code === 'CSV_MAX_RECORD_SIZE') return tooLarge(path, lastRecordLine, place, error);
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordLine + 1 : (error as CsvError & { lines?: number }).lines;
    const hint = message(HINTS[error.code] ?? 'errors.inputMalformed.csv');
    return new FluenceError(
      'INPUT_MALFORMED',
      message('errors.inputMalformed', { name: inputName(path), line: line ?? '?', hint }),
      {
        ...(line === undefined ? {} : { line }),
        cause: error,
      },
    );
  }
  if (
    typeof (error as NodeJS.ErrnoException)?.code === 'string' &&
    /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)
  )
    return fileError(error, path);
  if (error instanceof RangeError) return cellTooLarge(inputName(path), lastRecordLine + 1, error);
  return new FluenceError('INPUT_UNREADABLE', message('errors.inputUnreadable.damaged', { name: inputName(path) }), {
    cause: error,
  });
}

/** What a reader's own words (the zip's, the XML parser's) mean to the user. */
function describeCause(cause: unknown): Message {
  const text = String((cause as Error)?.message ?? cause);
  if (cause instanceof RangeError || /Invalid string length|allocation failed/i.test(text))
    return message('errors.inputUnreadable.cause', { cause: 'memory' });
  if (/FILE_ENDED|end of (central directory|file)|unexpected end|truncated|signature|zip/i.test(text))
    return message('errors.inputUnreadable.cause', { cause: 'zip' });
  return message('errors.inputUnreadable.cause', { cause: 'xml' });
}

/**
 * A workbook reader's `INPUT_UNREADABLE` carries the reader's own text in brackets ("undefined
 * entity.", "FILE_ENDED"): said in the user's terms here, where input errors are converted.
 */
export function inUserTerms(error: FluenceError, path: string): FluenceError {
  const cause = error.cause as Error | undefined;
  if (error.code !== 'INPUT_UNREADABLE' || cause === undefined || cause instanceof FluenceError) return error;
  if (
    typeof (cause as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((cause as NodeJS.ErrnoException).code!)
  )
    return fileError(cause, path);
  const raw = String(cause.message ?? '');
  if (raw === '' || !error.words || error.words.params?.reason !== raw) return error;
  return new FluenceError(
    'INPUT_UNREADABLE',
    message(error.words.key, { ...error.words.params, reason: describeCause(cause) }),
    {
      exitCode: error.exitCode,
      cause,
    },
  );
}

/**
 * csv-parse's stream, handing out one array of records per chunk of input, each with the line it
 * ends on. The parser's own `info` option costs as much as the parsing (two objects per record);
 * reading `info.lines` as each record is pushed gives the same line for nothing, and one array
 * per chunk spares a stream step per record.
 */
class BatchParser extends Parser {
  #batch: ParsedRecord[] = [];

  override push(chunk: unknown): boolean {
    if (chunk === null) {
      this.#release();
      return super.push(null);
    }
    this.#batch.push({ cells: chunk as string[], line: this.info.lines, bytes: this.info.bytes });
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

  /** Where the parser is: read after it failed, to say why in the user's terms. */
  place(): ParserPlace {
    const state = (this as unknown as { state: { quoting: boolean; field: { length: number } } }).state;
    return { quoting: state.quoting, fieldBytes: state.field.length, lines: this.info.lines };
  }

  /** The line ending the parser found first (csv-parse's own discovery), once it has. */
  lineEnding(): string | undefined {
    const found = (this as unknown as { options: { record_delimiter: Buffer[] } }).options.record_delimiter;
    return found.length === 1 ? found[0]!.toString() : undefined;
  }

  #release(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    super.push(batch);
  }
}

/** A record as the parser hands it out: its cells, the line and byte offset it ends at. */
interface ParsedRecord {
  cells: string[];
  line: number;
  bytes: number;
}

/** How a read is bounded: the run's snapshot of the file (bytes read, changes noticed), a signal that stops it. */
export interface ReadBounds {
  /** Read no byte past the snapshot's size, and stop (`INPUT_CHANGED`) when the file changes. */
  snapshot?: FileSnapshot | undefined;
  /** 'first pass' (nothing was sent yet) or 'rows' (the second pass): said when the file changed. */
  pass?: 'first pass' | 'rows';
  /** Stops the read (`INTERRUPTED`): the first pass's, not the second's (whose rows are still written, pending). */
  signal?: AbortSignal | undefined;
}

/**
 * The file's records, read as needed (the consumer's pace is the reader's pace) a chunk at a
 * time, each with the line it ends on. A malformed file ends with a coded error naming the
 * line. Blank records before the header are skipped. With `bounds`, no byte past the snapshot is
 * read, a changed file stops the read before its records are handed out, and a signal stops it.
 */
export async function* readBatches(
  path: string,
  dialect: Dialect = { encoding: 'utf8', delimiter: ',', bom: false },
  bounds: ReadBounds = {},
): AsyncGenerator<InputRecord[]> {
  const batches = dialect.xlsx ? readXlsx(path, dialect.xlsx.sheet) : readCsv(path, dialect, bounds);
  const { snapshot, signal } = bounds;
  try {
    for await (const batch of batches) {
      if (signal?.aborted) throw interruptedError();
      // Checked after the bytes were read and before their rows go out: a change made before they were read shows here.
      if (snapshot) await checkUnchanged(snapshot, bounds.pass ?? 'rows');
      yield batch;
    }
  } catch (error) {
    throw inputError(error, path, 0);
  }
}

/** A workbook's batches (the reader is loaded when a workbook is met: its libraries take ~120 ms to load, and most inputs are CSV). */
async function* readXlsx(path: string, sheet: string): AsyncGenerator<InputRecord[]> {
  const { readXlsxBatches } = await import('./xlsx.js');
  yield* readXlsxBatches(path, sheet);
}

/** A CSV's batches, within the size limits (a cell, a row, the header) and the snapshot's bytes. */
async function* readCsv(path: string, dialect: Dialect, bounds: ReadBounds): AsyncGenerator<InputRecord[]> {
  const size = bounds.snapshot?.size;
  const file = createReadStream(path, {
    highWaterMark: 64 * 1024,
    ...(size === undefined ? {} : { start: 0, end: Math.max(0, size - 1) }),
  });
  // UTF-8 goes to the parser as bytes, checked on the way; other encodings are decoded first.
  const decoded = (
    dialect.encoding === 'utf8' ? file.pipe(new Utf8Check(path)) : file.pipe(iconv.decodeStream(dialect.encoding))
  ) as Readable;
  const guarded = decoded.pipe(new HeaderGuard(path, dialect.delimiter));
  // One 64 KB chunk's worth of records (~1,000 rows) waits ahead of the consumer at most.
  const parser = guarded.pipe(
    new BatchParser({
      ...(dialect.eol === undefined ? {} : { record_delimiter: dialect.eol }),
      bom: true,
      delimiter: dialect.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      readableHighWaterMark: 1,
    } as Options),
  );
  for (const stream of [file, decoded, guarded]) stream.on('error', (error: Error) => parser.destroy(error));
  const stop = (): void => {
    parser.destroy(interruptedError());
  };
  bounds.signal?.addEventListener('abort', stop, { once: true });
  const state = { record: 0, line: 0, bytes: 0 };
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord[]>) {
      const batch: InputRecord[] = [];
      for (const { cells, line: end, bytes } of parsed) {
        const start = state.line;
        const recordBytes = bytes - state.bytes;
        [state.line, state.bytes] = [end, bytes];
        if (state.record === 0 && cells.every((cell) => cell.trim() === '')) continue;
        state.record += 1;
        checkSize(path, cells, recordBytes, state.record, start + 1);
        const record: InputRecord = { cells, record: state.record, line: end };
        if (end - start > 1) markStrayBreak(record, start + 1, parser.lineEnding());
        batch.push(record);
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw inputError(error, path, state.line, error instanceof CsvError ? parser.place() : undefined);
  } finally {
    bounds.signal?.removeEventListener('abort', stop);
    if (!file.destroyed) file.destroy();
  }
}

/** The limits a record must keep: columns, the header's bytes, each cell's. */
function checkSize(path: string, cells: string[], bytes: number, record: number, line: number): void {
  if (record === 1 && (bytes > MAX_HEADER_BYTES || cells.length > MAX_COLUMNS)) {
    throw new FluenceError(
      'INPUT_HEADER_TOO_LARGE',
      message('errors.inputHeaderTooLarge', {
        name: inputName(path),
        line,
        columns: cells.length,
        size: sizeText(bytes),
        maxColumns: MAX_COLUMNS,
        maxSize: sizeText(MAX_HEADER_BYTES),
      }),
      { line },
    );
  }
  if (cells.length > MAX_COLUMNS) {
    throw new FluenceError(
      'INPUT_ROW_TOO_LARGE',
      message('errors.inputRowTooLarge.fields', {
        name: inputName(path),
        line,
        fields: cells.length,
        max: MAX_COLUMNS,
      }),
      { line },
    );
  }
  if (bytes > MAX_CELL_BYTES && cells.some((cell) => cell.length > MAX_CELL_BYTES))
    throw cellTooLarge(inputName(path), line);
}

/**
 * A line break in a cell that is not the file's own line ending (a lone CR in a file of LF or
 * CRLF lines, a lone LF in a file of CR lines) marks the record: with more fields than the
 * header, lines of mixed endings were read as one row (see `shape.ts`).
 */
function markStrayBreak(record: InputRecord, line: number, ending: string | undefined): void {
  if (ending === undefined) return;
  const stray = ending === '\r' ? /\n/ : ending === '\n' ? /\r(?!\n)/ : /\r(?!\n)|(?<!\r)\n/;
  const kind = ending === '\r' ? 'LF' : ending === '\n' ? 'CR' : '';
  for (const cell of record.cells) {
    const found = stray.exec(cell);
    if (!found) continue;
    record.strayBreak = {
      line,
      said: message('errors.inputMalformed.strayBreak', {
        ending: ending === '\r\n' ? 'CRLF' : ending === '\n' ? 'LF' : 'CR',
        lone: kind || (found[0] === '\r' ? 'CR' : 'LF'),
      }),
    };
    return;
  }
}

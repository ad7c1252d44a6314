import { getHeapStatistics } from 'node:v8';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { FluenceError } from '../errors.js';
import type { InputRecord } from './input.js';

/** A file named .xlsx that ExcelJS or the zip reader cannot read, and what to do about it. */
const notAWorkbook = (path: string, error: unknown): FluenceError =>
  new FluenceError('INPUT_UNREADABLE', `cannot read ${path} as an .xlsx workbook (${(error as Error).message}); open it in Excel and save it again, or save it as CSV`, { cause: error });

/**
 * Heap the streaming reader needs per byte of the sheet's shared-strings part (every distinct text,
 * kept while the sheet is read). Measured with ExcelJS 4.4.0: 20,000 rows (a 1.6 MB part) peaked
 * at 49 MB of heap, 200,000 rows (14.9 MB) at 97 MB: about 3.6 bytes a byte, rounded up.
 */
const HEAP_PER_SHARED_STRING_BYTE = 4;

/**
 * Refuses, before anything is read or spent, a workbook whose text table would not fit in the
 * memory this process has left (the zip's directory gives the part's size without reading it).
 */
export async function checkXlsxMemory(path: string): Promise<void> {
  let size = 0;
  try {
    const directory = await unzipper.Open.file(path);
    size = directory.files.find((file) => file.path === 'xl/sharedStrings.xml')?.uncompressedSize ?? 0;
  } catch (error) {
    throw notAWorkbook(path, error);
  }
  const heap = getHeapStatistics();
  const free = heap.heap_size_limit - heap.used_heap_size;
  const needed = size * HEAP_PER_SHARED_STRING_BYTE;
  // Half of what is free: the run itself (requests in flight, the window) needs the rest.
  if (needed <= free / 2) return;
  const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
  throw new FluenceError(
    'XLSX_TOO_LARGE',
    `${path}: its table of texts (xl/sharedStrings.xml, ${mb(size)}) needs about ${mb(needed)} of memory to read, and this process has ${mb(free)} free (heap limit ${mb(heap.heap_size_limit)}); save the sheet as CSV (UTF-8) and enrich the CSV, which streams in constant memory, or give the process more memory. Nothing was spent`,
  );
}

/** Records handed on at a time (the reader's pace is the consumer's). */
const BATCH = 512;

/** A cell as the text a person sees in it: a formula's result, rich text's text, a date as ISO 8601. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // Booleans as a spreadsheet shows them.
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return cell.error;
  }
  return String(value);
}

/** A number, or a formula whose result is one: written back as a number (its text is exact: `String` round-trips). */
const isNumber = (value: unknown): boolean =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'object' && value !== null && 'result' in value && isNumber((value as { result: unknown }).result));

/**
 * The records of one sheet of an .xlsx file (the first, or `sheet`), read with ExcelJS's
 * streaming reader: rows come as the zip is read, never the whole sheet at once. Its cost is the
 * sheet's shared-strings table, kept in memory (every distinct text of the sheet). `line` is the
 * spreadsheet's row number; empty rows are not records, as blank lines are not in a CSV.
 */
export async function* readXlsxBatches(path: string, sheet: string | undefined): AsyncGenerator<InputRecord[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  const names: string[] = [];
  let read = false;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      names.push(name);
      if (sheet !== undefined && name !== sheet) {
        // A sheet before the one asked for is read through (the zip is one stream) and dropped.
        for await (const _ of worksheet) void _;
        continue;
      }
      read = true;
      let record = 0;
      let batch: InputRecord[] = [];
      for await (const row of worksheet) {
        const values = (row as ExcelJS.Row).values as unknown[];
        const cells = values.slice(1).map(cellText);
        let numbers: number[] | undefined;
        // Sparse rows leave holes: a cell never written is an empty field.
        for (let i = 0; i < cells.length; i++) {
          cells[i] ??= '';
          if (isNumber(values[i + 1])) (numbers ??= []).push(i);
        }
        if (record === 0 && cells.every((cell) => cell.trim() === '')) continue;
        record += 1;
        batch.push(numbers ? { cells, record, line: (row as ExcelJS.Row).number, numbers } : { cells, record, line: (row as ExcelJS.Row).number });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break;
    }
  } catch (error) {
    if (error instanceof FluenceError) throw error;
    throw notAWorkbook(path, error);
  }
  if (!read) {
    throw new FluenceError('SHEET_NOT_FOUND', sheet === undefined ? `${path} has no worksheet` : `${path} has no sheet named ${JSON.stringify(sheet)}; it has: ${names.map((n) => JSON.stringify(n)).join(', ')} (--sheet NAME)`);
  }
}

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { FluenceError } from '../errors.js';
import { message, wordList, type Message } from '../i18n/message.js';

/** Rows in one Excel sheet, the header's included. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Characters Excel keeps in one cell; a longer one makes Excel "repair" (empty) the file. */
export const EXCEL_MAX_CELL = 32_767;

/** Stops before anything is spent when the rows could not all be written to one sheet. */
export function checkSheetRows(rows: number, output: string): void {
  if (rows + 1 <= EXCEL_MAX_ROWS) return;
  throw new FluenceError(
    'XLSX_TOO_MANY_ROWS',
    message('errors.xlsxTooManyRows', { output, rows, max: EXCEL_MAX_ROWS - 1 }),
  );
}

/** A number shown in a number format of its own: a cell of an .xlsx input (`00000-000`, `0%`, a date). */
export interface FormattedNumber {
  value: number;
  format: string;
}

/** A cell: text (the user's cells and ours, shown as written), a number (counts, and numbers in the answer), or a number in its input's format. */
export type SheetValue = string | number | FormattedNumber;

/** The zip's side of ExcelJS's sheet stream (readable-stream 2's Writable, as archiver makes it). */
type ZipInput = NodeJS.EventEmitter & { _writableState?: { needDrain?: boolean } };

/** A text that starts or ends with white space (what `xml:space="preserve"` keeps). */
const EDGE_SPACE = /^\s|\s$/;

/** Excel's "Text" format: what the user typed back into the cell stays text too (never a formula, never a date). */
const TEXT = Object.freeze({ numFmt: '@' });

/**
 * One sheet written row by row with ExcelJS's streaming writer onto `file`. Every text is written
 * as a text cell, so a spreadsheet never turns `00123` into 123, a phone number into 5.5E+12,
 * `1/2` into a date, or `=SUM(...)` into a formula. Excel keeps only LF inside a cell; a longer
 * text than a cell holds is cut with `…` and counted (`shortened`).
 */
export class XlsxSheetWriter {
  readonly #workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #sheet: ExcelJS.Worksheet;
  /** What ExcelJS's zip reads the sheet from: the only place its backlog can be seen. */
  readonly #zipInput: ZipInput;
  readonly #file: Writable;
  /** Each number format's style, made once (ExcelJS finds a style's entry by its content). */
  readonly #formats = new Map<string, Partial<ExcelJS.Style>>();
  readonly #header: readonly string[];
  readonly #inputColumns: number;
  /** Cells cut at Excel's limit, by column. */
  readonly #cut = new Map<number, number>();
  shortened = 0;

  /**
   * `inputColumns`: how many of the header's first columns are the user's own (the rest are the
   * tool's: status and answer). ExcelJS is loaded here, not when the tool starts: it takes ~150 ms
   * to load, and only a workbook output needs it.
   */
  static async open(file: Writable, header: readonly string[], inputColumns = 0): Promise<XlsxSheetWriter> {
    const { default: excel } = await import('exceljs');
    return new XlsxSheetWriter(excel, file, header, inputColumns);
  }

  private constructor(excel: typeof ExcelJS, file: Writable, header: readonly string[], inputColumns: number) {
    this.#file = file;
    this.#header = header;
    this.#inputColumns = inputColumns;
    this.#workbook = new excel.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
    // No shared strings: ExcelJS would keep every distinct text in memory until the end.
    this.#sheet = this.#workbook.addWorksheet('fluence-enrich', { views: [{ state: 'frozen', ySplit: 1 }] });
    this.#sheet.columns = header.map((name) => ({ width: Math.min(50, Math.max(12, name.length + 2)) }));
    this.#sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, header.length) } };
    // The writer pipes the sheet into the zip without backpressure (exceljs #709, #1894): the
    // zip's input is where unflushed rows pile up, so that is what the writer waits on.
    const stream = (this.#sheet as unknown as { stream?: { pipes?: unknown[] } }).stream;
    const zipInput = stream?.pipes?.[0] as ZipInput | undefined;
    if (!zipInput?._writableState || typeof zipInput.once !== 'function') {
      throw new FluenceError('XLSX_WRITER_CHANGED', message('errors.xlsxWriterChanged'));
    }
    this.#zipInput = zipInput;
    const row = this.#sheet.addRow(header.map((name, i) => this.#text(name, i)));
    row.font = { bold: true };
    row.commit();
  }

  /** Adds a row; a promise when the zip is behind by more than a buffer and the caller should wait. */
  addRow(values: readonly SheetValue[]): Promise<void> | undefined {
    // An empty text is no cell at all, as a spreadsheet leaves it.
    const row = this.#sheet.addRow(
      values.map((value, i) =>
        typeof value === 'number'
          ? value
          : typeof value === 'object'
            ? value.value
            : value === ''
              ? null
              : this.#text(value, i),
      ),
    );
    values.forEach((value, i) => {
      if (typeof value === 'string' && value !== '') row.getCell(i + 1).style = TEXT;
      else if (typeof value === 'object') row.getCell(i + 1).style = this.#format(value.format);
    });
    row.commit();
    return this.#behind() ? this.#catchUp() : undefined;
  }

  /**
   * Rows wait at two places: the sheet's XML before the zip takes it, and the compressed bytes
   * once the file stops taking them (the zip then keeps them all: measured, 1 MB per 40,000
   * rows with the file stalled). Each is waited on where it stands, so nothing piles up.
   */
  #behind(): boolean {
    return this.#zipInput._writableState!.needDrain === true || this.#file.writableNeedDrain;
  }

  async #catchUp(): Promise<void> {
    while (this.#behind()) await once(this.#zipInput._writableState!.needDrain ? this.#zipInput : this.#file, 'drain');
  }

  #format(code: string): Partial<ExcelJS.Style> {
    let style = this.#formats.get(code);
    if (!style) this.#formats.set(code, (style = Object.freeze({ numFmt: code })));
    return style;
  }

  /**
   * What the run says about the cells it cut: the answers are whole in the checkpoint (free to
   * write again as JSON Lines); the user's own cells are whole only in their input file.
   */
  shortenedWarning(output: string): Message | undefined {
    if (this.shortened === 0) return undefined;
    const own = [...this.#cut].filter(([column]) => column < this.#inputColumns);
    const ownCount = own.reduce((sum, [, n]) => sum + n, 0);
    const parts: Message[] = [];
    if (ownCount > 0) {
      const names = own.map(([column]) => JSON.stringify(this.#header[column])).join(', ');
      parts.push(
        message('cli.log.cellsCutOwn', { count: ownCount, columns: own.length, names, limit: EXCEL_MAX_CELL }),
      );
    }
    if (this.shortened > ownCount)
      parts.push(message('cli.log.cellsCutAnswers', { count: this.shortened - ownCount, limit: EXCEL_MAX_CELL }));
    return message('cli.log.cellsCut', { output, parts: wordList(parts, 'parts') });
  }

  /**
   * A text as ExcelJS writes it: plain, or (with a space, tab or line break at an edge) as one
   * run of inline rich text, which ExcelJS writes `<is><r><t xml:space="preserve">`: its plain
   * texts go in `<c t="str"><v>`, whose edge spaces LibreOffice drops ("cyrela " read "cyrela").
   */
  #text(value: string, column: number): string | ExcelJS.CellRichTextValue {
    const text = this.#fitted(value, column);
    return EDGE_SPACE.test(text) ? { richText: [{ text }] } : text;
  }

  #fitted(value: string, column: number): string {
    const text = value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
    if (text.length <= EXCEL_MAX_CELL) return text;
    this.shortened += 1;
    this.#cut.set(column, (this.#cut.get(column) ?? 0) + 1);
    // Never half of a character: a lone surrogate is not valid XML.
    let end = EXCEL_MAX_CELL - 1;
    if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
    return `${text.slice(0, end)}…`;
  }

  /** Closes the sheet and the zip; resolves once `file` has finished. */
  async end(): Promise<void> {
    this.#sheet.commit();
    await this.#workbook.commit();
  }

  /** Stops writing (the caller removes the file). */
  abort(): void {
    (this.#workbook as unknown as { zip: { abort(): void } }).zip.abort();
  }
}

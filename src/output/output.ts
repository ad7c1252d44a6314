import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import type { Answer } from './answer.js';
import { csvLine } from './csv-line.js';
import { escapeFormula, fieldColumn, fieldText, RAW_COLUMN, STATUS_COLUMNS } from './fields.js';
import { XlsxSheetWriter, type SheetValue } from './xlsx-sheet.js';
import type { CellNumber } from '../input/input.js';
import { valueAt } from '../api/json-path.js';
import { isProcessAlive } from '../process-alive.js';

/** One output row: the input's cells (padded to the header) and the answer for them. */
export interface OutputRow {
  cells: string[];
  answer: Answer;
  /** Cells that were numbers in an .xlsx input: numbers again in an .xlsx output, in their number format. */
  numbers?: readonly CellNumber[] | undefined;
}

export type OutputFormat =
  | { kind: 'csv'; delimiter: string; bom: boolean; eol: '\n' | '\r\n' }
  | { kind: 'jsonl' }
  | { kind: 'xlsx' };

/** Excel in pt-BR opens this by double-click with accents intact: UTF-8 BOM, `;`, CRLF. */
export const EXCEL: OutputFormat = { kind: 'csv', delimiter: ';', bom: true, eol: '\r\n' };

/**
 * Writes the output to a hidden temporary file beside the target and renames it into place only
 * once complete and flushed: an interrupted run never leaves a torn output.
 */
export class AtomicOutputWriter {
  readonly path: string;
  readonly tempPath: string;
  readonly #format: OutputFormat;
  readonly #fields: readonly string[];
  readonly #paths: ReadonlyArray<readonly string[]>;
  #header: readonly string[] = [];
  #file: WriteStream | undefined;
  /** The text of one row, in the output's format. */
  #line: (row: OutputRow) => string = () => '';
  /** Rows not yet handed to the file: one write per 64 KB rather than one per row. */
  #pending = '';
  /** An .xlsx output's sheet (text outputs go through #pending). */
  #sheet: XlsxSheetWriter | undefined;
  /** Settles with the first write failure, so nothing waits for a file that failed. */
  #failed: Promise<never> | undefined;
  /** The first write failure (disk full, permissions): reported by `write` and `commit`. */
  #failure: FluenceError | undefined;
  #discarded = false;
  /** Per `--fields` path, answers that had a value for it; and answers that had an `analise`. */
  readonly #filled: number[];
  #analysed = 0;
  readonly #onEmptyFields: ((paths: string[], answers: number) => void) | undefined;

  /** `onEmptyFields`: told once, after the first answers, of paths none of them had (a typo costs a rerun). */
  constructor(
    path: string,
    format: OutputFormat,
    fields: readonly string[],
    onEmptyFields?: (paths: string[], answers: number) => void,
  ) {
    this.path = path;
    this.#format = format;
    this.#fields = fields;
    this.#filled = fields.map(() => 0);
    this.#onEmptyFields = onEmptyFields;
    this.#paths = fields.map((path) => path.split('.'));
    // `-` is standard output: the file is still completed aside first, then copied out whole.
    this.tempPath =
      path === '-'
        ? join(tmpdir(), `fluence-enrich-stdout.partial-${process.pid}`)
        : join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  }

  async open(inputHeader: readonly string[]): Promise<void> {
    await mkdir(dirname(this.tempPath), { recursive: true });
    await removeStalePartials(this.tempPath);
    this.#file = createWriteStream(this.tempPath, { highWaterMark: 1024 * 1024 });
    this.#failed = new Promise<never>((_, reject) => {
      this.#file!.on('error', (error: NodeJS.ErrnoException) => {
        this.#failure ??= new FluenceError(
          'OUTPUT_WRITE_FAILED',
          message('errors.outputWriteFailed', {
            stdout: this.path === '-' ? 'yes' : 'no',
            path: this.path,
            reason: error.code ?? error.message,
          }),
        );
        reject(this.#failure);
      });
    });
    // Nobody may be waiting when it fails: the failure is reported by the next write or commit.
    this.#failed.catch(() => undefined);
    await once(this.#file, 'open');
    if (this.#format.kind === 'xlsx') {
      this.#sheet = await XlsxSheetWriter.open(
        this.#file,
        [...inputHeader, ...STATUS_COLUMNS, ...this.#fields.map(fieldColumn), RAW_COLUMN],
        inputHeader.length,
      );
      return;
    }
    if (this.#format.kind === 'jsonl') {
      this.#header = uniqueNames(inputHeader, JSONL_KEYS);
      this.#line = (row) => `${JSON.stringify(this.#jsonObject(row))}\n`;
      return;
    }
    const { delimiter, bom, eol } = this.#format;
    const line = csvLine(delimiter, eol);
    this.#line = (row) => line(this.#csvCells(row));
    this.#pending =
      (bom ? '\ufeff' : '') + line([...inputHeader, ...STATUS_COLUMNS, ...this.#fields.map(fieldColumn), RAW_COLUMN]);
  }

  /** Queues a row; returns a promise only when the caller should wait for the file to catch up. */
  write(row: OutputRow): Promise<void> | undefined {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#sheet) {
      const wait = this.#sheet.addRow(this.#sheetValues(row));
      return wait && (Promise.race([wait, this.#failed!]) as Promise<void>);
    }
    this.#pending += this.#line(row);
    if (this.#pending.length < 64 * 1024) return undefined;
    if (this.#flush()) return undefined;
    // Once discarded, nobody waits for this any more: end quietly rather than as an unhandled failure.
    return once(this.#file!, 'drain').then(
      () => undefined,
      (error: unknown) => (this.#discarded ? undefined : Promise.reject(this.#failure ?? error)),
    );
  }

  /** Hands the queued text to the file; false when the file asks us to wait. */
  #flush(): boolean {
    const text = this.#pending;
    this.#pending = '';
    return text === '' || this.#file!.write(text);
  }

  /** The `--fields` values of one answer, as found and as text (the texts counted for the empty-paths warning). */
  #fieldValues(answer: Answer): { found: unknown[]; texts: string[] } {
    const analise: unknown = answer.analiseJson === '' ? undefined : JSON.parse(answer.analiseJson);
    const found = this.#paths.map((path) => valueAt(analise, path));
    const texts = found.map(fieldText);
    if (analise !== undefined) this.#countFilled(texts);
    return { found, texts };
  }

  #csvCells({ cells, answer }: OutputRow): string[] {
    const values = this.#fieldValues(answer).texts;
    return [
      ...cells,
      answer.status,
      answer.httpStatus === undefined ? '' : String(answer.httpStatus),
      String(answer.credits),
      escapeFormula(answer.error),
      ...values.map(escapeFormula),
      escapeFormula(answer.analiseJson),
    ];
  }

  /** Answers seen before saying which `--fields` paths none of them had. */
  static readonly EMPTY_FIELDS_AFTER = 20;

  #countFilled(values: readonly string[]): void {
    this.#analysed += 1;
    for (let i = 0; i < values.length; i++) if (values[i] !== '') this.#filled[i]! += 1;
    if (this.#analysed === AtomicOutputWriter.EMPTY_FIELDS_AFTER) {
      const empty = this.emptyFields;
      if (empty.length > 0) this.#onEmptyFields?.(empty, this.#analysed);
    }
  }

  /** `--fields` paths that no answer written so far had a value for (none while nothing was answered). */
  get emptyFields(): string[] {
    return this.#analysed === 0 ? [] : this.#fields.filter((_, i) => this.#filled[i] === 0);
  }

  /**
   * A sheet row: every text as a text cell, so no escaping is needed (a text cell is never a
   * formula); the counts and the answer's own numbers are numbers, so they add up.
   */
  #sheetValues({ cells, answer, numbers }: OutputRow): SheetValue[] {
    const { found, texts } = this.#fieldValues(answer);
    const values = found.map(
      (value, i): SheetValue => (typeof value === 'number' && Number.isFinite(value) ? value : texts[i]!),
    );
    const own: SheetValue[] = numbers ? cells.slice() : cells;
    // The cells past the header were never written (the row is invalid_input, its extra values named).
    for (const { column, value, format } of numbers ?? [])
      if (column < own.length) own[column] = format === 'General' ? value : { value, format };
    return [
      ...own,
      answer.status,
      answer.httpStatus ?? '',
      answer.credits,
      answer.error,
      ...values,
      answer.analiseJson,
    ];
  }

  /** Cells longer than Excel keeps, cut in an .xlsx output (0 for text outputs). */
  get shortenedCells(): number {
    return this.#sheet?.shortened ?? 0;
  }

  /** What to tell the user about those cells (undefined when none was cut): where each kind is still whole. */
  get shortenedWarning(): Message | undefined {
    return this.#sheet?.shortenedWarning(this.path);
  }

  /** Input fields by header, then status, and the whole `analise` as JSON (not a string). */
  #jsonObject({ cells, answer }: OutputRow): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (const [i, name] of this.#header.entries()) object[name] = cells[i] ?? '';
    object.fluence_status = answer.status;
    object.fluence_http_status = answer.httpStatus ?? null;
    object.fluence_credits_used = answer.credits;
    object.fluence_error = answer.error;
    object.analise = answer.analiseJson === '' ? null : JSON.parse(answer.analiseJson);
    return object;
  }

  async commit(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#sheet) {
      // The zip ends the file once the workbook is complete.
      await Promise.race([this.#sheet.end(), this.#failed!]);
    } else {
      this.#flush();
      this.#file!.end();
      // 'close' without 'finish' means the file failed: #failure says why.
      await new Promise<void>((resolve) => {
        this.#file!.once('finish', resolve);
        this.#file!.once('close', resolve);
      });
    }
    if (this.#failure) throw this.#failure;
    const handle = await open(this.tempPath, 'r');
    await handle.sync();
    await handle.close();
    if (this.path !== '-') return rename(this.tempPath, this.path);
    await pipeline(createReadStream(this.tempPath), process.stdout, { end: false });
    await rm(this.tempPath, { force: true });
  }

  /** Drops the temporary file (the target is left as it was). */
  async discard(): Promise<void> {
    this.#pending = '';
    this.#discarded = true;
    this.#sheet?.abort();
    this.#file?.destroy();
    await rm(this.tempPath, { force: true });
  }
}

/** Partial outputs that runs killed outright (SIGKILL, power loss) left beside this one: their process is gone. */
async function removeStalePartials(tempPath: string): Promise<void> {
  const prefix = basename(tempPath).replace(/\d+$/, '');
  const names = await readdir(dirname(tempPath)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid))
      await rm(join(dirname(tempPath), name), { force: true });
  }
}

/** The keys the tool adds to each JSON line. */
const JSONL_KEYS = ['fluence_status', 'fluence_http_status', 'fluence_credits_used', 'fluence_error', 'analise'];

/**
 * JSON keys must be unique, and every input field is kept: a header that repeats, or that is one
 * of the tool's own keys, gets `_2`, `_3`... (the first free one).
 */
export function uniqueNames(header: readonly string[], reserved: readonly string[] = []): string[] {
  const taken = new Set(reserved);
  const firstUse = new Set<string>();
  // Names used as they are come first, so a renamed repeat never takes a name the file has.
  for (const name of header) if (!taken.has(name)) firstUse.add(name);
  const used = new Set([...taken, ...firstUse]);
  const given = new Set<string>();
  return header.map((name) => {
    if (firstUse.has(name) && !given.has(name)) {
      given.add(name);
      return name;
    }
    let n = 2;
    while (used.has(`${name}_${n}`)) n += 1;
    used.add(`${name}_${n}`);
    return `${name}_${n}`;
  });
}

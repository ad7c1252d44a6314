import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { FluenceError } from '../errors.js';
import type { Answer } from './answer.js';
import { csvLine } from './csv-line.js';
import { escapeFormula, fieldColumn, fieldValue, RAW_COLUMN, STATUS_COLUMNS } from './fields.js';

/** One output row: the input's cells (padded to the header) and the answer for them. */
export interface OutputRow {
  cells: string[];
  answer: Answer;
}

export type OutputFormat =
  | { kind: 'csv'; delimiter: string; bom: boolean; eol: '\n' | '\r\n' }
  | { kind: 'jsonl' };

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
  /** The first write failure (disk full, permissions): reported by `write` and `commit`. */
  #failure: FluenceError | undefined;
  #discarded = false;

  constructor(path: string, format: OutputFormat, fields: readonly string[]) {
    this.path = path;
    this.#format = format;
    this.#fields = fields;
    this.#paths = fields.map((path) => path.split('.'));
    // `-` is standard output: the file is still completed aside first, then copied out whole.
    this.tempPath = path === '-' ? join(tmpdir(), `fluence-enrich-stdout.partial-${process.pid}`) : join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  }

  async open(inputHeader: readonly string[]): Promise<void> {
    await mkdir(dirname(this.tempPath), { recursive: true });
    this.#file = createWriteStream(this.tempPath, { highWaterMark: 1024 * 1024 });
    this.#file.on('error', (error: NodeJS.ErrnoException) => {
      this.#failure ??= new FluenceError('OUTPUT_WRITE_FAILED', `cannot write ${this.path === '-' ? 'the output' : this.path}: ${error.code ?? error.message}; the checkpoint keeps every answer, so rerun once fixed`);
    });
    await once(this.#file, 'open');
    if (this.#format.kind === 'jsonl') {
      this.#header = uniqueNames(inputHeader);
      this.#line = (row) => `${JSON.stringify(this.#jsonObject(row))}\n`;
      return;
    }
    const { delimiter, bom, eol } = this.#format;
    const line = csvLine(delimiter, eol);
    this.#line = (row) => line(this.#csvCells(row));
    this.#pending = (bom ? '\ufeff' : '') + line([...inputHeader, ...STATUS_COLUMNS, ...this.#fields.map(fieldColumn), RAW_COLUMN]);
  }

  /** Queues a row; returns a promise only when the caller should wait for the file to catch up. */
  write(row: OutputRow): Promise<void> | undefined {
    if (this.#failure) return Promise.reject(this.#failure);
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

  #csvCells({ cells, answer }: OutputRow): string[] {
    const analise: unknown = answer.analiseJson === '' ? undefined : JSON.parse(answer.analiseJson);
    return [
      ...cells,
      answer.status,
      answer.httpStatus === undefined ? '' : String(answer.httpStatus),
      String(answer.credits),
      escapeFormula(answer.error),
      ...this.#paths.map((path) => escapeFormula(fieldValue(analise, path))),
      escapeFormula(answer.analiseJson),
    ];
  }

  /** Input fields by header, then status, and the whole `analise` as JSON (not a string). */
  #jsonObject({ cells, answer }: OutputRow): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.#header.forEach((name, i) => (object[name] = cells[i] ?? ''));
    object.fluence_status = answer.status;
    object.fluence_http_status = answer.httpStatus ?? null;
    object.fluence_credits_used = answer.credits;
    object.fluence_error = answer.error;
    object.analise = answer.analiseJson === '' ? null : JSON.parse(answer.analiseJson);
    return object;
  }

  async commit(): Promise<void> {
    this.#flush();
    this.#file!.end();
    // 'close' without 'finish' means the file failed: #failure says why.
    await new Promise<void>((resolve) => {
      this.#file!.once('finish', resolve);
      this.#file!.once('close', resolve);
    });
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
    this.#file?.destroy();
    await rm(this.tempPath, { force: true });
  }
}

/** JSON keys must be unique: a repeated header gets `_2`, `_3`... */
function uniqueNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';

/**
 * Writes the output CSV to a hidden temporary file beside the target and renames it into
 * place only once complete and flushed: an interrupted run never leaves a torn output.
 */
export class AtomicCsvWriter {
  readonly path: string;
  readonly tempPath: string;
  #file: WriteStream | undefined;
  #csv: Stringifier | undefined;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  }

  async open(header: readonly string[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // Large buffers: the resume path writes rows far faster than small writes would flush.
    this.#file = createWriteStream(this.tempPath, { highWaterMark: 1024 * 1024 });
    await once(this.#file, 'open');
    this.#csv = stringify({ eof: true, highWaterMark: 1024 * 1024 });
    this.#csv.pipe(this.#file);
    await this.write(header);
  }

  /** Queues a row; returns a promise only when the caller should wait for the file to catch up. */
  write(cells: readonly string[]): Promise<void> | undefined {
    if (this.#csv!.write(cells)) return undefined;
    return once(this.#csv!, 'drain').then(() => undefined);
  }

  async commit(): Promise<void> {
    this.#csv!.end();
    await once(this.#file!, 'finish');
    const handle = await open(this.tempPath, 'r');
    await handle.sync();
    await handle.close();
    await rename(this.tempPath, this.path);
  }

  /** Drops the temporary file (the target is left as it was). */
  async discard(): Promise<void> {
    this.#csv?.destroy();
    this.#file?.destroy();
    await rm(this.tempPath, { force: true });
  }
}

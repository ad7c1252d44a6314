import { Transform, type TransformCallback } from 'node:stream';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { MAX_COLUMNS, MAX_HEADER_BYTES, sizeText } from './limits.js';
import { inputName } from './stdin.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Watches the text until the first line break outside quotes (the first record: the header) and
 * refuses a header past the limits as its bytes come, before the parser holds it: a million
 * columns would otherwise cost the parser 25 s and 700 MB. After the header, chunks pass untouched.
 */
export class HeaderGuard extends Transform {
  readonly #path: string;
  readonly #delimiter: number;
  #done = false;
  #quoted = false;
  #bytes = 0;
  #columns = 1;

  constructor(path: string, delimiter: string) {
    super();
    this.#path = path;
    this.#delimiter = delimiter.charCodeAt(0);
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#done) {
      const text = typeof chunk === 'string';
      const length = chunk.length;
      for (let i = 0; i < length && !this.#done; i++) {
        const code = text ? chunk.charCodeAt(i) : chunk[i]!;
        this.#bytes += 1;
        if (code === QUOTE) this.#quoted = !this.#quoted;
        else if (this.#quoted) continue;
        else if (code === this.#delimiter) this.#columns += 1;
        // A line break ends the header unless the header is still blank (blank lines before it are skipped).
        else if ((code === LF || code === CR) && this.#bytes > 1) this.#done = true;
        if (this.#columns > MAX_COLUMNS || this.#bytes > MAX_HEADER_BYTES) return callback(this.#error());
      }
    }
    callback(null, chunk);
  }

  #error(): FluenceError {
    return new FluenceError(
      'INPUT_HEADER_TOO_LARGE',
      message('errors.inputHeaderTooLarge.streaming', {
        name: inputName(this.#path),
        what: this.#columns > MAX_COLUMNS ? 'columns' : 'bytes',
        columns: MAX_COLUMNS,
        size: sizeText(MAX_HEADER_BYTES),
      }),
      { line: 1 },
    );
  }
}

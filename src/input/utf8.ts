import { Transform, type TransformCallback } from 'node:stream';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { inputName } from './stdin.js';

/**
 * Passes bytes through as they come, stopping at the first byte that is not UTF-8, with the
 * line it is on: a Latin-1 or Windows-1252 export read as UTF-8 would send mangled names to a
 * paid API. (A BOM-marked UTF-16 file fails on its first line the same way.)
 */
export class Utf8Check extends Transform {
  readonly #path: string;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  #line = 1;
  /** Bytes of an incomplete sequence at the end of the last chunk. */
  #tail: Buffer = Buffer.alloc(0);

  constructor(path: string) {
    super();
    this.#path = path;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      return callback(this.#error(Buffer.concat([this.#tail, chunk])));
    }
    this.#line += count(chunk);
    this.#tail = chunk.subarray(chunk.length - incompleteTail(chunk));
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#decoder.decode();
    } catch {
      return callback(this.#error(this.#tail));
    }
    callback();
  }

  /** Finds the bad byte in `bytes` (which starts where the line count stopped) and names its line. */
  #error(bytes: Buffer): FluenceError {
    const line = this.#line + count(bytes.subarray(0, firstInvalid(bytes)));
    return new FluenceError('INPUT_NOT_UTF8', message('errors.inputNotUtf8', { name: inputName(this.#path), line }), {
      line,
    });
  }
}

/** How many bytes at the end of `chunk` start a character the next chunk finishes. */
function incompleteTail(chunk: Buffer): number {
  for (let k = 1; k <= Math.min(3, chunk.length); k++) {
    const b = chunk[chunk.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? k : 0;
  }
  return 0;
}

function count(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n += 1;
  return n;
}

/** Offset of the first byte that breaks UTF-8 (bytes.length when none). */
function firstInvalid(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0) return i;
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return bytes.length;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += size;
  }
  return bytes.length;
}

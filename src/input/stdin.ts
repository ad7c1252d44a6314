import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import { interruptedError, readingStopped } from './interrupt.js';
import { MAX_SPOOL_BYTES, SPOOL_DISK_RESERVE, sizeText } from './limits.js';

/** Files this process spooled standard input into: messages call them what the user gave. */
const spooled = new Set<string>();

/** The most the spool may hold: the limit, or what the disk can give while keeping its reserve. */
async function spoolLimit(dir: string): Promise<{ bytes: number; why: Message }> {
  const disk = await statfs(dir).catch(() => undefined);
  const free = disk ? disk.bavail * disk.bsize - SPOOL_DISK_RESERVE : Number.POSITIVE_INFINITY;
  return free < MAX_SPOOL_BYTES
    ? {
        bytes: Math.max(0, free),
        why: message('errors.inputTooLarge.disk', { folder: tmpdir(), reserve: sizeText(SPOOL_DISK_RESERVE) }),
      }
    : { bytes: MAX_SPOOL_BYTES, why: message('errors.inputTooLarge.limit') };
}

/** Passes bytes on until there are more than `limit`, then fails. */
function capped(limit: { bytes: number; why: Message }): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen <= limit.bytes) return callback(null, chunk);
      callback(
        new FluenceError(
          'INPUT_TOO_LARGE',
          message('errors.inputTooLarge', { size: sizeText(limit.bytes), why: limit.why }),
        ),
      );
    },
  });
}

/**
 * Standard input, read once into a file in a folder of its own (the caller removes the folder): a
 * run reads its input twice. At most `MAX_SPOOL_BYTES` (less when the disk is short), and a signal
 * stops it at once; either way the partial copy is removed.
 */
export function spoolStdin(): Promise<string> {
  return spool(process.stdin);
}

/** `spoolStdin` on any stream; `limit` replaces the computed one (a test's few bytes). */
export async function spool(input: Readable, limit?: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fluence-enrich-stdin-'));
  const path = join(dir, 'stdin');
  try {
    const most =
      limit === undefined ? await spoolLimit(dir) : { bytes: limit, why: message('errors.inputTooLarge.limit') };
    await pipeline(input, capped(most), createWriteStream(path), { signal: readingStopped });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (readingStopped.aborted) throw interruptedError();
    throw error;
  }
  spooled.add(path);
  return path;
}

/** Whether `path` is standard input's spool (which has no name to say what it holds). */
export const isStdinSpool = (path: string): boolean => spooled.has(path);

/** The input as a message names it: `standard input` rather than the temporary file it was read into. */
export const inputName = (path: string): string => (spooled.has(path) ? 'standard input' : path);

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { checkRegularFile, statInput } from './file-guard.js';
import { inputError } from './input.js';
import { readingStopped, throwIfInterrupted } from './interrupt.js';

/** SHA-256 of the input's bytes (about 1 GB/s): what makes two paths the same file for a checkpoint. */
export async function hashBytes(input: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    checkRegularFile(input, await statInput(input));
    for await (const chunk of createReadStream(input, { highWaterMark: 1024 * 1024, signal: readingStopped })) {
      throwIfInterrupted();
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    throwIfInterrupted();
    throw inputError(error, input, 0);
  }
  return hash.digest('hex');
}

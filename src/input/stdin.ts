import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Files this process spooled standard input into: messages call them what the user gave. */
const spooled = new Set<string>();

/** Standard input, read once into a file in a folder of its own (the caller removes the folder): a run reads its input twice. */
export async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fluence-enrich-stdin-'));
  const path = join(dir, 'stdin');
  await pipeline(process.stdin, createWriteStream(path));
  spooled.add(path);
  return path;
}

/** Whether `path` is standard input's spool (which has no name to say what it holds). */
export const isStdinSpool = (path: string): boolean => spooled.has(path);

/** The input as a message names it: `standard input` rather than the temporary file it was read into. */
export const inputName = (path: string): string => (spooled.has(path) ? 'standard input' : path);

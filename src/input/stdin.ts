import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Standard input, read once into a file in a folder of its own (the caller removes the folder): a run reads its input twice. */
export async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fluence-enrich-stdin-'));
  const path = join(dir, 'input.csv');
  await pipeline(process.stdin, createWriteStream(path));
  return path;
}

import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Sandbox } from '../../src/sandbox/server.js';
import { sniffDelimiter } from '../../src/input/dialect.js';
import { runCli, startCli, type CliResult } from './cli.js';
import { ENTERPRISE } from './sandbox.js';

export const workdir = (): Promise<string> => mkdtemp(join(tmpdir(), 'fe-enrich-'));

/** A contacts CSV: `people` as [first, last, company] plus an `id` column kept as is. */
export async function contactsFile(
  dir: string,
  people: Array<[string, string, string]>,
  name = 'in.csv',
): Promise<string> {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = `${['id,primeiro_nome,ultimo_nome,empresa', ...people.map((p, i) => [String(i + 1), ...p].map(quote).join(','))].join('\n')}\n`;
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** A large CSV written as a stream: the header, then `line(i)` for i < `rows` (each ending in a newline). */
export async function largeFile(
  path: string,
  header: string,
  rows: number,
  line: (i: number) => string,
): Promise<string> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < rows; i += 1000) {
    if (!out.write(Array.from({ length: Math.min(1000, rows - i) }, (_, j) => line(i + j)).join('')))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** `n` distinct people at one company. */
export const people = (n: number, company = 'Acme', prefix = 'Pessoa'): Array<[string, string, string]> =>
  Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'Silva', company]);

export interface EnrichRun extends CliResult {
  output: string;
  rows: Array<Record<string, string>>;
  summary: Record<string, any> | undefined;
}

export function enrichArgs(sandbox: Sandbox, input: string, dir: string, extra: string[] = []): string[] {
  return [
    'enrich',
    input,
    '-o',
    join(dir, 'out.csv'),
    '--base-url',
    sandbox.url,
    '--summary',
    join(dir, 'summary.json'),
    '--progress',
    'off',
    ...extra,
  ];
}

export function readOutput(dir: string): Array<Record<string, string>> {
  const path = join(dir, 'out.csv');
  if (!existsSync(path)) return [];
  // The output keeps the input's delimiter.
  const text = readFileSync(path, 'utf8');
  return parse(text, { columns: true, bom: true, delimiter: sniffDelimiter(text.replace(/^\uFEFF/, '')) });
}

export async function enrich(
  sandbox: Sandbox,
  input: string,
  dir: string,
  extra: string[] = [],
  key = ENTERPRISE,
): Promise<EnrichRun> {
  const result = await runCli(enrichArgs(sandbox, input, dir, extra), { env: { FLUENCE_API_KEY: key } });
  const summaryPath = join(dir, 'summary.json');
  const summary = existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) : undefined;
  return { ...result, output: join(dir, 'out.csv'), rows: readOutput(dir), summary };
}

export function startEnrich(sandbox: Sandbox, input: string, dir: string, extra: string[] = [], key = ENTERPRISE) {
  return startCli(enrichArgs(sandbox, input, dir, extra), { env: { FLUENCE_API_KEY: key } });
}

/** Output rows without the columns that legitimately differ between runs. */
export const stable = (rows: Array<Record<string, string>>) => rows.map(({ fluence_credits_used: _, ...rest }) => rest);

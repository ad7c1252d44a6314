import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatches } from '../src/input/input.js';
import { startSandbox, type Sandbox } from '../src/sandbox/server.js';
import { enrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE } from './helpers/sandbox.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const SPECTRUM = fileURLToPath(new URL('../node_modules/csv-spectrum/', import.meta.url));

interface Expectation {
  code?: string;
  line?: number;
  message?: string;
  exit?: number;
  statuses?: string[];
  error?: Record<string, string>;
  cells?: Record<string, string>;
  header?: string;
}
const expected: Record<string, Expectation> = JSON.parse(readFileSync(join(BAD, 'expected.json'), 'utf8'));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ keys: [{ key: ENTERPRISE, plan: 'crm_enterprise', credits: 100_000 }] });
});
afterAll(() => sandbox.close());

/** Every file a failed run leaves in its folder, besides the input. */
const leftovers = (dir: string, input: string) =>
  readdirSync(dir).filter((f) => f !== input && !f.endsWith('.sqlite') && f !== 'summary.json');

async function check(name: string, path: string, e: Expectation): Promise<void> {
  const dir = await workdir();
  const input = join(dir, name);
  await copyFile(path, input);
  const run = await enrich(sandbox, input, dir);
  expect(run.stderr, name).not.toMatch(/\n\s+at /); // never a stack trace
  if (e.code) {
    expect(run.code, `${name}: ${run.stderr}`).toBe(1);
    expect(run.stderr, name).toContain(`[${e.code}]`);
    if (e.line !== undefined) expect(run.stderr, name).toContain(`line ${e.line}:`);
    if (e.message) expect(run.stderr, name).toContain(e.message);
    expect(leftovers(dir, name), `${name}: no output, complete or partial`).toEqual([]);
    return;
  }
  expect(run.code, `${name}: ${run.stderr}`).toBe(e.exit);
  expect(
    run.rows.map((r) => r.fluence_status),
    name,
  ).toEqual(e.statuses);
  for (const [i, text] of Object.entries(e.error ?? {}))
    expect(run.rows[Number(i)]!.fluence_error, name).toContain(text);
  for (const [i, text] of Object.entries(e.cells ?? {})) expect(run.rows[Number(i)]!.notas, name).toBe(text);
  if (e.header) expect(readFileSync(run.output, 'utf8').startsWith(e.header), name).toBe(true);
}

describe('hostile and broken files: processed correctly, or a coded stop naming the line', () => {
  const names = Object.keys(expected);
  it(`has at least 30 cases of our own (${names.length})`, () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const name of names) expect(existsSync(join(BAD, name)), name).toBe(true);
  });

  for (const name of names) {
    it(name, () => check(name, join(BAD, name), expected[name]!));
  }

  it('a 10 MB field: kept whole in another column, refused in a name', async () => {
    const dir = await workdir();
    const big = 'x'.repeat(10 * 1024 * 1024);
    const path = join(dir, 'big.csv');
    await writeFile(
      path,
      `primeiro_nome,ultimo_nome,empresa,notas\nAna,Souza,Teste 404,${big}\n${big},Souza,Teste 404,x\n`,
    );
    await check('big.csv', path, {
      exit: 0,
      statuses: ['not_found', 'invalid_input'],
      error: { '1': 'longer than 200' },
    });
  });
});

/**
 * Where csv-spectrum 2.0.0's expected JSON disagrees with its own CSV (not with a parser):
 * location_coordinates.json is a single object, and its phone number is not the one in the CSV.
 */
const UPSTREAM_ERRATA: Record<string, Record<string, string>> = {
  location_coordinates: { 'Contact Phone Number': '2095257564' },
};

describe('csv-spectrum, the outside suite, through the reader and back through the writer', () => {
  const items = readdirSync(join(SPECTRUM, 'csvs')).map((file) => file.replace(/\.csv$/, ''));
  for (const name of items) {
    it(name, async () => {
      const json: unknown = JSON.parse(readFileSync(join(SPECTRUM, 'json', `${name}.json`), 'utf8'));
      const want = (Array.isArray(json) ? json : [json]).map((row: Record<string, string>) => ({
        ...row,
        ...UPSTREAM_ERRATA[name],
      }));
      const records: string[][] = [];
      for await (const batch of readBatches(join(SPECTRUM, 'csvs', `${name}.csv`)))
        records.push(...batch.map((record) => record.cells));
      const [header = [], ...rows] = records;
      const got = rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
      expect(got).toEqual(want);
      // What we write reads back the same.
      expect(parse(stringify(records), { relax_column_count: true })).toEqual(records);
    });
  }
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/server.js';
import { runCli } from './helpers/cli.js';
import { workdir } from './helpers/enrich.js';
import { call, ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/**
 * Issue 26's proof: the gazetteer must not load in a run that asks nothing. A `--cache` makes a
 * new first pass on every run (it serves many files), so it keeps each first word's verdict: a
 * rerun whose words it has all seen never reads the list, and judges every row as the first run
 * did (same refused rows, same requests); a new word loads it. Through the real CLI, on the ledger.
 */
const DIR = new URL('../fixtures/names/', import.meta.url).pathname;

const crmRequests = async (sandbox: Sandbox): Promise<number> => {
  const body = (await call(sandbox, '/__sandbox/ledger')).body;
  return Object.entries(body.requests as Record<string, Record<string, number>>)
    .filter(([path]) => path === '/crm_basico' || path === '/crm')
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
};

async function run(sandbox: Sandbox, dir: string, file: string, out: string) {
  const args = ['enrich', join(DIR, file), '-o', join(dir, out), '--base-url', sandbox.url];
  const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_DEBUG_FIRST_NAMES: '1' };
  const result = await runCli([...args, '--cache', join(dir, 'cache.sqlite'), '--progress', 'off'], { env });
  return { ...result, loaded: /first names loaded in/.test(result.stderr) };
}

const refused = (stdout: string, stderr: string): string =>
  `${stdout}${stderr}`.match(/invalid_input (\d+)/)?.[1] ?? '';

describe('a rerun from the cache never loads the gazetteer (issue 26)', () => {
  it('keeps the first words it judged: the rerun asks nothing and reads no list, a new word reads it', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const first = await run(sandbox, dir, 'cache-rerun.csv', 'a.csv');
      expect(first.code, first.stderr).toBe(0);
      expect(first.loaded).toBe(true);
      expect(refused(first.stdout, first.stderr)).toBe('2');
      expect(await crmRequests(sandbox)).toBe(6);
      const again = await run(sandbox, dir, 'cache-rerun.csv', 'b.csv');
      expect(again.code, again.stderr).toBe(0);
      expect(again.loaded, again.stderr).toBe(false);
      expect(refused(again.stdout, again.stderr)).toBe('2');
      expect(await crmRequests(sandbox)).toBe(6);
      // Deivid: a first word no earlier run judged.
      const other = await run(sandbox, dir, 'cache-rerun-new.csv', 'c.csv');
      expect(other.code, other.stderr).toBe(0);
      expect(other.loaded).toBe(true);
      expect(await crmRequests(sandbox)).toBe(7);
    });
  }, 120_000);

  it('a column of non-people stops the rerun as it stopped the first run, without the list', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const first = await run(sandbox, dir, 'not-people.csv', 'a.csv');
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/DOUBTFUL_COLUMN/);
      expect(first.loaded).toBe(true);
      const again = await run(sandbox, dir, 'not-people.csv', 'b.csv');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/DOUBTFUL_COLUMN/);
      expect(again.loaded).toBe(false);
      expect(await crmRequests(sandbox)).toBe(0);
    });
  }, 120_000);
});

import { readdirSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Checkpoint } from '../src/sharing/sqlite/checkpoint.js';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

const SCOPE = { endpoint: 'crm_basico', input: '/data/in.csv' };
const answer = (n: number) => ({
  status: 'ok' as const,
  httpStatus: 200,
  credits: 1,
  error: '',
  analise: JSON.stringify({ n }),
});

/** A checkpoint holding final answers for c0..c(n-1), stored in that order. */
async function filled(n: number): Promise<string> {
  const path = join(await workdir(), 'ck.sqlite');
  const store = new Checkpoint(path, SCOPE);
  for (let i = 0; i < n; i++) {
    store.answers.markStarted('crm_basico', `c${i}`, 'run-1');
    store.answers.saveFinal('crm_basico', `c${i}`, answer(i), 'run-1');
  }
  store.close();
  return path;
}

const analiseOf = (store: Checkpoint, contact: string) => {
  const found = store.answers.lookup('crm_basico', contact);
  return found?.state === 'final' ? JSON.parse(found.result.analise).n : found?.state;
};

/** Seeded shuffle, so a failure reproduces. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('checkpoint: a rerun reads answers back along the order they were asked', () => {
  it('serves every row right in file order, mostly from pages read ahead', async () => {
    const store = new Checkpoint(await filled(3000), SCOPE);
    for (let i = 0; i < 3000; i++) expect(analiseOf(store, `c${i}`)).toBe(i);
    expect(store.answers.readAhead.used).toBe(3000);
    // A repeat in the file (already handed out) is still found.
    expect(analiseOf(store, 'c5')).toBe(5);
    expect(analiseOf(store, 'nobody')).toBeUndefined();
    store.close();
  });

  it('never serves a row read ahead once it was written again (started, answered anew, unanswered)', async () => {
    const store = new Checkpoint(await filled(3000), SCOPE);
    expect(analiseOf(store, 'c0')).toBe(0); // pages c0.. are now held ahead
    store.answers.markStarted('crm_basico', 'c100', 'run-2');
    store.answers.saveFinal('crm_basico', 'c200', answer(-200), 'run-2');
    store.answers.markUnanswered('crm_basico', 'c300', 'timeout');
    store.answers.saveFinal('crm_basico', 'c2500', answer(-2500), 'run-2'); // not read ahead yet
    store.answers.markStarted('crm_basico', 'new-contact', 'run-2');
    for (let i = 1; i < 3000; i++) {
      const expected = i === 100 ? 'started' : i === 200 ? -200 : i === 300 ? 'unanswered' : i === 2500 ? -2500 : i;
      expect(analiseOf(store, `c${i}`), `c${i}`).toBe(expected);
    }
    expect(analiseOf(store, 'new-contact')).toBe('started');
    store.close();
  });

  it('in an order unrelated to the checkpoint: every lookup still right, little read for nothing', async () => {
    const store = new Checkpoint(await filled(12_000), SCOPE);
    for (const i of shuffled(Array.from({ length: 12_000 }, (_, i) => i))) expect(analiseOf(store, `c${i}`)).toBe(i);
    // Pages are read only after hits, and stop once most of what was read goes unused.
    expect(store.answers.readAhead.read).toBeLessThanOrEqual(5 * 2048);
    store.close();
  });

  it('gives up reading ahead when most of what it reads goes unused', async () => {
    const store = new Checkpoint(await filled(24_000), SCOPE);
    // A file holding every 8th contact the checkpoint knows.
    for (let i = 0; i < 24_000; i += 8) expect(analiseOf(store, `c${i}`)).toBe(i);
    const { read, used } = store.answers.readAhead;
    // Reading on would have read all 24,000; it stops once 4 x 2,048 were read and 3 in 4 unused.
    expect(read).toBeGreaterThanOrEqual(8192);
    expect(read).toBeLessThan(8192 + 512);
    expect(used * 4).toBeLessThan(read);
    for (let i = 1; i < 24_000; i += 8) expect(analiseOf(store, `c${i}`)).toBe(i);
    store.close();
  });

  it('keeps reading ahead through a file that lost some of its rows (rows passed by are dropped)', async () => {
    const store = new Checkpoint(await filled(20_000), SCOPE);
    // One contact in 10 left the export since the checkpoint was made.
    for (let i = 0; i < 20_000; i++) if (i % 10 !== 3) expect(analiseOf(store, `c${i}`)).toBe(i);
    expect(store.answers.readAhead.used).toBe(18_000);
    store.close();
  });

  it("upgrades a schema 1 checkpoint in place, keeping every answer; another file's is refused untouched", async () => {
    const path = join(await workdir(), 'v1.sqlite');
    const db = new Database(path);
    db.exec(`
      CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE results (endpoint TEXT NOT NULL, contact TEXT NOT NULL, state TEXT NOT NULL,
        status TEXT, http_status INTEGER, credits INTEGER, error TEXT, analise TEXT, run TEXT,
        updated_at INTEGER NOT NULL, PRIMARY KEY (endpoint, contact)) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema', '1'), ('endpoint', 'crm_basico'), ('input', '/data/in.csv'), ('uncertain', '2');`);
    const insert = db.prepare("INSERT INTO results VALUES ('crm_basico', ?, 'final', 'ok', 200, 1, '', ?, 'run-0', ?)");
    for (let i = 0; i < 600; i++) insert.run(`c${i}`, JSON.stringify({ n: i }), 1_000 + i);
    db.prepare(
      "INSERT INTO results (endpoint, contact, state, updated_at) VALUES ('crm_basico', 'half', 'started', 5000)",
    ).run();
    db.close();

    expect(() => new Checkpoint(path, { endpoint: 'crm_basico', input: '/data/other.csv' })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }),
    );
    const untouched = new Database(path, { readonly: true });
    expect(untouched.prepare("SELECT v FROM meta WHERE k = 'schema'").pluck().get()).toBe('1');
    untouched.close();

    const store = new Checkpoint(path, SCOPE);
    for (let i = 0; i < 600; i++) expect(analiseOf(store, `c${i}`)).toBe(i);
    expect(store.answers.readAhead.used).toBe(600); // numbered in the order they were stored
    expect(analiseOf(store, 'half')).toBe('started');
    expect(store.answers.uncertainTotal).toBe(2);
    store.close();
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.prepare("SELECT v FROM meta WHERE k = 'schema'").pluck().get()).toBe('2');
    upgraded.close();
  });
});

describe('enrich: a rerun over the same bytes skips the first pass', () => {
  it('reuses the first pass only while the bytes are the same; a changed file is read again, a now-malformed one stopped', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(12));
      const first = await enrich(sandbox, input, dir);
      expect(first.code).toBe(0);
      expect(first.summary).toMatchObject({ firstPass: 'read', requests: 12, maxCost: 12 });

      const again = await enrich(sandbox, input, dir);
      expect(again.code).toBe(0);
      // At most: what is left to ask, as estimate counts it (all 12 are answered).
      expect(again.summary).toMatchObject({ firstPass: 'reused', requests: 0, maxCost: 0, rows: 12 });
      expect(again.rows.map((r) => r.fluence_status)).toEqual(first.rows.map((r) => r.fluence_status));

      await appendFile(input, '13,Nova,Pessoa,Acme\n');
      const grown = await enrich(sandbox, input, dir);
      expect(grown.summary).toMatchObject({ firstPass: 'read', requests: 1, maxCost: 1, rows: 13 });

      await appendFile(input, '14,"Aberta,Pessoa,Acme\n');
      const broken = await enrich(sandbox, input, dir);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/line 15: a quoted field is never closed.*\[INPUT_MALFORMED\]/);
      expect(sandbox.ledger.totalCharged).toBe(13);
    });
  });

  it('a file that stops the first pass leaves no checkpoint behind', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'primeiro_nome,ultimo_nome,empresa\nAna,"Souza,Acme\n');
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('INPUT_MALFORMED');
      // No checkpoint and no output: only the summary saying the run stopped, and why.
      expect(readdirSync(dir).sort()).toEqual(['in.csv', 'summary.json']);
      expect(run.summary).toMatchObject({ error: { code: 'INPUT_MALFORMED' }, outputWritten: false });
    });
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

describe('nightly runs: a cache shared across files pays only for new contacts', () => {
  it("tonight's export reuses what last night's bought, and says what that saved", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const cache = join(dir, 'cache', 'fluence.sqlite');
      const monday = await contactsFile(dir, people(10, 'Teste 404'), 'monday.csv');
      const tuesday = await contactsFile(
        dir,
        [...people(10, 'Teste 404').slice(5), ...people(5, 'Teste 409', 'Nova')],
        'tuesday.csv',
      );
      const first = await enrich(sandbox, monday, dir, ['--cache', cache, '-o', join(dir, 'monday.out.csv')]);
      expect(first.summary).toMatchObject({ requests: 10, creditsUsed: 10, fromCheckpoint: 0 });
      const second = await enrich(sandbox, tuesday, dir, ['--cache', cache, '-o', join(dir, 'tuesday.out.csv')]);
      expect(second.code).toBe(0);
      expect(second.summary).toMatchObject({ requests: 5, creditsUsed: 5, fromCheckpoint: 5, creditsSaved: 5 });
      expect(second.stderr).toContain('saved 5,');
      expect(sandbox.ledger.totalCharged).toBe(15);
      expect(sandbox.ledger.repeatCharges).toBe(0);
      // A file's own checkpoint is not a shared cache, and the other way round.
      const wrong = await enrich(sandbox, tuesday, dir, ['--checkpoint', cache]);
      expect(wrong.stderr).toContain('[CHECKPOINT_MISMATCH]');
    });
  });

  it('--max-age asks again what is older, --refresh asks everything again (a repeat in the file still pays once)', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const cache = join(dir, 'cache.sqlite');
      const input = await contactsFile(dir, [...people(6, 'Teste 404'), ['Pessoa0', 'Silva', 'TESTE 404']]);
      expect((await enrich(sandbox, input, dir, ['--cache', cache])).summary).toMatchObject({
        requests: 6,
        duplicates: 1,
      });
      // Age three answers by 40 days.
      const db = new Database(cache);
      db.prepare(
        "UPDATE results SET updated_at = updated_at - 40 * 86400000 WHERE contact LIKE 'pessoa0%' OR contact LIKE 'pessoa1%' OR contact LIKE 'pessoa2%'",
      ).run();
      db.close();
      expect((await enrich(sandbox, input, dir, ['--cache', cache, '--max-age', '60d'])).summary).toMatchObject({
        requests: 0,
        fromCheckpoint: 6,
        duplicates: 1,
        creditsSaved: 6,
      });
      const aged = await enrich(sandbox, input, dir, ['--cache', cache, '--max-age', '30d']);
      expect(aged.summary).toMatchObject({ requests: 3, fromCheckpoint: 3, duplicates: 1 });
      const refreshed = await enrich(sandbox, input, dir, ['--cache', cache, '--refresh']);
      expect(refreshed.summary).toMatchObject({ requests: 6, fromCheckpoint: 0, duplicates: 1, creditsUsed: 6 });
      expect(sandbox.ledger.totalCharged).toBe(6 + 3 + 6);
      const bad = await enrich(sandbox, input, dir, ['--cache', cache, '--max-age', 'soon']);
      expect(bad.stderr).toContain('option --max-age');
    });
  });
});

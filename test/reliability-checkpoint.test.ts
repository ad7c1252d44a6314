import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { finished } from './helpers/cli.js';
import { contactsFile, enrich, people, startEnrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';

describe('checkpoint damage: coded errors, never silent reuse, never a lost result', () => {
  it('refuses a checkpoint made for another endpoint or another input, before any request', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const other = await contactsFile(dir, people(3, 'Teste 409'), 'other.csv');
      const checkpoint = join(dir, 'shared.sqlite');
      expect((await enrich(sandbox, input, dir, ['--checkpoint', checkpoint])).code).toBe(0);
      const requests = sandbox.ledger.keys[ENTERPRISE]!.requests;
      for (const [file, extra] of [
        [input, ['--endpoint', 'crm']],
        [other, []],
      ] as const) {
        const run = await enrich(sandbox, file, dir, ['--checkpoint', checkpoint, ...extra]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('[CHECKPOINT_MISMATCH]');
        expect(run.stderr).toMatch(/another --checkpoint/);
      }
      expect(sandbox.ledger.keys[ENTERPRISE]!.requests).toBe(requests);
    });
  });

  it('stops with CHECKPOINT_CORRUPT on a truncated or garbage checkpoint, leaving no output', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(400, 'Teste 404'));
      const checkpoint = join(dir, 'c.sqlite');
      expect((await enrich(sandbox, input, dir, ['--checkpoint', checkpoint, '-o', join(dir, 'first.csv')])).code).toBe(
        0,
      );
      truncateSync(checkpoint, Math.floor(statSync(checkpoint).size / 2));
      const truncated = await enrich(sandbox, input, dir, ['--checkpoint', checkpoint]);
      expect(truncated.code).toBe(1);
      expect(truncated.stderr).toMatch(/\[CHECKPOINT_CORRUPT\]|\[CHECKPOINT_MISMATCH\]/);
      expect(truncated.stderr).not.toMatch(/\n\s+at /);
      expect(truncated.rows).toEqual([]);

      writeFileSync(checkpoint, 'this is not a database '.repeat(500));
      const garbage = await enrich(sandbox, input, dir, ['--checkpoint', checkpoint]);
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toContain('[CHECKPOINT_CORRUPT]');
      expect(garbage.stderr).toMatch(/move it aside/);
      expect(readFileSync(checkpoint, 'utf8').startsWith('this is not')).toBe(true); // left for the user to inspect
    });
  });

  it('two runs on one checkpoint: the second stops with CHECKPOINT_LOCKED and sends nothing', async () => {
    const other = key('SecondRun', { plan: 'crm_enterprise', credits: 1000 });
    await withSandbox(
      { faults: { latencyMs: 100 }, keys: [{ key: ENTERPRISE, plan: 'crm_enterprise', credits: 1000 }, other] },
      async (sandbox) => {
        const dir = await workdir();
        const input = await contactsFile(dir, people(300, 'Teste 404'));
        // Slow enough (about 5 s) that the second run meets the lock even on a loaded machine.
        const first = startEnrich(sandbox, input, dir, ['--rate', '60', '--burst', '20']);
        const firstDone = finished(first);
        while ((sandbox.ledger.requests['/crm_basico']?.['404'] ?? 0) < 10) await sleep(20);
        // The second run (with its own key, to tell its requests apart) stops at the lock.
        const second = await enrich(
          sandbox,
          input,
          await workdir(),
          ['--checkpoint', join(dir, 'out.csv.checkpoint.sqlite')],
          other.key,
        );
        expect(second.code).toBe(1);
        expect(second.stderr).toContain('[CHECKPOINT_LOCKED]');
        expect(sandbox.ledger.keys[other.key]).toBeUndefined();
        expect((await firstDone).code).toBe(0);
        expect(sandbox.ledger.repeatCharges).toBe(0);
        expect(sandbox.ledger.totalCharged).toBe(300);
      },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { call, key, person, withSandbox } from './helpers/sandbox.js';

describe('others on the key are reported only when answers show them', () => {
  it('a rerun from the checkpoint that sends nothing reports 0 others, even on a bucket found nearly empty', async () => {
    // A slow key (1/s, burst 10, told to the CLI): emptied just before the rerun, its bucket is
    // still under half full at the rerun's preflight however long the CLI takes to start (up to
    // ~5 s), which used to read as ~1/s of others (on a 5/s key, the issue's ~3/s).
    const slow = key('SlowKey', { plan: 'crm_enterprise', credits: 1000, rate: 1, burst: 10 });
    await withSandbox({ keys: [slow] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3));
      const args = ['--checkpoint', `${dir}/ck.sqlite`, '--log-level', 'warn', '--rate', '1', '--burst', '10'];
      const first = await enrich(sandbox, input, dir, args, slow.key);
      expect(first.code).toBe(0);
      expect(first.summary!.requests).toBe(3);
      // Someone (this test) empties the bucket; 404s are free.
      for (let i = 0; i < 20; i++)
        if ((await call(sandbox, '/crm_basico', { key: slow.key, body: person('Teste 404', `N${i}`) })).status === 429)
          break;
      const again = await enrich(sandbox, input, dir, args, slow.key);
      expect(again.code).toBe(0);
      expect(again.summary!.requests).toBe(0);
      expect(again.summary!.fromCheckpoint).toBe(3);
      // The preflight found the bucket nearly empty: a guess, not evidence of anyone.
      expect(again.summary!.othersRate).toBe(0);
    });
  });
});

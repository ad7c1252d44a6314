import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { key, withSandbox } from './helpers/sandbox.js';

describe('enrich: the key never leaks', () => {
  it('is absent from every file a run writes and from all it prints, at debug level and under faults', async () => {
    const secret = key('SecretKeyDoNotLeak', { plan: 'crm_enterprise', credits: 1000 });
    const faults = { rates: { error500: 0.2, error504: 0.1, dropAfterCharge: 0.1, malformed: 0.1 }, seed: 'leak' };
    await withSandbox({ keys: [secret], faults }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [...people(30, 'Teste 200'), ['Ana', 'Lima', 'Teste 500']]);
      const run = await enrich(
        sandbox,
        input,
        dir,
        ['--log-level', 'debug', '--retries', '1', '--progress', 'log'],
        secret.key,
      );
      expect([0, 2]).toContain(run.code);
      expect(run.stdout + run.stderr).not.toContain(secret.key);
      for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).includes(secret.key), name).toBe(false);
      expect(run.stderr).toMatch(/"msg":"credits left/);
    });
  });
});

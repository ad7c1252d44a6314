import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/server.js';
import { contactsFile, people, workdir } from './helpers/enrich.js';
import { key } from './helpers/sandbox.js';
import { readEvents, startServe, uploadFile } from './helpers/serve.js';

const KEY = key('ServeParallel', { plan: 'crm_enterprise', credits: 10_000, rate: 40, burst: 10 });

describe('serve: several runs at once', () => {
  it('two runs over overlapping files share the key and the cache: both finish, no contact is paid twice', async () => {
    const sandbox = await startSandbox({ keys: [KEY], faults: { latencyMs: 20, rates: {}, seed: 'p' } });
    const dir = await workdir();
    const served = await startServe(['--dir', join(dir, 'work'), '--base-url', sandbox.url], {
      FLUENCE_API_KEY: KEY.key,
    });
    try {
      // The same 40 people in both files, each with 10 of its own.
      const shared = people(40, 'Acme Shared');
      const a = await contactsFile(dir, [...shared, ...people(10, 'Alfa Only')], 'a.csv');
      const b = await contactsFile(dir, [...people(10, 'Beta Only'), ...shared.slice().reverse()], 'b.csv');
      const ids = [await uploadFile(served, a), await uploadFile(served, b)];
      const runs = await Promise.all(
        ids.map(
          async (upload) => ((await (await served.api('/api/runs', { json: { upload } })).json()) as { id: string }).id,
        ),
      );
      const ends = await Promise.all(runs.map((id) => readEvents(served, id, () => undefined)));
      for (const events of ends)
        expect(events.at(-1)!.data, JSON.stringify(events.at(-1)!.data.error)).toMatchObject({
          status: 'finished',
          exitCode: 0,
        });
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      const listed = (await (await served.api('/api/runs')).json()) as Array<{ id: string; rows: number }>;
      expect(listed.map((r) => r.rows)).toEqual([50, 50]);
    } finally {
      await served.close();
      await sandbox.close();
    }
  });
});

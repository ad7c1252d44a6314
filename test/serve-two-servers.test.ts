import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSpending } from '../src/sharing/sqlite/run-spending.js';
import { contactsFile, people } from './helpers/enrich.js';
import { key } from './helpers/sandbox.js';
import { readEvents, serveOnSandbox, startRun, startServe } from './helpers/serve.js';

const SLOW = key('ServeTwoServers', { plan: 'crm_enterprise', credits: 10_000, rate: 8, burst: 16 });

describe('serve: two servers on one work folder', () => {
  // `serve` twice (the default port taken, the second falls back to a free one) shares ./fluence-work:
  // the second must not call the first one's live run "stopped" and offer to resume it.
  it('a run another server is running is listed as running there, its stop and resume are refused (409) and run.json left alone; once it stops it is resumable, nobody paid twice', async () => {
    const { sandbox, dir, work, args, env } = await serveOnSandbox(SLOW);
    const first = await startServe(args, env);
    const second = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(60, 'Acme Two'), 'leads.csv');
      const { id } = await startRun(first, input);
      const runJson = join(work, 'runs', id, 'run.json');
      let checked = false;
      const events = await readEvents(first, id, async ({ event, data }) => {
        if (event !== 'progress' || data.rows < 10 || checked) return;
        checked = true;
        // Its rows and credits from the store its requests save to, not from a run.json seconds behind.
        const saved = runSpending(join(work, 'cache.sqlite'), `${id}/`);
        const listed = (await (await second.api('/api/runs')).json()) as Array<{
          id: string;
          status: string;
          rows: number;
          credits: number;
        }>;
        expect(listed).toEqual([expect.objectContaining({ id, status: 'running' })]);
        expect(saved.answered).toBeGreaterThan(0);
        expect(listed[0]!.rows).toBeGreaterThanOrEqual(saved.answered);
        expect(listed[0]!.credits).toBeGreaterThanOrEqual(saved.credits);
        const refused = await second.api(`/api/runs/${id}/resume`, { method: 'POST' });
        expect(refused.status).toBe(409);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RUN_RUNNING');
        // Its Stop too: this server does not run it (it answered 202 and the run went on).
        const notStopped = await second.api(`/api/runs/${id}/stop`, { method: 'POST' });
        expect(notStopped.status).toBe(409);
        expect(((await notStopped.json()) as { error: { code: string } }).error.code).toBe('RUN_RUNNING');
        expect(JSON.parse(readFileSync(runJson, 'utf8')).status).toBe('running');
        // Its events from the second server: one `done` that says it is still running (elsewhere).
        const there = await readEvents(second, id, () => undefined);
        expect(there).toEqual([
          expect.objectContaining({ event: 'done', data: expect.objectContaining({ status: 'running' }) }),
        ]);
        expect((await first.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
      });
      expect(checked).toBe(true);
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'stopped' } });

      // Stopped by its own server: now the second one may resume it, and pays nothing twice.
      expect((await second.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
      const resumed = await readEvents(second, id, () => undefined);
      expect(resumed.at(-1)!.data).toMatchObject({ status: 'finished', exitCode: 0 });
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
    } finally {
      await first.close();
      await second.close();
      await sandbox.close();
    }
  }, 90_000);
});

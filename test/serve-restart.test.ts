import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactsFile, people } from './helpers/enrich.js';
import { key } from './helpers/sandbox.js';
import { readEvents, serveOnSandbox, startRun, startServe } from './helpers/serve.js';

const SLOW = key('ServeRestart', { plan: 'crm_enterprise', credits: 10_000, rate: 8, burst: 16 });

describe('serve: runs outlive the server', () => {
  it('a server stopped mid-run stops its runs gracefully; the next one lists them (one cut off as stopped) and resumes without paying twice', async () => {
    const { sandbox, dir, work, args, env } = await serveOnSandbox(SLOW);
    try {
      const first = await startServe(args, env);
      const input = await contactsFile(dir, people(50, 'Acme Restart'), 'leads.csv');
      const { id, upload } = await startRun(first, input);
      // Mid-run, the server is stopped (Ctrl-C, docker stop): the run ends as the CLI's stop does.
      let closing: Promise<void> | undefined;
      const events = await readEvents(first, id, ({ event, data }) => {
        if (event === 'progress' && data.rows >= 20 && !closing) closing = first.close();
      });
      await closing;
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'stopped' } });
      const runJson = join(work, 'runs', id, 'run.json');
      expect(JSON.parse(readFileSync(runJson, 'utf8'))).toMatchObject({
        status: 'stopped',
        upload,
        name: 'leads.csv',
      });

      // A server that died without writing its end leaves `running` behind: listed as stopped.
      writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), status: 'running' }));
      const second = await startServe(args, env);
      try {
        const listed = (await (await second.api('/api/runs')).json()) as any[];
        expect(listed).toEqual([
          expect.objectContaining({ id, name: 'leads.csv', status: 'stopped', hasOutput: true }),
        ]);
        expect(listed[0].rows).toBeGreaterThan(0);
        expect((await second.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
        const resumed = await readEvents(second, id, () => undefined);
        expect(resumed.at(-1)!.data).toMatchObject({ status: 'finished', exitCode: 0 });
        expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
        expect(resumed.at(-1)!.data.summary.byStatus.pending).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('a server killed (-9) mid-run: the next lists the run stopped, its credits marked a floor (never more than the ledger), resumes it to the end; nobody paid twice, the output whole', async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(SLOW);
    const net = () => Object.values(sandbox.ledger.toJSON().keys as Record<string, { net: number }>)[0]!.net;
    try {
      const first = await startServe(args, env);
      const input = await contactsFile(dir, people(60, 'Acme Killed'), 'leads.csv');
      const { id } = await startRun(first, input);
      const closed = new Promise((resolve) => first.child.once('close', resolve));
      await readEvents(first, id, ({ event, data }) => {
        if (event === 'progress' && data.rows >= 20 && first.child.exitCode === null) first.child.kill('SIGKILL');
      }).catch(() => undefined);
      await closed;

      const second = await startServe(args, env);
      try {
        const [listed] = (await (await second.api('/api/runs')).json()) as any[];
        expect(listed).toMatchObject({ id, status: 'stopped', creditsAtLeast: true });
        expect(listed.credits).toBeLessThanOrEqual(net());
        expect((await second.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
        const resumed = await readEvents(second, id, () => undefined);
        expect(resumed.at(-1)!.data).toMatchObject({ status: 'finished', exitCode: 0 });
        const [done] = (await (await second.api('/api/runs')).json()) as any[];
        expect(done).toMatchObject({ status: 'finished', creditsAtLeast: true });
        expect(done.credits).toBeLessThanOrEqual(net());
        expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
        const output = await (await second.api(`/api/runs/${id}/output`)).text();
        expect(output.trim().split('\n')).toHaveLength(61);
      } finally {
        await second.close();
      }
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});

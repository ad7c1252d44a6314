import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactsFile, people } from './helpers/enrich.js';
import { runSpending } from '../src/sharing/sqlite/run-spending.js';
import { key } from './helpers/sandbox.js';
import { readEvents, serveOnSandbox, startRun, startServe } from './helpers/serve.js';

const FAST = key('ServeKilled', { plan: 'crm_enterprise', credits: 10_000, rate: 200, burst: 200 });
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
  });

  it("a server killed (-9) mid-run: the next lists the run stopped with the credits the cache saved for it (a floor by the requests it left unanswered, never above the ledger), resumes it to the end with the run's whole cost; only a request cut off in flight paid twice, the output whole", async () => {
    const { sandbox, dir, work, args, env } = await serveOnSandbox(FAST);
    const net = () => Object.values(sandbox.ledger.toJSON().keys as Record<string, { net: number }>)[0]?.net ?? 0;
    try {
      const first = await startServe(args, env);
      const input = await contactsFile(dir, people(1000, 'Acme Killed'), 'leads.csv');
      const { id } = await startRun(first, input);
      const closed = new Promise((resolve) => first.child.once('close', resolve));
      let before = { page: 0, ledger: 0 };
      await readEvents(first, id, ({ event, data }) => {
        if (event !== 'progress' || first.child.exitCode !== null) return;
        before = { page: data.credits, ledger: net() };
        if (data.rows >= 300) first.child.kill('SIGKILL');
      }).catch(() => undefined);
      await closed;
      const ledgerAtKill = net();

      const second = await startServe(args, env);
      try {
        const [listed] = (await (await second.api('/api/runs')).json()) as any[];
        const saved = runSpending(join(work, 'cache.sqlite'), `${id}/`);
        // Its rows from the same store as its credits ("0 / 2,000" from the run.json saved seconds before the kill),
        // never fewer than run.json said.
        const runJson = JSON.parse(readFileSync(join(work, 'runs', id, 'run.json'), 'utf8'));
        expect(saved.answered).toBeGreaterThanOrEqual(300);
        expect(listed.total).toBe(1000);
        expect(listed.rows).toBe(Math.max(saved.answered, runJson.progress.rows - runJson.progress.pending));
        const unfinished = Object.values(saved.unfinished).reduce((a, b) => a + b, 0);
        // What the cache saved for this run, no more and no less; a floor only by the requests it left started.
        expect(listed).toMatchObject({ id, status: 'stopped', credits: saved.credits });
        expect(listed.credits).toBeLessThanOrEqual(ledgerAtKill);
        expect(ledgerAtKill).toBeLessThanOrEqual(listed.credits + unfinished);
        if (unfinished > 0) expect(listed).toMatchObject({ creditsAtLeast: true, unfinishedRequests: unfinished });
        else expect(listed.creditsAtLeast).toBeUndefined();
        expect((await second.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
        const resumed = await readEvents(second, id, () => undefined);
        expect(resumed.at(-1)!.data).toMatchObject({ status: 'finished', exitCode: 0 });
        // The resumed panel starts where the store left the run (it started at 0 rows for a second, before).
        for (const { data } of resumed.filter((e) => e.event === 'progress'))
          expect(data.rows - data.pending).toBeGreaterThanOrEqual(listed.rows);
        const [done] = (await (await second.api('/api/runs')).json()) as any[];
        expect(done.credits).toBe(runSpending(join(work, 'cache.sqlite'), `${id}/`).credits);
        expect(done.credits).toBeLessThanOrEqual(net());
        expect(net()).toBeLessThanOrEqual(done.credits + unfinished);
        expect(done.unfinishedRequests ?? 0).toBe(unfinished);
        console.log(
          `kill -9: before the kill page ${before.page} ledger ${before.ledger} (at the kill ${ledgerAtKill}); after the restart page ${listed.credits} (unfinished ${unfinished}) ledger ${ledgerAtKill}; after Resume page ${done.credits} ledger ${net()}`,
        );
        // Only a request cut off in flight can be paid twice (its answer was lost with the server: the
        // resume asks it again, as the CLI does, and counts it as possibly charged).
        expect(sandbox.ledger.paidMoreThanOnce().length).toBeLessThanOrEqual(unfinished);
        const output = await (await second.api(`/api/runs/${id}/output`)).text();
        expect(output.trim().split('\n')).toHaveLength(1001);
      } finally {
        await second.close();
      }
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, people } from './helpers/enrich.js';
import { key } from './helpers/sandbox.js';
import {
  rawRequest,
  readEvents,
  serveOnSandbox,
  startRun,
  startServe,
  uploadFile,
  type Served,
} from './helpers/serve.js';

const FIXTURES = new URL('../fixtures/wrong-person/', import.meta.url).pathname;
const net = (ledger: { toJSON(): Record<string, unknown> }): number =>
  Object.values(ledger.toJSON().keys as Record<string, { net: number }>)[0]?.net ?? 0;

describe('serve: what the page spends and says about money', () => {
  it('a key with 50 credits: the page spends what the CLI spends on the same file (the credits held by requests in flight are not counted twice)', async () => {
    const page = await serveOnSandbox(key('FiftyPage', { plan: 'crm_enterprise', credits: 50 }));
    const cli = await serveOnSandbox(key('FiftyCli', { plan: 'crm_enterprise', credits: 50 }));
    try {
      const input = await contactsFile(page.dir, people(300, 'Acme Fifty'), 'leads.csv');
      const served = await startServe(page.args, page.env);
      try {
        const { id } = await startRun(served, input);
        const events = await readEvents(served, id, () => undefined);
        const done = events.at(-1)!.data;
        expect(done).toMatchObject({ status: 'stopped' });
        expect(done.summary.stopReason).toBe('credits');
        const [listed] = (await (await served.api('/api/runs')).json()) as any[];
        expect(listed.credits).toBe(net(page.sandbox.ledger));
        const byCli = await runCli(
          ['enrich', input, '-o', join(cli.dir, 'out.csv'), '--base-url', cli.sandbox.url, '--progress', 'off'],
          { env: cli.env },
        );
        expect(byCli.code).toBe(3);
        console.log(`50-credit key: the page spent ${net(page.sandbox.ledger)}, the CLI ${net(cli.sandbox.ledger)}`);
        // Before: the page asked 8 requests, paid 1 and stopped; the CLI paid 47.
        expect(net(page.sandbox.ledger)).toBe(net(cli.sandbox.ledger));
        expect(net(page.sandbox.ledger)).toBeGreaterThanOrEqual(45);
        expect(page.sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      } finally {
        await served.close();
      }
    } finally {
      await page.sandbox.close();
      await cli.sandbox.close();
    }
  });

  it('a cost limit of 5 set on the page spends what `--max-credits 5` spends on the same file: 5, never more (the requests held in flight do not stop the run early)', async () => {
    const page = await serveOnSandbox(key('CapFivePage', { plan: 'crm_enterprise', credits: 1000 }));
    const cli = await serveOnSandbox(key('CapFiveCli', { plan: 'crm_enterprise', credits: 1000 }));
    try {
      const input = await contactsFile(page.dir, people(40, 'Acme Cap Five'), 'leads.csv');
      const served = await startServe(page.args, page.env);
      try {
        const upload = await uploadFile(served, input);
        const started = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 5 } });
        expect(started.status).toBe(201);
        const { id } = (await started.json()) as { id: string };
        const done = (await readEvents(served, id, () => undefined)).at(-1)!.data;
        expect(done).toMatchObject({ status: 'stopped' });
        expect(done.summary.stopReason).toBe('budget');
        const byCli = await runCli(
          ['enrich', input, '-o', join(cli.dir, 'out.csv'), '--base-url', cli.sandbox.url, '--progress', 'off'].concat([
            '--max-credits',
            '5',
          ]),
          { env: cli.env },
        );
        expect(byCli.code).toBe(3);
        console.log(`a limit of 5: the page spent ${net(page.sandbox.ledger)}, the CLI ${net(cli.sandbox.ledger)}`);
        // Before: the page (a run on the shared cache, whose claims are async) spent 1 and stopped.
        expect(net(page.sandbox.ledger)).toBe(net(cli.sandbox.ledger));
        expect(net(page.sandbox.ledger)).toBe(5);
        const run = (await (await served.api(`/api/runs/${id}`)).json()) as any;
        expect(run.credits).toBe(5);
        expect(run.summary.creditsUsed).toBe(5);
      } finally {
        await served.close();
      }
    } finally {
      await page.sandbox.close();
      await cli.sandbox.close();
    }
  }, 90_000);

  it("a run stopped (by its limit, by Stop) and resumed: the page's credits, the report's credits spent and the ledger agree; the first part's answers are spent, not saved", async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('ResumedFigures', { plan: 'crm_enterprise', credits: 1000, rate: 20, burst: 20 }),
    );
    const served = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(60, 'Acme Resumed'), 'leads.csv');
      const upload = await uploadFile(served, input);
      const started = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 5, lang: 'en' } });
      const { id } = (await started.json()) as { id: string };
      await readEvents(served, id, () => undefined);
      const capped = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      expect(capped).toMatchObject({ status: 'stopped', credits: 5 });
      expect(net(sandbox.ledger)).toBe(5);
      // Resumed without a limit, then stopped by hand, then resumed to the end.
      expect((await served.api(`/api/runs/${id}/resume`, { json: { maxCredits: null } })).status).toBe(202);
      let stopping = false;
      await readEvents(served, id, async ({ event, data }) => {
        if (event !== 'progress' || data.credits < 15 || stopping) return;
        stopping = true;
        expect((await served.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
      });
      const stopped = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      expect(stopped.status).toBe('stopped');
      expect(stopped.credits).toBe(net(sandbox.ledger));
      expect((await served.api(`/api/runs/${id}/resume`, { json: {} })).status).toBe(202);
      const done = (await readEvents(served, id, () => undefined)).at(-1)!.data;
      expect(done.status).toBe('finished');
      const ledger = net(sandbox.ledger);
      expect(ledger).toBeGreaterThan(stopped.credits);
      const run = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      const [listed] = (await (await served.api('/api/runs')).json()) as any[];
      expect(run.credits).toBe(ledger);
      expect(listed.credits).toBe(ledger);
      expect(run.progress.credits).toBe(ledger);
      // The summary of the last part: what it spent plus what the parts before it spent, nothing "saved".
      const s = run.summary;
      expect(s.creditsUsed + s.creditsEarlierAttempts).toBe(ledger);
      expect(s.creditsEarlierAttempts).toBe(stopped.credits);
      expect(s.creditsSaved).toBe(0);
      expect(s.fromCheckpoint).toBe(0);
      const html = await (await served.api(`/api/runs/${id}/report`)).text();
      const card = (label: string) =>
        Number(
          new RegExp(`<div class="label">${label}</div><div class="value">([^<]*)</div>`)
            .exec(html)?.[1]
            ?.replace(/,/g, ''),
        );
      console.log(
        `resumed twice: ledger ${ledger}, page ${run.credits}, report ${card('credits spent')} spent, ${card('credits saved')} saved`,
      );
      // Before: the report said the last part's credits, and the first parts' answers as saved.
      expect(card('credits spent')).toBe(ledger);
      expect(card('credits saved')).toBe(0);
      const byStatus = [
        ...html.matchAll(
          /<tr><td><span class="dot \w+"><\/span>\w+<\/td><td class="num">[\d,]+<\/td><td class="num">([\d,]+)<\/td>/g,
        ),
      ];
      expect(byStatus.reduce((sum, m) => sum + Number(m[1]!.replace(/,/g, '')), 0)).toBe(ledger);
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      // Finished: nothing left to ask, so no resume (before: 202, and an attempt that asked nothing).
      const again = await served.api(`/api/runs/${id}/resume`, { json: {} });
      expect(again.status).toBe(409);
      const { error } = (await again.json()) as any;
      expect(error.code).toBe('RUN_FINISHED');
      expect(error.texts['pt-BR']).toMatch(/já terminou/);
      expect(((await (await served.api(`/api/runs/${id}`)).json()) as any).status).toBe('finished');
    } finally {
      await served.close();
      await sandbox.close();
    }
  }, 90_000);

  /** Resumes run `id` (`body`), stops it by hand once it has spent `stopAt` (never, when undefined); its `done`. */
  const resumeAndStop = async (served: Served, id: string, body: object, stopAt?: number) => {
    const resumed = await served.api(`/api/runs/${id}/resume`, { json: body });
    expect(resumed.status).toBe(202);
    return partStopped(served, id, stopAt);
  };
  const partStopped = async (served: Served, id: string, stopAt?: number) => {
    let stopping = false;
    const events = await readEvents(served, id, async ({ event, data }) => {
      if (stopAt === undefined || event !== 'progress' || data.credits < stopAt || stopping) return;
      stopping = true;
      expect((await served.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
    });
    const run = (await (await served.api(`/api/runs/${id}`)).json()) as any;
    return { done: events.at(-1)!.data, run };
  };

  it('a limit of 40, stopped by hand twice and resumed each time without a new limit: 40 in all, never 40 again per resume (the ledger judges)', async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('CapAcrossStops', { plan: 'crm_enterprise', credits: 1000, rate: 8, burst: 8 }),
    );
    const served = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(300, 'Acme Across'), 'leads.csv');
      const upload = await uploadFile(served, input);
      const started = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 40, lang: 'en' } });
      const { id } = (await started.json()) as { id: string };
      const first = await partStopped(served, id, 15);
      expect(first.done.summary.stopReason).not.toBe('budget');
      expect(first.run.capLeft).toBe(40 - net(sandbox.ledger));
      const second = await resumeAndStop(served, id, {}, 28);
      expect(second.done.summary.stopReason).not.toBe('budget');
      expect(second.run.options.maxCredits).toBe(40);
      expect(second.run.capLeft).toBe(40 - net(sandbox.ledger));
      const third = await resumeAndStop(served, id, {});
      console.log(
        `a limit of 40 across two stops: ${first.run.credits}, ${second.run.credits}, then ${net(sandbox.ledger)}`,
      );
      // Before: each resume got the whole 40 again: 17, 30, then 70.
      expect(third.done.summary.stopReason).toBe('budget');
      expect(net(sandbox.ledger)).toBeLessThanOrEqual(40);
      expect(third.run).toMatchObject({
        status: 'stopped',
        credits: net(sandbox.ledger),
        capLeft: 40 - net(sandbox.ledger),
      });
      // The run keeps its limit until one is set: with nothing left of it, a resume spends nothing.
      const fourth = await resumeAndStop(served, id, {});
      expect(fourth.done.summary.stopReason).toBe('budget');
      expect(net(sandbox.ledger)).toBe(third.run.credits);
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
    } finally {
      await served.close();
      await sandbox.close();
    }
  }, 90_000);

  it("a page's run in Portuguese says its stops in the page's terms: its cost limit, Resume, stopped by you; its report has no exit code nor command line", async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('PageWords', { plan: 'crm_enterprise', credits: 1000, rate: 20, burst: 20 }),
    );
    const served = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(60, 'Acme Words'), 'leads.csv');
      const upload = await uploadFile(served, input);
      const started = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 5, lang: 'pt-BR' } });
      const { id } = (await started.json()) as { id: string };
      await readEvents(served, id, () => undefined);
      const capped = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      expect(capped.summary.stopReason).toBe('budget');
      expect(capped.summary.stopMessage).toMatch(
        /^o que resta do seu limite de custo \(5 créditos\) não comporta mais uma consulta/,
      );
      expect(capped.summary.nextStep).toContain('Aperte Retomar');
      const cappedReport = await (await served.api(`/api/runs/${id}/report`)).text();
      expect(cappedReport).toContain(
        '<strong>Parou (seu limite de custo):</strong> o que resta do seu limite de custo (5 créditos)',
      );
      for (const text of [JSON.stringify(capped.summary), cappedReport]) {
        expect(text).not.toContain('--max-credits');
        expect(text).not.toContain('mesmo comando');
        expect(text).not.toContain('código de saída');
        expect(text).not.toContain('fluence-enrich serve --dir');
      }
      // Resumed without a limit, then stopped with the page's Stop button: no signal, the person did it.
      expect((await served.api(`/api/runs/${id}/resume`, { json: { maxCredits: null } })).status).toBe(202);
      let stopping = false;
      await readEvents(served, id, async ({ event, data }) => {
        if (event !== 'progress' || data.credits < 15 || stopping) return;
        stopping = true;
        expect((await served.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
      });
      const stopped = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      expect(stopped.summary.stopFacts).toEqual({ reason: 'signal', inFlight: expect.any(Number) });
      expect(stopped.summary.stopMessage).toMatch(/^parada por você \(Parar\); /);
      expect(stopped.summary.nextStep).toContain('aperte Retomar');
      const stoppedReport = await (await served.api(`/api/runs/${id}/report`)).text();
      expect(stoppedReport).toContain('<strong>Parou (parada por você):</strong> parada por você (Parar)');
      expect(stoppedReport).not.toMatch(/interrompida por um sinal|código de saída|fluence-enrich serve --dir/);
    } finally {
      await served.close();
      await sandbox.close();
    }
  }, 90_000);

  it('a new limit set on resuming (60) is for the rest, across later stops: 20 + 60 at most; a limit of 0 spends nothing; a bad one is refused (400)', async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('CapForTheRest', { plan: 'crm_enterprise', credits: 1000, rate: 8, burst: 8 }),
    );
    const served = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(300, 'Acme Rest'), 'leads.csv');
      const upload = await uploadFile(served, input);
      for (const bad of [-3, 1.5, 'abc']) {
        const refused = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: bad } });
        expect(refused.status, String(bad)).toBe(400);
        const { error } = (await refused.json()) as any;
        expect(error.code).toBe('UPLOAD_INVALID');
        expect(error.texts['pt-BR']).toMatch(/limite de custo/);
      }
      expect(await (await served.api('/api/runs')).json()).toEqual([]);
      const zero = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 0, lang: 'pt-BR' } });
      const { id: nothing } = (await zero.json()) as { id: string };
      const none = await partStopped(served, nothing);
      expect(none.done.summary.stopReason).toBe('budget');
      expect(net(sandbox.ledger)).toBe(0);

      const started = await served.api('/api/runs', { json: { upload, format: 'csv', maxCredits: 20, lang: 'pt-BR' } });
      const { id } = (await started.json()) as { id: string };
      const capped = await partStopped(served, id);
      expect(capped.done.summary.stopReason).toBe('budget');
      expect(net(sandbox.ledger)).toBe(20);
      for (const bad of [-3, 1.5, 'abc']) {
        const refused = await served.api(`/api/runs/${id}/resume`, { json: { maxCredits: bad } });
        expect(refused.status, String(bad)).toBe(400);
      }
      expect(net(sandbox.ledger)).toBe(20);
      const second = await resumeAndStop(served, id, { maxCredits: 60 }, 36);
      expect(second.run.capLeft).toBe(60 - (net(sandbox.ledger) - 20));
      await resumeAndStop(served, id, {}, 53);
      const last = await resumeAndStop(served, id, {});
      console.log(`a limit of 20, then 60 for the rest across two stops: ${net(sandbox.ledger)}`);
      // Before: 113 (the 60 given again in full on each resume).
      expect(last.done.summary.stopReason).toBe('budget');
      expect(net(sandbox.ledger)).toBeLessThanOrEqual(80);
      expect(last.run).toMatchObject({ credits: net(sandbox.ledger), capLeft: 80 - net(sandbox.ledger) });
      // No limit set for the rest: resumes are unlimited again.
      await resumeAndStop(served, id, { maxCredits: null }, 90);
      expect(net(sandbox.ledger)).toBeGreaterThan(80);
      expect(((await (await served.api(`/api/runs/${id}`)).json()) as any).capLeft).toBeUndefined();
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
    } finally {
      await served.close();
      await sandbox.close();
    }
  }, 120_000);

  it("a stopped run has no time left and the list counts its rows as the panel does; a resumed run shows the run's totals, never going back", async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('ServeTotals', { plan: 'crm_enterprise', credits: 10_000, rate: 20, burst: 20 }),
    );
    const served = await startServe(args, env);
    try {
      const input = await contactsFile(dir, people(120, 'Acme Totals'), 'leads.csv');
      const { id } = await startRun(served, input);
      let stopping = false;
      await readEvents(served, id, async ({ event, data }) => {
        if (event !== 'progress' || data.rows < 40 || stopping) return;
        stopping = true;
        expect((await served.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
      });
      const stopped = (await (await served.api(`/api/runs/${id}`)).json()) as any;
      expect(stopped.status).toBe('stopped');
      expect(stopped.progress.etaSeconds).toBeUndefined();
      const done = stopped.progress.rows - stopped.progress.pending;
      expect(done).toBeLessThan(120);
      // "1,145 of 5,000" on the panel and "5,000 / 5,000" in the list, before.
      expect(stopped.rows).toBe(done);

      expect((await served.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
      const seen: any[] = [];
      const events = await readEvents(served, id, ({ event, data }) => {
        if (event === 'progress') seen.push(data);
      });
      expect(events.at(-1)!.data.status).toBe('finished');
      for (const [a, b] of seen.slice(1).map((p, i) => [seen[i], p])) {
        for (const name of ['ok', 'notFound', 'invalid', 'failed', 'credits'])
          expect(b[name], name).toBeGreaterThanOrEqual(a[name]);
        expect(b.rows - b.pending).toBeGreaterThanOrEqual(a.rows - a.pending);
      }
      expect(seen[0].ok + seen[0].notFound).toBeGreaterThanOrEqual(done - 1);
      const [finished] = (await (await served.api('/api/runs')).json()) as any[];
      expect(finished).toMatchObject({ status: 'finished', rows: 120, total: 120, credits: net(sandbox.ledger) });
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
    } finally {
      await served.close();
      await sandbox.close();
    }
  });

  it('POST /api/runs for a refused file (missing, ambiguous, doubtful column) or a key without CRM access: 422 with the CLI code, no run, nothing asked', async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox(
      key('ServeRefused', { plan: 'crm_enterprise', credits: 100 }),
    );
    const platform = await serveOnSandbox(key('ServeNoCrm', { plan: 'platform_essentials', credits: 100 }));
    const served = await startServe(args, env);
    const noCrm = await startServe(platform.args, platform.env);
    try {
      const missing = join(dir, 'missing.csv');
      await import('node:fs/promises').then((fs) => fs.writeFile(missing, 'a,b,c\n1,2,3\n'));
      const cases: Array<[string, string]> = [
        [missing, 'MISSING_COLUMN'],
        [join(FIXTURES, 'rd-station-crm-deals.csv'), 'AMBIGUOUS_COLUMN'],
        [join(FIXTURES, 'salesforce-account-ids.csv'), 'DOUBTFUL_COLUMN'],
      ];
      for (const [path, code] of cases) {
        const upload = await uploadFile(served, path);
        const response = await served.api('/api/runs', { json: { upload, format: 'csv' } });
        expect(response.status, code).toBe(422);
        const { error } = (await response.json()) as any;
        expect(error.code).toBe(code);
        // Its words in every language the page has (the page says it again after its language switch).
        expect(error.texts.en, code).toBe(error.message);
        expect(error.texts['pt-BR'], code).toMatch(/\S/);
        expect(error.texts['pt-BR'], code).not.toBe(error.message);
      }
      const good = await contactsFile(platform.dir, people(3, 'Acme NoCrm'), 'leads.csv');
      const upload = await uploadFile(noCrm, good);
      const refused = await noCrm.api('/api/runs', { json: { upload, format: 'csv' } });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as any).error.code).toBe('PLAN_NO_CRM_ACCESS');
      for (const [server, work] of [
        [served, join(dir, 'work')],
        [noCrm, join(platform.dir, 'work')],
      ] as const) {
        expect(await (await server.api('/api/runs')).json()).toEqual([]);
        expect(readdirSync(join(work, 'runs'))).toEqual([]);
      }
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      expect(platform.sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    } finally {
      await served.close();
      await noCrm.close();
      await sandbox.close();
      await platform.sandbox.close();
    }
  });

  it('a path out of the page folder is refused with a coded 404 or 403 (SERVE_NOT_FOUND, SERVE_FORBIDDEN), never UPLOAD_INVALID', async () => {
    const { sandbox, args, env } = await serveOnSandbox(key('ServeStatic', { plan: 'crm_enterprise', credits: 10 }));
    const served = await startServe(args, env);
    try {
      const auth = { authorization: `Bearer ${served.token}` };
      // The router reads `..` itself (no such route: 404); one the folder's own check meets (`..\\`) is forbidden.
      for (const [path, status, code] of [
        ['/web/../package.json', 404, 'SERVE_NOT_FOUND'],
        ['/web/%2e%2e/package.json', 404, 'SERVE_NOT_FOUND'],
        ['/web/..%2fpackage.json', 404, 'SERVE_NOT_FOUND'],
        ['/web/%2e%2e%2fpackage.json', 404, 'SERVE_NOT_FOUND'],
        ['/web/..%5cpackage.json', 403, 'SERVE_FORBIDDEN'],
      ] as const) {
        const out = await rawRequest(served.base, path, auth);
        expect(out.status, path).toBe(status);
        expect(JSON.parse(out.body).error.code, path).toBe(code);
        expect(out.body).not.toContain('"dependencies"');
      }
      const missing = await rawRequest(served.base, '/web/nothing.js', auth);
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body).error.code).toBe('SERVE_NOT_FOUND');
    } finally {
      await served.close();
      await sandbox.close();
    }
  });
});

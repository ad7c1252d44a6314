import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/server.js';
import { startSandbox } from '../src/sandbox/server.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, key } from './helpers/sandbox.js';
import { fileForm, rawRequest, readEvents, startServe, type Served } from './helpers/serve.js';

/** A key slow enough (8/s) that a run of 50 contacts can be stopped mid-way. */
const SLOW = key('ServeSlow', { plan: 'crm_enterprise', credits: 10_000, rate: 8, burst: 16 });
const HUBSPOT = join(import.meta.dirname, '..', 'fixtures', 'exports', 'hubspot-contacts-view.csv');

let sandbox: Sandbox;
let served: Served;
let dir: string;
let work: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    keys: [SLOW, { key: ENTERPRISE, plan: 'crm_enterprise', credits: 10_000 }],
  });
  dir = await workdir();
  work = join(dir, 'work');
  served = await startServe(['--dir', work, '--base-url', sandbox.url], { FLUENCE_API_KEY: SLOW.key });
});

afterAll(async () => {
  await served?.close();
  await sandbox?.close();
});

const upload = async (bytes: Buffer | string, name: string) => {
  const response = await served.api('/api/uploads', { body: fileForm(bytes, name) });
  return { status: response.status, body: (await response.json()) as any };
};

describe('serve: who may ask', () => {
  it('no token: 403 for the API, the page and an upload, and nothing is stored', async () => {
    for (const path of ['/api/runs', '/api/account', '/', '/web/app.js', '/vendor/vega.min.js'])
      expect((await fetch(served.base + path)).status, path).toBe(403);
    const wrong = await fetch(`${served.base}/api/uploads`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token', origin: served.base },
      body: fileForm('a,b,c\n', 'x.csv'),
    });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('SERVE_FORBIDDEN');
    expect(readdirSync(join(work, 'uploads'))).toEqual([]);
    // A person who opens the bare address reads why.
    const page = await fetch(`${served.base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('open the address fluence-enrich serve printed');
  });

  it("the printed address sets the token's cookie and leaves the address bar; the cookie then opens the API", async () => {
    const first = await fetch(served.url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    const port = new URL(served.base).port;
    expect(cookie).toMatch(new RegExp(`^fluence_token_${port}=[^;]+; Path=/; HttpOnly; SameSite=Strict$`));
    const account = await fetch(`${served.base}/api/account`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(account.status).toBe(200);
    const body = await account.json();
    expect(body).toMatchObject({
      plan: 'enterprise_crm',
      rate: 8,
      endpointCosts: { crm_basico: 1, crm: 2 },
      sandbox: false,
    });
    expect(JSON.stringify(body)).not.toContain(SLOW.key);
  });

  it("a cookie left by an earlier server (another token) does not shadow the printed address's token", async () => {
    const port = new URL(served.base).port;
    const stale = { cookie: `fluence_token_${port}=${'0'.repeat(served.token.length)}` };
    const opened = await fetch(served.url, { redirect: 'manual', headers: stale });
    expect(opened.status).toBe(302);
    const fresh = opened.headers.get('set-cookie')!.split(';')[0]!;
    expect(fresh).toBe(`fluence_token_${port}=${served.token}`);
    expect((await fetch(`${served.base}/api/account`, { headers: stale })).status).toBe(403);
    expect((await fetch(`${served.base}/api/account`, { headers: { cookie: fresh } })).status).toBe(200);
  });

  it('a foreign Host (DNS rebinding) is refused, with the token', async () => {
    const port = new URL(served.base).port;
    const auth = { authorization: `Bearer ${served.token}` };
    expect((await rawRequest(served.base, '/api/runs', { ...auth, host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawRequest(served.base, '/api/runs', { ...auth, host: `localhost:${port}` })).status).toBe(200);
  });

  it('a cross-origin POST /api/runs is refused and starts nothing: no run, no request to the API', async () => {
    const { body } = await upload(readFileSync(HUBSPOT), 'hubspot.csv');
    const before = JSON.stringify(sandbox.ledger.toJSON());
    for (const origin of ['http://evil.example', undefined]) {
      const response = await fetch(`${served.base}/api/runs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${served.token}`,
          'content-type': 'application/json',
          ...(origin ? { origin } : {}),
        },
        body: JSON.stringify({ upload: body.id, format: 'csv' }),
      });
      expect(response.status, String(origin)).toBe(403);
    }
    expect(readdirSync(join(work, 'runs'))).toEqual([]);
    expect(JSON.stringify(sandbox.ledger.toJSON())).toBe(before);
  });
});

describe('serve: uploads, columns, cost', () => {
  it('a name with a path lands under a generated name in the work folder', async () => {
    const { status, body } = await upload('primeiro_nome,ultimo_nome,empresa\nAna,Lima,Acme\n', '../../etc/x.csv');
    expect(status).toBe(201);
    expect(body).toMatchObject({ name: 'x.csv', kind: 'csv', size: 48 });
    expect(body.id).toMatch(/^[0-9a-z]+-[0-9a-f]{8}$/);
    expect(existsSync(join(work, 'uploads', `${body.id}.csv`))).toBe(true);
    expect(existsSync(join(work, '..', '..', 'etc', 'x.csv'))).toBe(false);
    const form = new FormData();
    form.append('other', new Blob(['a,b\n']), 'y.csv');
    const wrongField = await served.api('/api/uploads', { body: form });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as any).error.code).toBe('UPLOAD_INVALID');
    expect(readdirSync(join(work, 'uploads')).every((f) => f.startsWith(body.id) || !f.includes('x.csv'))).toBe(true);
  });

  it('inspect shows the mapping and the first rows; a map changes one field; a refusal is the CLI error', async () => {
    const { body: up } = await upload(readFileSync(HUBSPOT), 'hubspot-contacts-view.csv');
    const seen = (await (await served.api(`/api/uploads/${up.id}/inspect`, { json: {} })).json()) as any;
    expect(seen).toMatchObject({
      encoding: 'utf8',
      delimiter: ',',
      sheet: null,
      mapping: {
        primeiro_nome: 'First Name',
        ultimo_nome: 'Last Name',
        empresa: 'Associated Company',
        nome_completo: null,
      },
    });
    expect(seen.headers).toContain('Contact owner');
    expect(seen.preview[0]).toEqual({
      line: 2,
      contact: { primeiro_nome: 'Thiago', ultimo_nome: 'Nunes', empresa: 'Ferragens Brasil' },
      valid: true,
    });

    const map = { empresa: 'Contact owner' };
    const changed = (await (await served.api(`/api/uploads/${up.id}/inspect`, { json: { map } })).json()) as any;
    expect(changed.mapping).toMatchObject({ primeiro_nome: 'First Name', empresa: 'Contact owner' });
    expect(changed.preview[0].contact.empresa).toBe('Paula Reis');

    const refused = await served.api(`/api/uploads/${up.id}/inspect`, { json: { map: { empresa: 'Nope' } } });
    expect(refused.status).toBe(422);
    const refusal = (await refused.json()).error;
    expect(refusal.code).toBe('MISSING_COLUMN');
    // The file's columns come with the refusal: the page offers them to fix the mapping.
    expect(refusal.headers).toEqual(seen.headers);

    // The estimate is `estimate --json` on the same file, map and the work folder's cache.
    const estimate = await (await served.api(`/api/uploads/${up.id}/estimate`, { json: { map } })).json();
    const cli = await runCli(
      [
        'estimate',
        join(work, 'uploads', `${up.id}.csv`),
        '--json',
        '--map',
        'empresa=Contact owner',
        '--cache',
        join(work, 'cache.sqlite'),
        '--base-url',
        sandbox.url,
      ],
      { env: { FLUENCE_API_KEY: SLOW.key } },
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(estimate).toEqual(JSON.parse(cli.stdout));
    expect(estimate).toMatchObject({ rows: 2, toAsk: 2, plan: 'enterprise_crm' });
  });

  it('two columns with one header are told apart by number: a map to column 5 clears the refusal and the run asks with its values; a missing column keeps the ones found', async () => {
    const twins =
      'Nome,Sobrenome,Empresa,Cidade,Empresa\nMariana,Costa,Gerdau,São Paulo,Gerdau\nRafael,Oliveira,Vale,Rio,Ambev\nJuliana,Pereira,iFood,Recife,TOTVS\n';
    const { body: up } = await upload(twins, 'empresas duplicadas.csv');
    const refused = await served.api(`/api/uploads/${up.id}/inspect`, { json: {} });
    expect(refused.status).toBe(422);
    const { error } = (await refused.json()) as any;
    expect(error.code).toBe('AMBIGUOUS_COLUMN');
    expect(error.columns).toEqual({ primeiro_nome: 1, ultimo_nome: 2, empresa: 3, nome_completo: null });
    // What tells the two apart, beside their numbers: their first values.
    expect(error.samples[2]).toEqual(['Gerdau', 'Vale', 'iFood']);
    expect(error.samples[4]).toEqual(['Gerdau', 'Ambev', 'TOTVS']);

    const map = { empresa: '5' };
    const chosen = await served.api(`/api/uploads/${up.id}/inspect`, { json: { map } });
    expect(chosen.status).toBe(200);
    const seen = (await chosen.json()) as any;
    expect(seen.columns.empresa).toBe(5);
    expect(seen.preview.map((row: any) => row.contact.empresa)).toEqual(['Gerdau', 'Ambev', 'TOTVS']);

    const started = await served.api('/api/runs', { json: { upload: up.id, map, format: 'csv' } });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const events = await readEvents(served, id, () => undefined);
    expect(events.at(-1)!.data).toMatchObject({ status: 'finished' });
    const asked = [...sandbox.ledger.chargesPerContact.keys()].filter((k) => /rafael/i.test(k));
    expect(asked.length).toBeGreaterThan(0);
    for (const contact of asked) expect(contact).toMatch(/ambev$/i);
    // The report is titled with the file's own name, never the name it is stored under.
    const report = await (await served.api(`/api/runs/${id}/report`)).text();
    expect(report).toMatch(/<title>[^<]*empresas duplicadas\.csv<\/title>/);
    expect(report).not.toContain(up.id);

    const { body: none } = await upload('Nome,Sobrenome,Cidade,Cargo\nAna,Silva,São Paulo,CFO\n', 'sem-empresa.csv');
    const missing = ((await (await served.api(`/api/uploads/${none.id}/inspect`, { json: {} })).json()) as any).error;
    expect(missing.code).toBe('MISSING_COLUMN');
    expect(missing.mapping).toEqual({
      primeiro_nome: 'Nome',
      ultimo_nome: 'Sobrenome',
      empresa: null,
      nome_completo: null,
    });
    expect(missing.columns).toEqual({ primeiro_nome: 1, ultimo_nome: 2, empresa: null, nome_completo: null });
  });

  it('over --max-upload: 413 with its code, and nothing kept', async () => {
    const small = await startServe(['--dir', join(dir, 'small'), '--max-upload', '0.01', '--base-url', sandbox.url]);
    try {
      const big = `primeiro_nome,ultimo_nome,empresa\n${'Ana,Lima,Acme\n'.repeat(2000)}`;
      const response = await small.api('/api/uploads', { body: fileForm(big, 'big.csv') });
      expect(response.status).toBe(413);
      const { error } = await response.json();
      expect(error.code).toBe('UPLOAD_TOO_LARGE');
      // Said as the catalog says it, in each of the page's languages (the page's switch shows it again).
      expect(error.texts['pt-BR']).toMatch(/^o arquivo tem mais de .*--max-upload/);
      expect(error.texts.en).toBe(error.message);
      expect(readdirSync(join(dir, 'small', 'uploads'))).toEqual([]);
      // A file under the limit still goes through.
      expect((await small.api('/api/uploads', { body: fileForm('a,b\n', 'ok.csv') })).status).toBe(201);
    } finally {
      await small.close();
    }
  });
});

describe('serve: a run from the page', () => {
  it('start, progress pushed, stop (rest pending), resume (finished): nobody paid twice, output as enrich writes it', async () => {
    const input = await contactsFile(dir, people(50, 'Acme Serve'), 'contatos.csv');
    const { body: up } = await upload(readFileSync(input), 'contatos.csv');
    const started = await served.api('/api/runs', { json: { upload: up.id, endpoint: 'crm_basico', format: 'csv' } });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };

    let stopped = false;
    const first = await readEvents(served, id, async ({ event, data }) => {
      if (event === 'progress' && !stopped && data.rows >= 20) {
        stopped = true;
        const busy = await served.api(`/api/runs/${id}/resume`, { method: 'POST' });
        expect(busy.status).toBe(409);
        expect(((await busy.json()) as any).error.code).toBe('RUN_RUNNING');
        expect((await served.api(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(202);
      }
    });
    const progress = first.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)!.data).toMatchObject({ total: 50, planRate: 8 });
    const done = first.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ status: 'stopped', exitCode: 2 });
    expect(done.data.summary.byStatus.pending).toBeGreaterThan(0);

    const listed = (await (await served.api('/api/runs')).json()) as any[];
    expect(listed[0]).toMatchObject({ id, name: 'contatos.csv', status: 'stopped', hasOutput: true, hasReport: true });

    expect((await served.api(`/api/runs/${id}/resume`, { method: 'POST' })).status).toBe(202);
    const second = await readEvents(served, id, () => undefined);
    expect(second.at(-1)!.data).toMatchObject({ status: 'finished', exitCode: 0 });
    expect(second.at(-1)!.data.summary.byStatus).toMatchObject({ ok: expect.any(Number), pending: 0 });
    // A finished run's events: one `done` at once.
    const again = await readEvents(served, id, () => undefined);
    expect(again.map((e) => e.event)).toEqual(['done']);

    // The judge: across the stop and the resume, no contact charged twice.
    const ledger = (await (await fetch(`${sandbox.url}/__sandbox/ledger?contacts=1`)).json()) as any;
    expect(Object.values(ledger.chargesPerContact as Record<string, number>).filter((n) => n > 1)).toEqual([]);
    expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);

    const run = (await (await served.api(`/api/runs/${id}`)).json()) as any;
    expect(run).toMatchObject({ status: 'finished', rows: 50, total: 50 });
    expect(run.summary).toMatchObject({ rows: 50 });
    // The key stays in the server: not in the run's files, nor in what the server printed.
    for (const name of ['run.json', 'summary.json', 'report.html'])
      expect(readFileSync(join(work, 'runs', id, name), 'utf8'), name).not.toContain(SLOW.key);
    expect(served.stdout() + served.stderr()).not.toContain(SLOW.key);

    const download = await served.api(`/api/runs/${id}/output`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('filename="contatos-enriched.csv"');
    const fromPage = parse(await download.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    const report = await served.api(`/api/runs/${id}/report`);
    expect(report.headers.get('content-type')).toContain('text/html');
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await report.text()).toContain('<html');

    // The same file through the CLI (another key, its own cache): the same rows, credits aside.
    const out = join(dir, 'cli-out.csv');
    const cli = await runCli(
      [
        'enrich',
        input,
        '-o',
        out,
        '--cache',
        join(dir, 'cli-cache.sqlite'),
        '--base-url',
        sandbox.url,
        '--progress',
        'off',
      ],
      { env: { FLUENCE_API_KEY: ENTERPRISE } },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = parse(readFileSync(out, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
    const creditsAside = (rows: Array<Record<string, string>>) =>
      rows.map(({ fluence_credits_used: _, ...rest }) => rest);
    expect(creditsAside(fromPage)).toEqual(creditsAside(fromCli));
  });

  it('options the CLI refuses start nothing (422); an unknown run is 404', async () => {
    const { body: up } = await upload('primeiro_nome,ultimo_nome,empresa\nAna,Lima,Acme\n', 'a.csv');
    const before = readdirSync(join(work, 'runs')).length;
    const bad = await served.api('/api/runs', {
      json: { upload: up.id, map: { empresa: 'Nope' }, encoding: 'klingon' },
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe('BAD_OPTION');
    // A cost limit below 0 is the page's request refused (400), before the CLI's options are read.
    const negative = await served.api('/api/runs', { json: { upload: up.id, maxCredits: -1 } });
    expect(negative.status).toBe(400);
    expect((await negative.json()).error.code).toBe('UPLOAD_INVALID');
    expect(readdirSync(join(work, 'runs')).length).toBe(before);
    expect((await served.api('/api/runs/zzzzzzzz-00000000')).status).toBe(404);
    expect((await served.api('/api/runs/..%2F..%2Fetc')).status).toBe(404);
  });
});

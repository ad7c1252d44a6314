import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers/enrich.js';
import { fileForm, rawRequest, startServe } from './helpers/serve.js';

const XLSX = join(import.meta.dirname, '..', 'fixtures', 'xlsx');

describe('serve: starting it', () => {
  it('--sandbox: an account with no key of the user, and a workbook read with its sheets', async () => {
    const dir = await workdir();
    const served = await startServe(['--sandbox', '--dir', join(dir, 'work')]);
    try {
      expect(served.stdout()).toMatch(/Sandbox \(no real credits\) at http:\/\/127\.0\.0\.1:\d+/);
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
      const account = (await (await served.api('/api/account')).json()) as Record<string, unknown>;
      expect(account).toMatchObject({
        plan: 'enterprise_crm',
        creditsLeft: 100_000,
        sandbox: true,
        workDir: join(dir, 'work'),
      });

      // A cover page first: the sheets are listed, and the page can pick the contacts' one.
      const up = await served.api('/api/uploads', {
        body: fileForm(readFileSync(join(XLSX, 'cover.xlsx')), 'capa.xlsx'),
      });
      const upload = (await up.json()) as { id: string; kind: string; sheets: string[] };
      expect(upload).toMatchObject({ kind: 'xlsx', sheets: expect.arrayContaining(['Capa', 'Contatos']) });
      const onCover = await served.api(`/api/uploads/${upload.id}/inspect`, { json: {} });
      expect(onCover.status).toBe(422);
      const cover = ((await onCover.json()) as any).error;
      // The page's advice (its list of sheets), never the terminal's --sheet.
      expect(cover.message).toContain('"Contatos" has a header with these columns: choose it in the list of sheets');
      expect(cover.message).not.toContain('--sheet');
      // Named as the person dropped it, not by its stored name in the work folder.
      expect(cover.message).toContain('capa.xlsx');
      expect(cover.message).not.toContain(upload.id);
      expect(cover.sheets).toEqual(expect.arrayContaining(['Capa', 'Contatos']));
      const picked = (await (
        await served.api(`/api/uploads/${upload.id}/inspect`, { json: { sheet: 'Contatos' } })
      ).json()) as any;
      expect(picked).toMatchObject({ sheet: 'Contatos', sheets: expect.arrayContaining(['Capa', 'Contatos']) });
      expect(picked.mapping.empresa).not.toBeNull();

      // A workbook saved without its formulas' results: the CLI's own refusal, before any cost.
      const formulas = await served.api('/api/uploads', {
        body: fileForm(readFileSync(join(XLSX, 'uncomputed.xlsx')), 'f.xlsx'),
      });
      const { id } = (await formulas.json()) as { id: string };
      const refused = await served.api(`/api/uploads/${id}/inspect`, { json: {} });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as any).error.code).toBe('XLSX_FORMULA_NOT_COMPUTED');
    } finally {
      await served.close();
    }
  });

  it('a port that is taken: another one, said so; --host 0.0.0.0 warns and still needs the token', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const dir = await workdir();
    const served = await startServe([
      '--sandbox',
      '--dir',
      join(dir, 'work'),
      '--host',
      '0.0.0.0',
      '--port',
      String(taken),
    ]);
    try {
      expect(served.stdout()).toContain(`Port ${taken} is taken: using ${new URL(served.base).port} instead`);
      expect(new URL(served.base).port).not.toBe(String(taken));
      // Written before the address, on the other pipe: read until it arrives.
      while (!served.stderr().includes('listens on the network') && served.child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 10));
      // It says how another machine gets in: a name given with --allow-host (any other Host is refused, below).
      expect(served.stderr()).toContain('other machines reach it only by a name given with --allow-host');
      const byIp = await rawRequest(served.base, '/api/runs', {
        authorization: `Bearer ${served.token}`,
        host: `192.0.2.7:${new URL(served.base).port}`,
      });
      expect(byIp.status).toBe(403);
      expect((await fetch(`${served.base}/api/runs`)).status).toBe(403);
      expect((await served.api('/api/runs')).status).toBe(200);
    } finally {
      await served.close();
      blocker.close();
    }
  });
});

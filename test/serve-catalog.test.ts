import { describe, expect, it } from 'vitest';
import { catalogOf } from '../src/i18n/index.js';
import type { CatalogAnswer } from '../src/serve/page-api.js';
import { PAGE_CHOICES } from '../src/serve/page-choices.js';
import { serveOnSandbox, startServe, uploadFile } from './helpers/serve.js';
import { contactsFile, people } from './helpers/enrich.js';

const KEY = 'ServeCatalog'.padEnd(40, '0');

describe("the page's words and lists, from the server", () => {
  it('GET /api/catalog/:lang: the first language of the list we have, the page part of its catalog, the lists; a run takes the page language', async () => {
    const { sandbox, dir, args, env } = await serveOnSandbox({ key: KEY, plan: 'crm_enterprise', credits: 100 });
    const served = await startServe(args, env);
    try {
      const read = async (tags: string) =>
        (await (await served.api(`/api/catalog/${encodeURIComponent(tags)}`)).json()) as CatalogAnswer;
      const pt = await read('de-DE,pt-PT,en');
      expect(pt.lang).toBe('pt-BR');
      expect(pt.langs).toEqual(['en', 'pt-BR']);
      expect(pt.messages.start).toBe(catalogOf('pt-BR')['page.start']);
      expect(Object.keys(pt.messages).sort()).toEqual(
        Object.keys(catalogOf('en'))
          .filter((key) => key.startsWith('page.'))
          .map((key) => key.slice('page.'.length))
          .sort(),
      );
      expect(pt.choices).toEqual(JSON.parse(JSON.stringify(PAGE_CHOICES)));
      // Every list's label is a message the page has.
      for (const list of [pt.choices.fields, pt.choices.delimiters, pt.choices.endpoints, pt.choices.formats])
        for (const { label } of list) expect(pt.messages[label], label).toBeTypeOf('string');
      expect((await read('fr')).lang).toBe('en');

      // A language the tool does not have is refused before anything starts.
      const upload = await uploadFile(served, await contactsFile(dir, people(3)));
      const refused = await served.api('/api/runs', { json: { upload, lang: 'fr' } });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_INVALID');
      const started = await served.api('/api/runs', { json: { upload, lang: 'pt-BR', format: 'csv' } });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      const run = (await (await served.api(`/api/runs/${id}`)).json()) as { options: { lang?: string } };
      expect(run.options.lang).toBe('pt-BR');
    } finally {
      await served.close();
      await sandbox.close();
    }
  });
});

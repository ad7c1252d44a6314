import { describe, expect, it } from 'vitest';
import { lookup } from '../src/sandbox/directory.js';
import { call, ENTERPRISE, person, withSandbox } from './helpers/sandbox.js';

describe('sandbox: a deterministic directory', () => {
  it('gives the same person the same answer, whatever case, accents and spacing', async () => {
    await withSandbox({}, async (sandbox) => {
      const a = await call(sandbox, '/crm_basico', {
        key: ENTERPRISE,
        body: person('Itaú Unibanco', 'João', 'Conceição'),
      });
      const b = await call(sandbox, '/crm_basico', {
        key: ENTERPRISE,
        body: person('  ITAU   unibanco ', 'joao', 'CONCEICAO'),
      });
      expect(b.status).toBe(a.status);
      if (a.status === 200) {
        expect(b.body.analise.cargo).toEqual(a.body.analise.cargo);
        expect(b.body.analise.confianca).toEqual(a.body.analise.confianca);
      }
    });
  });

  it('answers a realistic mix, fixed per person', () => {
    const counts: Record<number, number> = {};
    for (let i = 0; i < 2000; i++) {
      const contact = { firstName: `Pessoa${i}`, lastName: 'Silva', company: 'Empresa' };
      const answer = lookup(contact, 'crm_basico', 1);
      expect(lookup(contact, 'crm_basico', 1).status).toBe(answer.status);
      counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    }
    expect(counts[200]! / 2000).toBeGreaterThan(0.75);
    expect(counts[200]! / 2000).toBeLessThan(0.85);
    for (const status of [404, 409, 422]) expect(counts[status]).toBeGreaterThan(20);
    expect(counts[500]).toBeUndefined();
  });

  it('fails "Teste Instavel" once with a 500, then answers', () => {
    const contact = { firstName: 'Ana', lastName: 'Lima', company: 'Teste Instavel' };
    expect(lookup(contact, 'crm', 1).status).toBe(500);
    expect(lookup(contact, 'crm', 2).status).toBe(200);
  });

  it('"Teste Formula" answers with text that starts like a spreadsheet formula', () => {
    const answer = lookup({ firstName: 'A', lastName: 'B', company: 'Teste Formula' }, 'crm_basico', 1);
    expect(answer.status).toBe(200);
    const texts = JSON.stringify(answer.status === 200 ? answer.analise : {});
    for (const start of ['"=', '"+', '"-', '"@', '"\\t', '"\\r']) expect(texts).toContain(start);
  });
});

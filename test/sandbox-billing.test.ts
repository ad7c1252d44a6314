import { describe, expect, it } from 'vitest';
import { call, ENTERPRISE, key, person, withSandbox } from './helpers/sandbox.js';

describe('sandbox: outcomes and the refund policy', () => {
  const cases = [
    { company: 'Teste 200 Ltda', status: 200, charged: true },
    { company: 'Teste 404 Ltda', status: 404, charged: true, code: 'PROFILE_NOT_FOUND' },
    { company: 'Teste 409 Ltda', status: 409, charged: true, code: 'MULTIPLE_MATCHES' },
    { company: 'Teste 422 Ltda', status: 422, charged: false, code: 'INSUFFICIENT_DATA' },
    { company: 'Teste 500 Ltda', status: 500, charged: false, code: 'INTERNAL_ERROR' },
  ];

  for (const endpoint of ['crm_basico', 'crm'] as const) {
    const cost = endpoint === 'crm' ? 2 : 1;
    for (const c of cases) {
      if (c.status === 200) continue;
      it(`${endpoint}: ${c.status} is ${c.charged ? 'charged' : 'refunded'} and says so in billing_info`, async () => {
        await withSandbox({}, async (sandbox) => {
          const reply = await call(sandbox, `/${endpoint}`, { key: ENTERPRISE, body: person(c.company) });
          expect(reply.status).toBe(c.status);
          expect(reply.body.error_code).toBe(c.code);
          const used = c.charged ? cost : 0;
          expect(reply.body.billing_info).toEqual({
            creditos_utilizados: used,
            creditos_restantes: 1000 - used,
            tipo_plano: 'enterprise_crm',
          });
          const keyLedger = sandbox.ledger.keys[ENTERPRISE]!;
          expect(keyLedger.charged - keyLedger.refunded).toBe(used);
          expect(keyLedger.refunded).toBe(c.charged ? 0 : cost);
          expect(sandbox.ledger.requests[`/${endpoint}`]).toEqual({ [c.status]: 1 });
        });
      });
    }
  }

  it('200 is charged 1 on /crm_basico and 2 on /crm, with an analise; /crm adds personality', async () => {
    await withSandbox({}, async (sandbox) => {
      // Find a person the directory knows (80 % are found; the answer is fixed per person).
      let found: ReturnType<typeof person> | undefined;
      for (let i = 0; !found; i++) {
        const p = person('Natura', 'Ana', `Souza${i}`);
        const reply = await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: p });
        if (reply.status === 200) {
          found = p;
          expect(reply.body.billing_info.creditos_utilizados).toBe(1);
          expect(reply.body.analise.perfil).toMatchObject({ nome_completo: `Ana Souza${i}`, empresa: 'Natura' });
          expect(reply.body.analise.personalidade).toBeUndefined();
        }
      }
      const before = sandbox.accounts.get(ENTERPRISE)!.credits;
      const full = await call(sandbox, '/crm', { key: ENTERPRISE, body: found });
      expect(full.status).toBe(200);
      expect(full.body.billing_info).toMatchObject({ creditos_utilizados: 2, creditos_restantes: before - 2 });
      expect(full.body.analise.personalidade.perfil_disc).toMatch(/^[DISC]$/);
      expect(typeof full.body.analise.confianca).toBe('number');
    });
  });

  it('answers 402 when credits are short, and charges nothing', async () => {
    const broke = key('Broke', { plan: 'crm_enterprise', credits: 0 });
    const one = key('One', { plan: 'crm_business', credits: 1 });
    await withSandbox({ keys: [broke, one] }, async (sandbox) => {
      const reply = await call(sandbox, '/crm_basico', { key: broke.key, body: person('Teste 404') });
      expect(reply.status).toBe(402);
      expect(reply.body.error_code).toBe('INSUFFICIENT_CREDITS');
      expect(reply.body.billing_info.creditos_restantes).toBe(0);
      // One credit left: /crm costs two.
      expect((await call(sandbox, '/crm', { key: one.key, body: person('Teste 404') })).status).toBe(402);
      expect((await call(sandbox, '/crm_basico', { key: one.key, body: person('Teste 404') })).status).toBe(404);
      expect((await call(sandbox, '/crm_basico', { key: one.key, body: person('Teste 409') })).status).toBe(402);
      expect(sandbox.ledger.totalCharged).toBe(1);
    });
  });

  it('rejects bad requests with 400, uncharged: bad JSON, missing or empty fields, URLs', async () => {
    await withSandbox({}, async (sandbox) => {
      const bad = [
        '{not json',
        '[1,2]',
        { primeiro_nome: 'Ana', ultimo_nome: 'Souza' },
        { primeiro_nome: '', ultimo_nome: 'Souza', empresa: 'Natura' },
        { primeiro_nome: 'Ana', ultimo_nome: '   ', empresa: 'Natura' },
        { primeiro_nome: 'Ana', ultimo_nome: 'Souza', empresa: 42 },
        { primeiro_nome: 'https://www.linkedin.com/in/ana', ultimo_nome: 'Souza', empresa: 'Natura' },
        { primeiro_nome: 'Ana', ultimo_nome: 'Souza', empresa: 'linkedin.com/company/natura' },
      ];
      for (const body of bad) {
        const reply = await call(sandbox, '/crm_basico', { key: ENTERPRISE, body });
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body.error_code).toBe('VALIDATION_ERROR');
        expect(reply.body.error).toEqual(expect.any(String));
      }
      expect(sandbox.ledger.totalCharged).toBe(0);
      expect(sandbox.ledger.keys[ENTERPRISE]!.charged).toBe(0);
    });
  });

  it('accepts the English aliases and answers them as the Portuguese keys', async () => {
    await withSandbox({}, async (sandbox) => {
      const pt = await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person('Ambev', 'Carla', 'Dias') });
      const en = await call(sandbox, '/crm_basico', {
        key: ENTERPRISE,
        body: { first_name: 'Carla', last_name: 'Dias', company: 'Ambev' },
      });
      expect(en.status).toBe(pt.status);
      expect(en.body.analise).toEqual(pt.body.analise);
    });
  });

  it('reports charges per person, so paying twice shows', async () => {
    await withSandbox({}, async (sandbox) => {
      await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person('Teste 404', 'Rui') });
      await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person('TESTE 404', 'rui') });
      await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person('Teste 422', 'Rui') });
      expect(sandbox.ledger.repeatCharges).toBe(1);
      const ledger = (await call(sandbox, '/__sandbox/ledger')).body;
      expect(ledger.repeatCharges).toBe(1);
      expect(ledger.totalCharged).toBe(2);
      expect(JSON.stringify(ledger)).not.toContain(ENTERPRISE);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { call, ENTERPRISE, person, PLATFORM, withSandbox } from './helpers/sandbox.js';

describe('sandbox: auth and access', () => {
  it('serves /health without a key, and with one', async () => {
    await withSandbox({}, async (sandbox) => {
      expect((await call(sandbox, '/health')).status).toBe(200);
      expect((await call(sandbox, '/health', { key: ENTERPRISE })).body.status).toBe('healthy');
    });
  });

  it('answers 401 with a JSON error for a missing or unknown key', async () => {
    await withSandbox({}, async (sandbox) => {
      for (const key of [undefined, 'X'.repeat(40)]) {
        const reply = await call(sandbox, '/crm_basico', { key, body: person('Acme') });
        expect(reply.status).toBe(401);
        expect(reply.body.error).toMatch(/API key/);
      }
      expect((await call(sandbox, '/creditos')).status).toBe(401);
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });

  it('answers 403 {"message":"Forbidden"} in API Gateway style', async () => {
    await withSandbox({ authStyle: 'gateway' }, async (sandbox) => {
      const reply = await call(sandbox, '/crm_basico', { key: 'nope', body: person('Acme') });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ message: 'Forbidden' });
    });
  });

  it('refuses CRM endpoints to a platform plan with the documented ACCESS_DENIED body, uncharged', async () => {
    await withSandbox({}, async (sandbox) => {
      for (const endpoint of ['/crm_basico', '/crm']) {
        const reply = await call(sandbox, endpoint, { key: PLATFORM, body: person('Acme') });
        expect(reply.status).toBe(403);
        expect(reply.body).toEqual({
          error: `Access denied. Your professional tier API key cannot access ${endpoint}. Upgrade to CRM tier for access.`,
          error_code: 'ACCESS_DENIED',
          current_tier: 'platform_professional',
          required_tier: 'crm_business',
          upgrade_url: 'https://tryfluence.tech/upgrade',
        });
      }
      // Utility endpoints stay open to platform plans.
      expect((await call(sandbox, '/creditos', { key: PLATFORM })).body.billing_info.creditos_restantes).toBe(1000);
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });

  it('serves the utility endpoints, /credits as an alias of /creditos', async () => {
    await withSandbox({}, async (sandbox) => {
      const creditos = await call(sandbox, '/creditos', { key: ENTERPRISE });
      expect(creditos.body.billing_info).toEqual({
        creditos_utilizados: 0,
        creditos_restantes: 1000,
        tipo_plano: 'enterprise_crm',
      });
      expect((await call(sandbox, '/credits', { key: ENTERPRISE })).body.billing_info).toEqual(
        creditos.body.billing_info,
      );
      expect((await call(sandbox, '/status', { key: ENTERPRISE })).body.status).toBe('operational');
      const tiers = (await call(sandbox, '/tiers', { key: ENTERPRISE })).body.tiers;
      expect(tiers).toContainEqual({ name: 'enterprise', rate_limit: 500, burst: 1000, monthly_quota: 500_000 });
      expect(tiers).toContainEqual({ name: 'developer', rate_limit: 50, burst: 100, monthly_quota: 10_000 });
    });
  });

  it("answers unknown paths as production's gateway does, and wrong methods with JSON errors", async () => {
    await withSandbox({}, async (sandbox) => {
      const unknown = await call(sandbox, '/nope', { key: ENTERPRISE });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: 'Not Found' });
      const wrong = await call(sandbox, '/crm_basico', { key: ENTERPRISE, method: 'GET' });
      expect(wrong.status).toBe(405);
      expect(wrong.body.error_code).toBe('METHOD_NOT_ALLOWED');
    });
    await withSandbox({ gateway: 'rest', missingRoutes: ['/crm_basico'] }, async (sandbox) => {
      const gone = await call(sandbox, '/crm_basico', {
        key: ENTERPRISE,
        body: { primeiro_nome: 'A', ultimo_nome: 'B', empresa: 'C' },
      });
      expect(gone.status).toBe(403);
      expect(gone.body).toEqual({ message: 'Missing Authentication Token' });
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/sandbox/token-bucket.js';
import { call, key, person, withSandbox } from './helpers/sandbox.js';

describe('sandbox: rate limits and monthly quota', () => {
  it('a token bucket never grants more than burst + rate x t', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    let granted = 0;
    for (let t = 0; t <= 3000; t += 7) {
      now = t;
      while (bucket.take().allowed) granted += 1;
      expect(granted).toBeLessThanOrEqual(5 + (10 * t) / 1000);
    }
    expect(granted).toBeGreaterThanOrEqual(5 + 10 * 3 - 1);
  });

  it('sends X-RateLimit-* on every authenticated answer and 429 + Retry-After once the burst is spent', async () => {
    let now = Date.UTC(2026, 10, 28, 12);
    const k = key('Limited', { plan: 'crm_enterprise', credits: 100, rate: 2, burst: 3 });
    await withSandbox({ keys: [k], now: () => now }, async (sandbox) => {
      const first = await call(sandbox, '/creditos', { key: k.key });
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
      expect(Number(first.headers.get('x-ratelimit-reset'))).toBe(Math.ceil((now + 500) / 1000));
      for (let i = 0; i < 2; i++) {
        const reply = await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 404', `N${i}`) });
        expect(reply.status).toBe(404);
        expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(1 - i));
      }
      const limited = await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 404', 'X') });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.body.error_code).toBe('RATE_LIMIT_EXCEEDED');
      expect(sandbox.ledger.rateLimited).toBe(1);
      now += 500; // one token back at 2/s
      expect((await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 404', 'X') })).status).toBe(404);
      expect((await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 404', 'Y') })).status).toBe(429);
      expect(sandbox.ledger.totalCharged).toBe(3);
    });
  });

  it('uses the gateway wording for throttling in gateway style', async () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const k = key('Gw', { plan: 'crm_enterprise', credits: 100, rate: 1, burst: 1 });
    await withSandbox({ keys: [k], now: () => now, authStyle: 'gateway' }, async (sandbox) => {
      await call(sandbox, '/status', { key: k.key });
      const reply = await call(sandbox, '/status', { key: k.key });
      expect(reply.status).toBe(429);
      expect(reply.body).toEqual({ message: 'Too Many Requests' });
    });
  });

  it('stops at the monthly quota with a reset at the start of next month, then serves again', async () => {
    let now = Date.UTC(2026, 10, 28, 12);
    const k = key('Quota', { plan: 'crm_business', credits: 100, monthly_quota: 2 });
    await withSandbox({ keys: [k], now: () => now }, async (sandbox) => {
      for (const n of ['A', 'B'])
        expect((await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 409', n) })).status).toBe(409);
      const over = await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 409', 'C') });
      expect(over.status).toBe(429);
      expect(over.body.error_code).toBe('QUOTA_EXCEEDED');
      const reset = Date.UTC(2026, 11, 1) / 1000;
      expect(Number(over.headers.get('x-ratelimit-reset'))).toBe(reset);
      expect(Number(over.headers.get('retry-after'))).toBe(reset - now / 1000);
      expect(sandbox.ledger.quotaExceeded).toBe(1);
      // Utility endpoints are not counted against the quota.
      expect((await call(sandbox, '/creditos', { key: k.key })).status).toBe(200);
      now = Date.UTC(2026, 11, 1, 0, 0, 1);
      expect((await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 409', 'C') })).status).toBe(409);
    });
  });

  it('uses the gateway wording for the quota in gateway style', async () => {
    const k = key('GwQuota', { plan: 'crm_business', credits: 100, monthly_quota: 1 });
    await withSandbox({ keys: [k], authStyle: 'gateway' }, async (sandbox) => {
      await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 409') });
      const reply = await call(sandbox, '/crm_basico', { key: k.key, body: person('Teste 409') });
      expect(reply.status).toBe(429);
      expect(reply.body).toEqual({ message: 'Limit Exceeded' });
    });
  });

  it('takes rate, burst and quota from the plan unless the key sets them', async () => {
    const k = key('Dev', { plan: 'platform_essentials', credits: 1 });
    await withSandbox({ keys: [k] }, async (sandbox) => {
      const reply = await call(sandbox, '/creditos', { key: k.key });
      expect(reply.headers.get('x-ratelimit-limit')).toBe('50');
      expect(reply.body.cota_mensal.limite).toBe(10_000);
    });
  });
});

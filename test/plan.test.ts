import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../src/api/client.js';
import type { ApiReply } from '../src/api/reply.js';
import { concurrencyFor, DEFAULT_RATE, planRun, ratePlan } from '../src/engine/plan.js';
import type { EnrichConfig } from '../src/options/config.js';

/** A client that answers `/creditos` as the account would, and `/tiers` with nothing (the docs' table is used); it notes each path asked. */
function accountClient(account: { plan?: string; credits?: number; limit?: number; remaining?: number }) {
  const asked: string[] = [];
  const client = {
    get: async (path: string): Promise<ApiReply> => {
      asked.push(path);
      const rate = {
        limit: path === '/creditos' ? account.limit : undefined,
        remaining: account.remaining,
        reset: undefined,
        retryAfter: undefined,
      };
      if (path !== '/creditos') return { kind: 'http', status: 404, body: undefined, bodyError: undefined, rate };
      return {
        kind: 'http',
        status: 200,
        body: {
          billing_info: { tipo_plano: account.plan ?? 'crm_enterprise', creditos_restantes: account.credits ?? 1000 },
        },
        bodyError: undefined,
        rate,
      };
    },
  };
  return { asked, client: client as unknown as ApiClient };
}

const config = (options: Partial<EnrichConfig> = {}): EnrichConfig =>
  ({
    endpoint: 'crm_basico',
    baseUrl: 'http://api.test',
    rate: undefined,
    concurrency: undefined,
    ...options,
  }) as EnrichConfig;

function logSink() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push({ level, fields, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), debug: at('debug') } as never };
}

const counts = (toAsk: number) => ({ rows: toAsk + 5, valid: toAsk + 2, distinct: toAsk + 1, toAsk });

describe('the run plan (rate, burst, concurrency, quota) from the options and the account, without HTTP', () => {
  it('follows the rate the server announces (burst twice it), sizing concurrency for 4 s answers', async () => {
    const { client } = accountClient({ limit: 250, remaining: 500 });
    const { logger, lines } = logSink();
    const plan = await planRun(client, config(), counts(10), logger);
    expect(plan).toMatchObject({ rate: 250, burst: 500, concurrency: concurrencyFor(250, 4000) });
    expect(plan.concurrency).toBe(1258);
    expect(plan.account).toMatchObject({ plan: 'crm_enterprise', creditsLeft: 1000, rateLimit: 250, remaining: 500 });
    expect(lines.find((line) => line.level === 'info')?.fields).toMatchObject({
      rate: 250,
      burst: 500,
      rateFrom: 'X-RateLimit-Limit',
      maxCost: 10,
    });
  });

  it('the options win over the account: --rate and --concurrency as given', async () => {
    const { client } = accountClient({ limit: 250 });
    const { logger, lines } = logSink();
    const plan = await planRun(client, config({ rate: { rate: 7, burst: 9 }, concurrency: 3 }), counts(10), logger);
    expect(plan).toMatchObject({ rate: 7, burst: 9, concurrency: 3 });
    expect(lines[0]!.fields).toMatchObject({ rateFrom: 'options' });
  });

  it('without --rate or an announced limit, the Developer tier (50/s, burst 100)', async () => {
    const { client } = accountClient({ limit: undefined });
    const { logger, lines } = logSink();
    const plan = await planRun(client, config(), counts(10), logger);
    expect(plan).toMatchObject({ rate: 50, burst: 100, concurrency: concurrencyFor(50, 4000) });
    expect(lines[0]!.fields).toMatchObject({ rateFrom: 'default (Developer tier)' });
    // The estimate's fallback when no key was given: the same.
    expect(ratePlan(undefined, undefined)).toEqual({ ...DEFAULT_RATE, from: 'default (Developer tier)' });
    expect(ratePlan(undefined, { rateLimit: 100 })).toEqual({ rate: 100, burst: 200, from: 'X-RateLimit-Limit' });
  });

  it('asks for the tiers only when there is something to ask, and checks the quota against them', async () => {
    const nothing = accountClient({ limit: 50 });
    expect((await planRun(nothing.client, config(), counts(0), logSink().logger)).quota).toBeNull();
    expect(nothing.asked).toEqual(['/creditos']);
    const some = accountClient({ limit: 50 });
    const plan = await planRun(some.client, config(), counts(20_000), logSink().logger);
    expect(some.asked).toEqual(['/creditos', '/tiers']);
    // The docs' table: 50/s is the Developer tier's 10,000 a month.
    expect(plan.quota).toMatchObject({ requests: 20_000, monthlyQuota: 10_000, exceeds: true });
  });

  it('warns when the credits left do not cover the contacts to ask, saying how many they cover', async () => {
    const { client } = accountClient({ limit: 50, credits: 8 });
    const { logger, lines } = logSink();
    await planRun(client, config({ endpoint: 'crm' }), counts(10), logger);
    const warning = lines.find((line) => line.level === 'warn' && /credits left/.test(line.message));
    expect(warning?.fields).toMatchObject({ creditsLeft: 8, covered: 4, toAsk: 10 });
  });
});

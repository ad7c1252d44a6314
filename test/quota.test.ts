import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_TIER_TABLE, monthlyQuotaOf, tierTableFrom } from '../src/api/plans.js';
import { quotaResetOf } from '../src/engine/next-step.js';
import { quotaCheck, quotaText } from '../src/engine/quota.js';
import { render } from '../src/i18n/message.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, largeFile, people, workdir } from './helpers/enrich.js';
import { call, ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';

/** A CRM key at the Developer tier's limits (50/s, burst 100, 10,000 requests a month). */
const DEVELOPER = key('DeveloperTier', {
  plan: 'crm_business',
  credits: 100_000,
  rate: 50,
  burst: 100,
  monthly_quota: 10_000,
});

/** pino's JSON lines on stderr. */
const logLines = (stderr: string): Array<Record<string, any>> =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe("the plan's monthly quota (pure rules)", () => {
  it('reads the tier table of /tiers, skipping rows without numbers', () => {
    const table = tierTableFrom({
      tiers: [
        { name: 'Developer', rate_limit: 50, burst: 100, monthly_quota: 10_000 },
        { name: 'broken', rate_limit: 'fast' },
      ],
      plans: [{ id: 'crm_business', tier: 'business' }],
    });
    expect(table).toEqual({
      tiers: [{ name: 'developer', rate: 50, burst: 100, monthlyQuota: 10_000 }],
      plans: [{ id: 'crm_business', tier: 'business' }],
      from: '/tiers',
    });
    expect(tierTableFrom({ status: 'ok' })).toBeUndefined();
  });

  it("finds the tier by the key's rate limit first, then by the plan id in any spelling; an unknown quota stays unknown", () => {
    // A CRM plan at the Developer tier's 50/s: the rate limit says which quota applies.
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'crm_business', 50)).toMatchObject({
      monthlyQuota: 10_000,
      tier: 'developer',
    });
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'enterprise_crm', 500)).toMatchObject({
      monthlyQuota: 500_000,
      tier: 'enterprise',
    });
    // 100/s is Fortics and Business, with one quota; the plan names which.
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'crm_business', 100)).toMatchObject({
      monthlyQuota: 50_000,
      tier: 'business',
    });
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'unknown', 100)).toMatchObject({
      monthlyQuota: 50_000,
      tier: 'fortics or business',
    });
    // No rate known: the plan id, whatever its spelling.
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'Enterprise-CRM', undefined)).toMatchObject({
      monthlyQuota: 500_000,
      tier: 'enterprise',
    });
    expect(monthlyQuotaOf(DOCS_TIER_TABLE, 'mystery', 73)).toEqual({
      monthlyQuota: undefined,
      tier: undefined,
      how: "plan mystery at 73/s matches no tier in the docs' table",
    });
    // Said in Portuguese whole: the docs' table and an unknown plan are words too, not English inside.
    const said = (quota: ReturnType<typeof monthlyQuotaOf>) => render('pt-BR', quota.said!);
    expect(said(monthlyQuotaOf(DOCS_TIER_TABLE, 'mystery', 73))).toBe(
      'segundo a tabela da documentação, o plano mystery a 73/s não corresponde a nenhum nível',
    );
    expect(said(monthlyQuotaOf(DOCS_TIER_TABLE, undefined, 500))).toBe(
      'segundo a tabela da documentação, pelo limite de velocidade da chave (500/s)',
    );
  });

  it("says when the file alone needs more than the month allows, and never claims to know this month's use", () => {
    const over = quotaCheck(14_983, { monthlyQuota: 10_000, tier: 'developer', how: '/tiers' });
    expect(over).toMatchObject({ requests: 14_983, monthlyQuota: 10_000, exceeds: true, usedThisMonth: null });
    expect(quotaText(over)).toMatch(
      /^needs 14,983 requests, MORE THAN the developer tier's 10,000 a month \(\/tiers\): the run would stop at the quota \(exit 3\)/,
    );
    expect(quotaText(quotaCheck(983, { monthlyQuota: 10_000, tier: 'developer', how: '/tiers' }))).toMatch(
      /^needs 983 requests of the developer tier's 10,000 a month .*not published by the API/,
    );
    expect(quotaText(quotaCheck(5, { monthlyQuota: undefined, tier: undefined, how: 'no key given' }))).toBe(
      "needs 5 requests; the plan's monthly quota is unknown (no key given)",
    );
  });

  it("reads the reset date of a quota stop's facts to the minute", () => {
    expect(quotaResetOf({ reason: 'quota', resetsAt: '2026-12-01T00:00:00.734Z' })).toBe('2026-12-01 00:00 UTC');
    expect(
      quotaResetOf({ reason: 'credits', refusedBy: 'api', httpStatus: 402, apiSaid: 'not enough credits' }),
    ).toBeNull();
    expect(quotaResetOf(undefined)).toBeNull();
  });
});

describe('the monthly quota before spending (real CLI against the sandbox)', () => {
  it('what /tiers and /creditos give: the tier table, and a plan with no rate or quota of its own', async () => {
    await withSandbox({ keys: [DEVELOPER] }, async (sandbox) => {
      const tiers = await call(sandbox, '/tiers', { key: DEVELOPER.key });
      expect(tierTableFrom(tiers.body)?.tiers).toContainEqual({
        name: 'developer',
        rate: 50,
        burst: 100,
        monthlyQuota: 10_000,
      });
      const credits = await call(sandbox, '/creditos', { key: DEVELOPER.key });
      expect(credits.body.billing_info.tipo_plano).toBe('crm_business');
      expect(credits.headers.get('x-ratelimit-limit')).toBe('50');
    });
  });

  it('estimate of a 15,000-row file on a Developer key: 14,983 requests, more than the 10,000 a month, said in text and JSON; nothing spent', async () => {
    await withSandbox({ keys: [DEVELOPER] }, async (sandbox) => {
      const dir = await workdir();
      // 15,000 rows, 17 of them repeats: 14,983 contacts to ask.
      const input = await largeFile(
        join(dir, 'big.csv'),
        'primeiro_nome,ultimo_nome,empresa',
        15_000,
        (i) => `Pessoa${i % 14_983},Silva,Teste 404\n`,
      );
      const args = ['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url];
      const text = await runCli(args, { env: { FLUENCE_API_KEY: DEVELOPER.key } });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(
        "monthly quota: needs 14,983 requests, MORE THAN the developer tier's 10,000 a month (/tiers, by the key's rate limit of 50/s): the run would stop at the quota (exit 3)",
      );
      expect(text.stdout).toContain('what this month has already used is not published by the API');
      const json = JSON.parse((await runCli([...args, '--json'], { env: { FLUENCE_API_KEY: DEVELOPER.key } })).stdout);
      expect(json.quota).toEqual({
        requests: 14_983,
        monthlyQuota: 10_000,
        tier: 'developer',
        how: "/tiers, by the key's rate limit of 50/s",
        exceeds: true,
        usedThisMonth: null,
      });
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });

  it("enrich's start line says the requests against the quota, and warns before the first request when the file alone exceeds it", async () => {
    await withSandbox({ keys: [DEVELOPER] }, async (sandbox) => {
      const dir = await workdir();
      const input = await largeFile(
        join(dir, 'big.csv'),
        'primeiro_nome,ultimo_nome,empresa',
        10_050,
        (i) => `Pessoa${i},Silva,Teste 404\n`,
      );
      // --max-credits keeps the test short: the warning comes before any request.
      const run = await enrich(sandbox, input, dir, ['--max-credits', '5', '--log-format', 'json'], DEVELOPER.key);
      expect(run.code, run.stderr).toBe(3);
      const lines = logLines(run.stderr);
      const start = lines.find((l) => l.quota);
      expect(start?.quota).toMatchObject({
        requests: 10_050,
        monthlyQuota: 10_000,
        tier: 'developer',
        exceeds: true,
        usedThisMonth: null,
      });
      expect(start?.msg).toContain(
        "monthly quota: needs 10,050 requests, MORE THAN the developer tier's 10,000 a month",
      );
      const warning = lines.findIndex(
        // Figures grouped as English writes them, as in the start line.
        (l) => l.level === 40 && /more requests \(10,050\) than the plan's monthly quota \(10,000\)/.test(l.msg),
      );
      expect(warning).toBeGreaterThan(-1);
      expect(run.summary!.monthlyQuota).toMatchObject({ exceeds: true });
      expect(sandbox.ledger.totalCharged).toBe(5);
    });
  });

  it("without /tiers the docs' table is used and said so; a file within the quota is not warned about", async () => {
    await withSandbox({ missingRoutes: ['/tiers'] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const estimate = JSON.parse(
        (
          await runCli(['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url, '--json'], {
            env: { FLUENCE_API_KEY: ENTERPRISE },
          })
        ).stdout,
      );
      expect(estimate.quota).toMatchObject({ requests: 3, monthlyQuota: 500_000, tier: 'enterprise', exceeds: false });
      expect(estimate.quota.how).toContain("the docs' table (GET /tiers: HTTP 404)");
      const run = await enrich(sandbox, input, dir, ['--log-format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      expect(logLines(run.stderr).some((l) => /monthly quota \(/.test(l.msg) && l.level === 40)).toBe(false);
    });
  });

  it("a quota stop says when the quota resets (from the 429's headers), not to run again at once", async () => {
    const capped = key('QuotaTen', { plan: 'crm_business', credits: 1000, monthly_quota: 10 });
    await withSandbox({ keys: [capped] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(25, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, [], capped.key);
      expect(run.code).toBe(3);
      expect(sandbox.ledger.quotaExceeded).toBeGreaterThan(0);
      const now = new Date();
      const reset = `${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10)} 00:00 UTC`;
      // --summary's quotaResetsAt is for scripts; a person reads the day and time in the language, the zone named.
      expect(run.summary).toMatchObject({ stopReason: 'quota', quotaResetsAt: reset });
      const [year, month, day] = reset.slice(0, 10).split('-');
      const readable = `${month}/${day}/${year}, 12:00 AM UTC`;
      expect(run.summary!.nextStep).toContain(`monthly quota is used up until ${readable}`);
      expect(run.stderr).toContain(`next: 15 rows pending: the plan's monthly quota is used up until ${readable}`);
      expect(run.summary!.stopMessage).toBe(`monthly quota reached; it resets at ${readable}`);
      expect(run.stderr).not.toContain('run the same command again to resume');
    });
  });
});

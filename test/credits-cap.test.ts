import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactsCovered, creditsCover } from '../src/engine/budget.js';
import { nextStep } from '../src/engine/next-step.js';
import { RunStats } from '../src/engine/stats.js';
import { finished, runCli } from './helpers/cli.js';
import { contactsFile, enrich, people, startEnrich, workdir } from './helpers/enrich.js';
import { key, withSandbox } from './helpers/sandbox.js';

const statuses = (pending: number, failed = 0) => ({
  ok: 0,
  not_found: 0,
  ambiguous: 0,
  insufficient_data: 0,
  invalid_input: 0,
  failed,
  pending,
});

describe('the credits cap rule (pure)', () => {
  it('covers a request only when the lowest balance reported, less what is in flight and possibly charged, pays for it', () => {
    expect(creditsCover({ left: 20, maybeUsed: 0 }, 0, 1)).toBe(true);
    expect(creditsCover({ left: 20, maybeUsed: 0 }, 19, 1)).toBe(true);
    expect(creditsCover({ left: 20, maybeUsed: 0 }, 20, 1)).toBe(false);
    // /crm costs 2: 25 credits with 24 held leave 1, not enough.
    expect(creditsCover({ left: 25, maybeUsed: 0 }, 24, 2)).toBe(false);
    expect(creditsCover({ left: 25, maybeUsed: 0 }, 22, 2)).toBe(true);
    // A 504 may have charged: it counts against what is left until an answer says otherwise.
    expect(creditsCover({ left: 5, maybeUsed: 4 }, 0, 1)).toBe(true);
    expect(creditsCover({ left: 5, maybeUsed: 5 }, 0, 1)).toBe(false);
    // Unknown credits hold nothing back: the API's 402 decides.
    expect(creditsCover({ left: undefined, maybeUsed: 0 }, 1_000_000, 2)).toBe(true);
  });

  it('keeps the lowest balance reported: an answer arriving late with an older, higher one does not raise it', () => {
    const stats = new RunStats();
    expect(stats.creditsLeft).toBeUndefined();
    for (const left of [20, 18, 0, 19, undefined]) stats.creditsLeft = left;
    expect(stats.creditsLeft).toBe(0);
  });

  it('counts the contacts the credits cover', () => {
    expect(contactsCovered(20, 100, 1)).toBe(20);
    expect(contactsCovered(25, 100, 2)).toBe(12);
    expect(contactsCovered(500, 100, 1)).toBe(100);
    expect(contactsCovered(0, 100, 1)).toBe(0);
    expect(contactsCovered(undefined, 100, 2)).toBe(100);
  });

  it('says what to do next for each stop: top up, wait for the quota, raise the budget, rerun', () => {
    const base = { exitCode: 3, error: null, quotaResetsAt: null };
    expect(nextStep({ ...base, stopReason: 'credits', byStatus: statuses(80) })).toMatch(
      /^80 rows pending: the account's credits do not cover them\. Top up the credits, then run the same command again/,
    );
    expect(
      nextStep({ ...base, stopReason: 'quota', byStatus: statuses(15), quotaResetsAt: '2026-12-01 00:00 UTC' }),
    ).toMatch(/monthly quota is used up until 2026-12-01 00:00 UTC .*Run the same command again once it resets/);
    expect(nextStep({ ...base, stopReason: 'budget', byStatus: statuses(3) })).toMatch(/--max-credits budget is spent/);
    expect(nextStep({ ...base, exitCode: 2, stopReason: 'signal', byStatus: statuses(4, 1) })).toMatch(
      /^5 rows failed or pending: run the same command again to resume/,
    );
    expect(nextStep({ ...base, exitCode: 0, stopReason: null, byStatus: statuses(0) })).toBeNull();
    expect(
      nextStep({
        ...base,
        exitCode: 1,
        stopReason: 'fatal',
        byStatus: statuses(0),
        error: { code: 'INVALID_KEY', message: '...' },
      }),
    ).toMatch(/^fix the cause of INVALID_KEY/);
  });
});

describe('credits known to be short: no request they do not cover (real CLI, sandbox ledger)', () => {
  it('20 credits, 100 contacts: 20 requests and no 402 (before: 65 requests, 45 answered 402); said before and after; a top-up resumes the rest', async () => {
    const poor = key('Twenty', { plan: 'crm_business', credits: 20 });
    await withSandbox({ keys: [poor] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(100, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, [], poor.key);
      expect(run.code, run.stderr).toBe(3);
      expect(sandbox.ledger.requests['/crm_basico']).toEqual({ 404: 20 });
      expect(sandbox.ledger.totalCharged).toBe(20);
      expect(run.summary).toMatchObject({
        requests: 20,
        creditsUsed: 20,
        creditsLeft: 0,
        stopReason: 'credits',
        byStatus: { not_found: 20, pending: 80 },
      });
      expect(run.summary!.nextStep).toMatch(
        /^80 rows pending: the account's credits do not cover them\. Top up the credits, then run the same command again/,
      );
      // Before the first request, and at the end.
      expect(run.stderr).toContain('credits left (20) cover 20 of the 100 contacts to ask at 1 credit each');
      expect(run.stderr).toMatch(
        /stopped \(credits\): the credits left \(\d+.*do not cover another request at 1 credit/,
      );
      expect(run.stderr).toContain('next: 80 rows pending');
      expect(run.rows.filter((r) => r.fluence_status === 'pending')).toHaveLength(80);

      sandbox.accounts.get(poor.key)!.credits += 200;
      const rerun = await enrich(sandbox, input, dir, [], poor.key);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.summary).toMatchObject({ requests: 80, fromCheckpoint: 20, nextStep: null });
      expect(sandbox.ledger.totalCharged).toBe(100);
      expect(sandbox.ledger.repeatCharges).toBe(0);
      expect(sandbox.ledger.requests['/crm_basico']![402]).toBeUndefined();
    });
  });

  it('/crm at 2 credits: 25 credits cover 12 contacts, and no request more', async () => {
    const poor = key('TwentyFive', { plan: 'crm_business', credits: 25 });
    await withSandbox({ keys: [poor] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(40, 'Teste 409'));
      const estimate = await runCli(
        ['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url, '--endpoint', 'crm'],
        { env: { FLUENCE_API_KEY: poor.key } },
      );
      expect(estimate.stdout).toContain(
        'NOT ENOUGH: they cover 12 of the 40 contacts to ask; the run asks those 12 and leaves the rest pending',
      );
      const run = await enrich(sandbox, input, dir, ['--endpoint', 'crm'], poor.key);
      expect(run.code, run.stderr).toBe(3);
      expect(sandbox.ledger.requests['/crm']).toEqual({ 409: 12 });
      expect(sandbox.ledger.totalCharged).toBe(24);
      expect(run.summary).toMatchObject({
        requests: 12,
        stopReason: 'credits',
        byStatus: { ambiguous: 12, pending: 28 },
      });
    });
  });

  it('two runs on one key at once: neither sends more than the credits it knows of; the account is never charged past them', async () => {
    const shared = key('SharedPurse', { plan: 'crm_business', credits: 30 });
    await withSandbox({ keys: [shared], faults: { latencyMs: [20, 60] } }, async (sandbox) => {
      const [a, b] = [await workdir(), await workdir()];
      const inputA = await contactsFile(a, people(60, 'Teste 404', 'PessoaA'));
      const inputB = await contactsFile(b, people(60, 'Teste 404', 'PessoaB'));
      const runs = await Promise.all([
        finished(startEnrich(sandbox, inputA, a, [], shared.key)),
        finished(startEnrich(sandbox, inputB, b, [], shared.key)),
      ]);
      const summaries = [a, b].map((dir) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
      for (const s of summaries) expect(s.requests).toBeLessThanOrEqual(30);
      expect(sandbox.ledger.totalCharged).toBe(30);
      expect(summaries.reduce((n, s) => n + s.byStatus.not_found, 0)).toBe(30);
      expect(runs.every((r) => r.code === 0 || r.code === 3)).toBe(true);
    });
  });
});

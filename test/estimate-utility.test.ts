import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

describe('estimate: what a run would spend, without a CRM request', () => {
  it('counts rows, invalid with reasons, duplicates, answered; enrich then spends exactly its "at most" when nothing is refunded', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [
        ...people(8, 'Teste 404'),
        ...people(4, 'Teste 409', 'Amb'),
        ['Pessoa0', 'Silva', 'TESTE 404'], // duplicate
        ['', 'Sem Nome', 'Acme'],
        ['Ana', 'https://x.com/ana', 'Acme'],
      ]);
      const estimate = await runCli(
        ['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url, '--json', '--endpoint', 'crm'],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(estimate.code).toBe(0);
      const e = JSON.parse(estimate.stdout);
      expect(e).toMatchObject({
        rows: 15,
        valid: 13,
        invalid: 2,
        duplicates: 1,
        alreadyAnswered: 0,
        toAsk: 12,
        maxCredits: 24,
        creditsLeft: 1000,
        plan: 'enterprise_crm',
        rate: 500,
      });
      expect(e.invalidReasons).toEqual([
        { reason: 'primeiro_nome is empty', rows: 1 },
        { reason: 'ultimo_nome contains a URL; the API does not accept profile URLs', rows: 1 },
      ]);
      expect(sandbox.ledger.requests['/crm']).toBeUndefined();
      const run = await enrich(sandbox, input, dir, ['--endpoint', 'crm']);
      expect(run.code).toBe(0);
      expect(sandbox.ledger.totalCharged).toBe(e.maxCredits);
      // Now everything is answered.
      const again = JSON.parse(
        (
          await runCli(
            ['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url, '--json', '--endpoint', 'crm'],
            { env: { FLUENCE_API_KEY: ENTERPRISE } },
          )
        ).stdout,
      );
      expect(again).toMatchObject({ alreadyAnswered: 12, toAsk: 0, maxCredits: 0 });
    });
  });

  it('is an upper bound when answers come back refunded, and works without a key', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [...people(5, 'Teste 422'), ...people(5, 'Teste 404', 'PessoaB')]);
      const noKey = await runCli(['estimate', input, '-o', join(dir, 'out.csv')]);
      expect(noKey.code).toBe(0);
      expect(noKey.stdout).toContain('at most 10 credits');
      expect(noKey.stdout).toContain('credits left unknown');
      await enrich(sandbox, input, dir);
      expect(sandbox.ledger.totalCharged).toBe(5);
    });
  });
});

describe('utility commands against the sandbox', () => {
  it('credits, health, status and tiers: readable by default, JSON with --json', async () => {
    await withSandbox({}, async (sandbox) => {
      const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: sandbox.url };
      const credits = await runCli(['credits'], { env });
      expect(credits.stdout).toContain('Credits left: 1,000');
      expect(credits.stdout).toContain('Plan: enterprise_crm');
      expect(JSON.parse((await runCli(['credits', '--json'], { env })).stdout).billing_info.creditos_restantes).toBe(
        1000,
      );
      expect((await runCli(['health'], { env: { FLUENCE_BASE_URL: sandbox.url } })).stdout).toMatch(
        /^API healthy \(sandbox\)/,
      );
      expect((await runCli(['status'], { env })).stdout).toContain('Status: operational');
      const tiers = await runCli(['tiers'], { env });
      expect(tiers.stdout).toMatch(/enterprise\s+500\s+1,000\s+500,000/);
      expect(JSON.parse((await runCli(['tiers', '--json'], { env })).stdout).tiers).toHaveLength(5);
      const bad = await runCli(['credits'], { env: { ...env, FLUENCE_API_KEY: 'Q'.repeat(40) } });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('[INVALID_KEY]');
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });
});

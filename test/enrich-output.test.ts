import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, stable, workdir } from './helpers/enrich.js';
import { ENTERPRISE, key, PLATFORM, withSandbox } from './helpers/sandbox.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

describe('enrich: statuses, columns and credits', () => {
  it('maps each outcome to its columns and credits; the credits add up to the ledger; duplicates are paid once', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [
        ['Ana', 'Souza', 'Teste 200 Ltda'],
        ['Rui', 'Lima', 'Teste 404 Ltda'],
        ['Eva', 'Reis', 'Teste 409 Ltda'],
        ['Ivo', 'Melo', 'Teste 422 Ltda'],
        ['Lia', 'Paz', 'Teste 500 Ltda'],
        ['Gil', 'Sá', 'Teste Instavel Ltda'],
        ['Zé', 'Dias', ''],
        ['https://linkedin.com/in/x', 'Dias', 'Acme'],
        ['  RUI ', 'lima', 'TESTE 404 LTDA'],
        ['Rui', 'Lima', 'Teste 404 Ltda'],
      ]);
      const run = await enrich(sandbox, input, dir, ['--retries', '1']);
      expect(run.code).toBe(2); // the 500 row is left failed
      const byId = Object.fromEntries(run.rows.map((r) => [r.id, r]));
      const statusOf = (id: string) => [
        byId[id]!.fluence_status,
        byId[id]!.fluence_http_status,
        byId[id]!.fluence_credits_used,
      ];
      expect(statusOf('2')).toEqual(['not_found', '404', '1']);
      expect(statusOf('3')).toEqual(['ambiguous', '409', '1']);
      expect(statusOf('4')).toEqual(['insufficient_data', '422', '0']);
      expect(statusOf('5')).toEqual(['failed', '500', '0']);
      expect(byId['5']!.fluence_error).toMatch(/HTTP 500.*gave up after 2 attempts/);
      expect(statusOf('6')).toEqual(['ok', '200', '1']);
      expect(statusOf('7')).toEqual(['invalid_input', '', '0']);
      expect(byId['7']!.fluence_error).toBe('empresa is empty');
      expect(statusOf('8')).toEqual(['invalid_input', '', '0']);
      expect(byId['8']!.fluence_error).toMatch(/URL/);
      expect(statusOf('9')).toEqual(['not_found', '404', '0']);
      expect(statusOf('10')).toEqual(['not_found', '404', '0']);
      expect(byId['4']!.fluence_error).toMatch(/INSUFFICIENT_DATA/);

      const total = run.rows.reduce((sum, r) => sum + Number(r.fluence_credits_used), 0);
      expect(total).toBe(sandbox.ledger.totalCharged);
      expect(sandbox.ledger.repeatCharges).toBe(0);
      expect(run.summary).toMatchObject({ rows: 10, duplicates: 2, creditsUsed: total, exitCode: 2 });
      expect(run.summary!.byStatus).toEqual({
        ok: 2,
        not_found: 3,
        ambiguous: 1,
        insufficient_data: 1,
        invalid_input: 2,
        failed: 1,
        pending: 0,
      });
      expect(run.stderr).toContain('fluence-enrich: 10 rows');
    });
  });

  it('keeps every input column and value, then status, enrichment and raw columns, in input order', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'export.csv');
      await writeFile(
        input,
        'Código,First Name,Last Name,Company Name,Notas\n7,Ana,Souza,"Acme, Inc",=SUM(A1)\n8,Bia,Lopes,Teste 404,"linha 1\nlinha 2"\n',
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(0);
      const header = readFileSync(run.output, 'utf8').split('\n')[0];
      expect(header).toBe(
        'Código,First Name,Last Name,Company Name,Notas,fluence_status,fluence_http_status,fluence_credits_used,fluence_error,' +
          'fluence_perfil_nome_completo,fluence_perfil_cargo,fluence_perfil_empresa,fluence_perfil_senioridade,fluence_perfil_localizacao,fluence_resumo,fluence_confianca,fluence_analise_json',
      );
      expect(run.rows.map((r) => r.Código)).toEqual(['7', '8']);
      // Input cells are never altered, formula-looking or not.
      expect(run.rows[0]!.Notas).toBe('=SUM(A1)');
      expect(run.rows[1]!.Notas).toBe('linha 1\nlinha 2');
      const ok = run.rows[0]!;
      if (ok.fluence_status === 'ok') {
        expect(ok.fluence_perfil_nome_completo).toBe('Ana Souza');
        expect(JSON.parse(ok.fluence_analise_json!).perfil.empresa).toBe('Acme, Inc');
      }
    });
  });

  it('/crm adds the personality columns; --fields picks the columns', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Souza', 'Teste 200 Ltda']]);
      const full = await enrich(sandbox, input, dir, ['--endpoint', 'crm', '--checkpoint', join(dir, 'a.sqlite')]);
      expect(Object.keys(full.rows[0]!)).toContain('fluence_personalidade_perfil_disc');
      expect(full.summary!.creditsUsed).toBe(full.rows[0]!.fluence_status === 'ok' ? 2 : full.summary!.creditsUsed);
      const picked = await enrich(sandbox, input, dir, [
        '--fields',
        'perfil.cargo,confianca',
        '--checkpoint',
        join(dir, 'b.sqlite'),
      ]);
      expect(Object.keys(picked.rows[0]!).slice(-3)).toEqual([
        'fluence_perfil_cargo',
        'fluence_confianca',
        'fluence_analise_json',
      ]);
    });
  });

  it('escapes enrichment values that a spreadsheet would run as formulas', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Souza', 'Teste Formula']]);
      const run = await enrich(sandbox, input, dir);
      const row = run.rows[0]!;
      expect(row.fluence_perfil_nome_completo).toBe(`'=HYPERLINK("http://example.invalid","clique")`);
      expect(row.fluence_perfil_cargo).toBe("'+55 11 9999-0000");
      expect(row.fluence_perfil_empresa).toBe("'-2+3");
      expect(row.fluence_perfil_senioridade).toBe("'@SUM(A1:A9)");
      expect(row.fluence_perfil_localizacao).toBe("'\t=1+1");
      expect(row.fluence_resumo!.startsWith("'\r")).toBe(true);
    });
  });

  it('reruns after success with 0 requests and the same output, credits column at 0', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [
        ['Ana', 'Souza', 'Acme'],
        ['Rui', 'Lima', 'Teste 404'],
        ['Ivo', 'Melo', 'Teste 422'],
        ['Eva', 'Reis', 'Natura'],
      ]);
      const first = await enrich(sandbox, input, dir);
      const charged = sandbox.ledger.totalCharged;
      const requests = sandbox.ledger.keys[ENTERPRISE]!.requests;
      const second = await enrich(sandbox, input, dir);
      expect(second.code).toBe(0);
      expect(second.summary).toMatchObject({ requests: 0, creditsUsed: 0, fromCheckpoint: 4 });
      expect(sandbox.ledger.totalCharged).toBe(charged);
      expect(sandbox.ledger.keys[ENTERPRISE]!.requests).toBe(requests + 1); // the free /creditos preflight
      expect(stable(second.rows)).toEqual(stable(first.rows));
      expect(second.rows.every((r) => r.fluence_credits_used === '0')).toBe(true);
    });
  });

  it('finds common headers, and stops before any request when a column is missing', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Nome,Telefone\nAna,123\n');
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /no column for ultimo_nome, empresa; the file has: "Nome", "Telefone".*\[MISSING_COLUMN\]/,
      );
      expect(sandbox.ledger.keys[ENTERPRISE]).toBeUndefined();
    });
  });

  it('stops with exit 1 and spends nothing for an invalid key or a platform plan', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Souza', 'Acme']]);
      const bad = await enrich(sandbox, input, dir, [], 'Z'.repeat(40));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/refused the key.*\[INVALID_KEY\]/);
      const platform = await enrich(sandbox, input, dir, [], PLATFORM);
      expect(platform.code).toBe(1);
      expect(platform.stderr).toMatch(/cannot use the CRM endpoints.*\[PLAN_NO_CRM_ACCESS\]/);
      expect(sandbox.ledger.totalCharged).toBe(0);
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      expect(platform.rows).toEqual([]);
      for (const out of [bad.stderr, platform.stderr]) expect(out).not.toContain(PLATFORM);
    });
  });

  it('refuses a key in the wrong shape and plain http to another host before any request', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Souza', 'Acme']]);
      const short = await enrich(sandbox, input, dir, [], 'abc');
      expect(short.stderr).toContain('[BAD_KEY_FORMAT]');
      const insecure = await enrich(sandbox, input, dir, ['--base-url', 'http://api.example.com/prod']);
      expect(insecure.code).toBe(1);
      expect(insecure.stderr).toContain('[INSECURE_BASE_URL]');
    });
  });

  it('documents the exit codes in --help', async () => {
    const help = await runCli(['enrich', '--help']);
    expect(help.code).toBe(0);
    for (const line of [
      '0  every row has a final answer',
      '2  some rows left failed or pending',
      '3  stopped for credits (402)',
    ])
      expect(help.stdout).toContain(line);
  });

  it('gateway-style 403 Forbidden is treated as a bad key', async () => {
    await withSandbox({ authStyle: 'gateway' }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Souza', 'Acme']]);
      const run = await enrich(sandbox, input, dir, [], key('Nope', { plan: 'crm_business', credits: 1 }).key);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[INVALID_KEY]');
    });
  });
});

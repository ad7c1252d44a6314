import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';

describe('answers that are not what they seem, mappings and fields checked before money goes', () => {
  it("a gateway's 404 for a route it does not have stops the run; nothing is stored as a paid not_found", async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, people(20, 'Teste 404'));
    for (const gateway of ['http', 'rest'] as const) {
      await withSandbox({ gateway, missingRoutes: ['/crm_basico'] }, async (wrong) => {
        const run = await enrich(wrong, input, dir);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('[WRONG_ADDRESS]');
        expect(run.stderr).toContain(`${wrong.url}/crm_basico`);
        expect(run.rows.every((r) => r.fluence_status !== 'not_found')).toBe(true);
        expect(wrong.ledger.totalCharged).toBe(0);
      });
    }
    // Against the right address, every contact is asked: none was kept as answered.
    await withSandbox({}, async (right) => {
      const rerun = await enrich(right, input, dir);
      expect(rerun.code).toBe(0);
      expect(rerun.summary).toMatchObject({ requests: 20, fromCheckpoint: 0 });
      expect(rerun.rows.every((r) => r.fluence_status === 'not_found')).toBe(true);
    });
  });

  it('a base URL with a path the server does not have: the free preflight names the whole URL; a query string is refused', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const enrichRun = await enrich(sandbox, input, dir, ['--base-url', `${sandbox.url}/prod`]);
      expect(enrichRun.stderr).toContain(`GET ${sandbox.url}/prod/creditos answered 404`);
      expect(enrichRun.stderr).toContain('[WRONG_ADDRESS]');
      const credits = await runCli(['credits', '--base-url', `${sandbox.url}/prod`], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(credits.code).toBe(1);
      expect(credits.stderr).toContain(`GET ${sandbox.url}/prod/creditos answered 404`);
      expect(credits.stderr).toContain('it should be the API root');
      const query = await runCli(['credits', '--base-url', `${sandbox.url}/?stage=prod`], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(query.stderr).toContain('option --base-url: expected the API root with nothing after it');
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });

  it('one column for two fields is refused; a repeated header with different values is named, with the line', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(5, 'IFood'));
      const twice = await enrich(sandbox, input, dir, ['--map', 'primeiro_nome=empresa']);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('[MAP_CONFLICT]');
      expect(twice.stderr).toContain('is given for both primeiro_nome and empresa');

      const dup = join(dir, 'dup.csv');
      await writeFile(
        dup,
        'primeiro_nome,ultimo_nome,empresa,empresa\nAna,Souza,Teste 404,Teste 404\nRui,Lima,Teste 404,Acme\n',
      );
      const ambiguous = await enrich(sandbox, dup, dir);
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toContain('[AMBIGUOUS_COLUMN]');
      expect(ambiguous.stderr).toMatch(/line 3 .*--map empresa=3 or --map empresa=4/);
      expect(sandbox.ledger.totalCharged).toBe(0);

      // Said by position, it runs; and twin columns that agree everywhere are no question at all.
      const byPosition = await enrich(sandbox, dup, dir, ['--map', 'empresa=3']);
      expect(byPosition.code).toBe(0);
      expect(byPosition.rows.map((r) => r.fluence_status)).toEqual(['not_found', 'not_found']);
      const same = join(dir, 'same.csv');
      await writeFile(same, 'primeiro_nome,ultimo_nome,empresa,Empresa\nAna,Souza,Teste 404,Teste 404\n');
      expect((await enrich(sandbox, same, dir, ['-o', join(dir, 'same.out.csv')])).code).toBe(0);
    });
  });

  it("--fields reads only the answer's own data, says when a path is in no answer, and refuses a repeat", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(25, 'Teste 200'));
      const run = await enrich(sandbox, input, dir, [
        '--fields',
        'constructor,toString,perfil.naoexiste,perfil.cargo',
        '--log-format',
        'json',
      ]);
      expect(run.code).toBe(0);
      for (const row of run.rows) {
        expect(row.fluence_constructor).toBe('');
        expect(row.fluence_toString).toBe('');
        expect(row.fluence_perfil_naoexiste).toBe('');
        expect(row.fluence_perfil_cargo).not.toBe('');
      }
      expect(run.summary!.emptyFields).toEqual(['constructor', 'toString', 'perfil.naoexiste']);
      const warning = run.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => l.fields);
      expect(warning).toMatchObject({ level: 40, fields: ['constructor', 'toString', 'perfil.naoexiste'] });
      for (const fields of ['resumo,resumo', 'perfil.cargo,perfil_cargo']) {
        const refused = await enrich(sandbox, input, dir, ['--fields', fields]);
        expect(refused.stderr).toContain('[BAD_OPTION]');
      }
      expect(sandbox.ledger.totalCharged).toBe(25);
    });
  });

  it('an input that is already an enriched output is said to be one before anything is spent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(2, 'Teste 404'));
      const first = await enrich(sandbox, input, dir);
      expect(first.code).toBe(0);
      const again = await enrich(sandbox, join(dir, 'out.csv'), dir, ['-o', join(dir, 'twice.csv')]);
      expect(again.stderr).toContain('looks like an enriched output');
    });
  });

  it('UTF-16LE without a BOM is read as such', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'utf16.csv');
      await writeFile(
        input,
        iconv.encode('primeiro_nome,ultimo_nome,empresa\r\nJoão,Conceição,Teste 404\r\n', 'utf16le'),
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(0);
      expect(run.rows).toMatchObject([
        { primeiro_nome: 'João', ultimo_nome: 'Conceição', fluence_status: 'not_found' },
      ]);
    });
  });

  it('credit figures add up: saved never counts a repeat, at most is what estimate says, possible charges are shown apart', async () => {
    const rich = key('Faulty', { plan: 'crm_enterprise', credits: 100_000 });
    await withSandbox({ keys: [rich], faults: { rates: { error504: 0.3 }, seed: 'credits' } }, async (sandbox) => {
      const dir = await workdir();
      // 40 contacts, 10 of them twice in the file.
      const input = await contactsFile(dir, [...people(40, 'Teste 200'), ...people(10, 'Teste 200')]);
      const estimate = JSON.parse((await runCli(['estimate', input, '-o', join(dir, 'out.csv'), '--json'])).stdout);
      expect(estimate).toMatchObject({ toAsk: 40, maxCredits: 40, duplicates: 10 });
      const first = await enrich(sandbox, input, dir, ['--retries', '8', '--log-format', 'json'], rich.key);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`this run spends at most ${estimate.maxCredits} `);
      const s = first.summary!;
      expect(s.maxCost).toBe(estimate.maxCredits);
      // What the account lost: known charges plus those that may have happened without an answer.
      const fell = sandbox.ledger.totalCharged;
      expect(s.creditsUsed).toBe(40);
      expect(s.creditsMaybeUsed).toBeGreaterThan(0);
      expect(fell).toBeGreaterThan(s.creditsUsed);
      expect(fell).toBeLessThanOrEqual(s.creditsUsed + s.creditsMaybeUsed);
      expect(first.stderr).toContain(`(+ up to ${s.creditsMaybeUsed} possibly charged without an answer)`);

      const again = await enrich(sandbox, input, dir, [], rich.key);
      expect(again.summary).toMatchObject({
        requests: 0,
        fromCheckpoint: 40,
        duplicates: 10,
        creditsSaved: 40,
        maxCost: 0,
      });
      expect(again.summary!.creditsSaved).toBeLessThanOrEqual(s.creditsUsed);
    });
  });
});

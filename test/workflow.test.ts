import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { enrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

describe('how people work: full names, no header, pipes, config files, cron logs', () => {
  it('splits a full-name column, particles with the surname', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(
        input,
        'Nome completo,Empresa\nMaria da Silva,Teste 404\nJoão Carlos dos Santos,Teste 409\nCher,Teste 404\n',
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.rows.map((r) => r.fluence_status)).toEqual(['not_found', 'ambiguous', 'invalid_input']);
      expect(run.rows[2]!.fluence_error).toBe('ultimo_nome is empty');
      expect(run.rows[0]!['Nome completo']).toBe('Maria da Silva'); // input untouched
      const asked = [...sandbox.ledger.chargesPerContact.keys()].map((k) => k.split('\u001f').slice(1, 3).join('|'));
      expect(asked).toEqual(['maria|da silva', 'joao|carlos dos santos']);
    });
  });

  it('--no-header takes columns by position and keeps every row', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Teste 404,Ana,Souza\nTeste 409,Rui,Lima\n');
      const run = await enrich(sandbox, input, dir, [
        '--no-header',
        '--map',
        'empresa=1',
        '--map',
        'primeiro_nome=2',
        '--map',
        'ultimo_nome=3',
      ]);
      expect(run.code).toBe(0);
      expect(
        readFileSync(run.output, 'utf8').split('\n')[0]!.startsWith('column_1,column_2,column_3,fluence_status'),
      ).toBe(true);
      expect(run.rows.map((r) => r.fluence_status)).toEqual(['not_found', 'ambiguous']);
    });
  });

  it('reads standard input and writes standard output (answers kept in an explicit checkpoint)', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: sandbox.url };
      const csv = 'primeiro_nome,ultimo_nome,empresa\nAna,Souza,Teste 404\nRui,Lima,Teste 409\n';
      const missing = await runCli(['enrich', '-', '-o', '-'], { env, input: csv });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('needs --checkpoint PATH or --cache PATH');
      const args = ['enrich', '-', '-o', '-', '--checkpoint', join(dir, 'pipe.sqlite'), '--progress', 'off'];
      const run = await runCli(args, { env, input: csv });
      expect(run.code).toBe(0);
      const rows: Array<Record<string, string>> = parse(run.stdout, { columns: true });
      expect(rows.map((r) => r.fluence_status)).toEqual(['not_found', 'ambiguous']);
      const again = await runCli(args, { env, input: csv });
      expect(again.stdout.split('\n').length).toBe(run.stdout.split('\n').length);
      expect(sandbox.ledger.totalCharged).toBe(2);
    });
  });

  it('a config file gives defaults; the environment beats it; flags beat both; never a key in it', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'primeiro_nome,ultimo_nome,empresa\nAna,Souza,Teste 404\n');
      await writeFile(
        join(dir, 'fluence-enrich.config.json'),
        JSON.stringify({ endpoint: 'crm', baseUrl: 'http://127.0.0.1:9', output: 'from-config.csv', quiet: true }),
      );
      const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: sandbox.url };
      // File: endpoint crm, output, quiet. Env: base URL (the file's is wrong on purpose).
      const run = await runCli(['enrich', 'in.csv', '--progress', 'off'], { env, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(''); // quiet: no summary text, no info logs
      const firstRow = (file: string): Record<string, string> =>
        (parse(readFileSync(join(dir, file)), { columns: true }) as Array<Record<string, string>>)[0]!;
      expect(firstRow('from-config.csv').fluence_credits_used).toBe('2');
      // A flag beats the file.
      const flagged = await runCli(['enrich', 'in.csv', '--endpoint', 'crm_basico', '-o', 'flag.csv', '--no-quiet'], {
        env,
        cwd: dir,
      });
      // One row is said in the singular (the catalog's plural).
      expect(flagged.stderr).toContain('fluence-enrich: 1 row ->');
      expect(firstRow('flag.csv').fluence_credits_used).toBe('1');
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ apiKey: ENTERPRISE }));
      const keyInFile = await runCli(['enrich', 'in.csv', '--config', 'bad.json'], { env, cwd: dir });
      expect(keyInFile.code).toBe(1);
      expect(keyInFile.stderr).toContain('[CONFIG_INVALID]');
      expect(keyInFile.stderr).not.toContain(ENTERPRISE);
    });
  });

  it('--log-format pretty writes readable lines, json writes JSON lines', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'primeiro_nome,ultimo_nome,empresa\nAna,Souza,Teste 404\n');
      const pretty = await enrich(sandbox, input, dir, ['--log-format', 'pretty']);
      // Figures in the reader's way: 1,000 in English (1.000 in Portuguese).
      expect(pretty.stderr).toMatch(/^\d\d:\d\d:\d\d INFO credits left 1,000/m);
      const json = await enrich(sandbox, input, dir, ['--log-format', 'json']);
      expect(json.stderr.split('\n').find((l) => l.startsWith('{'))).toMatch(/"level":30/);
    });
  });
});

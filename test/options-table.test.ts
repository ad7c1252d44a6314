import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfigFile, knownOptions } from '../src/cli/config-file.js';
import { optionHelp } from '../src/commands/yargs-options.js';
import { atLeast, PRODUCTION_URL } from '../src/options/checks.js';
import { normalizeEnrichOptions } from '../src/options/normalize.js';
import { COMMAND_NAMES, kebab, optionsOf } from '../src/options/table.js';
import { resolveOptions } from '../src/options/values.js';
import { FAULT_KINDS } from '../src/sandbox/faults.js';
import { runCli } from './helpers/cli.js';
import { workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

const KEY = 'K'.repeat(40);

describe('each option defined once, in the option table', () => {
  it("every command's --help lists exactly its options from the table", async () => {
    const helps = await Promise.all(COMMAND_NAMES.map((command) => runCli([command, '--help'])));
    for (const [i, command] of COMMAND_NAMES.entries()) {
      const help = helps[i]!;
      expect(help.code, command).toBe(0);
      const listed = [...help.stdout.matchAll(/^ +(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);
      expect(new Set(listed), command).toEqual(
        new Set(['help', 'version', ...optionsOf(command).map(([name]) => kebab(name))]),
      );
    }
  });

  it('defaults come from the table, parsed as for a given value', () => {
    const values = resolveOptions('enrich', {}, {});
    expect(values).toMatchObject({
      endpoint: 'crm_basico',
      baseUrl: PRODUCTION_URL,
      timeout: 35_000,
      retries: 4,
      redisWait: 30_000,
      map: {},
      header: false,
      refresh: false,
    });
    const config = normalizeEnrichOptions({ input: 'in.csv', apiKey: KEY }, {});
    expect(config).toMatchObject({
      endpoint: 'crm_basico',
      timeoutMs: 35_000,
      redisWaitMs: 30_000,
      noHeader: false,
      retry: { maxAttempts: 5 },
    });
    // The library's noHeader is header: false.
    expect(normalizeEnrichOptions({ input: 'in.csv', apiKey: KEY, noHeader: true }, {}).noHeader).toBe(true);
    expect(normalizeEnrichOptions({ input: 'in.csv', apiKey: KEY, header: false }, {}).noHeader).toBe(true);
  });

  it('one precedence rule: given beats the environment, which beats a config file, which beats the default', () => {
    const env = { FLUENCE_BASE_URL: 'http://127.0.0.1:1', FLUENCE_REDIS_URL: 'redis://from-env:6379' };
    expect(resolveOptions('credits', {}, env).baseUrl).toBe('http://127.0.0.1:1');
    expect(resolveOptions('credits', { baseUrl: 'http://localhost:2' }, env).baseUrl).toBe('http://localhost:2');
    expect(resolveOptions('credits', {}, { FLUENCE_BASE_URL: '' }).baseUrl).toBe(PRODUCTION_URL);

    const dir = mkdtempSync(join(tmpdir(), 'fe-options-'));
    try {
      const path = join(dir, 'config.json');
      writeFileSync(
        path,
        JSON.stringify({ redis: 'redis://from-file:6379', baseUrl: 'http://localhost:3', endpoint: 'crm' }),
      );
      const fromFile = (tokens: string[], environment: NodeJS.ProcessEnv): Record<string, unknown> => {
        const argv: Record<string, unknown> = { config: path };
        applyConfigFile(argv, tokens, knownOptions('enrich'), environment);
        return argv;
      };
      // The environment beats the file; the file beats the default.
      expect(fromFile([], env)).not.toHaveProperty('redis');
      expect(fromFile([], env)).not.toHaveProperty('baseUrl');
      expect(fromFile([], {})).toMatchObject({
        redis: 'redis://from-file:6379',
        baseUrl: 'http://localhost:3',
        endpoint: 'crm',
      });
      // A flag beats the file.
      expect(fromFile(['--endpoint', 'crm_basico'], {})).not.toHaveProperty('endpoint');
      // A command takes the file's keys it has, and only those.
      const credits: Record<string, unknown> = { config: path };
      applyConfigFile(credits, [], knownOptions('credits'), {});
      expect(credits).toEqual({ config: path, 'base-url': 'http://localhost:3', baseUrl: 'http://localhost:3' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--fault's help names every fault the sandbox has (written out: the table must not load the sandbox)", () => {
    expect(optionHelp('fault')).toContain(`KIND: ${FAULT_KINDS.join(', ')}`);
    expect(optionHelp('fault', 'pt-BR')).toContain(`TIPO: ${FAULT_KINDS.join(', ')}`);
  });
});

describe('a value that starts with "-"', () => {
  it('--max-age -1d is refused by --max-age itself, as --max-age=-1d is (yargs read it as flags -1 -d)', async () => {
    const [spaced, joined, negative] = await Promise.all([
      runCli(['estimate', 'in.csv', '--max-age', '-1d']),
      runCli(['estimate', 'in.csv', '--max-age=-1d']),
      runCli(['estimate', 'in.csv', '--rate', '-5']),
    ]);
    for (const run of [spaced, joined]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'fluence-enrich: option --max-age: expected a duration like 30d, 12h or 90m, got "-1d" [BAD_OPTION]\n',
      );
    }
    expect(negative.stderr).toContain('option --rate: expected a number > 0, got "-5" [BAD_OPTION]');
  });

  it('--output - writes standard output, as -o - does', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: sandbox.url };
      const csv = 'primeiro_nome,ultimo_nome,empresa\nAna,Souza,Teste 404\n';
      const run = await runCli(
        ['enrich', '-', '--output', '-', '--checkpoint', join(dir, 'pipe.sqlite'), '--progress', 'off'],
        { env, input: csv },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(
        (parse(run.stdout, { columns: true }) as Array<Record<string, string>>).map((row) => row.fluence_status),
      ).toEqual(['not_found']);
    });
  });
});

describe('a whole number typed as text', () => {
  it('is digits only: "1.000" and "1,000" are refused (not read as 1, as Number() would), "1000" and a config\'s 1000 taken', () => {
    const maxCredits = atLeast(0, true);
    for (const typed of ['1.000', '1,000', '1e3', '0x10', '5.0', ''])
      expect(() => maxCredits(typed, 'max-credits'), typed).toThrow(/expected a whole number >= 0/);
    expect(maxCredits('1000', 'max-credits')).toBe(1000);
    expect(maxCredits(' 7 ', 'max-credits')).toBe(7);
    expect(maxCredits(1000, 'max-credits')).toBe(1000);
    // A number that need not be whole keeps its decimal point.
    expect(atLeast(0)('2.5', 'rate')).toBe(2.5);
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstJsonMistake } from '../src/cli/config-json.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, enrichArgs, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** Words of the English catalog a Portuguese refusal must not hold (the terminal's advice keeps `--map` as it is). */
const ENGLISH = /no column for|the file has|Name it with|Its first rows|was taken as|nothing was spent/i;

describe('a refused file, said in the reader’s language through the real CLI', () => {
  it('--lang pt-BR: the facts in Portuguese and the --map line; --lang en: in English; the code and exit code unchanged', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Nome,Telefone\nAna,123\n');
      const pt = await enrich(sandbox, input, dir, ['--lang', 'pt-BR']);
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /não há coluna para ultimo_nome, empresa; as colunas do arquivo são: "Nome", "Telefone"\. Indique a coluna com --map ultimo_nome=Coluna\. Se "Nome" tem nomes completos, use --map nome_completo="Nome"\. \[MISSING_COLUMN\]/,
      );
      expect(pt.stderr).not.toMatch(ENGLISH);
      const en = await enrich(sandbox, input, dir, ['--lang', 'en']);
      expect(en.code).toBe(1);
      expect(en.stderr).toMatch(
        /no column for ultimo_nome, empresa; the file has: "Nome", "Telefone"\. Name it with --map ultimo_nome=Header\. If "Nome" holds full names, use --map nome_completo="Nome"\. \[MISSING_COLUMN\]/,
      );
      expect(sandbox.ledger.keys[ENTERPRISE]).toBeUndefined();
    });
  });

  it('the locale chooses when --lang is not given (LANG=pt_BR.UTF-8; LANG=C reads English), suggestions and lists included', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'erp.csv');
      await writeFile(
        input,
        'Código;Cliente;Razão Social;Contato\n001;Padaria Aurora;Aurora Alimentos Ltda;Ana Moura\n002;Mercadinho Bom Preço;BP Comércio Ltda;Bruno Lima\n',
      );
      const args = enrichArgs(sandbox, input, dir, []);
      const pt = await runCli(args, {
        env: { FLUENCE_API_KEY: ENTERPRISE, LANG: 'pt_BR.UTF-8', LC_ALL: '', FLUENCE_LANG: '' },
      });
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /As primeiras linhas sugerem: "Contato" tem nomes completos de pessoas \(ex\.: "Ana Moura"\) e "Razão Social" tem empresas \(ex\.: "Aurora Alimentos Ltda"\); se for isso, rode com --map nome_completo="Contato" --map empresa="Razão Social" .*\[MISSING_COLUMN\]/,
      );
      expect(pt.stderr).not.toMatch(ENGLISH);
      const c = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE, LANG: 'C', LC_ALL: '', FLUENCE_LANG: '' } });
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/Its first rows suggest: "Contato" holds people's full names .*\[MISSING_COLUMN\]/);
    });
  });

  it('a doubtful column in Portuguese: what its values are, the columns that could be meant, the --map to choose', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'ids.csv');
      await writeFile(
        input,
        'primeiro_nome,ultimo_nome,empresa\n101,Moura,Padaria Aurora\n102,Lima,Mercadinho Bom Preço\n103,Souza,Aurora Alimentos Ltda\n',
      );
      const pt = await enrich(sandbox, input, dir, ['--lang', 'pt-BR']);
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /a coluna "primeiro_nome" foi lida como primeiro_nome, mas 3 dos 3 valores dela não são nomes de pessoas: 3 não têm letras/,
      );
      expect(pt.stderr).toMatch(/--map primeiro_nome=Coluna .*nada foi gasto.*\[DOUBTFUL_COLUMN\]/);
      expect(pt.stderr).not.toMatch(ENGLISH);
    });
  });
});

describe('a config file that is missing or not JSON, said in the reader’s language (real CLI)', () => {
  /** `estimate` with `--config NAME` in `dir`, in `lang`. */
  const estimate = (dir: string, name: string, lang: string) =>
    runCli(['estimate', 'in.csv', '--config', name, '--lang', lang], { cwd: dir, env: { FLUENCE_API_KEY: '' } });

  it('not JSON: the file, its line and column, what is wrong there and what the file should be; never V8’s words', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'bad.json'), '{\n  "endpoint": "crm",\n  "cache": cache.sqlite\n}\n');
    await writeFile(join(dir, 'comma.json'), '{\n  "endpoint": "crm",\n}\n');
    const [pt, en, ptComma, enComma] = await Promise.all([
      estimate(dir, 'bad.json', 'pt-BR'),
      estimate(dir, 'bad.json', 'en'),
      estimate(dir, 'comma.json', 'pt-BR'),
      estimate(dir, 'comma.json', 'en'),
    ]);
    for (const run of [pt, en, ptComma, enComma]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[CONFIG_INVALID]');
      expect(run.stderr).not.toMatch(/Unexpected token|in JSON at position|Expected property name/);
    }
    expect(pt.stderr).toContain(
      'o arquivo de configuração bad.json não é um JSON válido: linha 3, coluna 12: uma palavra ou nome sem aspas duplas',
    );
    expect(pt.stderr).toContain('Corrija nesse ponto: o arquivo deve ser um objeto JSON de opções');
    expect(en.stderr).toContain(
      'config file bad.json is not valid JSON: line 3, column 12: a word or name without double quotes',
    );
    expect(ptComma.stderr).toContain('linha 3, coluna 1: uma vírgula a mais antes de um } ou ] (apague-a)');
    expect(enComma.stderr).toContain('line 3, column 1: a comma too many before a closing } or ] (delete it)');
  }, 60_000);

  it('a value the option refuses: the option’s words, then the file and the key as written in it; a flag given instead wins', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'dez.json'), '{"maxCredits": "dez"}\n');
    await writeFile(join(dir, 'kebab.json'), '{"max-credits": -1}\n');
    const enrich = (name: string, lang: string, more: string[] = []) =>
      runCli(['enrich', 'in.csv', '--config', name, '--lang', lang, ...more], {
        cwd: dir,
        env: { FLUENCE_API_KEY: '' },
      });
    const [pt, en, kebab, flag] = await Promise.all([
      enrich('dez.json', 'pt-BR'),
      enrich('dez.json', 'en'),
      enrich('kebab.json', 'en'),
      enrich('dez.json', 'en', ['--max-credits', '5']),
    ]);
    expect(pt.code).toBe(1);
    expect(pt.stderr).toContain(
      'opção --max-credits: o esperado é um número inteiro >= 0; veio "dez". Esse valor vem do arquivo de configuração dez.json (chave "maxCredits"): corrija-o lá. [BAD_OPTION]',
    );
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(
      'option --max-credits: expected a whole number >= 0, got "dez". That value comes from the config file dez.json (key "maxCredits"): fix it there. [BAD_OPTION]',
    );
    expect(kebab.stderr).toContain('from the config file kebab.json (key "max-credits")');
    // The command line's --max-credits 5 wins: the file's value is never read, nor refused.
    expect(flag.stderr).not.toContain('dez');
  }, 60_000);

  it('missing: CONFIG_NOT_FOUND naming the file where it was looked for, not a bare ENOENT', async () => {
    const dir = await workdir();
    const [pt, en] = await Promise.all([estimate(dir, 'nope.json', 'pt-BR'), estimate(dir, 'nope.json', 'en')]);
    const full = join(dir, 'nope.json');
    expect(pt.code).toBe(1);
    expect(pt.stderr).toContain(
      `arquivo de configuração nope.json não encontrado (${full}); confira o caminho passado em --config [CONFIG_NOT_FOUND]`,
    );
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(
      `config file nope.json not found (${full}); check the path given to --config [CONFIG_NOT_FOUND]`,
    );
    expect(pt.stderr + en.stderr).not.toContain('ENOENT');
  }, 60_000);

  it('a byte-order mark (Notepad’s UTF-8) is no mistake; each mistake is found where an editor shows it', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'bom.json'), '\uFEFF{"lang": "pt-BR"}');
    const bom = await runCli(['estimate', 'in.csv', '--config', 'bom.json'], {
      cwd: dir,
      env: { LANG: 'C', LC_ALL: '', LC_MESSAGES: '', FLUENCE_LANG: '' },
    });
    expect(bom.stderr).not.toContain('CONFIG_INVALID');
    expect(bom.stderr).toContain('[INPUT_NOT_FOUND]');
    expect(bom.stderr).toContain('o arquivo não existe'); // its lang was read
    const cases: Array<[string, ReturnType<typeof firstJsonMistake>]> = [
      ['', { line: 1, column: 1, problem: 'empty' }],
      ['{"a": 1 // note\n}', { line: 1, column: 9, problem: 'comment' }],
      ['{"a": 1\n "b": 2}', { line: 2, column: 2, problem: 'comma' }],
      ['{"a" 1}', { line: 1, column: 6, problem: 'colon' }],
      ["{'a': 1}", { line: 1, column: 2, problem: 'unquoted' }],
      ['{"a": }', { line: 1, column: 7, problem: 'value' }],
      ['{"a": [1, 2,]}', { line: 1, column: 13, problem: 'extraComma' }],
      ['{"a": "x\n"}', { line: 1, column: 7, problem: 'openText' }],
      ['{"a": 1', { line: 1, column: 8, problem: 'unclosed' }],
      ['{"a": 1}}', { line: 1, column: 9, problem: 'after' }],
      ['{"a": 1}', undefined],
    ];
    for (const [text, mistake] of cases) expect(firstJsonMistake(text), text).toEqual(mistake);
  }, 60_000);
});

describe('an answer that stops the run mid-way, said in the reader’s language (real CLI)', () => {
  it('a gateway’s 404 (WRONG_ADDRESS) in Portuguese: the last line, the log line, --summary’s error and stopMessage; the code unchanged', async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, people(5, 'Teste 404'));
    await withSandbox({ gateway: 'http', missingRoutes: ['/crm_basico'] }, async (wrong) => {
      const pt = await enrich(wrong, input, dir, ['--lang', 'pt-BR']);
      expect(pt.code).toBe(1);
      const words = `POST ${wrong.url}/crm_basico recebeu a resposta 404 "Not Found" de algo que não é a API da Fluence`;
      expect(pt.stderr).toMatch(
        new RegExp(`fluence-enrich: ${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\[WRONG_ADDRESS\\]`),
      );
      const stopLine = pt.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; msgKey?: string })
        .find((line) => line.msgKey === 'cli.stop.log');
      expect(stopLine?.msg).toContain(`parando: ${words}`);
      expect(pt.summary!.error).toMatchObject({ code: 'WRONG_ADDRESS', message: expect.stringContaining(words) });
      expect(pt.summary!.stopMessage).toBe(pt.summary!.error.message);
      expect(pt.stderr).not.toContain('by something that is not the Fluence API');
      // The row the answer ended says it in the run's language too (its fluence_error).
      expect(pt.rows.map((row) => row.fluence_error)).toContainEqual(expect.stringContaining(words));
      expect(pt.rows.map((row) => row.fluence_error).join('\n')).not.toContain('by something that is not');
      const en = await enrich(wrong, input, dir, ['--lang', 'en']);
      expect(en.code).toBe(1);
      expect(en.stderr).toContain(
        `POST ${wrong.url}/crm_basico was answered 404 "Not Found" by something that is not the Fluence API`,
      );
      expect(en.summary!.error.code).toBe('WRONG_ADDRESS');
      expect(en.rows.map((row) => row.fluence_error)).toContainEqual(
        expect.stringContaining(`POST ${wrong.url}/crm_basico was answered 404 "Not Found" by something that is not`),
      );
    });
  }, 120_000);
});

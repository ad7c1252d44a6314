import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { icuLiterals } from './helpers/icu.js';
import { describe, expect, it } from 'vitest';
import { catalogOf } from '../src/i18n/index.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { contactsFile, enrichArgs, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/**
 * What a person reads in the terminal and the report is in their language, end to end through
 * the real CLI: no sentence of the other language's catalog shows, and what machines read
 * (summary fields, JSON log lines, output columns) is the same in both.
 */

const COMMANDS = ['enrich', 'estimate', 'credits', 'health', 'status', 'tiers', 'sandbox', 'serve'];

/** The environment of a locale: the test machine's own LC_* never decide. */
const locale = (LANG: string, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  LANG,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANGUAGE: '',
  FLUENCE_LANG: '',
  ...more,
});

/** The literal stretches of an ICU text (the words between its values), each as one line of words. */
const literalsOf = (text: string, lang: string): string[] =>
  icuLiterals(text, lang)
    .map(words)
    .filter((part) => part.length > 12);

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The sentences of `from`'s catalog parts that `other` words differently: each literal stretch
 * longer than 12 characters of a text that differs, unless the other language's text has it too
 * (a technical token, a file name).
 */
function sentencesOnlyIn(from: 'en' | 'pt-BR', other: 'en' | 'pt-BR', parts: string[]): string[] {
  const mine = catalogOf(from);
  const theirs = catalogOf(other);
  const found = new Set<string>();
  for (const [key, text] of Object.entries(mine)) {
    if (!parts.some((part) => key.startsWith(`${part}.`)) || text === theirs[key]) continue;
    const theirWords = words(theirs[key] ?? '');
    for (const part of literalsOf(text, from)) if (!theirWords.includes(part)) found.add(part);
  }
  return [...found];
}

/** The sentences of `sentences` that `text` holds, its lines joined as yargs wraps them. */
const leaks = (text: string, sentences: readonly string[]): string[] => {
  const flat = words(text);
  return sentences.filter((sentence) => flat.includes(sentence));
};

const ENGLISH_HELP = sentencesOnlyIn('en', 'pt-BR', ['cli', 'options']);
const PORTUGUESE_HELP = sentencesOnlyIn('pt-BR', 'en', ['cli', 'options']);
const ENGLISH_RUN = sentencesOnlyIn('en', 'pt-BR', ['cli', 'report']);

const help = (args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> =>
  runCli([...args, '--help'], { env, cwd });

describe('--help in the chosen language', () => {
  it('in Portuguese holds no English sentence of the catalog, for the root and every command; in English (LANG=C) no Portuguese one', async () => {
    expect(ENGLISH_HELP.length).toBeGreaterThan(50);
    expect(PORTUGUESE_HELP.length).toBeGreaterThan(50);
    for (const command of [[], ...COMMANDS.map((name) => [name])]) {
      const [pt, en] = await Promise.all([help(command, locale('pt_BR.UTF-8')), help(command, locale('C'))]);
      const what = command.join(' ') || 'root';
      expect(pt.code, pt.stderr).toBe(0);
      expect(leaks(pt.stdout, ENGLISH_HELP), `pt ${what}`).toEqual([]);
      expect(pt.stdout, what).toContain('Opções:');
      expect(leaks(en.stdout, PORTUGUESE_HELP), `en ${what}`).toEqual([]);
      expect(en.stdout, what).toContain('Options:');
    }
  }, 300_000);

  it('follows --lang over the locale, FLUENCE_LANG, a config file, else LANG; LANG=C is English', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'fluence-enrich.config.json'), JSON.stringify({ lang: 'pt-BR' }));
    const cases: Array<[string, string[], NodeJS.ProcessEnv, string | undefined, string]> = [
      ['LANG=pt_BR', [], locale('pt_BR.UTF-8'), undefined, 'Opções:'],
      ['LANG=C', [], locale('C'), undefined, 'Options:'],
      ['--lang en beats LANG', ['--lang', 'en'], locale('pt_BR.UTF-8'), undefined, 'Options:'],
      ['--lang=pt-BR beats LANG', ['--lang=pt-BR'], locale('C'), undefined, 'Opções:'],
      ['FLUENCE_LANG', [], locale('C', { FLUENCE_LANG: 'pt-BR' }), undefined, 'Opções:'],
      ['a config file', [], locale('C'), dir, 'Opções:'],
      ['--lang beats the config file', ['--lang', 'en'], locale('pt_BR.UTF-8'), dir, 'Options:'],
    ];
    for (const [what, args, env, cwd, heading] of cases) {
      const run = await help(['estimate', ...args], env, cwd);
      expect(run.stdout, what).toContain(heading);
    }
  }, 240_000);

  it("a run's own lines follow the config file's lang too (estimate, no request)", async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'fluence-enrich.config.json'), JSON.stringify({ lang: 'pt-BR' }));
    const input = await contactsFile(dir, [['Ana', 'Souza', 'Padaria Central']]);
    const run = await runCli(['estimate', input], { env: locale('C'), cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 linha');
    expect(leaks(run.stdout, ENGLISH_RUN)).toEqual([]);
  }, 120_000);
});

const PEOPLE: Array<[string, string, string]> = [
  ['Ana', 'Souza', 'Padaria Central'],
  ['Bruno', 'Lima', 'Padaria Central'],
  ['Carla', 'Mendes', 'Oficina Rápida'],
  ['Daniel', 'Pereira', 'Oficina Rápida'],
  ['Eduarda', 'Costa', 'Mercado Bom Preço'],
  ['Felipe', 'Araújo', 'Mercado Bom Preço'],
  ['Gabriela', 'Rocha', 'Farmácia Vida'],
  ['Henrique', 'Alves', 'Farmácia Vida'],
];

/** One run of PEOPLE in `env`'s language, stopped by a 3-credit budget, with its report, summary and readable or JSON log. */
async function budgetRun(env: NodeJS.ProcessEnv, logFormat: 'pretty' | 'json') {
  return withSandbox({}, async (sandbox) => {
    const dir = await workdir();
    const input = await contactsFile(dir, PEOPLE);
    const report = join(dir, 'report.html');
    const extra = ['--max-credits', '3', '--report', report, '--log-format', logFormat];
    const run = await runCli(enrichArgs(sandbox, input, dir, extra), { env: { ...env, FLUENCE_API_KEY: ENTERPRISE } });
    return {
      ...run,
      html: readFileSync(report, 'utf8'),
      summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')),
      header: readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')[0],
    };
  });
}

/** The keys of an object, nested, as paths (`byStatus.ok`). */
const shapeOf = (value: unknown, at = ''): string[] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([name, inner]) => [`${at}${name}`, ...shapeOf(inner, `${at}${name}.`)])
    : [];

describe('a run in Portuguese', () => {
  it('says everything in Portuguese in the terminal and the report: no English sentence of the catalog', async () => {
    const run = await budgetRun(locale('pt_BR.UTF-8'), 'pretty');
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('próximo passo:');
    // The stop with its figures, as English readers have it: the budget, what was spent and held.
    expect(run.stderr).toMatch(
      /parou \(limite de --max-credits\): o limite de --max-credits \(3\) não comporta mais uma consulta de 1 crédito: (nenhum crédito gasto|\d+ gastos? ou talvez gastos?), (nenhum reservado|\d+ reservados?) para consultas em andamento/,
    );
    expect(leaks(run.stderr + run.stdout, ENGLISH_RUN)).toEqual([]);
    expect(run.html).toContain('<html lang="pt-BR">');
    expect(run.html).toContain('Relatório da execução');
    // The page's text, without its tags and styles (the SVG's words stay: chart titles and axes).
    const text = run.html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');
    expect(leaks(text, ENGLISH_RUN)).toEqual([]);
    // The report says the stop with its figures too.
    expect(words(text)).toContain('o limite de --max-credits (3) não comporta mais uma consulta de 1 crédito');
  }, 240_000);

  it('leaves what machines read as it is: --summary fields, JSON log lines (same fields and msgKey; msg, for people, in the language), output columns', async () => {
    const [pt, en] = [await budgetRun(locale('pt_BR.UTF-8'), 'json'), await budgetRun(locale('C'), 'json')];
    expect(shapeOf(pt.summary).sort()).toEqual(shapeOf(en.summary).sort());
    expect(pt.summary.stopReason).toBe(en.summary.stopReason);
    // The stop's facts are data, the same in both; its words (for people) in the run's language.
    for (const run of [pt, en]) expect(run.summary.stopFacts).toMatchObject({ reason: 'budget', limit: 3, cost: 1 });
    expect(pt.summary.stopMessage).toMatch(
      /^o limite de --max-credits \(3\) não comporta mais uma consulta de 1 crédito: /,
    );
    expect(en.summary.stopMessage).toMatch(
      /^the --max-credits budget of 3 has no room for another request at 1 credit \(\d+ spent or possibly spent, \d+ held by requests in flight\)$/,
    );
    expect(pt.header).toBe(en.header);
    const lines = (stderr: string) =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .map(({ time: _, ...fields }) => ({ fields: Object.keys(fields).sort(), msgKey: fields.msgKey }));
    expect(lines(pt.stderr)).toEqual(lines(en.stderr));
    expect(lines(pt.stderr).length).toBeGreaterThan(2);
    // A cron mail or `docker logs` is read by a person: the JSON line's msg is in the run's language.
    const said = (stderr: string, key: string) =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; msgKey?: string })
        .find((line) => line.msgKey === key)?.msg;
    expect(said(pt.stderr, 'cli.log.columns')).toMatch(/^colunas: /);
    expect(said(en.stderr, 'cli.log.columns')).toMatch(/^columns: /);
  }, 240_000);
});

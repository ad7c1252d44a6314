import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../src/i18n/catalog/en/rows.json' with { type: 'json' };
import pt from '../src/i18n/catalog/pt-BR/rows.json' with { type: 'json' };
import { reasonText } from '../src/contact/reason.js';
import { t, type MessageKey } from '../src/i18n/index.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { enrich, people, workdir } from './helpers/enrich.js';
import { icuLiterals } from './helpers/icu.js';
import { call, withSandbox } from './helpers/sandbox.js';

/**
 * Issue 29: why a row is not sent (`fluence_error` of an `invalid_input` row) is read by a person in
 * their spreadsheet, so it is written in the run's language. The reasons are kept as data (nothing
 * stored holds their words): a `--cache` rerun in the other language writes its own words and asks
 * nothing. Through the real CLI, on the sandbox's ledger.
 */

/** One row of each kind of refusal a CSV of first and last names can hold: [first, last, company, extra field?]. */
const REFUSED: Array<[string, string, string, ...string[]]> = [
  ['Ana', '', 'Acme'], // empty
  ['Bruno', 'Lima', 'Acme Brasil '.repeat(20)], // too long
  ['Carla', 'Souza', 'linkedin.com/in/carla'], // a URL
  ['Diego', 'Ramos', 'Acme\u0001Brasil'], // a control character
  ['Santos, Maria, Vendas', '', 'Acme'], // several commas
  ['King, Jr.', '', 'Acme'], // a surname and a suffix
  ['Ana Moura, João Silva', '', 'Acme'], // a comma between names of several words
  ['Dr.', 'Souza', 'Acme'], // only a title
  ['King Jr.', '', 'Acme'], // one name and a suffix
  ['Elisa', 'Prado', 'Acme', 'extra'], // more fields than the header
  ['Financeiro', 'Acme', 'Upsilon'], // a department in the first name
  ['Fábio', 'null', 'Acme'], // a placeholder in the surname
  ['Padaria', 'Aurora', 'Padaria Aurora'], // the row's company as the name
  ['Proposta', 'Comercial', 'Acme'], // a common word
  ['Gabriela', 'Moura', 'gmail.com'], // a webmail's domain as the company
  ['Helena', 'Costa', '0015g00000XyZ12AAB'], // a record id as the company
];

/** The English catalog's words: every literal part of a `rows.*` text of two words or more, but what both catalogs quote (the examples people type: `sem nome`, `pessoa física`). */
function englishPhrases(): string[] {
  const phrases = new Set<string>();
  for (const text of Object.values(en))
    for (const literal of icuLiterals(text))
      for (const part of literal.split(/[(),:;"]/)) if (/\p{L}+ \p{L}+/u.test(part.trim())) phrases.add(part.trim());
  const both = Object.values(pt).join('\n');
  return [...phrases].filter((phrase) => !both.includes(phrase));
}

const crmRequests = async (sandbox: Sandbox): Promise<number> => {
  const body = (await call(sandbox, '/__sandbox/ledger')).body;
  return Object.entries(body.requests as Record<string, Record<string, number>>)
    .filter(([path]) => path === '/crm_basico' || path === '/crm')
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
};

async function refusalsFile(dir: string): Promise<string> {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  // Enough people around the refusals that no column is judged to mean something else.
  const rows = [...people(60), ...REFUSED].map((cells, i) => [String(i + 1), ...cells].map(quote).join(','));
  const path = join(dir, 'in.csv');
  await writeFile(path, `${['id,primeiro_nome,ultimo_nome,empresa', ...rows].join('\n')}\n`);
  return path;
}

const refusedErrors = (rows: Array<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => r.fluence_status === 'invalid_input').map((r) => [r.id!, r.fluence_error!]));

describe("a row's refusal in the run's language (issue 29)", () => {
  for (const [first, second] of [
    ['pt-BR', 'en'],
    ['en', 'pt-BR'],
  ] as const) {
    it(`--lang ${first}, then the same --cache rerun in ${second}: each writes its own words, the rerun asks nothing`, async () => {
      await withSandbox({}, async (sandbox) => {
        const dir = await workdir();
        const input = await refusalsFile(dir);
        const cache = ['--cache', join(dir, 'cache.sqlite')];
        const one = await enrich(sandbox, input, dir, ['--lang', first, ...cache]);
        expect(one.code, one.stderr).toBe(0);
        const asked = await crmRequests(sandbox);
        expect(asked).toBeGreaterThanOrEqual(60);
        const two = await enrich(sandbox, input, dir, ['--lang', second, ...cache]);
        expect(two.code, two.stderr).toBe(0);
        // The rerun's answers come from the cache: the ledger has not moved.
        expect(await crmRequests(sandbox)).toBe(asked);

        const byLang = { [first]: refusedErrors(one.rows), [second]: refusedErrors(two.rows) };
        // Every refusal kind is refused in both runs, the same rows, the machine's status unchanged.
        expect(Object.keys(byLang.en!)).toHaveLength(REFUSED.length);
        expect(Object.keys(byLang['pt-BR']!)).toEqual(Object.keys(byLang.en!));
        const english = englishPhrases();
        expect(english.length).toBeGreaterThan(40);
        for (const [id, text] of Object.entries(byLang['pt-BR']!)) {
          expect(text, id).not.toBe(byLang.en![id]);
          expect(
            english.filter((phrase) => text.includes(phrase)),
            `${id}: ${text}`,
          ).toEqual([]);
        }
        // English reads as it always did (other tests assert these words).
        const enTexts = Object.values(byLang.en!).join('\n');
        for (const words of [
          'ultimo_nome is empty',
          'empresa is longer than 200 characters',
          'contains a URL',
          'contains control characters',
          'holds several commas',
          'a surname and a suffix',
          'two people, or "Last, First"',
          'holds only a title',
          'one name and a suffix',
          'fields but the header has 4; extra values: "extra"',
          'a department, a role or a test',
          'ultimo_nome is a placeholder',
          "the name is the row's company, not a person",
          'starts with "Proposta", a common word',
          "empresa is a webmail's domain",
          'empresa is a record id',
        ])
          expect(enTexts).toContain(words);
        const ptTexts = Object.values(byLang['pt-BR']!).join('\n');
        for (const words of [
          'ultimo_nome está em branco',
          'não o nome de uma pessoa',
          'valores, mas o cabeçalho tem 4 colunas',
        ])
          expect(ptTexts).toContain(words);
      });
    }, 180_000);
  }

  it("a row the run stopped before sending says so in the run's language (--lang pt-BR, --max-credits)", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await refusalsFile(dir);
      const run = await enrich(sandbox, input, dir, ['--lang', 'pt-BR', '--max-credits', '10']);
      const pending = run.rows.filter((r) => r.fluence_status === 'pending');
      expect(pending.length, run.stderr).toBeGreaterThan(0);
      for (const row of pending)
        expect(row.fluence_error).toBe(
          'não enviada: a execução parou antes (chegou ao limite de créditos da execução)',
        );
      expect(await crmRequests(sandbox)).toBeLessThanOrEqual(10);
    });
  }, 120_000);

  it("every reason, the workbook's too (a hidden row, a cell showing #N/A), reads in Portuguese without an English phrase", () => {
    const english = englishPhrases();
    const values = {
      field: 'nome_completo',
      doubt: 'placeholder',
      word: 'Vendas',
      max: 200,
      line: 7,
      fields: 5,
      width: 4,
    };
    for (const key of Object.keys(en).filter((k) => !k.startsWith('doubt.'))) {
      const why = {
        key: `rows.${key}` as MessageKey,
        params: { ...values, extra: '"x"', cell: 'B7', problem: '#N/A', why: 'budget' },
      };
      const text = reasonText(why, 'pt-BR');
      expect(text, key).not.toBe(reasonText(why, 'en'));
      expect(
        english.filter((phrase) => text.includes(phrase)),
        `${key}: ${text}`,
      ).toEqual([]);
    }
    // The doubts' words, of one value and of several (a column's refusal counts them).
    for (const key of Object.keys(en).filter((k) => k.startsWith('doubt.')))
      for (const count of [1, 3]) {
        const text = t('pt-BR', `rows.${key}` as MessageKey, { count });
        expect(
          english.filter((phrase) => text.includes(phrase)),
          `${key} ${count}: ${text}`,
        ).toEqual([]);
      }
  });
});

import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { contactKey } from '../src/contact/normalize.js';
import { readFullName } from '../src/contact/full-name.js';
import { lookup } from '../src/sandbox/directory.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { runCli } from './helpers/cli.js';
import { enrich, workdir } from './helpers/enrich.js';
import { call, withSandbox } from './helpers/sandbox.js';

/**
 * Issue 26: only people are charged. The proof sets (scripts/make-name-sets.mjs, from sources
 * apart from the gazetteer's): 2,100 people at real and small companies, one-person firms among
 * them, must all be sent; of 230 name-shaped non-people, at most 2% may be charged; a file of
 * only non-people stops before spending. Judged on the sandbox's ledger, through the real CLI.
 */
const DIR = new URL('../fixtures/names/', import.meta.url).pathname;
const rowsOf = (file: string): Array<Record<string, string>> =>
  parse(readFileSync(join(DIR, file)), { columns: true, bom: true });

/** The contacts the sandbox charged or was asked about, as `contactKey`s. */
async function ledger(sandbox: Sandbox): Promise<{ keys: Set<string>; crmRequests: number }> {
  const body = (await call(sandbox, '/__sandbox/ledger?contacts=1')).body;
  const crmRequests = Object.entries(body.requests as Record<string, Record<string, number>>)
    .filter(([path]) => path === '/crm_basico' || path === '/crm')
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const keys = new Set(Object.keys(body.chargesPerContact).map((k) => k.slice(k.indexOf('\u001f') + 1)));
  return { keys, crmRequests };
}

/** Whether the sandbox charged this person, or refunds them (a 422 or 500, fixed per person: then no charge is kept). */
const paidOrRefunded = (keys: Set<string>, firstName: string, lastName: string, company: string): boolean =>
  keys.has(contactKey({ firstName, lastName, company })) ||
  [422, 500].includes(lookup({ firstName, lastName, company }, 'crm_basico', 1).status);

const csv = (header: string[], rows: string[][]): string =>
  `${[header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n')}\n`;

describe('only people are charged (issue 26; real CLI, sandbox ledger)', () => {
  const people = rowsOf('people.csv');
  const notPeople = rowsOf('not-people.csv');

  it(`${people.length} people with full names, then with first and last names: none refused, every one asked`, async () => {
    expect(people.length).toBeGreaterThanOrEqual(2000);
    for (const [columns, label] of [
      [['Nome completo', 'Empresa'], 'full'],
      [['Primeiro nome', 'Sobrenome', 'Empresa'], 'split'],
    ] as const) {
      await withSandbox({}, async (sandbox) => {
        const dir = await workdir();
        const input = join(dir, 'people.csv');
        await writeFile(
          input,
          csv(
            [...columns],
            people.map((p) => columns.map((c) => p[c]!)),
          ),
        );
        const run = await enrich(sandbox, input, dir, ['--concurrency', '32']);
        // 0, or 3 when some answers failed (the sandbox's fixed 500s): never a stop.
        expect([0, 3], run.stderr).toContain(run.code);
        const refused = run.rows.filter((r) => r.fluence_status === 'invalid_input');
        expect(
          refused.map((r) => `${r[columns[0]]}: ${r.fluence_error}`),
          label,
        ).toEqual([]);
        // Every row answered was asked (the rest are `pending`, past the run's rate window): none left out by a rule.
        const answered = run.rows.filter((r) => r.fluence_status !== 'pending').length;
        expect(answered, label).toBeGreaterThan(0);
        expect((await ledger(sandbox)).crmRequests, label).toBeGreaterThanOrEqual(answered);
      });
    }
  }, 600_000);

  it(`${notPeople.length} name-shaped non-people among the people: at most 2% charged`, async () => {
    expect(notPeople.length).toBeGreaterThanOrEqual(200);
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'mixed.csv');
      const rows = [
        ...notPeople.map((p) => [p['Nome completo']!, p.Empresa!]),
        ...people.slice(0, 600).map((p) => [p['Nome completo']!, p.Empresa!]),
      ];
      await writeFile(input, csv(['Nome completo', 'Empresa'], rows));
      const run = await enrich(sandbox, input, dir, ['--concurrency', '32']);
      expect([0, 3], run.stderr).toContain(run.code);
      const { keys } = await ledger(sandbox);
      const charged = notPeople.filter((p) => {
        const { firstName, lastName } = readFullName(p['Nome completo']!);
        return keys.has(contactKey({ firstName, lastName, company: p.Empresa! }));
      });
      expect(charged.length, charged.map((p) => p['Nome completo']).join(', ')).toBeLessThanOrEqual(
        Math.floor(notPeople.length * 0.02),
      );
      const refused = run.rows.slice(notPeople.length).filter((r) => r.fluence_status === 'invalid_input');
      expect(refused.map((r) => r['Nome completo'])).toEqual([]);
    });
  }, 300_000);

  it('a file of only non-people stops before spending: exit 1, DOUBTFUL_COLUMN, no request', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      for (const [header, rows] of [
        [['Nome completo', 'Empresa'], notPeople.map((p) => [p['Nome completo']!, p.Empresa!])],
        [
          ['First Name', 'Last Name', 'Company'],
          notPeople.map((p) => {
            const [first, ...rest] = p['Nome completo']!.split(' ');
            return [first!, rest.join(' '), p.Empresa!];
          }),
        ],
      ] as const) {
        const input = join(dir, 'only.csv');
        await writeFile(
          input,
          csv(
            [...header],
            rows.map((r) => [...r]),
          ),
        );
        const run = await enrich(sandbox, input, dir);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(/not begun by a known first name.*\[DOUBTFUL_COLUMN\]/s);
      }
      expect((await ledger(sandbox)).crmRequests).toBe(0);
    });
  }, 120_000);

  it('items 3-6: clean-up on first/last columns, a full name in the first column, one-person firms, words and placeholders', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const run = await enrich(sandbox, join(DIR, 'items.csv'), dir);
      expect([0, 3], run.stderr).toContain(run.code);
      const { keys: sent, crmRequests } = await ledger(sandbox);
      const asked = (first: string, last: string, company: string): boolean =>
        paidOrRefunded(sent, first, last, company);
      // Item 4: titles, credentials, pronouns, emoji and nicknames dropped before sending.
      expect(asked('ricardo', 'carvalho', 'Acme Brasil')).toBe(true);
      expect(asked('helena', 'almeida', 'Acme Brasil')).toBe(true);
      expect(asked('marcos', 'rocha', 'Acme Brasil')).toBe(true);
      expect(asked('Ana', 'Souza', 'Acme Brasil')).toBe(true);
      expect(asked('José', 'Lima', 'Acme Brasil')).toBe(true);
      // Item 5: a full name in the first name's column, the surname's empty.
      expect(asked('Ana', 'Beatriz Moura', 'Beta Sistemas')).toBe(true);
      // Item 6: one-person firms named after their owner; a shop named after itself is not a person.
      expect(asked('Lucas', 'Santos', 'Lucas Santos ME')).toBe(true);
      expect(asked('YASMIN', 'COSTA', 'YASMIN COSTA MEI')).toBe(true);
      expect(asked('Sara', 'Pereira', 'Sara Pereira Ltda')).toBe(true);
      // Item 3: rare and foreign names sent; a common word and a placeholder refused.
      expect(asked('Uélinton', 'Barbosa', 'Acme Brasil')).toBe(true);
      expect(asked('Hiroshi', 'Tanaka', 'Acme Brasil')).toBe(true);
      const byName = new Map(run.rows.map((r) => [r['Primeiro nome'], r]));
      expect(byName.get('Padaria')!.fluence_status).toBe('invalid_input');
      expect(byName.get('Proposta')!.fluence_error).toBe(
        'primeiro_nome starts with "Proposta", a common word, not a first name',
      );
      expect(byName.get('John')!.fluence_error).toMatch(/placeholder/);
      expect(crmRequests).toBe(11);
    });
  }, 120_000);

  it('item 7: deals and opportunities exports name their person column; the rerun from the cache loads no gazetteer', async () => {
    await withSandbox({}, async (sandbox) => {
      const expected: Record<string, Array<[string, string, string]>> = {
        'pipedrive-deals.csv': [
          ['Ana', 'Beatriz Moura', 'Acme Brasil'],
          ['Carlos', 'Alberto Souza', 'Beta Sistemas'],
          ['Fernanda', 'Lima', 'Gama Foods'],
        ],
        'salesforce-opportunities.csv': [
          ['Marcos', 'Pereira', 'Acme Brasil'],
          ['Juliana', 'Rocha', 'Beta Sistemas'],
        ],
      };
      for (const [file, who] of Object.entries(expected)) {
        const dir = await workdir();
        const run = await enrich(sandbox, join(DIR, file), dir);
        expect([0, 3], run.stderr).toContain(run.code);
        const { keys } = await ledger(sandbox);
        for (const [firstName, lastName, company] of who)
          expect(paidOrRefunded(keys, firstName, lastName, company), `${file}: ${firstName}`).toBe(true);
      }
      expect((await ledger(sandbox)).crmRequests).toBe(5);
      // The first pass's verdicts are kept with it: a rerun from the checkpoint never reads the gazetteer.
      const dir = await workdir();
      const checkpoint = join(dir, 'run.checkpoint.sqlite');
      const args = (out: string) => [
        'enrich',
        join(DIR, 'pipedrive-deals.csv'),
        '-o',
        join(dir, out),
        '--base-url',
        sandbox.url,
        '--checkpoint',
        checkpoint,
        '--progress',
        'off',
      ];
      const env = { FLUENCE_API_KEY: 'TestEnterprise'.padEnd(40, '0'), FLUENCE_DEBUG_FIRST_NAMES: '1' };
      const first = await runCli(args('a.csv'), { env });
      expect([0, 3], first.stderr).toContain(first.code);
      expect(first.stderr).toMatch(/first names loaded in/);
      // Every first word is a known name: the word list (nine tenths of the data) stays zipped.
      expect(first.stderr).not.toMatch(/word list loaded/);
      const second = await runCli(args('b.csv'), { env });
      expect([0, 3], second.stderr).toContain(second.code);
      expect(second.stderr).not.toMatch(/first names loaded in/);
      const version = await runCli(['--version'], { env });
      expect(version.stderr).not.toMatch(/first names loaded in/);
    });
  }, 180_000);
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactKey } from '../src/contact/normalize.js';
import { enrich, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

/**
 * Issue 26, found by a black-box run (9 people refused of 2,200): a one-person firm typed as the
 * firm in both columns is its owner whatever its forms (`LTDA ME`, `Ltda`, `EIRELI`, `LTDA - ME`,
 * `ME LTDA`, `Ltda EPP`, `SLU`, `S/S`), sent as the owner's name without them; a business named
 * after a person keeps its word of trade's verdict. First and last columns are judged as a full
 * name: a code of letters and digits (`Q3`, `S24 Ultra`) or a first name that starts with a
 * particle (`de Compra`) is refused. Through the real CLI, judged on the sandbox's ledger.
 */
const DIR = new URL('../fixtures/names/', import.meta.url).pathname;

/** The contacts charged, as `contactKey` keys them. */
const chargedKeys = (ledger: { chargesPerContact: Map<string, unknown> }): Set<string> =>
  new Set([...ledger.chargesPerContact.keys()].map((k) => k.slice(k.indexOf('\u001f') + 1)));

describe('one-person firms and first/last columns, judged alike (issue 26)', () => {
  it('sends the owner of a firm typed as the firm, with every form, without the form', async () => {
    await withSandbox({}, async (sandbox) => {
      const run = await enrich(sandbox, join(DIR, 'firm-forms.csv'), await workdir(), [
        '--map',
        'nome_completo=Nome completo',
      ]);
      expect([0, 3], run.stderr).toContain(run.code);
      const charged = chargedKeys(sandbox.ledger);
      for (const row of run.rows) {
        const name = row['Nome completo']!;
        if (row.Kind === 'business') {
          expect(row.fluence_status, name).toBe('invalid_input');
          continue;
        }
        expect(row.fluence_status, `${name}: ${row.fluence_error}`).not.toBe('invalid_input');
      }
      // The owner's name without the firm's forms is what was asked and charged.
      expect(
        charged.has(contactKey({ firstName: 'Vanessa', lastName: 'Amaral', company: 'Vanessa Amaral LTDA ME' })),
      ).toBe(true);
      expect(
        charged.has(contactKey({ firstName: 'UÉLINTON', lastName: 'BARROS', company: 'UÉLINTON BARROS LTDA - ME' })),
      ).toBe(true);
      expect(charged.has(contactKey({ firstName: 'Dores', lastName: 'Torres', company: 'Dores Torres S/S' }))).toBe(
        true,
      );
      const people = run.rows.filter((r) => r.Kind === 'person').length;
      const asked = Object.entries(sandbox.ledger.requests)
        .filter(([path]) => path === '/crm_basico')
        .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
      expect(asked).toBe(people);
    });
  }, 120_000);

  it('refuses codes and phrases in a first-name column as in a full name', async () => {
    await withSandbox({}, async (sandbox) => {
      const run = await enrich(sandbox, join(DIR, 'first-last-codes.csv'), await workdir(), [
        '--map',
        'primeiro_nome=primeiro_nome',
        '--map',
        'ultimo_nome=ultimo_nome',
      ]);
      expect([0, 3], run.stderr).toContain(run.code);
      const charged = chargedKeys(sandbox.ledger);
      for (const row of run.rows) {
        const contact = { firstName: row.primeiro_nome!, lastName: row.ultimo_nome!, company: row.empresa! };
        const label = `${contact.firstName} ${contact.lastName}: ${row.fluence_error}`;
        if (row.Kind === 'person') {
          expect(row.fluence_status, label).not.toBe('invalid_input');
          continue;
        }
        expect(row.fluence_status, label).toBe('invalid_input');
        expect(charged.has(contactKey(contact)), label).toBe(false);
      }
      const asked = Object.entries(sandbox.ledger.requests)
        .filter(([path]) => path === '/crm_basico')
        .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
      expect(asked).toBe(run.rows.filter((r) => r.Kind === 'person').length);
    });
  }, 120_000);
});

describe('a file without a header: only columns of people are offered as names (issue 26)', () => {
  it('says no column holds people in a file of only non-people, and offers the shifted columns of people', async () => {
    await withSandbox({}, async (sandbox) => {
      const stopped = await enrich(sandbox, join(DIR, 'no-header-non-people.csv'), await workdir(), ['--no-header']);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(/DOUBTFUL_COLUMN/);
      // Before: "Columns that hold names: column 2 (e.g. "Comercial"), column 3 ... --map primeiro_nome=2 --map ultimo_nome=3".
      expect(stopped.stderr).not.toMatch(/--map primeiro_nome=2/);
      expect(stopped.stderr).toMatch(/No other column looks like a person's name/);
      expect(sandbox.ledger.chargesPerContact.size).toBe(0);
      // Ids in the first column, people after them: the people's columns are still offered.
      const shifted = await enrich(sandbox, join(DIR, 'no-header-shifted.csv'), await workdir(), ['--no-header']);
      expect(shifted.code).toBe(1);
      expect(shifted.stderr).toMatch(/--map primeiro_nome=2 --map ultimo_nome=3 --map empresa=4/);
      expect(sandbox.ledger.chargesPerContact.size).toBe(0);
    });
  }, 120_000);
});

describe('a missing column: a column of legal names is never offered as names (issue 26)', () => {
  it("offers a Bling export's Contato, not its Nome of legal names; a Nome of people is still offered", async () => {
    await withSandbox({}, async (sandbox) => {
      const bling = await enrich(sandbox, join(DIR, 'bling-customers.csv'), await workdir());
      expect(bling.code).toBe(1);
      expect(bling.stderr).toMatch(/MISSING_COLUMN/);
      // Before: `If "Nome" holds full names, use --map nome_completo="Nome"`, first.
      expect(bling.stderr).not.toMatch(/--map nome_completo="Nome"/);
      expect(bling.stderr).toMatch(/--map nome_completo="Contato"/);
      const people = await enrich(sandbox, join(DIR, 'nome-without-company.csv'), await workdir());
      expect(people.code).toBe(1);
      expect(people.stderr).toMatch(/--map nome_completo="Nome"/);
      expect(sandbox.ledger.chargesPerContact.size).toBe(0);
    });
  }, 120_000);
});

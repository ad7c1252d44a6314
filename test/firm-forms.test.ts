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

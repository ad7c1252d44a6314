import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as faker from '@faker-js/faker';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { wordKey } from '../src/contact/fillers.js';
import { readFullName } from '../src/contact/full-name.js';
import { contactKey } from '../src/contact/normalize.js';
import { TRADE_WORDS } from '../src/contact/trade-words.js';
import { lookup } from '../src/sandbox/directory.js';
import { enrich, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

/**
 * Issue 26: a business named after a person (`Carlos Eduardo Imóveis`) is refused by its word of
 * trade, and a person whose surname is a word (`Rosa Mercado`, `Paulo Campos`, `Maria Sales`) is
 * not: no word of trade is a surname. A one-person firm's form ending a name (`Rafael Nunes MEI`)
 * and partners' names (`Silva, Costa e Souza`) are firms; `Costa e Silva` is a surname, and a
 * firm named after its owner in both columns is its owner. Through the real CLI, judged on the sandbox's ledger.
 */
const DIR = new URL('../fixtures/names/', import.meta.url).pathname;
const rows = (file: string): Array<Record<string, string>> =>
  parse(readFileSync(join(DIR, file)), { columns: true, bom: true });

/** Every Latin-script surname faker's locales list, and the proof set's, as `wordKey` keys them. */
function surnames(): Set<string> {
  const keys = new Set<string>();
  for (const locale of Object.values(faker) as Array<{ person?: { last_name?: unknown } }>) {
    const lists = locale?.person?.last_name;
    if (!lists) continue;
    for (const entry of [lists]
      .flat(3)
      .flatMap((l) => (typeof l === 'object' && l ? Object.values(l) : [l]))
      .flat(3))
      if (typeof entry === 'string') for (const word of entry.split(/[\s-]+/)) keys.add(wordKey(word));
  }
  for (const person of rows('people.csv')) for (const word of person.Sobrenome!.split(/\s+/)) keys.add(wordKey(word));
  return keys;
}

describe('a business named after a person is refused by its word of trade (issue 26)', () => {
  it('no word of trade is a surname', () => {
    const known = surnames();
    expect(known.size).toBeGreaterThan(10_000);
    expect([...TRADE_WORDS].filter((word) => known.has(word))).toEqual([]);
  });

  it('sends people whose surnames are words, refuses businesses named after a person', async () => {
    await withSandbox({}, async (sandbox) => {
      // Half its values are businesses: the column found by its name stops before anything is spent.
      const stopped = await enrich(sandbox, join(DIR, 'trade-names.csv'), await workdir());
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(/businesses' names.*\[DOUBTFUL_COLUMN\]/s);
      expect(sandbox.ledger.chargesPerContact.size).toBe(0);
      // Named with --map, the column is kept and each row judged.
      const dir = await workdir();
      const run = await enrich(sandbox, join(DIR, 'trade-names.csv'), dir, ['--map', 'nome_completo=Nome completo']);
      expect([0, 3], run.stderr).toContain(run.code);
      const charged = new Set(
        [...sandbox.ledger.chargesPerContact.keys()].map((k) => k.slice(k.indexOf('\u001f') + 1)),
      );
      for (const row of run.rows) {
        const name = row['Nome completo']!;
        if (row.Kind === 'business') {
          expect(row.fluence_status, name).toBe('invalid_input');
          expect(row.fluence_error, name).toMatch(/^nome_completo is a (business's|company's) name/);
          continue;
        }
        expect(row.fluence_status, `${name}: ${row.fluence_error}`).not.toBe('invalid_input');
        // A firm typed as the firm in both columns is asked as its owner, without the form (`Lucas Santos ME`).
        const owner = name === row.Empresa ? name.replace(/\s+(?:ME|MEI|EPP|EIRELI|Ltda)\.?$/, '') : name;
        const { firstName, lastName } = readFullName(owner);
        const contact = { firstName, lastName, company: row.Empresa! };
        const refunded = [422, 500].includes(lookup(contact, 'crm_basico', 1).status);
        expect(charged.has(contactKey(contact)) || refunded, name).toBe(true);
      }
      const people = run.rows.filter((r) => r.Kind === 'person').length;
      const crm = Object.entries(sandbox.ledger.requests).filter(([path]) => path === '/crm_basico');
      const asked = crm.reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
      expect(asked).toBe(people);
    });
  }, 120_000);
});

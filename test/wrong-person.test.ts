import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactKey } from '../src/contact/normalize.js';
import { DOUBT_SHARE } from '../src/input/column-check.js';
import { scan } from '../src/input/shape.js';
import { lookup } from '../src/sandbox/directory.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { runCli } from './helpers/cli.js';
import { enrich, workdir } from './helpers/enrich.js';
import { call, ENTERPRISE, withSandbox } from './helpers/sandbox.js';

const DIR = new URL('../fixtures/wrong-person/', import.meta.url).pathname;

type Person = [string, string, string];

/** Who the sandbox charged, as [first, last, company] keys (the judge: `/__sandbox/ledger?contacts=1`). */
async function charged(sandbox: Sandbox): Promise<{ keys: string[]; crmRequests: number }> {
  const ledger = (await call(sandbox, '/__sandbox/ledger?contacts=1')).body;
  const requests = Object.entries(ledger.requests as Record<string, Record<string, number>>)
    .filter(([path]) => path === '/crm_basico' || path === '/crm')
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  return { keys: Object.keys(ledger.chargesPerContact).sort(), crmRequests: requests };
}

const keysOf = (people: Person[]): string[] => people.map(([firstName, lastName, company]) => `crm_basico\u001f${contactKey({ firstName, lastName, company })}`).sort();

/**
 * The ledger keys a run must leave for `people`: the sandbox refunds a 422 (4% of anyone, fixed
 * per person) and then keeps no charge for it, so those are left out, by the directory's own
 * rule: a person split wrong would be another key, and charged.
 */
const paid = (people: Person[]): string[] =>
  keysOf(people.filter(([firstName, lastName, company]) => ![422, 500].includes(lookup({ firstName, lastName, company }, 'crm_basico', 1).status)));

/**
 * Files where a rule would take a column that means something else (made-up people; the
 * headers as the issue reported them): the first pass stops before any request, naming the
 * columns that could be meant and the `--map` to choose; with that `--map` exactly the file's
 * people are charged.
 */
const DOUBTFUL: Record<string, { code: string; says: RegExp[]; map: string[]; people: Person[]; invalid?: RegExp }> = {
  // Salesforce: `Account` (an alias of the company) holds the account's record ids.
  'salesforce-account-ids.csv': {
    code: 'DOUBTFUL_COLUMN',
    says: [/"Account" was taken as empresa, but 3 of its 3 values are not a company's name: 3 are record ids .*"0015g00000XyZ12AAB"/, /Columns that could be empresa: "Account: Account Name"/, /--map empresa="Account: Account Name"/],
    map: ['--map', 'empresa=Account: Account Name'],
    people: [['Gustavo', 'Almeida', 'Almeida & Filhos Ltda.'], ['Fernanda', 'Rocha', 'Grupo Horizonte'], ['Renata', 'Barros', 'Transportes Rápido Sul']],
  },
  // RD Station CRM's deal export: `Nome` is the deal, `Contatos` the person.
  'rd-station-crm-deals.csv': {
    code: 'AMBIGUOUS_COLUMN',
    says: [/"Nome" was taken as full names \(nome_completo\), but "Contatos" also names the person and holds names: in 3 rows they differ \("Proposta Licenças 2025" and "Ana Beatriz Moura"\)/, /--map nome_completo="Contatos" or --map nome_completo="Nome"/],
    map: ['--map', 'nome_completo=Contatos'],
    people: [['Ana', 'Beatriz Moura', 'Padaria Aurora'], ['João', 'Pereira da Silva', 'Metalúrgica Vale'], ['Camila', 'Duarte', 'Estúdio Cores']],
  },
  // A Brazilian sheet: `Nome` is the company's trade name, `Contato` the person.
  'codigo-nome-contato-empresa.csv': {
    code: 'AMBIGUOUS_COLUMN',
    says: [/"Nome" was taken as full names \(nome_completo\), but "Contato" also names the person and holds names: in 4 rows they differ \("Padaria Aurora" and "Ana Beatriz Moura"\)/, /--map nome_completo="Contato" or --map nome_completo="Nome"/],
    map: ['--map', 'nome_completo=Contato'],
    people: [
      ['Ana', 'Beatriz Moura', 'Padaria Aurora Comércio de Alimentos Ltda'],
      ['João', 'Pereira', 'Metalúrgica Vale do Aço S.A.'],
      ['Camila', 'Duarte', 'Estúdio Cores Design Ltda'],
      ['Rafael', 'Tavares', 'Casa Verde Paisagismo ME'],
    ],
  },
  // An accounts list: every `Name` is its row's `Company`. Keeping the column still sends no one.
  'accounts-name-is-company.csv': {
    code: 'DOUBTFUL_COLUMN',
    says: [/"Name" was taken as nome_completo, but 4 of its 4 values are not a person's name: 4 are the row's company \(e.g. "Padaria Aurora"\)/, /No other column looks like a person's name; the file has: "Name", "Company", "Type"/, /--map nome_completo="Name"/],
    map: ['--map', 'nome_completo=Name'],
    people: [],
    invalid: /^the name is the row's company, not a person$/,
  },
};

describe('a column that means something else is never charged (real CLI, sandbox ledger)', () => {
  it('every file in fixtures/wrong-person/ is tested here', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.csv')).sort()).toEqual([...Object.keys(DOUBTFUL), 'full-names.csv'].sort());
  });

  for (const [file, { code, says, map, people, invalid }] of Object.entries(DOUBTFUL)) {
    it(`${file}: enrich and estimate stop before any request, naming the columns and the --map; with it, exactly the file's people are charged`, async () => {
      await withSandbox({}, async (sandbox) => {
        const dir = await workdir();
        const input = join(DIR, file);
        const stopped = await enrich(sandbox, input, dir);
        expect(stopped.code, stopped.stderr).toBe(1);
        expect(stopped.stderr).toContain(`[${code}]`);
        expect(stopped.stderr).toContain('nothing was spent');
        for (const text of says) expect(stopped.stderr).toMatch(text);
        expect(existsSync(stopped.output)).toBe(false);

        const estimate = await runCli(['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url], { env: { FLUENCE_API_KEY: ENTERPRISE } });
        expect(estimate.code, estimate.stderr).toBe(1);
        expect(estimate.stderr).toContain(`[${code}]`);
        for (const text of says) expect(estimate.stderr).toMatch(text);
        expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });

        const chosen = await enrich(sandbox, input, dir, map);
        expect(chosen.code, chosen.stderr).toBe(0);
        expect(await charged(sandbox)).toEqual({ keys: paid(people), crmRequests: people.length });
        const rejected = chosen.rows.filter((r) => r.fluence_status === 'invalid_input');
        expect(rejected).toHaveLength(chosen.rows.length - people.length);
        for (const row of rejected) expect(row.fluence_error).toMatch(invalid!);
      });
    });
  }

  it('--map empresa=Account (the user insists): the column is theirs, but no record id is sent as a company', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const run = await enrich(sandbox, join(DIR, 'salesforce-account-ids.csv'), dir, ['--map', 'empresa=Account']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.rows.map((r) => r.fluence_status)).toEqual(['invalid_input', 'invalid_input', 'invalid_input']);
      expect(run.rows[0]!.fluence_error).toBe("empresa is a record id (one word of letters and digits, as a CRM's ids), not a company's name");
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
    });
  });

  it('under the share that doubts a column, wrong values are refused row by row; real companies written oddly are sent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      const good: Person[] = [['Ana', 'Souza', '3M'], ['Rui', 'Lima', '99'], ['Eva', 'Reis', '7-Eleven'], ['Ivo', 'Melo', 'C&A'], ['Lia', 'Dias', 'iFood'], ['Téo', 'Cruz', 'OLX'], ['Bia', 'Paz', 'B3'], ['Gil', 'Sá', 'Oi'], ['Jorge', 'Gerdau', 'Gerdau']];
      const bad = [['Caio', 'Rocha', '0015g00000XyZ12AAB'], ['ana@padaria.com.br', 'Moura', 'Padaria Aurora'], ['12345', 'Lopes', 'Nuvem Log'], ['Casa', 'Verde', 'Casa Verde']];
      await writeFile(input, ['primeiro_nome,ultimo_nome,empresa', ...[...good, ...bad].map((p) => p.join(','))].join('\n') + '\n');
      const run = await enrich(sandbox, input, dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.rows.slice(good.length).map((r) => r.fluence_error)).toEqual([
        "empresa is a record id (one word of letters and digits, as a CRM's ids), not a company's name",
        "primeiro_nome is an email address, not a person's name",
        "primeiro_nome is without letters (only digits or signs), not a person's name",
        "the name is the row's company, not a person",
      ]);
      expect(await charged(sandbox)).toEqual({ keys: paid(good), crmRequests: good.length });
    });
  });

  it('a "Contato" of phone numbers beside "Nome" is not a rival: the guess stands', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Nome;Contato;Empresa\nAna Moura;(11) 99999-0101;Padaria Aurora\nJoão Pereira;joao@vale.com.br;Metalúrgica Vale\n');
      const run = await enrich(sandbox, input, dir);
      expect(run.code, run.stderr).toBe(0);
      expect(await charged(sandbox)).toEqual({ keys: paid([['Ana', 'Moura', 'Padaria Aurora'], ['João', 'Pereira', 'Metalúrgica Vale']]), crmRequests: 2 });
    });
  });

  it('without a header, the default positions are doubted like any rule', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Ana,Souza,0015g00000XyZ12AAB,Padaria Aurora\nRui,Lima,0015g00000XyZ13AAB,Nuvem Log\n');
      const run = await enrich(sandbox, input, dir, ['--no-header']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/"column_3" was taken as empresa.*\[DOUBTFUL_COLUMN\]/);
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
    });
  });
});

describe('the line between a doubtful column and a few wrong rows (first pass only)', () => {
  const shapeOf = async (text: string) => {
    const input = join(await workdir(), 'in.csv');
    await writeFile(input, text);
    return scan({ input, map: {}, noHeader: false, encoding: undefined, delimiter: undefined });
  };
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `0015g00000XyZ${String(i).padStart(2, '0')}AAB`);

  it(`a column is doubted when at least ${DOUBT_SHARE * 100}% of its values look wrong; under that, its wrong rows are refused one by one`, async () => {
    const file = (companies: string[]) => `First Name,Last Name,Account\n${companies.map((c, i) => `Ana${'abcdefgh'[i]},Souza,${c}`).join('\n')}\n`;
    await expect(shapeOf(file([...ids(2), 'Padaria Aurora', 'Nuvem Log']))).rejects.toMatchObject({ code: 'DOUBTFUL_COLUMN' });
    const shape = await shapeOf(file([...ids(1), 'Padaria Aurora', 'Nuvem Log']));
    expect(shape).toMatchObject({ rows: 3, valid: 2 });
  });

  it('a surname filled with "-" or "." (a blank a form demanded) is no other meaning: those rows only are refused', async () => {
    const shape = await shapeOf('First Name,Last Name,Company\nAna,-,Padaria Aurora\nRui,.,Nuvem Log\nEva,-,Metalúrgica Vale\nIvo,Melo,Estúdio Cores\n');
    expect(shape).toMatchObject({ rows: 4, valid: 1 });
    // Digits are: a column of them is something else.
    await expect(shapeOf('First Name,Last Name,Company\nAna,1001,Padaria Aurora\nRui,1002,Nuvem Log\nIvo,Melo,Estúdio Cores\n')).rejects.toMatchObject({ code: 'DOUBTFUL_COLUMN' });
  });

  it('a doubted name column says how to name the person: a pair of columns, or one of full names', async () => {
    const stop = shapeOf('primeiro_nome,ultimo_nome,empresa,Contato\nana@aurora.com.br,Moura,Padaria Aurora,Ana Moura\njoao@vale.com.br,Pereira,Metalúrgica Vale,João Pereira\n');
    await expect(stop).rejects.toMatchObject({ code: 'DOUBTFUL_COLUMN' });
    await expect(stop).rejects.toThrow(/"primeiro_nome" was taken as primeiro_nome, but 2 of its 2 values are not a person's name: 2 are email addresses \(e\.g\. "ana@aurora\.com\.br"\)\. Columns that hold names: "Contato" \(e\.g\. "Ana Moura"\)\. Name the person's columns with --map primeiro_nome=Header --map ultimo_nome=Header, or --map nome_completo=Header/);
  });

  it('a column named with --map is the user\'s: no column-level stop, only its rows', async () => {
    const input = join(await workdir(), 'in.csv');
    await writeFile(input, `First Name,Last Name,Account\n${ids(3).map((id) => `Ana,Souza,${id}`).join('\n')}\n`);
    const shape = await scan({ input, map: { empresa: 'Account' }, noHeader: false, encoding: undefined, delimiter: undefined });
    expect(shape).toMatchObject({ rows: 3, valid: 0 });
  });
});

describe('full names as people write them (real CLI, sandbox ledger)', () => {
  it('turns "Last, First" around, drops titles and notes in brackets, refuses what is still not a name', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const run = await enrich(sandbox, join(DIR, 'full-names.csv'), dir);
      expect(run.code, run.stderr).toBe(0);
      const people: Person[] = [
        ['Ana', 'Beatriz Moura', 'Padaria Aurora'],
        ['João', 'Pereira', 'Metalúrgica Vale'],
        ['Carlos', 'Alberto Souza', 'Clínica Viva Mais'],
        ['Eduardo', 'Santana', 'Auto Peças Santana'],
        ['Ana', 'Moura', 'Estúdio Cores'],
        ['Helena', 'Prado', 'Prado Cosméticos'],
        ['Lucas', 'Ferreira', 'Construtora Alicerce'],
        ['Sofia', 'Ribeiro', 'Ribeiro Advocacia'],
        ['Marcelo', 'Souza', 'Souza Transportes'],
        ['Gustavo', 'Almeida', 'Almeida & Filhos Ltda.'],
      ];
      expect(await charged(sandbox)).toEqual({ keys: paid(people), crmRequests: people.length });
      const invalid = run.rows.filter((r) => r.fluence_status === 'invalid_input').map((r) => [r['Full Name'], r.fluence_error]);
      expect(invalid).toEqual([
        ['(Financeiro)', 'nome_completo holds only a note in brackets: no name to send'],
        ['Compras', 'ultimo_nome is empty'],
        ['Santos, Maria, Vendas', "nome_completo holds several commas: not one person's name"],
        ['Dr.', 'nome_completo holds only a title (Dr., Sr., Prof....): no name to send'],
      ]);
      // The input's cells are written back as they came.
      expect(run.rows[0]!['Full Name']).toBe('Moura, Ana Beatriz');
    });
  });
});

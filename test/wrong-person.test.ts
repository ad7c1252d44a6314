import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { contactKey } from '../src/contact/normalize.js';
import { DOUBT_SHARE, NOT_PERSON_SHARE } from '../src/input/column-check.js';
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

const keysOf = (people: Person[]): string[] =>
  people
    .map(([firstName, lastName, company]) => `crm_basico\u001f${contactKey({ firstName, lastName, company })}`)
    .sort();

/**
 * The ledger keys a run must leave for `people`: the sandbox refunds a 422 (4% of anyone, fixed
 * per person) and then keeps no charge for it, so those are left out, by the directory's own
 * rule: a person split wrong would be another key, and charged.
 */
const paid = (people: Person[]): string[] =>
  keysOf(
    people.filter(
      ([firstName, lastName, company]) =>
        ![422, 500].includes(lookup({ firstName, lastName, company }, 'crm_basico', 1).status),
    ),
  );

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
    says: [
      /"Account" was taken as empresa, but 3 of its 3 values are not a company's name: 3 are record ids .*"0015g00000XyZ12AAB"/,
      /Columns that could be empresa: "Account: Account Name"/,
      /--map empresa="Account: Account Name"/,
    ],
    map: ['--map', 'empresa=Account: Account Name'],
    people: [
      ['Gustavo', 'Almeida', 'Almeida & Filhos Ltda.'],
      ['Fernanda', 'Rocha', 'Grupo Horizonte'],
      ['Renata', 'Barros', 'Transportes Rápido Sul'],
    ],
  },
  // RD Station CRM's deal export: `Nome` is the deal, `Contatos` the person.
  'rd-station-crm-deals.csv': {
    code: 'AMBIGUOUS_COLUMN',
    says: [
      /"Nome" was taken as full names \(nome_completo\), but "Contatos" also names the person and holds names: in 3 rows they differ \("Proposta Licenças 2025" and "Ana Beatriz Moura"\)/,
      /--map nome_completo="Contatos" or --map nome_completo="Nome"/,
    ],
    map: ['--map', 'nome_completo=Contatos'],
    people: [
      ['Ana', 'Beatriz Moura', 'Padaria Aurora'],
      ['João', 'Pereira da Silva', 'Metalúrgica Vale'],
      ['Camila', 'Duarte', 'Estúdio Cores'],
    ],
  },
  // A Brazilian sheet: `Nome` is the company's trade name, `Contato` the person.
  'codigo-nome-contato-empresa.csv': {
    code: 'AMBIGUOUS_COLUMN',
    says: [
      /"Nome" was taken as full names \(nome_completo\), but "Contato" also names the person and holds names: in 4 rows they differ \("Padaria Aurora" and "Ana Beatriz Moura"\)/,
      /--map nome_completo="Contato" or --map nome_completo="Nome"/,
    ],
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
    says: [
      /"Name" was taken as nome_completo, but 4 of its 4 values are not a person's name: 4 are the row's company \(e.g. "Padaria Aurora"\)/,
      /No other column looks like a person's name; the file has: "Name", "Company", "Type"/,
      /--map nome_completo="Name"/,
    ],
    map: ['--map', 'nome_completo=Name'],
    people: [],
    invalid: /^the name is the row's company, not a person$/,
  },
};

describe('a column that means something else is never charged (real CLI, sandbox ledger)', () => {
  it('every file in fixtures/wrong-person/ is tested here', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.csv'))
        .sort(),
    ).toEqual([...Object.keys(DOUBTFUL), 'full-names.csv'].sort());
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

        const estimate = await runCli(['estimate', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url], {
          env: { FLUENCE_API_KEY: ENTERPRISE },
        });
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
      expect(run.rows[0]!.fluence_error).toBe(
        "empresa is a record id (one word of letters and digits, as a CRM's ids), not a company's name",
      );
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
    });
  });

  it('under the share that doubts a column, wrong values are refused row by row; real companies written oddly are sent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      const good: Person[] = [
        ['Ana', 'Souza', '3M'],
        ['Rui', 'Lima', '99'],
        ['Eva', 'Reis', '7-Eleven'],
        ['Ivo', 'Melo', 'C&A'],
        ['Lia', 'Dias', 'iFood'],
        ['Téo', 'Cruz', 'OLX'],
        ['Bia', 'Paz', 'B3'],
        ['Gil', 'Sá', 'Oi'],
        ['Jorge', 'Gerdau', 'Gerdau'],
      ];
      const bad = [
        ['Caio', 'Rocha', '0015g00000XyZ12AAB'],
        ['ana@padaria.com.br', 'Moura', 'Padaria Aurora'],
        ['12345', 'Lopes', 'Nuvem Log'],
        ['Casa', 'Verde', 'Casa Verde'],
      ];
      await writeFile(
        input,
        `${['primeiro_nome,ultimo_nome,empresa', ...[...good, ...bad].map((p) => p.join(','))].join('\n')}\n`,
      );
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
      await writeFile(
        input,
        'Nome;Contato;Empresa\nAna Moura;(11) 99999-0101;Padaria Aurora\nJoão Pereira;joao@vale.com.br;Metalúrgica Vale\n',
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code, run.stderr).toBe(0);
      expect(await charged(sandbox)).toEqual({
        keys: paid([
          ['Ana', 'Moura', 'Padaria Aurora'],
          ['João', 'Pereira', 'Metalúrgica Vale'],
        ]),
        crmRequests: 2,
      });
    });
  });

  it('without a header, the default positions are doubted like any rule', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Ana,Souza,0015g00000XyZ12AAB,Padaria Aurora\nRui,Lima,0015g00000XyZ13AAB,Nuvem Log\n');
      const run = await enrich(sandbox, input, dir, ['--no-header']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/column 3 was taken as empresa.*\[DOUBTFUL_COLUMN\]/);
      // Without a header every field is named by position: the company's column that fits, the names where they are.
      expect(run.stderr).toContain('--map primeiro_nome=1 --map ultimo_nome=2 --map empresa=4;');
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
    });
  });

  it('without a header and an id in column 1, the names in columns 2 and 3 are offered by position; with that --map, exactly the people are charged', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(
        input,
        '101,Ana,Moura,Padaria Aurora\n102,Bruno,Lima,Metalúrgica Vale\n103,Carla,Dias,Estúdio Cores\n',
      );
      const run = await enrich(sandbox, input, dir, ['--no-header']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('[DOUBTFUL_COLUMN]');
      expect(run.stderr).toMatch(
        /column 1 was taken as primeiro_nome, but 3 of its 3 values are not a person's name: 3 are without letters .*\(e\.g\. "101"\)\. Columns that hold names: column 2 \(e\.g\. "Ana"\), column 3 \(e\.g\. "Moura"\)/,
      );
      expect(run.stderr).toContain('e.g. --map primeiro_nome=2 --map ultimo_nome=3 --map empresa=4;');
      expect(run.stderr).not.toMatch(/No other column|=Header/);
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });

      const chosen = await enrich(sandbox, input, dir, [
        '--no-header',
        '--map',
        'primeiro_nome=2',
        '--map',
        'ultimo_nome=3',
        '--map',
        'empresa=4',
      ]);
      expect(chosen.code, chosen.stderr).toBe(0);
      const people: Person[] = [
        ['Ana', 'Moura', 'Padaria Aurora'],
        ['Bruno', 'Lima', 'Metalúrgica Vale'],
        ['Carla', 'Dias', 'Estúdio Cores'],
      ];
      expect(await charged(sandbox)).toEqual({ keys: paid(people), crmRequests: 3 });
    });
  });
});

describe('placeholders, departments, notes and checkboxes are never charged (real CLI, sandbox ledger)', () => {
  it('refuses placeholder companies and names, departments as names, a name that is the company but for a legal form; keeps real companies; drops notes after a dash', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      const good: Array<[string, string, Person]> = [
        ['Ana Souza', '3M', ['Ana', 'Souza', '3M']],
        ['Rui Lima', '99', ['Rui', 'Lima', '99']],
        ['Eva Reis', '7-Eleven', ['Eva', 'Reis', '7-Eleven']],
        ['Ivo Melo', 'C&A', ['Ivo', 'Melo', 'C&A']],
        ['Lia Dias', 'iFood', ['Lia', 'Dias', 'iFood']],
        ['Téo Cruz', 'OLX', ['Téo', 'Cruz', 'OLX']],
        ['Bia Paz', 'B3', ['Bia', 'Paz', 'B3']],
        ['Gil Sá', 'Oi', ['Gil', 'Sá', 'Oi']],
        ['Rosa Branco', '1001', ['Rosa', 'Branco', '1001']],
        ['Ana Moura - Compras', 'Estúdio Cores', ['Ana', 'Moura', 'Estúdio Cores']],
        ['Caio Rocha / Financeiro', 'Nuvem Log', ['Caio', 'Rocha', 'Nuvem Log']],
        ['Lúcia Moura-Silva', 'Grupo Horizonte', ['Lúcia', 'Moura-Silva', 'Grupo Horizonte']],
      ];
      const refused: Array<[string, string, RegExp]> = [
        ['Bruno Lima', '-', /^empresa is a placeholder for an empty cell/],
        ['Carla Dias', '.', /^empresa is a placeholder/],
        ['Davi Reis', 'n/a', /^empresa is a placeholder/],
        ['Eva Prado', 'null', /^empresa is a placeholder/],
        ['Fábio Nunes', 'Não informado', /^empresa is a placeholder/],
        ['Hugo Alves', 'nao informado', /^empresa is a placeholder/],
        ['Júlia Gomes', 'gmail.com', /^empresa is a webmail's domain/],
        ['Gil Souza', 'Pessoa Física', /^empresa is a word for having no company/],
        ['null null', 'Delta', /^nome_completo is a placeholder/],
        ['undefined undefined', 'Delta', /^nome_completo is a placeholder/],
        ['Não informado', 'Acme', /^nome_completo is a placeholder/],
        ['Sem Nome', 'Beta', /^nome_completo is a placeholder/],
        ['N/A N/A', 'Gama', /^nome_completo is a placeholder/],
        ['Teste Teste', 'Epsilon', /^nome_completo is a department, a role or a test/],
        ['Cliente Novo', 'Zeta', /^nome_completo is a department, a role or a test/],
        ['Contas a Pagar', 'Iota', /^nome_completo is a department, a role or a test/],
        ['Equipe Comercial', 'Kappa', /^nome_completo is a department, a role or a test/],
        ['Financeiro Acme', 'Upsilon', /^nome_completo is a department, a role or a test/],
        ['Atendimento ao Cliente', 'Lambda', /^nome_completo is a department, a role or a test/],
        ['Padaria Aurora', 'Padaria Aurora Ltda', /^the name is the row's company, not a person$/],
        ['Beta Sistemas', 'BETA SISTEMAS S.A.', /^the name is the row's company, not a person$/],
        ['King, Jr.', 'Eta', /^nome_completo is a surname and a suffix/],
      ];
      const rows = [
        ...good.map(([name, company]) => [name, company]),
        ...refused.map(([name, company]) => [name, company]),
      ];
      await writeFile(
        input,
        `${['Nome completo,Empresa', ...rows.map((r) => r.map((v) => (/[,"]/.test(v) ? `"${v}"` : v)).join(','))].join('\n')}\n`,
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.rows.slice(0, good.length).map((r) => r.fluence_status)).not.toContain('invalid_input');
      run.rows.slice(good.length).forEach((row, i) => {
        expect(row.fluence_status, refused[i]![0]).toBe('invalid_input');
        expect(row.fluence_error, refused[i]![0]).toMatch(refused[i]![2]);
      });
      const people = good.map(([, , person]) => person);
      expect(await charged(sandbox)).toEqual({ keys: paid(people), crmRequests: people.length });
    });
  });

  it('an accounts list whose Name is its Company but for a legal form stops as a column; kept with --map, no row is charged', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'accounts.csv');
      await writeFile(
        input,
        'Name,Company,Type\nAcme Brasil,Acme Brasil Ltda,Customer\nBeta Sistemas,BETA SISTEMAS S.A.,Prospect\nGama Foods,Gama Foods Inc.,Partner\nPadaria Aurora,Padaria Aurora Ltda,Customer\n',
      );
      const stopped = await enrich(sandbox, input, dir);
      expect(stopped.code, stopped.stderr).toBe(1);
      expect(stopped.stderr).toMatch(
        /"Name" was taken as nome_completo, but 4 of its 4 values are not a person's name: 4 are the row's company \(e\.g\. "Acme Brasil"\).*\[DOUBTFUL_COLUMN\]/,
      );
      const kept = await enrich(sandbox, input, dir, ['--map', 'nome_completo=Name']);
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.rows.map((r) => r.fluence_error)).toEqual(
        Array(4).fill("the name is the row's company, not a person"),
      );
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
    });
  });

  it('a Nome guessed as full names that holds trade names or deals stops before any request; people written sloppily do not', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const files: Record<string, string> = {
        'trade-names.csv':
          'Nome,Empresa,Cidade\nPadaria Aurora,Aurora Alimentos Ltda,São Paulo\nMercadinho Bom Preço,BP Comércio de Alimentos Ltda,Campinas\nAuto Peças Silva,Silva & Filhos Comércio Ltda,Santos\n',
        'deals.csv':
          'Nome,Empresa,Responsável,Valor\nRenovação contrato,Acme,Marcos Vendedor,10000\nExpansão licenças,Beta,Marcos Vendedor,5000\nProjeto piloto,Gama,Julia Vendas,2000\n',
      };
      for (const [file, text] of Object.entries(files)) {
        const input = join(dir, file);
        await writeFile(input, text);
        const run = await enrich(sandbox, input, join(dir), ['--checkpoint', join(dir, `${file}.sqlite`)]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(
          /"Nome" was taken as nome_completo, but 3 of its 3 values are not a person's name: 3 are businesses' or deals' names/,
        );
        expect(run.stderr).toContain('Name it with --map nome_completo=Header');
        expect(run.stderr).toContain('keep it with --map nome_completo="Nome"; nothing was spent [DOUBTFUL_COLUMN]');
      }
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });

      // A lead list typed by hand: all lowercase, all caps, a few "Ana moura": people, sent.
      const leads = join(dir, 'leads.csv');
      await writeFile(
        leads,
        'Nome,Empresa\nana moura,Padaria Aurora\nBRUNO LIMA,Metalúrgica Vale\nCarla dias,Estúdio Cores\nDavi dos Reis,Nuvem Log\nEva Prado,Grupo Horizonte\n',
      );
      const run = await enrich(sandbox, leads, dir, ['--checkpoint', join(dir, 'leads.sqlite')]);
      expect(run.code, run.stderr).toBe(0);
      const people: Person[] = [
        ['ana', 'moura', 'Padaria Aurora'],
        ['BRUNO', 'LIMA', 'Metalúrgica Vale'],
        ['Carla', 'dias', 'Estúdio Cores'],
        ['Davi', 'dos Reis', 'Nuvem Log'],
        ['Eva', 'Prado', 'Grupo Horizonte'],
      ];
      expect(await charged(sandbox)).toEqual({ keys: paid(people), crmRequests: 5 });
    });
  });

  it("TRUE/FALSE cells and a decimal number in a workbook's company column are never sent", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Contatos');
      sheet.addRow(['First Name', 'Last Name', 'Company']);
      const good: Person[] = [
        ['Eva', 'Prado', 'Acme'],
        ['Ivo', 'Melo', 'Nuvem Log'],
        ['Lia', 'Dias', 'Estúdio Cores'],
        ['Téo', 'Cruz', 'Grupo Horizonte'],
      ];
      for (const person of good) sheet.addRow(person);
      sheet.addRow(['Ana', 'Moura', false]);
      sheet.addRow(['Bruno', 'Lima', true]);
      sheet.addRow(['Davi', 'Reis', 3.14]);
      const input = join(dir, 'in.xlsx');
      await book.xlsx.writeFile(input);
      const run = await enrich(sandbox, input, dir, ['-o', join(dir, 'out.csv')]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.rows.slice(good.length).map((r) => [r.Company, r.fluence_status, r.fluence_error])).toEqual([
        ['FALSE', 'invalid_input', "empresa is TRUE or FALSE (a checkbox's value), not a company's name"],
        ['TRUE', 'invalid_input', "empresa is TRUE or FALSE (a checkbox's value), not a company's name"],
        ['3.14', 'invalid_input', "empresa is a number (of 5 digits or more, or with decimals), not a company's name"],
      ]);
      expect(await charged(sandbox)).toEqual({ keys: paid(good), crmRequests: good.length });
    });
  });

  it('a file with no name column but a "Contato" of full names and a "Razão Social" says which --map would take them, and takes nothing', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'erp.csv');
      await writeFile(
        input,
        'Código;Cliente;Razão Social;Contato\n001;Padaria Aurora;Aurora Alimentos Ltda;Ana Moura\n002;Mercadinho Bom Preço;BP Comércio Ltda;Bruno Lima\n',
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /no column for primeiro_nome, ultimo_nome, empresa; .*"Contato" holds people's full names \(e\.g\. "Ana Moura"\), "Razão Social" companies \(e\.g\. "Aurora Alimentos Ltda"\); if so, run with --map nome_completo="Contato" --map empresa="Razão Social" .*\[MISSING_COLUMN\]/,
      );
      expect(await charged(sandbox)).toEqual({ keys: [], crmRequests: 0 });
      const chosen = await enrich(sandbox, input, dir, [
        '--map',
        'nome_completo=Contato',
        '--map',
        'empresa=Razão Social',
      ]);
      expect(chosen.code, chosen.stderr).toBe(0);
      expect(await charged(sandbox)).toEqual({
        keys: paid([
          ['Ana', 'Moura', 'Aurora Alimentos Ltda'],
          ['Bruno', 'Lima', 'BP Comércio Ltda'],
        ]),
        crmRequests: 2,
      });
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
    const file = (companies: string[]) =>
      `First Name,Last Name,Account\n${companies.map((c, i) => `Ana${'abcdefgh'[i]},Souza,${c}`).join('\n')}\n`;
    await expect(shapeOf(file([...ids(2), 'Padaria Aurora', 'Nuvem Log']))).rejects.toMatchObject({
      code: 'DOUBTFUL_COLUMN',
    });
    const shape = await shapeOf(file([...ids(1), 'Padaria Aurora', 'Nuvem Log']));
    expect(shape).toMatchObject({ rows: 3, valid: 2 });
  });

  it('a surname filled with "-" or "." (a blank a form demanded) is no other meaning: those rows only are refused', async () => {
    const shape = await shapeOf(
      'First Name,Last Name,Company\nAna,-,Padaria Aurora\nRui,.,Nuvem Log\nEva,-,Metalúrgica Vale\nIvo,Melo,Estúdio Cores\n',
    );
    expect(shape).toMatchObject({ rows: 4, valid: 1 });
    // Digits are: a column of them is something else.
    await expect(
      shapeOf('First Name,Last Name,Company\nAna,1001,Padaria Aurora\nRui,1002,Nuvem Log\nIvo,Melo,Estúdio Cores\n'),
    ).rejects.toMatchObject({ code: 'DOUBTFUL_COLUMN' });
  });

  it('a doubted name column says how to name the person: a pair of columns, or one of full names', async () => {
    const stop = shapeOf(
      'primeiro_nome,ultimo_nome,empresa,Contato\nana@aurora.com.br,Moura,Padaria Aurora,Ana Moura\njoao@vale.com.br,Pereira,Metalúrgica Vale,João Pereira\n',
    );
    await expect(stop).rejects.toMatchObject({ code: 'DOUBTFUL_COLUMN' });
    await expect(stop).rejects.toThrow(
      /"primeiro_nome" was taken as primeiro_nome, but 2 of its 2 values are not a person's name: 2 are email addresses \(e\.g\. "ana@aurora\.com\.br"\)\. Columns that hold names: "Contato" \(e\.g\. "Ana Moura"\)\. Name the person's columns with --map primeiro_nome=Header --map ultimo_nome=Header, or --map nome_completo=Header/,
    );
  });

  it(`a full name taken by rule is doubted when at least ${NOT_PERSON_SHARE * 100}% of its values read as businesses or deals; another column naming the person is said first`, async () => {
    const names = (values: string[]) =>
      `Nome,Empresa\n${values.map((v, i) => `${v},Empresa ${'ABCDEFGH'[i]}`).join('\n')}\n`;
    await expect(shapeOf(names(['Padaria Aurora', 'Projeto piloto', 'Ana Moura', 'Bruno Lima']))).rejects.toMatchObject(
      { code: 'DOUBTFUL_COLUMN' },
    );
    // Under the share, the hint refuses no row; "Padaria Aurora" is refused by its own first word, a common word (issue 26).
    expect(await shapeOf(names(['Padaria Aurora', 'Ana Moura', 'Bruno Lima']))).toMatchObject({ rows: 3, valid: 2 });
    await expect(
      shapeOf('Nome,Empresa,Contato\nPadaria Aurora,Aurora Ltda,Ana Moura\nMercadinho Bom Preço,BP Ltda,Bruno Lima\n'),
    ).rejects.toMatchObject({ code: 'AMBIGUOUS_COLUMN' });
  });

  it('a column of blanks filled in (n/a, não informado, pessoa física, gmail.com) is no other meaning: only those rows are refused', async () => {
    const shape = await shapeOf(
      'First Name,Last Name,Company\nAna,Moura,n/a\nRui,Lima,não informado\nEva,Reis,pessoa física\nIvo,Melo,gmail.com\nLia,Dias,Estúdio Cores\n',
    );
    expect(shape).toMatchObject({ rows: 5, valid: 1 });
  });

  it("a column named with --map is the user's: no column-level stop, only its rows", async () => {
    const input = join(await workdir(), 'in.csv');
    await writeFile(
      input,
      `First Name,Last Name,Account\n${ids(3)
        .map((id) => `Ana,Souza,${id}`)
        .join('\n')}\n`,
    );
    const shape = await scan({
      input,
      map: { empresa: 'Account' },
      noHeader: false,
      encoding: undefined,
      delimiter: undefined,
    });
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
      const invalid = run.rows
        .filter((r) => r.fluence_status === 'invalid_input')
        .map((r) => [r['Full Name'], r.fluence_error]);
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

import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactKey } from '../src/contact/normalize.js';
import { mappingText } from '../src/input/mapping-text.js';
import { scan } from '../src/input/shape.js';
import { enrich, workdir } from './helpers/enrich.js';
import { key, withSandbox } from './helpers/sandbox.js';

const DIR = new URL('../fixtures/exports/', import.meta.url).pathname;

/** Each CRM's export (made-up people, the system's own headers): who must be asked, and how the log names the mapping. */
const EXPORTS: Record<string, { mapping: RegExp; people: Array<[string, string, string]> }> = {
  'rd-station-marketing-leads.csv': {
    mapping:
      /nome_completo <- "Nome" \(column 2\), split into first and last name \(no surname column, and its values hold spaces: taken as full names\); empresa <- "Empresa"/,
    people: [
      ['Ana', 'Beatriz Moura', 'Padaria Aurora'],
      ['João', 'Pereira da Silva', 'Metalúrgica Vale'],
      ['Camila', 'Duarte', 'Estúdio Cores'],
    ],
  },
  'ploomes-contacts.csv': {
    mapping: /nome_completo <- "Nome" .*taken as full names/,
    people: [
      ['Aline', 'Monteiro', 'Monteiro & Castro Advogados'],
      ['Bruno', 'Cavalcanti', 'Cavalcanti Agro'],
    ],
  },
  'hubspot-contacts-all-properties.csv': {
    mapping: /empresa <- "Company Name"/,
    people: [
      ['Marina', 'Lopes', 'Verde Agro'],
      ['Rafael', 'Tavares', 'Nuvem Log'],
      ['Beatriz', 'Campos', 'Solaris Energia'],
    ],
  },
  'hubspot-contacts-view.csv': {
    mapping: /empresa <- "Associated Company"/,
    people: [
      ['Thiago', 'Nunes', 'Ferragens Brasil'],
      ['Larissa', 'Freitas', 'Clínica Viva Mais'],
    ],
  },
  'salesforce-contacts-report.csv': {
    mapping:
      /empresa <- "Account Name" \(column 4\); the 3 one-cell lines closing the file \(a report's footer\) are not contacts and were skipped/,
    people: [
      ['Gustavo', 'Almeida', 'Almeida & Filhos Ltda.'],
      ['Fernanda', 'Rocha', 'Grupo Horizonte'],
    ],
  },
  'salesforce-leads-report.csv': {
    mapping: /empresa <- "Company \/ Account"/,
    people: [
      ['Renata', 'Barros', 'Transportes Rápido Sul'],
      ['Diego', 'Martins', 'Martins Tecnologia'],
    ],
  },
  'pipedrive-people-en.csv': {
    mapping:
      /primeiro_nome <- "Person - First name" \(column 2\); ultimo_nome <- "Person - Last name" \(column 3\); empresa <- "Person - Organization"/,
    people: [
      ['Helena', 'Prado', 'Prado Cosméticos'],
      ['Lucas', 'Ferreira', 'Construtora Alicerce'],
    ],
  },
  'pipedrive-people-pt.csv': {
    mapping:
      /primeiro_nome <- "Pessoa - Primeiro nome" .*empresa <- "Pessoa - Organização".*took "Pessoa - Primeiro nome" over "Pessoa - Nome"/,
    people: [
      ['Patrícia', 'Gomes', 'Laticínios Serra Azul'],
      ['Eduardo', 'Santana', 'Auto Peças Santana'],
    ],
  },
  'zoho-crm-contacts.csv': {
    mapping: /empresa <- "Account Name"/,
    people: [
      ['Vanessa', 'Teixeira', 'Teixeira Móveis'],
      ['André', 'Cardoso', 'Cardoso Engenharia'],
    ],
  },
  'zoho-crm-leads.csv': {
    mapping: /empresa <- "Company" \(column 3\)/,
    people: [
      ['Juliana', 'Costa', 'Pousada Mar Azul'],
      ['Roberto', 'Mendes', 'Óticas Visão Clara'],
    ],
  },
  'google-contacts.csv': {
    mapping: /ultimo_nome <- "Last Name" \(column 3\); empresa <- "Organization Name"/,
    people: [
      ['Sofia', 'Ribeiro', 'Ribeiro Advocacia'],
      ['Pedro', 'Alves', 'Alves Distribuidora'],
    ],
  },
  'outlook-contacts.csv': {
    mapping: /empresa <- "Company" \(column 15\)/,
    people: [
      ['Carolina', 'Azevedo', 'Azevedo Imóveis'],
      ['Marcelo', 'Souza', 'Souza Transportes'],
    ],
  },
  'linkedin-connections.csv': {
    mapping:
      /empresa <- "Company" \(column 5\); the header is on line 4: the 3 lines before it are not contacts and were skipped/,
    people: [
      ['Isabela', 'Moraes', 'Moraes Consultoria'],
      ['Rodrigo', 'Farias', 'Farias Digital'],
    ],
  },
  'apollo-contacts.csv': {
    mapping: /empresa <- "Company" \(column 4\); empresa: took "Company" over "Company Name for Emails"/,
    people: [
      ['Natália', 'Pires', 'Pires Alimentos S.A.'],
      ['Felipe', 'Araújo', 'Araújo Sistemas Ltda'],
    ],
  },
};

describe('CRM exports, as the systems write them, with no flag (real CLI, sandbox)', () => {
  it('every fixture has its expectations here', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.csv'))
        .sort(),
    ).toEqual(Object.keys(EXPORTS).sort());
  });

  for (const [file, { mapping, people }] of Object.entries(EXPORTS)) {
    it(`${file}: says which column became which field, and asks about the right people`, async () => {
      const rich = key('Exports', { plan: 'crm_enterprise', credits: 1000 });
      await withSandbox({ keys: [rich] }, async (sandbox) => {
        const dir = await workdir();
        const run = await enrich(sandbox, join(DIR, file), dir, ['--log-format', 'json'], rich.key);
        expect(run.code, run.stderr).toBe(0);
        // The run's first log line: {"columns": "primeiro_nome <- ..."}.
        const columns = run.stderr
          .split('\n')
          .map((line) => (line.startsWith('{') ? JSON.parse(line) : {}))
          .find((line) => line.columns)?.columns;
        expect(columns).toMatch(mapping);
        expect(run.rows).toHaveLength(people.length);
        expect(run.rows.every((r) => r.fluence_status !== 'invalid_input')).toBe(true);
        // One request per person, each about a person of the file (the sandbox keeps who it charged).
        expect(run.summary!.requests).toBe(people.length);
        const asked = new Set(
          people.map(
            ([firstName, lastName, company]) => `crm_basico\u001f${contactKey({ firstName, lastName, company })}`,
          ),
        );
        const charged = Object.keys(
          sandbox.ledger.toJSON({ contacts: true }).chargesPerContact as Record<string, number>,
        );
        expect(charged.length).toBeGreaterThan(0);
        for (const contact of charged) expect(asked.has(contact), contact).toBe(true);
      });
    });
  }

  it('a footer is a few one-cell lines after a blank line at the end; a last row with one value stays a row', async () => {
    const dir = await workdir();
    const cases: Array<[string, number, RegExp | undefined]> = [
      ['nome,sobrenome,empresa\nAna,Silva,X\nMaria\n', 2, undefined],
      [
        'nome,sobrenome,empresa\nAna,Silva,X\n\n"Grand Totals (1 records)"\n\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
        1,
        /the 2 one-cell lines closing the file/,
      ],
      [
        `nome,sobrenome,empresa\nAna,Silva,X\n\n${Array.from({ length: 10 }, (_, i) => `Solo${i}\n`).join('')}`,
        11,
        undefined,
      ],
    ];
    for (const [i, [text, rows, said]] of cases.entries()) {
      const input = join(dir, `footer-${i}.csv`);
      await writeFile(input, text);
      const shape = await scan({ input, map: {}, noHeader: false, encoding: undefined, delimiter: undefined });
      expect(shape.rows, text).toBe(rows);
      if (said) expect(mappingText(shape)).toMatch(said);
      else expect(mappingText(shape)).not.toMatch(/footer/);
    }
  });

  it('a name column of single words is not taken as full names: stops before spending, saying what to map', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'first-names.csv');
      await writeFile(
        input,
        'Nome,Empresa,Telefone\nAna,Padaria Aurora,1\nJoão,Metalúrgica Vale,2\nCamila Duarte,Estúdio Cores,3\n',
      );
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /no column for ultimo_nome: "Nome" holds single words \(2 of 3 names have no space\).*--map ultimo_nome=Header.*\[MISSING_COLUMN\]/,
      );
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    });
  });

  it('a file that is not a contacts table is refused after a few lines, naming what the first line had', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'report.csv');
      await writeFile(input, 'Relatório de vendas\nRegião,Total\nSul,10\nNorte,20\n');
      const run = await enrich(sandbox, input, dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /no column for primeiro_nome, ultimo_nome, empresa; the file has: "Relatório de vendas"/,
      );
    });
  });
});

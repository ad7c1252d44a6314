import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { detectDialect } from '../src/input/dialect.js';
import { enrich, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

const ROWS = [
  ['Nome', 'Sobrenome', 'Empresa', 'Cidade'],
  ['João', 'Conceição', 'Teste 404 Ltda', 'São Paulo'],
  ['Ângela', 'Ávila', 'Teste 409 Ltda', 'Brasília'],
];
const csv = (delimiter: string, eol = '\n') => ROWS.map((r) => r.join(delimiter)).join(eol) + eol;

describe('spreadsheets: dialect detection', () => {
  const encodings: Array<[string, (text: string) => Buffer, string]> = [
    ['UTF-8', (t) => Buffer.from(t, 'utf8'), 'utf8'],
    ['UTF-8 with BOM', (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]), 'utf8'],
    ['Windows-1252', (t) => iconv.encode(t, 'windows-1252'), 'windows-1252'],
    ['Latin-1', (t) => iconv.encode(t, 'latin1'), 'windows-1252'],
    ['UTF-16LE with BOM', (t) => iconv.encode(`\uFEFF${t}`, 'utf16le'), 'utf16le'],
  ];
  for (const delimiter of [',', ';', '\t', '|']) {
    for (const [name, encode, expected] of encodings) {
      it(`finds ${JSON.stringify(delimiter)} in ${name}`, async () => {
        const path = join(await workdir(), 'in.csv');
        await writeFile(path, encode(csv(delimiter, '\r\n')));
        const dialect = await detectDialect(path);
        expect(dialect).toMatchObject({ delimiter, encoding: expected });
      });
    }
  }

  it('lets --delimiter and --encoding override the guess', async () => {
    const path = join(await workdir(), 'in.csv');
    await writeFile(path, 'a|b;c\n');
    expect(await detectDialect(path, { delimiter: ';', encoding: 'latin1' })).toMatchObject({
      delimiter: ';',
      encoding: 'latin1',
    });
  });
});

describe('spreadsheets: Excel in, Excel out', () => {
  it('Latin-1 with ; in, --excel out: Excel pt-BR dialect, accents intact both ways', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'contatos.csv');
      await writeFile(input, iconv.encode(csv(';', '\r\n'), 'windows-1252'));
      const run = await enrich(sandbox, input, dir, ['--excel']);
      expect(run.code).toBe(0);
      const bytes = readFileSync(run.output);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.split('\r\n')[0]!.startsWith('Nome;Sobrenome;Empresa;Cidade;fluence_status')).toBe(true);
      expect(text.includes('\r\n')).toBe(true);
      const rows: string[][] = parse(text, { delimiter: ';' });
      expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual(ROWS.slice(1));
      expect(rows.slice(1).map((r) => r[4])).toEqual(['not_found', 'ambiguous']);
      // The sandbox saw the real names, not mojibake.
      expect([...sandbox.ledger.chargesPerContact.keys()].join(' ')).toContain('joao\u001fconceicao');
    });
  });

  it('--excel keeps a cell with a line break (or a lone CR) in one quoted cell', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(
        input,
        'primeiro_nome,ultimo_nome,empresa,endereco\nAna,Souza,Teste 404,"Rua A, 10\nBairro B"\nBia,Lima,Teste 409,"Sala 2\rAndar 3"\n',
      );
      const run = await enrich(sandbox, input, dir, ['--excel']);
      expect(run.code).toBe(0);
      const text = readFileSync(run.output, 'utf8').slice(1);
      // Every record ends in CRLF; the breaks inside cells are only ever inside quotes.
      expect(text).toContain('"Rua A, 10\nBairro B"');
      expect(text).toContain('"Sala 2\rAndar 3"');
      const rows: string[][] = parse(text, { delimiter: ';', record_delimiter: '\r\n' });
      expect(rows.slice(1).map((r) => r[3])).toEqual(['Rua A, 10\nBairro B', 'Sala 2\rAndar 3']);
      expect(rows.slice(1).map((r) => r[4])).toEqual(['not_found', 'ambiguous']);
    });
  });

  it("keeps the input's delimiter by default, in UTF-8", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, iconv.encode(csv('\t'), 'windows-1252'));
      const run = await enrich(sandbox, input, dir);
      const text = readFileSync(run.output, 'utf8');
      expect(text.split('\n')[0]!.startsWith('Nome\tSobrenome\tEmpresa\tCidade\tfluence_status')).toBe(true);
      expect(text).toContain('João\tConceição');
    });
  });

  it('--format jsonl writes one object per row with the whole analise', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(
        input,
        'Nome,Sobrenome,Empresa,Obs,Obs,fluence_status,analise\nAna,Souza,Teste 200,Aninha,a,mine,their\nRui,Lima,Teste 404,x,b,,\n',
      );
      const run = await enrich(sandbox, input, dir, ['--format', 'jsonl', '-o', join(dir, 'out.jsonl')]);
      expect(run.code).toBe(0);
      const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      // Every input field is kept: a repeated header, or one of the tool's own keys, gets _2.
      expect(lines[0]).toMatchObject({
        Nome: 'Ana',
        Obs: 'Aninha',
        Obs_2: 'a',
        fluence_status_2: 'mine',
        analise_2: 'their',
        fluence_status: 'ok',
        fluence_http_status: 200,
        fluence_credits_used: 1,
      });
      expect(lines[0].analise.perfil.nome_completo).toBe('Ana Souza');
      expect(lines[1]).toMatchObject({ fluence_status: 'not_found', analise: null });
    });
  });
});

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, openSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/server.js';
import { render } from '../src/i18n/index.js';
import { EXCEL_MAX_CELL, XlsxSheetWriter } from '../src/output/xlsx-sheet.js';
import { CLI, runCli, type CliResult } from './helpers/cli.js';
import { enrich, enrichArgs, readOutput, workdir } from './helpers/enrich.js';
import { HAVE_OPENPYXL, openpyxlRow } from './helpers/openpyxl.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** A workbook of `fixtures/xlsx/` (made by its make.py), copied into `dir` as `name`. */
function fixture(dir: string, file: string, name = file): string {
  const path = join(dir, name);
  copyFileSync(fileURLToPath(new URL(`../fixtures/xlsx/${file}`, import.meta.url)), path);
  return path;
}

/** Who the sandbox charged, as "first | last | company" (normalized, as it keys people). */
const charged = (sandbox: Sandbox): string[] =>
  [...sandbox.ledger.chargesPerContact.keys()].map((key) => key.split('\u001f').slice(1).join(' | ')).sort();

/** Nothing was asked of the API (the free credit check aside). */
const nothingSpent = (sandbox: Sandbox): void => {
  expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
  expect(sandbox.ledger.chargesPerContact.size).toBe(0);
};

/** The CLI with a file as its standard input (bytes as they are, as `cat book.xlsx |` gives them). */
function runWithStdin(args: string[], file: string): Promise<CliResult> {
  const input = openSync(file, 'r');
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: '' },
    stdio: [input, 'pipe', 'pipe'],
  });
  closeSync(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const byName = (rows: Array<Record<string, string>>): Record<string, Record<string, string>> =>
  Object.fromEntries(rows.map((r) => [r.primeiro_nome, r]));

describe('.xlsx cases (fixtures/xlsx, real CLI against the sandbox)', () => {
  it('1. formulas are read by their cached result: 0 is "0", "" is empty; an error in a contact column makes the row invalid_input naming the cell, elsewhere it is kept as text', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const run = await enrich(sandbox, fixture(dir, 'formulas.xlsx'), dir);
      expect(run.code, run.stderr).toBe(0);
      expect(charged(sandbox)).toEqual(['ana | souza | teste 200 alfa', 'davi | rocha | teste 200 beta']);
      const rows = byName(run.rows);
      expect(rows.Ana).toMatchObject({
        empresa: 'Teste 200 Alfa',
        pedidos: '0',
        codigo_copia: 'E1',
        fluence_status: 'ok',
      });
      // An empty result is an empty field: invalid by the usual rule, never "[object Object]".
      expect(rows.Carla).toMatchObject({
        empresa: '',
        codigo_copia: '',
        pedidos: '0',
        fluence_status: 'invalid_input',
        fluence_error: 'empresa is empty',
      });
      // An error outside the contact's columns is kept as the text the cell shows.
      expect(rows.Davi).toMatchObject({ pedidos: '3', notas: '#REF!', fluence_status: 'ok' });
      const errors: Array<[string, string, string]> = [
        ['Bruno', 'D3', '#N/A'],
        ['Eva', 'B6', '#N/A'],
        ['#DIV/0!', 'A7', '#DIV/0!'],
        ['Gil', 'D8', '#SPILL!'],
        ['Hugo', 'D9', '#NAME?'],
        ['Iris', 'B10', '#NULL!'],
        ['Joana', 'D11', '#NUM!'],
        ['Kleber', 'D12', '#VALUE!'],
      ];
      for (const [name, cell, error] of errors) {
        expect(rows[name]!.fluence_status, name).toBe('invalid_input');
        expect(rows[name]!.fluence_error, name).toContain(`cell ${cell} shows the error ${error}`);
      }
      expect(run.summary).toMatchObject({ requests: 2 });
    });
  });

  it('1. a formula saved without its result (openpyxl), or with a placeholder in a workbook that asks to be recomputed (XlsxWriter), stops the run before anything is spent, naming the cell', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const openpyxl = await enrich(sandbox, fixture(dir, 'uncomputed.xlsx'), dir);
      expect(openpyxl.code).toBe(1);
      expect(openpyxl.stderr).toMatch(
        /uncomputed\.xlsx: sheet "Contatos", cell C3 holds a formula \(="Teste 200 Ambev"\), and it was saved without its result .*open the file in Excel or LibreOffice and save it.*Nothing was spent \[XLSX_FORMULA_NOT_COMPUTED\]/,
      );
      const placeholder = await enrich(sandbox, fixture(dir, 'placeholder.xlsx'), dir);
      expect(placeholder.code).toBe(1);
      expect(placeholder.stderr).toMatch(
        /cell C2 holds a formula \(=VLOOKUP\("E1",Empresas!A:B,2,0\)\), .*a placeholder, not its result.*\[XLSX_FORMULA_NOT_COMPUTED\]/,
      );
      nothingSpent(sandbox);
      expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    });
  });

  it('2. rich text is every run of it, written inline or in the table of texts (a phonetic guide is not text)', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const run = await enrich(sandbox, fixture(dir, 'rich-text.xlsx'), dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.rows.map((r) => [r.primeiro_nome, r.ultimo_nome, r.empresa])).toEqual([
        ['Ana Beatriz', 'Souza', 'Teste 200 Rica'],
        ['Caio', 'Pereira', 'Teste 200 Em Partes'],
      ]);
      expect(charged(sandbox)).toEqual([
        'ana beatriz | souza | teste 200 rica',
        'caio | pereira | teste 200 em partes',
      ]);
    });
  });

  it('3. the first visible tab is read, not the first sheet stored (hidden, very hidden, or a tab moved): the log and estimate say which sheet', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const hidden = await enrich(sandbox, fixture(dir, 'hidden-first.xlsx'), dir);
      expect(hidden.code, hidden.stderr).toBe(0);
      expect(hidden.stdout + hidden.stderr).toContain(
        'read sheet \\"Contatos\\" of \\"Antigos\\" (hidden), \\"Arquivo\\" (hidden), \\"Contatos\\"',
      );
      expect(charged(sandbox)).toEqual(['ana | lima | teste 200 visivel', 'beto | sa | teste 200 visivel']);

      const moved = fixture(dir, 'reordered.xlsx');
      const estimate = await runCli(['estimate', moved, '--base-url', sandbox.url], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(estimate.code, estimate.stderr).toBe(0);
      expect(estimate.stdout).toContain('read sheet "Contatos" of "Contatos", "Rascunho"');
      const reordered = await enrich(sandbox, moved, await workdir());
      expect(reordered.code, reordered.stderr).toBe(0);
      expect(charged(sandbox)).toEqual([
        'ana | lima | teste 200 visivel',
        'beto | sa | teste 200 visivel',
        'carla | nova | teste 200 ordem',
      ]);
    });
  });

  it('6. numbers are shown in their number format (CEP, codes, %, times, dates, money), in either date system, and an .xlsx output keeps each number and its format', async () => {
    await withSandbox({}, async (sandbox) => {
      for (const book of ['formats.xlsx', 'formats-1904.xlsx']) {
        const dir = await workdir();
        const input = fixture(dir, book);
        const run = await enrich(sandbox, input, dir);
        expect(run.code, run.stderr).toBe(0);
        const { cep, codigo, desconto, hora, nascimento, cadastro, curta, valor, geral, como_texto } = run.rows[0]!;
        expect({ cep, codigo, desconto, hora, nascimento, cadastro, curta, valor, geral, como_texto }, book).toEqual({
          cep: '01310-100',
          codigo: '00123',
          desconto: '15%',
          hora: '14:30',
          nascimento: '15/01/2024',
          cadastro: '30/06/2025 14:30',
          // The locale's short date (built-in 14): one the reader cannot misread.
          curta: '2024-01-15',
          valor: 'R$ 1,234.50',
          geral: '0.3',
          como_texto: '42',
        });
        if (!HAVE_OPENPYXL) continue;
        // A second reader of the .xlsx output sees the numbers, each in its own format (dates in the 1900 system).
        const out = join(dir, 'out.xlsx');
        const again = await runCli(
          [
            ...enrichArgs(sandbox, input, dir, ['--checkpoint', join(dir, 'out.csv.checkpoint.sqlite')]).map((a) =>
              a === join(dir, 'out.csv') ? out : a,
            ),
          ],
          { env: { FLUENCE_API_KEY: ENTERPRISE } },
        );
        expect(again.code, again.stderr).toBe(0);
        expect(openpyxlRow(out, 2).slice(3, 13), book).toEqual([
          { value: '1310100', format: '00000-000' },
          { value: '123', format: '00000' },
          { value: '0.15', format: '0%' },
          { value: 'datetime.time(14, 30)', format: 'h:mm' },
          { value: 'datetime.datetime(2024, 1, 15, 0, 0)', format: 'dd/mm/yyyy' },
          { value: 'datetime.datetime(2025, 6, 30, 14, 30)', format: 'dd/mm/yyyy hh:mm' },
          { value: 'datetime.datetime(2024, 1, 15, 0, 0)', format: 'mm-dd-yy' },
          { value: '1234.5', format: '"R$" #,##0.00' },
          { value: '0.30000000000000004', format: 'General' },
          { value: '42', format: '@' },
        ]);
      }
      expect(charged(sandbox)).toEqual(['ana | prado | teste 200 formatos']);
      // One request per workbook (each its own checkpoint); the .xlsx outputs came from the checkpoints.
      expect(sandbox.ledger.requests['/crm_basico']).toEqual({ 200: 2 });
    });
  });

  it('7. sheets are named as workbook.xml names them in a workbook openpyxl (or pandas) wrote: --sheet Contatos reads it', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = fixture(dir, 'openpyxl-sheets.xlsx');
      const wrong = await enrich(sandbox, input, dir, ['--sheet', 'Leads']);
      expect(wrong.stderr).toMatch(
        /has no sheet named "Leads"; it has: "Resumo", "Contatos" \(--sheet NAME\) \[SHEET_NOT_FOUND\]/,
      );
      nothingSpent(sandbox);
      const run = await enrich(sandbox, input, dir, ['--sheet', 'Contatos']);
      expect(run.code, run.stderr).toBe(0);
      expect(charged(sandbox)).toEqual(['ana | pandas | teste 200 openpyxl', 'bia | pandas | teste 200 openpyxl']);
    });
  });

  it('8. a cover page first: MISSING_COLUMN lists the sheets and names the one whose header would work, before anything is spent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = fixture(dir, 'cover.xlsx');
      const cover = await enrich(sandbox, input, dir);
      expect(cover.code).toBe(1);
      expect(cover.stderr).toMatch(
        /That is sheet "Capa", the workbook's first visible tab \(.*cover\.xlsx has: "Capa", "Contatos"\); "Contatos" has a header with these columns: add --sheet Contatos \[MISSING_COLUMN\]/,
      );
      nothingSpent(sandbox);
      const run = await enrich(sandbox, input, dir, ['--sheet', 'Contatos']);
      expect(run.code, run.stderr).toBe(0);
      expect(charged(sandbox)).toEqual(['ana | capa | teste 200 capa']);
    });
  });

  it('9. old and foreign formats say what they are and what to do, whatever their name, before anything is spent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const cases: Array<[string, RegExp]> = [
        [
          fixture(dir, 'legacy.xls'),
          /legacy\.xls is an Excel 97-2003 workbook \(\.xls\).*save it as an Excel Workbook \(\.xlsx\) or as CSV UTF-8.*\[INPUT_IS_XLS\]/,
        ],
        [
          fixture(dir, 'legacy.xls', 'renamed.xlsx'),
          /renamed\.xlsx is an Excel 97-2003 workbook \(\.xls\).*\[INPUT_IS_XLS\]/,
        ],
        [
          fixture(dir, 'contacts.ods'),
          /contacts\.ods is an OpenDocument spreadsheet \(\.ods.*save it as Excel 2007-365 \(\.xlsx\) or as Text CSV \(UTF-8\).*\[INPUT_IS_ODS\]/,
        ],
        [
          fixture(dir, 'encrypted.xlsx'),
          /encrypted\.xlsx is a password-protected workbook.*remove the password.*\[INPUT_ENCRYPTED\]/,
        ],
      ];
      for (const [input, message] of cases) {
        const run = await enrich(sandbox, input, dir);
        expect(run.code, input).toBe(1);
        expect(run.stderr, input).toMatch(message);
      }
      const csv = join(dir, 'contatos.csv');
      await writeFile(csv, 'primeiro_nome,ultimo_nome,empresa\nAna,Silva,Teste 200\n');
      const sheet = await enrich(sandbox, csv, dir, ['--sheet', 'Contatos']);
      expect(sheet.stderr).toMatch(
        /option --sheet: .*contatos\.csv is a CSV \(a text file\), which has no sheets; leave out --sheet.*\[BAD_OPTION\]/,
      );
      expect(sheet.stderr).not.toMatch(/name it \.csv/);
      nothingSpent(sandbox);
    });
  });

  it('14. a workbook on standard input is read as one, and its messages name standard input, not a temporary file', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const args = (extra: string[] = []) => [
        'enrich',
        '-',
        '-o',
        join(dir, 'out.csv'),
        '--checkpoint',
        join(dir, 'stdin.sqlite'),
        '--base-url',
        sandbox.url,
        '--progress',
        'off',
        ...extra,
      ];
      const cover = await runWithStdin(args(), fixture(dir, 'cover.xlsx'));
      expect(cover.code).toBe(1);
      expect(cover.stderr).toMatch(
        /\(standard input has: "Capa", "Contatos"\); "Contatos" has a header with these columns/,
      );
      const missing = await runWithStdin(args(['--sheet', 'Leads']), fixture(dir, 'cover.xlsx'));
      expect(missing.stderr).toMatch(/standard input has no sheet named "Leads"/);
      const uncomputed = await runWithStdin(args(), fixture(dir, 'uncomputed.xlsx'));
      expect(uncomputed.stderr).toMatch(/standard input: sheet "Contatos", cell C3 holds a formula/);
      const emptyFile = join(dir, 'empty');
      await writeFile(emptyFile, '');
      const empty = await runWithStdin(args(), emptyFile);
      expect(empty.stderr).toMatch(/standard input is empty.*\[INPUT_EMPTY\]/);
      for (const run of [cover, missing, uncomputed, empty]) expect(run.stderr).not.toContain(tmpdir());
      nothingSpent(sandbox);
      const run = await runWithStdin(args(), fixture(dir, 'hidden-first.xlsx'));
      expect(run.code, run.stderr).toBe(0);
      expect(readOutput(dir).map((r) => r.primeiro_nome)).toEqual(['Ana', 'Beto']);
      expect(charged(sandbox)).toEqual(['ana | lima | teste 200 visivel', 'beto | sa | teste 200 visivel']);
    });
  });

  it("14. cells cut at Excel's limit: the answers are whole in the checkpoint, the user's own cells only in their input, and the warning says which", async () => {
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const long = 'x'.repeat(EXCEL_MAX_CELL + 10);
    const answers = await XlsxSheetWriter.open(
      sink,
      ['primeiro_nome', 'nota', 'fluence_status', 'fluence_analise_json'],
      2,
    );
    answers.addRow(['Ana', 'curta', 'ok', long]);
    const cut = answers.shortenedWarning('out.xlsx')!;
    expect(render('en', cut)).toMatch(
      /^out\.xlsx: 1 cell of the answers was longer than the 32,767 characters .*was cut .*the checkpoint keeps every answer whole: write them with -o NAME\.jsonl/,
    );
    // In Portuguese: the same facts in its words, the number as Brazil writes it.
    expect(render('pt-BR', cut)).toMatch(
      /^out\.xlsx: 1 célula das respostas tinha mais que os 32\.767 caracteres que cabem numa célula do Excel e foi cortada .*o checkpoint guarda todas as respostas inteiras: grave-as com -o NOME\.jsonl/,
    );
    const own = await XlsxSheetWriter.open(
      sink,
      ['primeiro_nome', 'nota', 'fluence_status', 'fluence_analise_json'],
      2,
    );
    own.addRow(['Ana', long, 'ok', '{}']);
    own.addRow(['Bia', long, 'ok', '{}']);
    const ownCut = own.shortenedWarning('out.xlsx')!;
    const warning = render('en', ownCut);
    expect(warning).toMatch(
      /^out\.xlsx: 2 of your own cells \(column "nota"\) were longer than .*your input file still holds them whole/,
    );
    expect(warning).not.toMatch(/checkpoint keeps every answer/);
    expect(render('pt-BR', ownCut)).toMatch(
      /^out\.xlsx: 2 células suas \(coluna "nota"\) tinham mais que os 32\.767 caracteres .*o seu arquivo de entrada continua com o texto inteiro/,
    );
    expect((await XlsxSheetWriter.open(sink, ['a'], 1)).shortenedWarning('out.xlsx')).toBeUndefined();
    await Promise.all([answers.end(), own.end()]);
  });
});

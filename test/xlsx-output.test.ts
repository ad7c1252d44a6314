import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import unzipper from 'unzipper';
import { describe, expect, it } from 'vitest';
import { readXlsxBatches } from '../src/input/xlsx.js';
import { normalizeEnrichOptions } from '../src/options/normalize.js';
import { checkSheetRows, EXCEL_MAX_CELL, EXCEL_MAX_ROWS, XlsxSheetWriter } from '../src/output/xlsx-sheet.js';
import { runCli } from './helpers/cli.js';
import { enrichArgs, largeFile, readOutput, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** A text with edge spaces is written as one run of rich text (see `XlsxSheetWriter`): a spreadsheet shows its text. */
const plain = (value: ExcelJS.CellValue): ExcelJS.CellValue =>
  value !== null && typeof value === 'object' && 'richText' in value
    ? value.richText.map((run) => run.text).join('')
    : value;

/** Every cell of the first sheet as [type, value], by header. */
async function readSheet(
  path: string,
): Promise<{ sheet: ExcelJS.Worksheet; rows: Array<Record<string, ExcelJS.CellValue>> }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheet = book.worksheets[0]!;
  const header = (sheet.getRow(1).values as string[]).slice(1);
  const rows: Array<Record<string, ExcelJS.CellValue>> = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(header.map((name, i) => [name, plain(row.getCell(i + 1).value)])));
  });
  return { sheet, rows };
}

/** Values a spreadsheet would mangle if it were left to guess their type. */
const TRICKY = [
  ['código', 'primeiro_nome', 'ultimo_nome', 'empresa', 'telefone', 'nota'],
  ['00123', 'José', 'Araújo', 'Padaria São João', '5511987654321', 'linha 1\r\nlinha 2'],
  [
    '12345678901234567890',
    '=HYPERLINK("http://x","clique")',
    'Conceição',
    'Açougue Boa Carne',
    '+55 11 4000-1000',
    '1/2',
  ],
  ['007', 'Ana', 'Souza', 'Café & Cia <Ltda>', '-12', '2024-01-15'],
  ['', 'Bia', '', 'Sem Sobrenome', '@bia', '  espaços  '],
];

describe('.xlsx output (ExcelJS streaming writer, real CLI)', () => {
  it('a workbook out, cell for cell as the CSV output: every text a text cell (leading zeros, long digits, dates and formulas as typed), counts as numbers, header bold and frozen; a resume writes it from the checkpoint', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'contatos.csv');
      await writeFile(input, stringify(TRICKY));
      const checkpoint = ['--checkpoint', join(dir, 'answers.sqlite')];
      const csv = await runCli(enrichArgs(sandbox, input, dir, checkpoint), { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(csv.code, csv.stderr).toBe(0);
      const xlsxPath = join(dir, 'out.xlsx');
      const args = [...enrichArgs(sandbox, input, dir, checkpoint)];
      args[args.indexOf('-o') + 1] = xlsxPath;
      const run = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(run.code, run.stderr).toBe(0);
      // The second run paid nothing: the workbook came from the checkpoint.
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary, JSON.stringify(summary)).toMatchObject({ requests: 0, fromCheckpoint: 2 });

      const { sheet, rows } = await readSheet(xlsxPath);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      const expected = readOutput(dir);
      expect(rows).toHaveLength(expected.length);
      rows.forEach((row, r) => {
        for (const [name, text] of Object.entries(expected[r]!)) {
          const cell = row[name];
          // The CSV's only differences: it keeps CRLF (Excel keeps LF), an empty cell is no cell, and this run spent nothing.
          if (name !== 'fluence_credits_used')
            expect(cell === null || cell === undefined ? '' : String(cell), `${name}, row ${r + 2}`).toBe(
              text.replace(/\r\n/g, '\n'),
            );
          if (name === 'fluence_http_status' || name === 'fluence_credits_used' || name === 'fluence_confianca') {
            if (text !== '') expect(typeof cell, name).toBe('number');
          } else if (text !== '') {
            expect(typeof cell, `${name}: ${text}`).toBe('string');
          }
        }
      });
      // Text cells are formatted as text: typed over in Excel, 00123 still stays 00123.
      const code = sheet.getRow(2).getCell(1);
      expect([code.type, code.numFmt]).toEqual([ExcelJS.ValueType.String, '@']);
      expect(sheet.getRow(3).getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect(rows.map((r) => r.fluence_status)).toEqual(expected.map((r) => r.fluence_status));
      expect(rows.at(-1)!.fluence_status).toBe('invalid_input');
      expect(JSON.parse(String(rows[0]!.fluence_analise_json))).toHaveProperty('perfil');
      // No partial file is left beside it.
      expect(readFileSync(xlsxPath).subarray(0, 2).toString()).toBe('PK');
    });
  });

  it('a workbook in, a workbook out (by default, beside the others in output/): the input cells read back as they were (text as text, numbers as numbers), the sheet named after the tool', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Leads');
      sheet.addRow(['Código', 'Nome', 'Sobrenome', 'Empresa', 'Observação', 'Valor']);
      sheet.addRow(['00123', 'José', 'Araújo', 'Padaria São João', 'linha 1\nlinha 2', 1234.5]);
      sheet.addRow([
        '00456',
        'Conceição',
        'Lima',
        { richText: [{ text: 'Açougue ' }, { text: 'Boa Carne' }] },
        '=1+1',
        { formula: '2*3', result: 6 },
      ]);
      await book.xlsx.writeFile(join(dir, 'leads.xlsx'));
      const run = await runCli(['enrich', 'leads.xlsx', '--base-url', sandbox.url, '--progress', 'off'], {
        cwd: dir,
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(0);
      const { sheet: out, rows } = await readSheet(join(dir, 'output', 'leads.enriched.xlsx'));
      expect(out.name).toBe('fluence-enrich');
      expect(rows.map((r) => [r.Código, r.Nome, r.Sobrenome, r.Empresa, r.Observação, r.Valor])).toEqual([
        ['00123', 'José', 'Araújo', 'Padaria São João', 'linha 1\nlinha 2', 1234.5],
        ['00456', 'Conceição', 'Lima', 'Açougue Boa Carne', '=1+1', 6],
      ]);
      expect(rows.map((r) => r.fluence_status)).toEqual(['ok', expect.stringMatching(/^(ok|not_found|ambiguous)$/)]);
    });
  });

  it('more rows than a sheet holds stop before anything is spent, and leave no checkpoint', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await largeFile(
        join(dir, 'big.csv'),
        'primeiro_nome,ultimo_nome,empresa',
        EXCEL_MAX_ROWS,
        () => 'Ana,Silva,Acme\n',
      );
      const args = enrichArgs(sandbox, input, dir);
      args[args.indexOf('-o') + 1] = join(dir, 'big.xlsx');
      const run = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /big\.xlsx: the input has 1,048,576 rows and an Excel sheet holds 1,048,575 under its header; write CSV instead .*Nothing was spent \[XLSX_TOO_MANY_ROWS\]/,
      );
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      expect(existsSync(join(dir, 'big.xlsx'))).toBe(false);
      expect(existsSync(join(dir, 'big.xlsx.checkpoint.sqlite'))).toBe(false);
    });
  }, 180_000); // a first pass over 1,048,576 rows: 34 s on a loaded machine, past 60 s on CI's Node 24

  it('a text longer than a cell holds is cut with … and the run says where the whole value is', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'notas.csv');
      await writeFile(
        input,
        stringify([
          ['primeiro_nome', 'ultimo_nome', 'empresa', 'nota'],
          ['Ana', 'Silva', 'Acme', 'x'.repeat(40_000)],
        ]),
      );
      const args = enrichArgs(sandbox, input, dir);
      args[args.indexOf('-o') + 1] = join(dir, 'out.xlsx');
      const run = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /1 of your own cells \(column \\?"nota\\?"\) were longer than the 32,767 characters an Excel cell holds and were cut/,
      );
      const { rows } = await readSheet(join(dir, 'out.xlsx'));
      expect(String(rows[0]!.nota)).toHaveLength(EXCEL_MAX_CELL);
      expect(String(rows[0]!.nota).endsWith('x…')).toBe(true);
    });
  });

  it('the writer waits for the file: with the file not taking bytes, rows stop being accepted, and go on once it does', async () => {
    let release: (() => void) | undefined;
    const held: Buffer[] = [];
    let holding = true;
    const file = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        held.push(chunk);
        if (holding) release = done;
        else done();
      },
    });
    const sheet = await XlsxSheetWriter.open(file, ['primeiro_nome', 'ultimo_nome', 'empresa', 'nota']);
    const stuck = (wait: Promise<void>): Promise<boolean> =>
      Promise.race([wait.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 200))]);
    let accepted = 0;
    let blocked: Promise<void> | undefined;
    // A tight loop that honours every wait, as a resume does: once the file stops taking bytes,
    // the wait must stop settling well before 50,000 rows (about 12 MB of XML) were taken.
    while (accepted < 50_000 && !blocked) {
      const wait = sheet.addRow([`Pessoa${accepted}`, 'Silva', 'Acme', `uma nota qualquer ${accepted} `.repeat(6)]);
      accepted += 1;
      if (wait && (await stuck(wait))) blocked = wait;
    }
    expect(blocked, 'the writer never waited for the file').toBeDefined();
    expect(held.length).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(20_000);
    holding = false;
    release!();
    await blocked;
    for (let i = 0; i < 1000; i++) await sheet.addRow([`Mais${i}`, 'Souza', 'Acme', '']);
    await sheet.end();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(held) as never);
    expect(book.worksheets[0]!.rowCount).toBe(1 + accepted + 1000);
  });

  it('the format follows the output name, and a workbook in gives a workbook out; a name and a format that disagree are refused', () => {
    const env = { FLUENCE_API_KEY: ENTERPRISE };
    expect(normalizeEnrichOptions({ input: 'leads.xlsx' }, env)).toMatchObject({
      format: 'xlsx',
      output: join('output', 'leads.enriched.xlsx'),
    });
    expect(normalizeEnrichOptions({ input: 'leads.xlsx', output: 'leads.csv' }, env)).toMatchObject({ format: 'csv' });
    expect(normalizeEnrichOptions({ input: 'leads.csv', output: 'x.XLSX', excel: true }, env)).toMatchObject({
      format: 'xlsx',
      excel: false,
    });
    expect(normalizeEnrichOptions({ input: 'leads.csv', output: 'x.jsonl' }, env)).toMatchObject({ format: 'jsonl' });
    expect(normalizeEnrichOptions({ input: 'leads.csv', format: 'xlsx' }, env)).toMatchObject({
      output: join('output', 'leads.enriched.xlsx'),
    });
    expect(() => normalizeEnrichOptions({ input: 'leads.csv', output: 'x.csv', format: 'xlsx' }, env)).toThrow(
      /--format xlsx and output x\.csv disagree/,
    );
    expect(() => normalizeEnrichOptions({ input: 'leads.csv', output: 'x.xlsx', format: 'jsonl' }, env)).toThrow(
      /disagree/,
    );
    expect(() => normalizeEnrichOptions({ input: 'leads.csv', format: 'jsonl', excel: true }, env)).toThrow(
      /--excel or --format jsonl/,
    );
    expect(() => checkSheetRows(EXCEL_MAX_ROWS - 1, 'x.xlsx')).not.toThrow();
    expect(() => checkSheetRows(EXCEL_MAX_ROWS, 'x.xlsx')).toThrow(/XLSX|1,048,575/);
  });

  it('a cell\'s leading and trailing spaces stay as spreadsheet programs read them (inline text with xml:space="preserve", never <v> that LibreOffice trims): read back by this tool\'s reader and by LibreOffice', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'espacos.csv');
      await writeFile(
        input,
        stringify([
          ['primeiro_nome', 'ultimo_nome', 'empresa', 'nota'],
          ['Ana ', ' Cardoso', ' cyrela ', '\tTab'],
          ['Bia', 'Lima', 'Teste 200', 'nota\n'],
          ['Caio', 'Reis', 'Teste 200', '   '],
        ]),
      );
      const output = join(dir, 'out.xlsx');
      const args = enrichArgs(sandbox, input, dir);
      args[args.indexOf('-o') + 1] = output;
      const run = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(run.code, run.stderr).toBe(0);
      // The sheet's XML: each such text inline, preserved; the others plain.
      const zip = await unzipper.Open.file(output);
      const xml = (await zip.files.find((f) => f.path === 'xl/worksheets/sheet1.xml')!.buffer()).toString('utf8');
      expect(xml).toContain('t="inlineStr"><is><r><t xml:space="preserve"> cyrela </t></r></is>');
      expect(xml).not.toMatch(/<v>\s|\s<\/v>/);
      // This tool's reader.
      const cells: string[][] = [];
      for await (const batch of readXlsxBatches(output, 'fluence-enrich')) for (const r of batch) cells.push(r.cells);
      expect(cells.slice(1).map((r) => r.slice(0, 4))).toEqual([
        ['Ana ', ' Cardoso', ' cyrela ', '\tTab'],
        ['Bia', 'Lima', 'Teste 200', 'nota\n'],
        ['Caio', 'Reis', 'Teste 200', '   '],
      ]);
      // LibreOffice, where it is installed (Debian: libreoffice-calc-nogui).
      const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
      if (!soffice) {
        const reason = 'soffice not found (apt-get install -y libreoffice-calc-nogui)';
        // CI installs it (.ci/run): there a missing LibreOffice fails rather than skips.
        if (process.env.CI) throw new Error(`CI needs LibreOffice: ${reason}`);
        console.warn(`skipping the LibreOffice check: ${reason}`);
        return;
      }
      const converted = spawnSync(
        soffice,
        [
          `-env:UserInstallation=file://${join(dir, 'lo')}`,
          '--headless',
          '--convert-to',
          'csv',
          '--outdir',
          dir,
          output,
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(converted.status, converted.stderr).toBe(0);
      const read = parse(readFileSync(join(dir, 'out.csv'), 'utf8'), { relax_column_count: true }) as string[][];
      expect(read.slice(1).map((r) => r.slice(0, 4))).toEqual([
        ['Ana ', ' Cardoso', ' cyrela ', '\tTab'],
        ['Bia', 'Lima', 'Teste 200', 'nota\n'],
        ['Caio', 'Reis', 'Teste 200', '   '],
      ]);
    });
  });
});

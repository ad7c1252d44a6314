import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { enrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** A workbook as people keep them: a summary sheet first, then the contacts with typed cells. */
async function workbook(dir: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Resumo').addRow(['Exportado em', new Date(Date.UTC(2026, 10, 1))]);
  const sheet = book.addWorksheet('Contatos');
  sheet.addRow(['Código', 'Nome', 'Sobrenome', 'Empresa', 'Telefone', 'Observação', 'Cliente desde', 'Valor']);
  sheet.addRow([
    '00123',
    'José',
    'Araújo',
    'Padaria São João',
    '011 98888-0001',
    'linha 1\nlinha 2',
    new Date(Date.UTC(2024, 0, 15)),
    1234.5,
  ]);
  sheet.addRow([]);
  sheet.addRow([
    '00456',
    '=A1&B1',
    'Conceição',
    { richText: [{ text: 'Açougue ' }, { text: 'Boa Carne' }] },
    '',
    '',
    new Date(Date.UTC(2025, 5, 30, 14, 30)),
    { formula: '2*3', result: 6 },
  ]);
  sheet.addRow(['00789', 'Ana', '', 'Sem Sobrenome Ltda', '', '', null, true]);
  const path = join(dir, 'contatos.xlsx');
  await book.xlsx.writeFile(path);
  return path;
}

describe('.xlsx input (streaming reader, real CLI)', () => {
  it('reads a named sheet cell for cell: text kept as text, dates as ISO, formulas by their result; resume and estimate work the same', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await workbook(dir);
      const run = await enrich(sandbox, input, dir, ['--sheet', 'Contatos']);
      // Every row final (the one without a surname is invalid_input): exit 0.
      expect(run.code, run.stderr).toBe(0);
      expect(
        run.rows.map((r) => [
          r.Código,
          r.Nome,
          r.Sobrenome,
          r.Empresa,
          r.Telefone,
          r.Observação,
          r['Cliente desde'],
          r.Valor,
        ]),
      ).toEqual([
        ['00123', 'José', 'Araújo', 'Padaria São João', '011 98888-0001', 'linha 1\nlinha 2', '2024-01-15', '1234.5'],
        // The date-time is shown as its cell's format shows it (ExcelJS's default, the short date): the day.
        ['00456', '=A1&B1', 'Conceição', 'Açougue Boa Carne', '', '', '2025-06-30', '6'],
        ['00789', 'Ana', '', 'Sem Sobrenome Ltda', '', '', '', 'TRUE'],
      ]);
      expect(run.rows.map((r) => r.fluence_status)).toEqual(['ok', expect.any(String), 'invalid_input']);
      expect(run.summary).toMatchObject({ requests: 2 });
      // The same file again: answered from the checkpoint.
      const again = await enrich(sandbox, input, dir, ['--sheet', 'Contatos']);
      expect(again.summary).toMatchObject({ requests: 0, fromCheckpoint: 2 });
      const estimate = await runCli(['estimate', input, '--sheet', 'Contatos', '--base-url', sandbox.url], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(estimate.code, estimate.stderr).toBe(0);
      expect(estimate.stdout + estimate.stderr).toMatch(/primeiro_nome <- "Nome"/);
    });
  });

  it('a workbook whose table of texts would not fit in the memory left is refused before anything is spent, pointing to CSV', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Contatos');
      sheet.addRow(['primeiro_nome', 'ultimo_nome', 'empresa', 'notas']);
      // 5,000 distinct 2 KB notes: a 10 MB shared-strings part, about 40 MB of heap to read.
      for (let i = 0; i < 5000; i++)
        sheet.addRow([`Pessoa${i}`, 'Silva', 'Teste 200', `${i} `.repeat(700).slice(0, 2000)]);
      const input = join(dir, 'notas.xlsx');
      await book.xlsx.writeFile(input);
      const args = ['enrich', input, '-o', join(dir, 'out.csv'), '--base-url', sandbox.url, '--progress', 'off'];
      const small = await runCli(args, {
        env: { FLUENCE_API_KEY: ENTERPRISE, NODE_OPTIONS: '--max-old-space-size=40' },
      });
      expect(small.code).toBe(1);
      expect(small.stderr).toMatch(
        /notas\.xlsx: its table of texts \(xl\/sharedStrings\.xml, 10 MB\) needs about \d+ MB of memory to read, and this process has \d+ MB free .*save the sheet as CSV.*Nothing was spent \[XLSX_TOO_LARGE\]/,
      );
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      const roomy = await runCli([...args, '--max-credits', '0'], { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(roomy.stderr).not.toMatch(/XLSX_TOO_LARGE/);
      expect(roomy.code).toBe(3);
    });
  });

  it('the first sheet by default; a sheet that is not there, or a CSV named .xlsx, stops before anything is spent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await workbook(dir);
      const first = await enrich(sandbox, input, dir);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/no column for .*the file has: "Exportado em"/);
      const missing = await enrich(sandbox, input, dir, ['--sheet', 'Leads']);
      expect(missing.stderr).toMatch(
        /has no sheet named "Leads"; it has: "Resumo", "Contatos" \(--sheet NAME\) \[SHEET_NOT_FOUND\]/,
      );
      const fake = join(dir, 'fake.xlsx');
      await writeFile(fake, 'primeiro_nome,ultimo_nome,empresa\nAna,Silva,X\n');
      const notZip = await enrich(sandbox, fake, dir);
      expect(notZip.stderr).toMatch(/is not an \.xlsx workbook.*\[INPUT_NOT_XLSX\]/);
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    });
  });
});

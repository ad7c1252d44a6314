import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bombs, inline, people, row, shared, table, workbook, type Entry } from '../fixtures/xlsx/hostile.js';
import { flagMegabytes, oldSpaceLimit } from '../src/input/xlsx/limits.js';
import { CLI, type CliResult } from './helpers/cli.js';
import { workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/**
 * Runs the CLI on `input` (a path, or `{ stdin }` piped as standard input) under a 256 MB old
 * space, with its own temporary folder (to see that a spooled copy does not stay behind).
 */
async function run(
  url: string,
  dir: string,
  input: string | { stdin: string },
  heap = 256,
): Promise<CliResult & { tmpLeft: string[] }> {
  const tmp = join(dir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const stdin = typeof input === 'string' ? 'pipe' : openSync(input.stdin, 'r');
  const args = [
    'enrich',
    typeof input === 'string' ? input : '-',
    '-o',
    join(dir, 'out.csv'),
    '--checkpoint',
    join(dir, 'run.sqlite'),
    '--base-url',
    url,
    '--progress',
    'off',
  ];
  const child = spawn(process.execPath, [`--max-old-space-size=${heap}`, CLI, ...args], {
    env: { ...process.env, FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: '', NODE_OPTIONS: '', TMPDIR: tmp },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  if (typeof stdin === 'number') closeSync(stdin);
  else child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = await new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { ...result, tmpLeft: await readdir(tmp) };
}

/** The header and one contact, its company's text being bytes that are not UTF-8 (Latin-1 "Gerdau" with an é). */
const LATIN1 = Buffer.from([0x47, 0x65, 0x72, 0xe9, 0x64, 0x61, 0x75]);

describe('.xlsx files that lie or are broken: refused before anything is spent (real CLI, the ledger as judge)', () => {
  it('bytes that are not UTF-8, in the table of texts or in a sheet, stop with INPUT_NOT_UTF8, from a file and from standard input', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const inTable = await workbook(
        join(dir, 'table.xlsx'),
        people(2).concat(row(4, inline('A4', 'Ana') + inline('B4', 'Souza') + shared('C4', 0))),
        { data: table([LATIN1]) },
      );
      const [header, ...rest] = people(2);
      const inSheet = await workbook(join(dir, 'sheet.xlsx'), () => [
        Buffer.from(`<?xml version="1.0"?><worksheet><sheetData>${header}${rest.join('')}`),
        Buffer.from('<row r="4"><c r="A4" t="inlineStr"><is><t>Ana</t></is></c><c r="B4" t="inlineStr"><is><t>'),
        LATIN1,
        Buffer.from('</t></is></c><c r="C4" t="inlineStr"><is><t>Teste 200</t></is></c></row></sheetData></worksheet>'),
      ]);
      const fromTable = await run(sandbox.url, dir, inTable);
      expect(fromTable.code, fromTable.stderr).toBe(1);
      expect(fromTable.stderr).toMatch(
        /table\.xlsx: its table of texts \(xl\/sharedStrings\.xml\), text number 1 holds bytes that are not UTF-8.*\[INPUT_NOT_UTF8\]/,
      );
      const fromSheet = await run(sandbox.url, dir, inSheet);
      expect(fromSheet.stderr).toMatch(
        /sheet\.xlsx: sheet "Contatos", row 4, holds bytes that are not UTF-8.*\[INPUT_NOT_UTF8\]/,
      );
      const piped = await run(sandbox.url, dir, { stdin: inTable });
      expect(piped.code).toBe(1);
      expect(piped.stderr).toMatch(/standard input: its table of texts .* not UTF-8.*\[INPUT_NOT_UTF8\]/);
      expect(piped.tmpLeft).toEqual([]);
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    });
  });

  it('rows and cells no spreadsheet program writes stop with XLSX_MALFORMED, saying what is wrong', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const contact = (r: number, company = 'Teste 200'): string =>
        row(r, inline(`A${r}`, `Pessoa${r}`) + inline(`B${r}`, 'Silva') + inline(`C${r}`, company));
      const cases: Array<[string, string[] | Entry[], RegExp]> = [
        [
          'row-past-limit',
          [...people(2), contact(1_048_577)],
          /a row numbered 1048577, past Excel's last row \(1,048,576\)/,
        ],
        ['row-twice', [...people(2), contact(3)], /row 3 is given twice/],
        ['row-order', [...people(3), contact(2)], /row 2 comes after row 4/],
        [
          'cell-twice',
          [
            ...people(1),
            row(3, inline('A3', 'Ana') + inline('B3', 'Souza') + inline('C3', 'Teste 200') + inline('C3', 'Outra SA')),
          ],
          /cell C3 is given twice/,
        ],
        [
          'cell-outside-row',
          [...people(1), row(3, inline('A3', 'Ana') + inline('B4', 'Souza'))],
          /cell B4 is stored inside row 3/,
        ],
        [
          'column-past-limit',
          [...people(1), row(3, inline('A3', 'Ana') + inline('XFE3', 'x'))],
          /cell XFE3 is past Excel's last column/,
        ],
      ];
      for (const [name, rows, message] of cases) {
        const path = await workbook(join(dir, `${name}.xlsx`), rows as string[]);
        const result = await run(sandbox.url, dir, path);
        expect(result.code, `${name}: ${result.stderr}`).toBe(1);
        expect(result.stderr, name).toMatch(message);
        expect(result.stderr, name).toMatch(
          /open it in Excel or LibreOffice and save it again.*Nothing was spent \[XLSX_MALFORMED\]/,
        );
      }
      // Two entries of one name: the reader would take the first, another program the second.
      const twice = await workbook(join(dir, 'entry-twice.xlsx'), people(2), undefined, [
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData/></worksheet>') },
      ]);
      const entry = await run(sandbox.url, dir, twice);
      expect(entry.code).toBe(1);
      expect(entry.stderr).toMatch(/its zip holds two entries named "xl\/worksheets\/sheet1\.xml".*\[XLSX_MALFORMED\]/);
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
      // The same rows, well formed, are read and charged: the checks refuse only what is wrong.
      const fine = await run(sandbox.url, dir, await workbook(join(dir, 'fine.xlsx'), [...people(2), contact(5)]));
      expect(fine.code, fine.stderr).toBe(0);
      expect(sandbox.ledger.requests['/crm_basico']).toBeDefined();
    });
  });

  it('a table of texts whose zip directory says 100 bytes and holds 300 MB stops with XLSX_TOO_LARGE as it inflates, under a 256 MB heap, from a file and from standard input (no spooled copy left)', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const path = await bombs.lyingTable(join(dir, 'lying.xlsx'));
      for (const input of [path, { stdin: path }]) {
        const result = await run(sandbox.url, dir, input);
        expect(result.signal, result.stderr).toBeNull();
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(
          /its table of texts \(xl\/sharedStrings\.xml, more than \d+ MB once inflated, though the zip's directory says 100 bytes\) needs more than \d+ MB of memory.*\[XLSX_TOO_LARGE\]/,
        );
        expect(result.tmpLeft).toEqual([]);
      }
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    });
  }, 180_000);

  it('500 MB of whitespace between rows, a 100 MB cell in a sheet or in the table of texts: refused in bounded memory under a 256 MB heap', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const whitespace = await run(sandbox.url, dir, await bombs.whitespace(join(dir, 'whitespace.xlsx')));
      expect(whitespace.code, whitespace.stderr).toBe(1);
      expect(whitespace.stderr).toMatch(
        /sheet "Contatos": after row 1, more than 8,388,608 characters come between two tags.*\[XLSX_MALFORMED\]/,
      );
      const cell = await run(sandbox.url, dir, await bombs.bigCell(join(dir, 'cell.xlsx')));
      expect(cell.code, cell.stderr).toBe(1);
      expect(cell.stderr).toMatch(
        /sheet "Contatos", cell C3, holds more than 1,048,576 characters.*\[INPUT_CELL_TOO_LARGE\]/,
      );
      // In the table of texts: with the heap to hold it, the text itself is refused.
      const text = await run(sandbox.url, dir, await bombs.bigSharedText(join(dir, 'text.xlsx')), 2048);
      expect(text.code, text.stderr).toBe(1);
      expect(text.stderr).toMatch(
        /its table of texts \(xl\/sharedStrings\.xml\), text number 1, holds more than 1,048,576 characters.*\[INPUT_CELL_TOO_LARGE\]/,
      );
      expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
    });
  }, 180_000);

  it("the memory guard reads the old space's limit, not heap_size_limit (Node 24 adds a 192 MB young generation to it)", () => {
    const MB = 1024 * 1024;
    // What Node 24 reports with --max-old-space-size=40: 232 MB.
    expect(oldSpaceLimit(232 * MB, ['--max-old-space-size=40'])).toBe(40 * MB);
    expect(oldSpaceLimit(232 * MB, ['--max_old_space_size', '40', '--max-old-space-size=64'])).toBe(64 * MB);
    // No flag: the young generation's largest reserve is taken off.
    expect(oldSpaceLimit(4288 * MB, [])).toBe(4096 * MB);
    expect(oldSpaceLimit(304 * MB, ['--max-semi-space-size=16'])).toBe(256 * MB);
    expect(flagMegabytes(['--max-old-space-size=abc'], 'max-old-space-size')).toBeUndefined();
  });
});

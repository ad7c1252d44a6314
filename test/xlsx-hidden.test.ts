import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { inspectFile } from '../src/input/inspect.js';
import { runCli } from './helpers/cli.js';
import { enrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/**
 * A sheet as a person leaves it after filtering: an AutoFilter on the header, the rows it filters
 * out hidden (Excel stores a filtered-out row as a hidden row), and one row hidden by hand.
 * Companies are the sandbox's always-found `Teste 200`: every row sent is charged.
 */
async function filtered(dir: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Contatos');
  sheet.addRow(['primeiro_nome', 'ultimo_nome', 'empresa', 'status']);
  const people: Array<[string, string, boolean]> = [
    ['Ana', 'Souza', false],
    ['Bruno', 'Lima', true],
    ['Carla', 'Dias', false],
    ['Diego', 'Reis', true],
    ['Elisa', 'Melo', false],
    ['Fábio', 'Nunes', true],
  ];
  for (const [first, last, hidden] of people) {
    const row = sheet.addRow([first, last, 'Teste 200', hidden ? 'Perdido' : 'Lead']);
    row.hidden = hidden;
  }
  sheet.autoFilter = 'A1:D7';
  const path = join(dir, 'filtrado.xlsx');
  await book.xlsx.writeFile(path);
  return path;
}

describe('rows hidden in a workbook (a filter, or hidden by hand): counted and said before anything is spent', () => {
  it('by default they are not sent (the rows a person sees after filtering are the ones meant), written as invalid_input; --hidden-rows send pays only for them on the rerun', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await filtered(dir);
      const estimate = await runCli(['estimate', input, '--base-url', sandbox.url], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(estimate.code, estimate.stderr).toBe(0);
      expect(estimate.stdout).toMatch(
        /3 rows are hidden in the workbook \(filtered out, or hidden by hand\): not sent/,
      );
      expect(estimate.stdout).toMatch(
        /hidden in the workbook 3: not sent, never charged \(--hidden-rows send to send them\)/,
      );
      expect(estimate.stdout).toMatch(/to ask 3: at most 3 credits/);
      const json = await runCli(['estimate', input, '--json', '--base-url', sandbox.url], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(JSON.parse(json.stdout)).toMatchObject({ rows: 6, valid: 3, hiddenRows: { rows: 3, sent: false } });
      expect(
        await inspectFile({ input, map: {}, noHeader: false, encoding: undefined, delimiter: undefined }),
      ).toMatchObject({ rows: 6, valid: 3, hiddenRows: 3 });

      const run = await enrich(sandbox, input, dir, ['--checkpoint', join(dir, 'run.sqlite')]);
      expect(run.code, run.stderr).toBe(0);
      // The first log line says it, before any request.
      const first = run.stderr.split('\n').find((line) => /columns:/.test(line)) ?? '';
      expect(first).toMatch(
        /3 rows are hidden in the workbook .*: not sent, never charged \(--hidden-rows send to send them\)/,
      );
      expect(sandbox.ledger.requests['/crm_basico']).toMatchObject({ 200: 3 });
      expect(run.rows.map((r) => [r.primeiro_nome, r.fluence_status])).toEqual([
        ['Ana', 'ok'],
        ['Bruno', 'invalid_input'],
        ['Carla', 'ok'],
        ['Diego', 'invalid_input'],
        ['Elisa', 'ok'],
        ['Fábio', 'invalid_input'],
      ]);
      expect(run.rows[1]!.fluence_error).toMatch(/hidden in the workbook .*--hidden-rows send/);

      const all = await enrich(sandbox, input, dir, ['--checkpoint', join(dir, 'run.sqlite'), '--hidden-rows', 'send']);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stderr).toMatch(/3 rows are hidden in the workbook .* and sent \(--hidden-rows send\)/);
      expect(all.summary).toMatchObject({ requests: 3, fromCheckpoint: 3 });
      expect(sandbox.ledger.requests['/crm_basico']).toMatchObject({ 200: 6 });
      expect(all.rows.every((r) => r.fluence_status === 'ok')).toBe(true);
    });
  });
});

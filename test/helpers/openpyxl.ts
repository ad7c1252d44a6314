import { spawnSync } from 'node:child_process';

/** Debian's Python, which has openpyxl: a second reader of the workbooks the tool writes. */
const PYTHON = '/usr/bin/python3';
const found = spawnSync(PYTHON, ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0;

/**
 * Whether the second-reader tests run here. Without openpyxl they are skipped with a printed
 * reason, except under CI, where a missing reader is a failure.
 */
export const HAVE_OPENPYXL = found || process.env.CI !== undefined;
if (!found) {
  const reason = `${PYTHON} with openpyxl not found (Debian: apt-get install -y python3-openpyxl)`;
  if (process.env.CI) throw new Error(`CI needs a second .xlsx reader: ${reason}`);
  console.warn(`skipping the openpyxl checks: ${reason}`);
}

/** Each cell of `row` (1-based) of a workbook's first sheet as openpyxl reads it: its value (as Python's repr) and its number format. */
export function openpyxlRow(path: string, row: number): Array<{ value: string; format: string }> {
  const script = [
    'import json, sys, openpyxl',
    'sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]',
    'print(json.dumps([{"value": repr(c.value), "format": c.number_format} for c in sheet[int(sys.argv[2])]]))',
  ].join('\n');
  const result = spawnSync(PYTHON, ['-c', script, path, String(row)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openpyxl could not read ${path}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Array<{ value: string; format: string }>;
}

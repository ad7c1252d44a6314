import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers/enrich.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { checkTable, foldersOf, parseTable, readTable } = createRequire(import.meta.url)('../scripts/import-rules.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** dependency-cruiser with the repository's config (its rules built from ARCHITECTURE.md's table), over `cwd`'s src/. */
const cruise = (cwd: string) =>
  spawnSync(DEPCRUISE, ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });

describe("ARCHITECTURE.md's parts table is the import rule (dependency-cruiser)", () => {
  it('names every folder of src/ and only those, and reads each "may import" cell', () => {
    const table = readTable(ROOT);
    expect(table.contact).toEqual({ imports: [], typesOnly: [] });
    expect(table.output).toEqual({ imports: ['api'], typesOnly: ['input'] });
    expect(table.report).toEqual({ imports: [], typesOnly: ['api', 'engine'] });
    const markdown = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const folders = foldersOf(ROOT);
    const checked = (text: string) => () => checkTable(parseTable(text), folders);
    expect(checked(markdown.replace(/\| `src\/redis\/` \|.*\n/, ''))).toThrow('src/redis/ has no row');
    expect(checked(markdown.replace('| `src/rate/` |', '| `src/rates/` |'))).toThrow(
      'the row src/rates/ names no folder',
    );
    expect(checked(markdown.replace('| api (the JSON path), input (types) |', '| apis, input (types) |'))).toThrow(
      'src/output/ may import "apis": no such folder',
    );
  });

  it('the code follows the table', () => {
    const run = cruise(ROOT);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 120_000);

  it('a wrong arrow fails: a part importing one its row does not name, or a types-only part importing code', async () => {
    const dir = await workdir();
    const file = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    file('src/engine/stats.ts', 'export class RunStats {}\nexport interface RunSummary { rows: number }\n');
    file(
      'src/output/output.ts',
      "import { RunStats } from '../engine/stats.js';\nexport const stats = new RunStats();\n",
    );
    file('src/report/html.ts', "import { RunStats } from '../engine/stats.js';\nexport const made = new RunStats();\n");
    file(
      'src/report/wording.ts',
      "import type { RunSummary } from '../engine/stats.js';\nexport const rows = (s: RunSummary) => s.rows;\n",
    );
    const run = cruise(dir);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('output-imports: src/output/output.ts → src/engine/stats.ts');
    expect(run.stdout).toContain('report-imports-types-only: src/report/html.ts → src/engine/stats.ts');
    expect(run.stdout).not.toContain('src/report/wording.ts');
  }, 120_000);
});

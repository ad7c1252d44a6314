import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrichArgs, people, workdir } from './helpers/enrich.js';
import { summaryProblems } from './helpers/run-summary.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the --summary schema (schema/run-summary.schema.json, generated from RunSummary)', () => {
  it('is what the RunSummary type gives today (npm run schema regenerates it)', () => {
    // Throws, with the script's message, when the committed schema differs from the type's.
    execFileSync(process.execPath, ['scripts/run-summary-schema.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  it('is shipped in the package', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    expect(pack!.files.map((file) => file.path)).toContain('schema/run-summary.schema.json');
  });

  it('refuses what is not a summary: a field missing, an unknown field, an error code outside the closed list', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(2, 'Acme'));
      const run = await runCli(enrichArgs(sandbox, input, dir), { env: { FLUENCE_API_KEY: ENTERPRISE } });
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summaryProblems(summary)).toEqual([]);
      const { nextStep: _, ...missing } = summary;
      expect(summaryProblems(missing).join()).toMatch(/must have required property 'nextStep'/);
      expect(summaryProblems({ ...summary, extra: 1 }).join()).toMatch(/must NOT have additional properties/);
      expect(summaryProblems({ ...summary, error: { code: 'NOT_A_CODE', message: 'x' } }).join()).toMatch(
        /\/error\/code must be equal to one of the allowed values/,
      );
      expect(summaryProblems({ ...summary, byStatus: { ...summary.byStatus, ok: '2' } }).join()).toMatch(
        /\/byStatus\/ok must be number/,
      );
    });
  });

  it('every kind of run writes a summary that validates: all answered, stopped by the cap, a malformed file, a missing column', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const good = await contactsFile(dir, [...people(3, 'Acme'), ...people(2, 'Teste 404'), ['Solo', '', 'Acme']]);
      const malformed = join(dir, 'malformed.csv');
      await writeFile(malformed, 'primeiro_nome,ultimo_nome,empresa\nAna,Silva,"Acme\nBia,Souza,Acme\n');
      const noColumn = join(dir, 'no-company.csv');
      await writeFile(noColumn, 'primeiro_nome,ultimo_nome\nAna,Silva\n');
      const runs: Array<[string, string, string[], number, string | null]> = [
        ['all answered', good, [], 0, null],
        ['stopped by the cap', good, ['--max-credits', '2', '--checkpoint', join(dir, 'cap.sqlite')], 3, null],
        ['a malformed file', malformed, ['--checkpoint', join(dir, 'malformed.sqlite')], 1, 'INPUT_MALFORMED'],
        ['a missing column', noColumn, ['--checkpoint', join(dir, 'column.sqlite')], 1, 'MISSING_COLUMN'],
      ];
      for (const [what, input, extra, exitCode, code] of runs) {
        const run = await runCli(enrichArgs(sandbox, input, dir, extra), { env: { FLUENCE_API_KEY: ENTERPRISE } });
        expect(run.code, `${what}: ${run.stderr}`).toBe(exitCode);
        const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
        expect(summaryProblems(summary), what).toEqual([]);
        expect(summary.exitCode, what).toBe(exitCode);
        expect(summary.error?.code ?? null, what).toBe(code);
      }
    });
  });
});

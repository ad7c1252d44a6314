import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrichArgs, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

const BAD_KEY = 'NotAKnownKey'.padEnd(40, '7');

/** One run with a summary and a report in `dir`; both read back. */
async function runWithRecords(
  sandbox: Parameters<typeof enrichArgs>[0],
  input: string,
  dir: string,
  extra: string[] = [],
  apiKey = ENTERPRISE,
) {
  const report = join(dir, 'report.html');
  const run = await runCli(enrichArgs(sandbox, input, dir, ['--report', report, ...extra]), {
    env: { FLUENCE_API_KEY: apiKey },
  });
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const html = readFileSync(report, 'utf8');
  return { ...run, summary, html, summaryText: readFileSync(join(dir, 'summary.json'), 'utf8') };
}

describe('a run stopped by an error still writes its summary and report (real CLI)', () => {
  it('after a good night, a refused key, a missing column, Redis unreachable and a missing input each replace them: stopped, the error, exit 1, 0 requests; never the key', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(5, 'Teste 404'));
      const good = await runWithRecords(sandbox, input, dir);
      expect(good.code).toBe(0);
      expect(good.summary).toMatchObject({ exitCode: 0, error: null, outputWritten: true, requests: 5 });
      const charged = sandbox.ledger.totalCharged;

      const noColumn = join(dir, 'no-company.csv');
      await writeFile(noColumn, 'primeiro_nome,ultimo_nome\nAna,Silva\n');
      const failures: Array<[string, string, string[], string]> = [
        ['refused key', input, [], 'INVALID_KEY'],
        ['missing column', noColumn, ['--checkpoint', join(dir, 'other.sqlite')], 'MISSING_COLUMN'],
        ['Redis unreachable', input, ['--redis', 'redis://127.0.0.1:1', '--redis-wait', '0'], 'REDIS_UNREACHABLE'],
        ['missing input', join(dir, 'tonight.csv'), [], 'INPUT_NOT_FOUND'],
      ];
      for (const [what, file, extra, code] of failures) {
        const run = await runWithRecords(sandbox, file, dir, extra, what === 'refused key' ? BAD_KEY : ENTERPRISE);
        expect(run.code, what).toBe(1);
        expect(run.stderr, what).toContain(`[${code}]`);
        expect(run.summary, what).toMatchObject({
          exitCode: 1,
          stopReason: 'fatal',
          requests: 0,
          rows: 0,
          creditsUsed: 0,
          outputWritten: false,
        });
        expect(run.summary.error.code, what).toBe(code);
        expect(run.summary.error.message, what).toBe(run.summary.stopMessage);
        expect(run.summary.nextStep, what).toContain(`fix the cause of ${run.summary.error.code}`);
        expect(run.html, what).toContain(`Stopped on an error [${run.summary.error.code}]:`);
        expect(run.html, what).toContain('No output was written');
        expect(run.html, what).toContain('No request was sent: the run stopped on an error first');
        for (const secret of [ENTERPRISE, BAD_KEY]) {
          expect(run.summaryText, what).not.toContain(secret);
          expect(run.html, what).not.toContain(secret);
        }
      }
      expect(sandbox.ledger.totalCharged).toBe(charged);
    });
  });

  it('a key that is missing or malformed, or a plain-http address, replaces them too (the options were read); options that cannot be read write nothing', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const good = await runWithRecords(sandbox, input, dir);
      expect(good.code).toBe(0);
      const quoted = `"${ENTERPRISE}"`;
      const records = [
        '--summary',
        join(dir, 'summary.json'),
        '--report',
        join(dir, 'report.html'),
        '--progress',
        'off',
      ];
      const failures: Array<[string, string[], NodeJS.ProcessEnv, string]> = [
        ['quoted key', ['--base-url', sandbox.url], { FLUENCE_API_KEY: quoted }, 'BAD_KEY_FORMAT'],
        ['no key', ['--base-url', sandbox.url], {}, 'MISSING_KEY'],
        [
          'unreadable key file',
          ['--base-url', sandbox.url, '--api-key-file', join(dir, 'nonexistent', 'key')],
          {},
          'MISSING_KEY',
        ],
        ['plain http', ['--base-url', 'http://example.com'], { FLUENCE_API_KEY: ENTERPRISE }, 'INSECURE_BASE_URL'],
        [
          'plain http from the environment',
          [],
          { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: 'http://example.com' },
          'INSECURE_BASE_URL',
        ],
      ];
      for (const [what, extra, env, code] of failures) {
        const run = await runCli(['enrich', input, '-o', join(dir, 'out.csv'), ...records, ...extra], { env });
        expect(run.code, what).toBe(1);
        expect(run.stderr, what).toContain(`[${code}]`);
        const summaryText = readFileSync(join(dir, 'summary.json'), 'utf8');
        const html = readFileSync(join(dir, 'report.html'), 'utf8');
        const summary = JSON.parse(summaryText);
        expect(summary, what).toMatchObject({
          exitCode: 1,
          stopReason: 'fatal',
          requests: 0,
          rows: 0,
          creditsUsed: 0,
          outputWritten: false,
        });
        expect(summary.error.code, what).toBe(code);
        expect(summary.nextStep, what).toContain(`fix the cause of ${code}`);
        expect(html, what).toContain(`Stopped on an error [${code}]:`);
        expect(html, what).toContain('No request was sent: the run stopped on an error first');
        for (const secret of [ENTERPRISE, quoted]) {
          expect(summaryText, what).not.toContain(secret);
          expect(html, what).not.toContain(secret);
        }
      }
      // An option that cannot be read leaves no run: the last record stays as it was.
      const before = readFileSync(join(dir, 'summary.json'), 'utf8');
      const badOption = await runCli(
        ['enrich', input, '-o', join(dir, 'out.csv'), ...records, '--base-url', sandbox.url, '--max-credits', 'abc'],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(badOption.stderr).toContain('[BAD_OPTION]');
      expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(before);
      expect(sandbox.ledger.totalCharged).toBe(good.summary.creditsUsed);
    });
  });

  it('never writes them over the input, the output or the checkpoint: an overlapping --summary is left to the error', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const before = readFileSync(input, 'utf8');
      const onInput = await runCli(
        enrichArgs(sandbox, input, dir, ['--summary', input, '--report', join(dir, 'r.html')]),
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(onInput.stderr).toContain('[PATHS_OVERLAP]');
      expect(readFileSync(input, 'utf8')).toBe(before);
      // The report, clear of every other path, says why the run stopped.
      expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('Stopped on an error [PATHS_OVERLAP]:');
      const onOutput = await runCli(enrichArgs(sandbox, input, dir, ['--summary', join(dir, 'out.csv')]), {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(onOutput.stderr).toContain('[PATHS_OVERLAP]');
      expect(existsSync(join(dir, 'out.csv'))).toBe(false);
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });
});

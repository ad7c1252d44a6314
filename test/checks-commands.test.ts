import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { finished, runCli, startCli, waitForLine } from './helpers/cli.js';
import { contactsFile, enrich, people, startEnrich, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

const NIGHTLY_PAGE = readFileSync(new URL('../docs/nightly.md', import.meta.url), 'utf8');
const ERRORS_PAGE = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('commands a user gets wrong by accident', () => {
  it("docs/nightly.md's config example works, as written, with every command", async () => {
    const example = /`fluence-enrich\.config\.json`[\s\S]*?```json\n([\s\S]*?)```/.exec(NIGHTLY_PAGE)?.[1];
    expect(example).toBeDefined();
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      await writeFile(join(dir, 'fluence-enrich.config.json'), example!);
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const env = { FLUENCE_API_KEY: ENTERPRISE, FLUENCE_BASE_URL: sandbox.url };
      for (const command of [['credits'], ['health'], ['status'], ['tiers'], ['estimate', input]]) {
        const run = await runCli(command, { cwd: dir, env });
        expect(run.stderr, command[0]).toBe('');
        expect(run.code, command[0]).toBe(0);
      }
      const run = await runCli(['enrich', input, '--progress', 'off'], { cwd: dir, env });
      expect(run.code).toBe(0);
      // The file's values took effect: /crm (2 credits), the cache, Excel's dialect.
      expect(sandbox.ledger.totalCharged).toBe(6);
      expect(existsSync(join(dir, 'fluence-cache.sqlite'))).toBe(true);
      expect(readFileSync(join(dir, 'output', 'in.enriched.csv'), 'utf8').startsWith('\ufeff')).toBe(true);
      const server = startCli(['sandbox', '--port', '0'], { cwd: dir });
      const stopped = finished(server);
      await waitForLine(server, /listening on (http:\S+)/);
      server.kill('SIGTERM');
      expect((await stopped).code).toBe(0);
      // A key no command has is still a mistake worth naming.
      await writeFile(join(dir, 'fluence-enrich.config.json'), '{"endpiont": "crm"}');
      const typo = await runCli(['credits'], { cwd: dir, env });
      expect(typo.stderr).toContain('no command has an option "endpiont"');
    });
  });

  it('a second Ctrl-C quits at once with exit 130, after the first said what that costs', async () => {
    await withSandbox({ faults: { latencyMs: 4000 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(30, 'Teste 200'));
      const child = startEnrich(sandbox, input, dir, ['--log-format', 'json']);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = finished(child);
      while (sandbox.ledger.inFlight < 30) await sleep(20);
      child.kill('SIGINT');
      while (!stderr.includes('A second SIGINT quits now')) await sleep(20);
      const first = JSON.parse(stderr.split('\n').find((l) => l.includes('A second SIGINT'))!);
      expect(first).toMatchObject({ inFlight: 30 });
      expect(first.msg).toContain('waiting for the 30 in flight');
      expect(first.msg).toContain('may have been charged');
      child.kill('SIGINT');
      const result = await done;
      expect(result.code).toBe(130);
      expect(stderr).toContain('30 requests in flight abandoned');
      expect(existsSync(join(dir, 'out.csv'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    });
    const help = await runCli(['enrich', '--help']);
    expect(help.stdout).toMatch(/130 +quit at once by a second SIGINT\/SIGTERM/);
    expect(ERRORS_PAGE).toMatch(/\| 130 \|/);
  });

  it('estimate with a key and the API down still estimates, and says why credits are unknown', async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, people(4, 'Teste 404'));
    const run = await runCli(['estimate', input, '--base-url', 'http://127.0.0.1:9'], {
      env: { FLUENCE_API_KEY: ENTERPRISE },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('to ask 4');
    expect(run.stdout).toMatch(/credits left unknown: cannot reach the API at http:\/\/127\.0\.0\.1:9/);
  });

  it('bad numbers are shown as typed, --burst alone says what is missing, the budget message counts right', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(5, 'Teste 404'));
      const abc = await enrich(sandbox, input, dir, ['--max-credits', 'abc']);
      expect(abc.stderr).toContain('option --max-credits: expected a whole number >= 0, got "abc"');
      const burst = await enrich(sandbox, input, dir, ['--burst', '5']);
      expect(burst.stderr).toContain('option --burst needs --rate too');
      const timeout = await enrich(sandbox, input, dir, ['--timeout', '0']);
      expect(timeout.stderr).toContain('option --timeout: expected a number > 0, got "0"');
      expect(sandbox.ledger.totalCharged).toBe(0);

      const budget = await enrich(sandbox, input, dir, [
        '--endpoint',
        'crm',
        '--max-credits',
        '3',
        '--concurrency',
        '1',
      ]);
      expect(budget.code).toBe(3);
      expect(sandbox.ledger.totalCharged).toBe(2);
      expect(budget.stderr).toContain(
        'the --max-credits budget of 3 has no room for another request at 2 credits (2 spent or possibly spent',
      );
    });
  });

  it('--log-format json makes the fatal error a JSON line too', async () => {
    const dir = await workdir();
    const run = await runCli(['enrich', join(dir, 'missing.csv'), '--log-format', 'json'], {
      env: { FLUENCE_API_KEY: ENTERPRISE },
    });
    expect(run.code).toBe(1);
    const last = JSON.parse(run.stderr.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ level: 60, code: 'INPUT_NOT_FOUND', exitCode: 1 });
    const plain = await runCli(['enrich', join(dir, 'missing.csv')], { env: { FLUENCE_API_KEY: ENTERPRISE } });
    expect(plain.stderr).toMatch(/^fluence-enrich: .* \[INPUT_NOT_FOUND\]$/m);
  });
});

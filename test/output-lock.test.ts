import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { finished, startCli } from './helpers/cli.js';
import { contactsFile, people, readOutput, workdir } from './helpers/enrich.js';
import { ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';
import type { Sandbox } from '../src/sandbox/server.js';

const RICH = key('OutputLock', { plan: 'crm_enterprise', credits: 1_000_000 });
const OTHER = key('OutputLockOther', { plan: 'crm_enterprise', credits: 1_000_000 });

/** `enrich` into `output`, its summary in `summary` (each run its own, so a refusal's summary overwrites nothing). */
function start(
  sandbox: Sandbox,
  input: string,
  output: string,
  summary: string,
  extra: string[],
  apiKey: string,
  cwd?: string,
) {
  const args = [
    'enrich',
    input,
    '-o',
    output,
    '--base-url',
    sandbox.url,
    '--summary',
    summary,
    '--progress',
    'off',
    ...extra,
  ];
  return startCli(args, { env: { FLUENCE_API_KEY: apiKey }, ...(cwd ? { cwd } : {}) });
}

const crmRequests = (sandbox: Sandbox): number =>
  Object.values(sandbox.ledger.requests['/crm_basico'] ?? {}).reduce((a, b) => a + b, 0);
const locks = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.lock'));

describe('one run at a time per output (real CLI, sandbox)', () => {
  it('two runs of one job on one --cache, started at once: one refuses before any request; the output counts all the ledger charged', async () => {
    await withSandbox({ keys: [RICH, OTHER], faults: { latencyMs: 100 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(300, 'Teste 200'));
      const output = join(dir, 'out.csv');
      // About 5 s at 60/s: the later of the two meets the lock even on a loaded machine.
      const extra = ['--cache', join(dir, 'cache.sqlite'), '--rate', '60', '--burst', '20'];
      // Each run its own key, to tell its requests apart in the ledger.
      const children = [
        start(sandbox, input, output, join(dir, 'a.json'), extra, RICH.key),
        start(sandbox, input, output, join(dir, 'b.json'), extra, OTHER.key),
      ];
      const results = await Promise.all(children.map((child) => finished(child)));
      expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
      const refused = results.findIndex((r) => r.code === 1);
      const [loser, winner] = [results[refused]!, results[1 - refused]!];
      expect(loser.stderr).toContain('[OUTPUT_LOCKED]');
      expect(loser.stderr).toContain(
        `-o ${output} is being written by another fluence-enrich run (pid ${children[1 - refused]!.pid}`,
      );
      expect(loser.stderr).toMatch(/another -o/);
      expect(winner.stderr).not.toContain('OUTPUT_LOCKED');
      // Not one call from the refused run: not even the free account check.
      expect(sandbox.ledger.keys[[RICH, OTHER][refused]!.key]).toBeUndefined();
      expect(sandbox.ledger.repeatCharges).toBe(0);
      expect(sandbox.ledger.contactsCharged).toBe(300);
      const rows = readOutput(dir);
      expect(rows).toHaveLength(300);
      expect(rows.every((r) => r.fluence_status === 'ok')).toBe(true);
      expect(rows.reduce((sum, r) => sum + Number(r.fluence_credits_used), 0)).toBe(sandbox.ledger.totalCharged);
      expect(locks(dir)).toEqual([]);
    });
  });

  it('a run after a SIGKILLed run with the same -o takes its lock over and finishes, leaving no lock', async () => {
    await withSandbox({ keys: [RICH], faults: { latencyMs: 100 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(300, 'Teste 200'));
      const output = join(dir, 'out.csv');
      const killed = start(
        sandbox,
        input,
        output,
        join(dir, 'summary.json'),
        ['--rate', '60', '--burst', '20'],
        RICH.key,
      );
      const killedDone = finished(killed);
      while (crmRequests(sandbox) < 20 && killed.exitCode === null) await sleep(20);
      killed.kill('SIGKILL');
      await killedDone;
      // The killed run's lock file is still there: the OS let go of the lock, not of the file.
      expect(locks(dir)).toEqual(['out.csv.lock']);
      const rerun = await finished(start(sandbox, input, output, join(dir, 'summary.json'), [], RICH.key));
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(readOutput(dir).filter((r) => r.fluence_status === 'ok')).toHaveLength(300);
      expect(locks(dir)).toEqual([]);
    });
  });

  it('the lock goes on every way out: success, an error, a graceful stop, a second signal', async () => {
    await withSandbox({ keys: [RICH], faults: { latencyMs: 300 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(200, 'Teste 200'));
      const run = async (name: string, apiKey: string, signals: NodeJS.Signals[] = []) => {
        const child = start(
          sandbox,
          input,
          join(dir, `${name}.csv`),
          join(dir, `${name}.json`),
          ['--checkpoint', join(dir, `${name}.sqlite`), '--rate', '60', '--burst', '20'],
          apiKey,
        );
        let stderr = '';
        child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        const done = finished(child);
        if (signals.length > 0) {
          const before = crmRequests(sandbox);
          while (crmRequests(sandbox) < before + 10 && child.exitCode === null) await sleep(20);
          // While it runs, its output is locked.
          expect(locks(dir)).toEqual([`${name}.csv.lock`]);
          child.kill(signals[0]);
          if (signals[1]) {
            // The second signal once the first was handled (two at once may arrive as one).
            while (!stderr.includes('quits now') && child.exitCode === null) await sleep(20);
            child.kill(signals[1]);
          }
        }
        return done;
      };
      expect((await run('ok', RICH.key)).code).toBe(0);
      expect(locks(dir)).toEqual([]);
      // A key the API refuses: the run stops after the lock was taken.
      const refused = await run('error', 'UnknownKey'.padEnd(40, '0'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('[INVALID_KEY]');
      expect(locks(dir)).toEqual([]);
      const stopped = await run('stopped', RICH.key, ['SIGTERM']);
      expect(stopped.code).toBe(2);
      expect(locks(dir)).toEqual([]);
      const quit = await run('quit', RICH.key, ['SIGINT', 'SIGINT']);
      expect(quit.code).toBe(130);
      expect(locks(dir)).toEqual([]);
    });
  });

  it('-o - (standard output) takes no lock', async () => {
    await withSandbox({ faults: { latencyMs: 100 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(100, 'Teste 200'));
      // Run from `dir`: a lock for "-" would be made there, as "-.lock".
      const child = start(
        sandbox,
        input,
        '-',
        join(dir, 'summary.json'),
        ['--checkpoint', join(dir, 'ck.sqlite'), '--rate', '40', '--burst', '10'],
        ENTERPRISE,
        dir,
      );
      const done = finished(child);
      while (crmRequests(sandbox) < 10 && child.exitCode === null) await sleep(20);
      expect(locks(dir)).toEqual([]);
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(101);
      expect(existsSync(join(dir, '-'))).toBe(false);
    });
  });
});

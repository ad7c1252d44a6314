import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/server.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** Nothing reached a CRM endpoint and nothing was charged. */
function nothingSpent(sandbox: Sandbox): void {
  expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
  expect(sandbox.ledger.requests['/crm']).toBeUndefined();
  expect(sandbox.ledger.totalCharged).toBe(0);
}

describe('paths are checked before anything is spent', () => {
  it('-o naming an existing folder stops before any request, and says to give a file name', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(5, 'Teste 404'));
      await mkdir(join(dir, 'outdir'));
      const run = await enrich(sandbox, input, dir, ['-o', join(dir, 'outdir')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[PATH_IS_DIRECTORY]');
      expect(run.stderr).toContain('give a file name');
      nothingSpent(sandbox);
      expect(readdirSync(join(dir, 'outdir'))).toEqual([]);
    });
  });

  it('the input, -o, --checkpoint and --summary must be different files; the input is never overwritten', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(5, 'Teste 404'));
      const before = readFileSync(input, 'utf8');
      await symlink(input, join(dir, 'link.csv'));
      const cases: Array<[string[], RegExp]> = [
        [['--summary', input], /--summary .* is the same file as input/],
        [['--summary', join(dir, 'out.csv')], /--summary .* is the same file as -o/],
        [
          ['-o', join(dir, 'ck.sqlite'), '--checkpoint', join(dir, 'ck.sqlite')],
          /--checkpoint .* is the same file as -o/,
        ],
        [['-o', input], /-o .* is the same file as input/],
        // Another name for the input: a symbolic link to it.
        [['-o', join(dir, 'link.csv')], /-o .*link.csv is the same file as input/],
        [['--checkpoint', input], /--checkpoint .* is the same file as input/],
        [['--cache', input], /--cache .* is the same file as input/],
        // The output must not land on the checkpoint's journal either.
        [
          ['--checkpoint', join(dir, 'ck.sqlite'), '-o', join(dir, 'ck.sqlite-wal')],
          /--checkpoint .* is the same file as -o/,
        ],
        // Nor may anything land on the output's lock, which a second run of the job reads.
        [['--summary', join(dir, 'out.csv.lock')], /--summary .* is the same file as -o \(its lock\)/],
      ];
      for (const [extra, message] of cases) {
        const run = await enrich(sandbox, input, dir, extra);
        expect(run.code, extra.join(' ')).toBe(1);
        expect(run.stderr).toContain('[PATHS_OVERLAP]');
        expect(run.stderr).toMatch(message);
      }
      expect(readFileSync(input, 'utf8')).toBe(before);
      expect(existsSync(join(dir, 'out.csv'))).toBe(false);
      nothingSpent(sandbox);
    });
  });

  it('--checkpoint naming the input is refused as an overlap, never called a damaged checkpoint to move aside', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, ['--checkpoint', input]);
      expect(run.stderr).not.toMatch(/move it aside/);
      expect(run.stderr).toContain('[PATHS_OVERLAP]');
      nothingSpent(sandbox);
    });
  });

  it('--summary in a folder that does not exist yet: the folder is made and the summary written', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(4, 'Teste 404'));
      const summary = join(dir, 'nodir', 'x', 's.json');
      const run = await enrich(sandbox, input, dir, ['--summary', summary]);
      expect(run.code).toBe(0);
      expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ rows: 4, creditsUsed: 4 });
    });
  });

  it('an output, summary or checkpoint where no file can be made stops with a coded error, nothing spent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      for (const extra of [
        ['-o', '/proc/c.out.csv'],
        ['--summary', '/proc/x/s.json'],
        ['--checkpoint', '/proc/ck.sqlite'],
      ]) {
        const run = await enrich(sandbox, input, dir, extra);
        expect(run.code, extra.join(' ')).toBe(1);
        expect(run.stderr).toContain('[PATH_NOT_WRITABLE]');
        expect(run.stderr).not.toContain('INTERNAL');
      }
      const missing = await enrich(sandbox, join(dir, 'nope.csv'), dir);
      expect(missing.stderr).toContain('[INPUT_NOT_FOUND]');
      const folder = await enrich(sandbox, dir, dir);
      expect(folder.stderr).toContain('[INPUT_IS_DIRECTORY]');
      nothingSpent(sandbox);
    });
  });

  it("a partial output left by a killed run is removed by the next run; a live run's is left alone", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const dead = join(dir, '.out.csv.partial-999999999');
      const live = join(dir, `.out.csv.partial-${process.pid}`);
      await writeFile(dead, 'torn');
      await writeFile(live, 'writing');
      expect((await enrich(sandbox, input, dir)).code).toBe(0);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    });
  });

  it('sandbox --port out of range is a bad option, not an internal error', async () => {
    const run = await runCli(['sandbox', '--port', '99999']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('option --port: expected a whole number from 0 to 65535');
    expect(run.stderr).toContain('[BAD_OPTION]');
  });

  it('the same bytes under another path are the same job for a --checkpoint; another file is pointed to --cache', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(6, 'Teste 404'));
      const checkpoint = join(dir, 'job.sqlite');
      expect((await enrich(sandbox, input, dir, ['--checkpoint', checkpoint])).code).toBe(0);
      // Moved (or seen through a container's mount): same bytes, another path.
      const moved = join(dir, 'mounted', 'in.csv');
      await mkdir(join(dir, 'mounted'));
      await writeFile(moved, readFileSync(input));
      const again = await enrich(sandbox, moved, dir, ['--checkpoint', checkpoint]);
      expect(again.code).toBe(0);
      expect(again.summary).toMatchObject({ requests: 0, fromCheckpoint: 6, creditsUsed: 0 });
      // Another file on the same checkpoint is refused, and the advice is --cache, not paying again.
      const other = await contactsFile(dir, people(2, 'Teste 409', 'Outra'), 'other.csv');
      const refused = await enrich(sandbox, other, dir, ['--checkpoint', checkpoint]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('[CHECKPOINT_MISMATCH]');
      expect(refused.stderr).toContain('--cache');
      expect(sandbox.ledger.totalCharged).toBe(6);
    });
  });

  it('estimate reads standard input without a checkpoint (it never pays) and refuses a checkpoint that is its input', async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, people(4, 'Teste 404'));
    const piped = await runCli(['estimate', '-', '--json'], { input: readFileSync(input, 'utf8') });
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ rows: 4, toAsk: 4 });
    const overlap = await runCli(['estimate', input, '--checkpoint', input]);
    expect(overlap.stderr).toContain('[PATHS_OVERLAP]');
  });

  it('a checkpoint path that is a folder is refused as one', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(2, 'Teste 404'));
      await mkdir(join(dir, 'ck'));
      const run = await runCli(
        ['enrich', input, '-o', join(dir, 'o.csv'), '--checkpoint', join(dir, 'ck'), '--base-url', sandbox.url],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(run.stderr).toContain('[PATH_IS_DIRECTORY]');
      nothingSpent(sandbox);
    });
  });
});

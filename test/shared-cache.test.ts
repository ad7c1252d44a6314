import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decideClaim, LEASE_MS, type ClaimContext, type ClaimRow } from '../src/sharing/claim-rule.js';
import { isProcessAlive, processStartMs } from '../src/process-alive.js';
import { finished, startCli } from './helpers/cli.js';
import { contactsFile, enrich, enrichArgs, readOutput, stable, startEnrich, workdir } from './helpers/enrich.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';
import { key, withSandbox } from './helpers/sandbox.js';

const ctx: ClaimContext = { runId: 'me', nowMs: 100_000, host: 'here', isAlive: (pid) => pid === 1 };
const row = (over: Partial<ClaimRow>): ClaimRow => ({
  state: 'claimed',
  reusable: false,
  run: 'other',
  holder: { heartbeatAt: 99_000, host: 'there', pid: 7 },
  ...over,
});

describe('claims between runs (pure)', () => {
  it('asks what nobody holds, reuses a usable answer, waits for a live holder', () => {
    expect(decideClaim(undefined, ctx)).toEqual({ kind: 'ask', uncertain: false });
    expect(decideClaim(row({ state: 'final', reusable: true }), ctx)).toEqual({ kind: 'reuse' });
    expect(decideClaim(row({ state: 'final', reusable: false }), ctx)).toEqual({ kind: 'ask', uncertain: false });
    expect(decideClaim(row({ state: 'unanswered' }), ctx)).toEqual({ kind: 'ask', uncertain: false });
    expect(decideClaim(row({ state: 'claimed' }), ctx)).toEqual({ kind: 'wait', run: 'other' });
    expect(decideClaim(row({ state: 'started' }), ctx)).toEqual({ kind: 'wait', run: 'other' });
    expect(decideClaim(row({ state: 'started', run: 'me' }), ctx)).toEqual({ kind: 'ask', uncertain: false });
  });

  it('takes over a dead run after the lease (at once when it was on this machine); a sent request is uncertain', () => {
    const stale = { heartbeatAt: ctx.nowMs - LEASE_MS - 1, host: 'there', pid: 7 };
    // This machine, process alive, heartbeat silent far past the lease (paused with Ctrl-Z): still its.
    expect(decideClaim(row({ state: 'started', holder: { heartbeatAt: 0, host: 'here', pid: 1 } }), ctx)).toMatchObject(
      { kind: 'wait' },
    );
    expect(decideClaim(row({ state: 'started', holder: stale }), ctx)).toEqual({ kind: 'ask', uncertain: true });
    expect(decideClaim(row({ state: 'claimed', holder: stale }), ctx)).toEqual({ kind: 'ask', uncertain: false });
    // Just within the lease, on another machine: still alive.
    expect(decideClaim(row({ holder: { ...stale, heartbeatAt: ctx.nowMs - LEASE_MS } }), ctx)).toMatchObject({
      kind: 'wait',
    });
    // This machine, process gone: no need to wait for the lease.
    expect(
      decideClaim(row({ state: 'started', holder: { heartbeatAt: ctx.nowMs, host: 'here', pid: 2 } }), ctx),
    ).toEqual({ kind: 'ask', uncertain: true });
    expect(
      decideClaim(row({ state: 'started', holder: { heartbeatAt: ctx.nowMs, host: 'here', pid: 1 } }), ctx),
    ).toMatchObject({ kind: 'wait' });
    // This machine, its pid now another process's (started after the run began): dead.
    const reused: ClaimContext = { ...ctx, isAlive: (pid, startedBy) => pid === 1 && (startedBy ?? 0) >= 50_000 };
    expect(
      decideClaim(
        row({ state: 'started', holder: { heartbeatAt: 0, host: 'here', pid: 1, startedAt: 10_000 } }),
        reused,
      ),
    ).toEqual({ kind: 'ask', uncertain: true });
    expect(
      decideClaim(
        row({ state: 'started', holder: { heartbeatAt: 0, host: 'here', pid: 1, startedAt: 60_000 } }),
        reused,
      ),
    ).toMatchObject({ kind: 'wait' });
    // A row left by a run that recorded no heartbeat (an older version): dead.
    expect(decideClaim(row({ state: 'started', run: null, holder: undefined }), ctx)).toEqual({
      kind: 'ask',
      uncertain: true,
    });
  });
});

describe('a process of this machine, and a pid given since to another (Linux /proc)', () => {
  it.skipIf(processStartMs(process.pid) === undefined)(
    'alive when it was already running when the run began; not when it started after',
    () => {
      expect(isProcessAlive(process.pid)).toBe(true);
      expect(isProcessAlive(process.pid, Date.now())).toBe(true);
      // This process started well after that moment: the pid would be another process than the run's.
      expect(isProcessAlive(process.pid, Date.now() - 3_600_000)).toBe(false);
      expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
    },
  );
});

/** `n` contacts numbered from `from`: overlapping ranges make overlapping files. */
const range = (from: number, n: number): Array<[string, string, string]> =>
  Array.from({ length: n }, (_, i) => [`Pessoa${from + i}`, 'Silva', 'Teste 200']);

describe('several runs on one --cache at once (real CLI, one sandbox, one key)', () => {
  const rich = key('SharedKey', { plan: 'crm_enterprise', credits: 1_000_000 });

  it('two and three runs with overlapping files: every contact paid once, each output what a lone run writes', {
    timeout: 90_000,
  }, async () => {
    const dir = await workdir();
    const files = [
      await contactsFile(dir, range(0, 300), 'a.csv'),
      await contactsFile(dir, range(150, 300), 'b.csv'),
      await contactsFile(dir, range(75, 300), 'c.csv'),
    ];
    // What each file gives alone.
    const alone: Array<Array<Record<string, string>>> = [];
    await withSandbox({ keys: [rich] }, async (sandbox) => {
      for (const [i, file] of files.entries()) {
        const own = join(dir, `alone-${i}`);
        alone.push(
          (await enrich(sandbox, file, await workdir(), ['--checkpoint', join(own, 'ck.sqlite')], rich.key)).rows,
        );
      }
    });
    for (const count of [2, 3]) {
      await withSandbox({ keys: [rich], faults: { latencyMs: [100, 600] } }, async (sandbox) => {
        const cache = join(await workdir(), 'cache.sqlite');
        const dirs = await Promise.all(files.slice(0, count).map(() => workdir()));
        const runs = files
          .slice(0, count)
          .map((file, i) => finished(startEnrich(sandbox, file, dirs[i]!, ['--cache', cache], rich.key)));
        const results = await Promise.all(runs);
        for (const [i, result] of results.entries()) {
          expect(result.code, result.stderr).toBe(0);
          expect(stable(readOutput(dirs[i]!))).toEqual(stable(alone[i]!));
        }
        const distinct = 450; // a: 0-299, b: 150-449, c: 75-374
        expect(sandbox.ledger.repeatCharges).toBe(0);
        expect(sandbox.ledger.contactsCharged).toBe(distinct);
        expect(sandbox.ledger.requests['/crm_basico']!['200']).toBe(distinct);
      });
    }
  });

  it('SIGKILL one run mid-way: the other takes over its claims and finishes; repeat charges stay within the uncertain count', async () => {
    const dir = await workdir();
    const a = await contactsFile(dir, range(0, 400), 'a.csv');
    const b = await contactsFile(dir, range(0, 400), 'b.csv');
    await withSandbox({ keys: [rich], faults: { latencyMs: [300, 1200] } }, async (sandbox) => {
      const cache = join(dir, 'cache.sqlite');
      const [dirA, dirB] = [await workdir(), await workdir()];
      const killed = startEnrich(sandbox, a, dirA, ['--cache', cache, '--rate', '300', '--burst', '50'], rich.key);
      const killedDone = finished(killed);
      while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 40) await sleep(10);
      const survivor = finished(
        startEnrich(sandbox, b, dirB, ['--cache', cache, '--rate', '300', '--burst', '50'], rich.key),
      );
      await sleep(300);
      killed.kill('SIGKILL');
      await killedDone;
      const result = await survivor;
      expect(result.code, result.stderr).toBe(0);
      const rows = readOutput(dirB);
      expect(rows).toHaveLength(400);
      expect(rows.every((r) => r.fluence_status === 'ok')).toBe(true);
      await sleep(1600); // answers to the killed run's requests still arrive at the sandbox
      expect(sandbox.ledger.contactsCharged).toBe(400);
      const summary = JSON.parse(readFileSync(join(dirB, 'summary.json'), 'utf8'));
      expect(summary.uncertainFromEarlierRun).toBeGreaterThan(0);
      expect(sandbox.ledger.repeatCharges).toBeLessThanOrEqual(summary.uncertainFromEarlierRun);
    });
  });
});

describe('a run paused (SIGSTOP) far past the lease keeps its claims while it lives (real CLI, real processes)', () => {
  const rich = key('PausedKey', { plan: 'crm_enterprise', credits: 1_000_000 });
  // Tests only: a 1 s lease, so a 5 s pause is five leases long.
  const env = { FLUENCE_API_KEY: rich.key, FLUENCE_ENRICH_TEST_LEASE_MS: '1000' };

  const pausedRun = async (extra: string[]) => {
    const dir = await workdir();
    const a = await contactsFile(dir, range(0, 400), 'a.csv');
    const b = await contactsFile(dir, range(0, 400), 'b.csv');
    await withSandbox({ keys: [rich], faults: { latencyMs: [1000, 3000] } }, async (sandbox) => {
      const cache = join(dir, 'cache.sqlite');
      const [dirA, dirB] = [await workdir(), await workdir()];
      const args = ['--cache', cache, '--rate', '100', '--burst', '20', ...extra];
      const paused = startCli(enrichArgs(sandbox, a, dirA, args), { env });
      const pausedDone = finished(paused);
      // Requests in flight (answers take 1-3 s): paused now, the run holds sent requests it has no answer to.
      while (sandbox.ledger.contactsCharged < 30) await sleep(10);
      paused.kill('SIGSTOP');
      const other = finished(startCli(enrichArgs(sandbox, b, dirB, args), { env }));
      await sleep(5000);
      paused.kill('SIGCONT');
      const results = await Promise.all([pausedDone, other]);
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      for (const d of [dirA, dirB]) expect(readOutput(d).every((r) => r.fluence_status === 'ok')).toBe(true);
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      expect(sandbox.ledger.contactsCharged).toBe(400);
    });
  };

  it('two runs on one --cache: no contact paid twice', { timeout: 120_000 }, async () => {
    await pausedRun([]);
  });

  it.skipIf(!HAVE_REDIS)(
    'two runs through one Redis on this machine: no contact paid twice',
    { timeout: 120_000 },
    async () => {
      const redis = await RedisServer.start();
      try {
        await pausedRun(['--redis', redis.url, '--redis-prefix', 'paused']);
      } finally {
        await redis.stop();
      }
    },
  );
});

describe('several runs on one key with their own checkpoints (real CLI)', () => {
  it('share the rate: few 429s, the plan kept busy, and each says what it got', { timeout: 90_000 }, async () => {
    const key300 = key('RateShared', { plan: 'crm_enterprise', credits: 1_000_000, rate: 300, burst: 600 });
    await withSandbox({ keys: [key300], faults: { latencyMs: [100, 500] } }, async (sandbox) => {
      const dir = await workdir();
      // Long enough (about 20 s at the plan's 300/s) that one stalled moment on a loaded machine is not the whole sample.
      const [a, b] = [
        await contactsFile(dir, range(0, 3000), 'a.csv'),
        await contactsFile(dir, range(10_000, 3000), 'b.csv'),
      ];
      const [dirA, dirB] = [await workdir(), await workdir()];
      const first = finished(startEnrich(sandbox, a, dirA, [], key300.key));
      await sleep(500);
      const second = finished(startEnrich(sandbox, b, dirB, [], key300.key));
      const results = await Promise.all([first, second]);
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const summaries = [dirA, dirB].map((d) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')));
      const requests = summaries.reduce((n, s) => n + s.requests, 0);
      expect(requests).toBe(6000 + sandbox.ledger.rateLimited);
      // The 429 share stays within the aim (2 %); without sharing, the second run met hundreds.
      expect(sandbox.ledger.rateLimited / requests).toBeLessThanOrEqual(0.02);
      // Each run reports its share of the plan; together they used most of it.
      for (const s of summaries) expect(s).toMatchObject({ planRate: 300, rateShare: expect.any(Number) });
      expect(summaries[0].rateShare + summaries[1].rateShare).toBeGreaterThan(0.5);
    });
  });
});

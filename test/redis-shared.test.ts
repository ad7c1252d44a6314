import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAnswers } from '../src/sharing/redis/answers.js';
import type { ClaimView } from '../src/sharing/types.js';
import { RedisKeys } from '../src/sharing/redis/keys.js';
import { parseRedisTarget } from '../src/redis/url.js';
import { applyConfigFile } from '../src/cli/config-file.js';
import { decideClaim } from '../src/sharing/claim-rule.js';
import { Claims, type ClaimStore } from '../src/sharing/claims.js';
import { finished, runCli } from './helpers/cli.js';
import { contactsFile, enrich, readOutput, stable, startEnrich, workdir } from './helpers/enrich.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';
import { key, withSandbox } from './helpers/sandbox.js';

const range = (from: number, n: number): Array<[string, string, string]> =>
  Array.from({ length: n }, (_, i) => [`Pessoa${from + i}`, 'Silva', 'Teste 200']);
const plan = key('RedisShared', { plan: 'crm_enterprise', credits: 1_000_000, rate: 200, burst: 400 });

describe('--redis URL (pure parts)', () => {
  it('shows the URL without its password, refuses a malformed one without echoing it', () => {
    const target = parseRedisTarget('redis://user:s3cret@cache.internal:6380/2', 'team-a');
    expect(target.shown).toBe('redis://user:***@cache.internal:6380/2');
    expect(JSON.stringify(target)).not.toContain('s3cret');
    expect(target.url).toContain('s3cret');
    expect(parseRedisTarget('rediss://:pw@h').shown).toBe('rediss://:***@h');
    expect(() => parseRedisTarget('redis//:s3cret@host')).toThrow(/not shown/);
    expect(() => parseRedisTarget('http://host')).toThrow(/redis:\/\//);
    expect(() => parseRedisTarget('redis://host', 'bad prefix')).toThrow(/--redis-prefix/);
  });

  it('a config file may name the Redis but not hold its password', async () => {
    const dir = await workdir();
    const known = { command: new Set(['redis', 'redis-prefix']), any: () => new Set<string>() };
    const path = join(dir, 'with-password.json');
    writeFileSync(path, JSON.stringify({ redis: 'redis://:Sup3rSecretPw@cache:6379' }));
    expect(() => applyConfigFile({ config: path }, [], known, {})).toThrow(/holds a password.*FLUENCE_REDIS_URL/);
    expect(() => applyConfigFile({ config: path }, [], known, {})).not.toThrow(/Sup3rSecretPw/);
    writeFileSync(path, JSON.stringify({ redis: 'redis://cache:6379', redisPrefix: 'team-a' }));
    const argv: Record<string, unknown> = { config: path };
    applyConfigFile(argv, [], known, {});
    expect(argv).toMatchObject({ redis: 'redis://cache:6379', redisPrefix: 'team-a' });
  });

  it('names keys by hashes: no contact and no API key in a key name', () => {
    const keys = new RedisKeys('fluence-enrich', 'http://127.0.0.1:1');
    const names = [
      keys.contact('crm_basico', 'maria|santos|acme'),
      keys.limiterId(plan.key, 'http://127.0.0.1:1'),
      keys.answerSeq,
    ];
    for (const name of names) expect(name).not.toMatch(/maria|santos|acme|RedisShared/i);
    expect(keys.contact('crm_basico', 'a')).not.toBe(keys.contact('crm', 'a'));
    expect(new RedisKeys('fluence-enrich', 'http://other').contact('crm', 'a')).not.toBe(keys.contact('crm', 'a'));
  });
});

describe.skipIf(!HAVE_REDIS)('runs on many machines through one real Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a claim lands once when two runs race for a contact (compare-and-set on its version)', async () => {
    const client = new Redis(redis.port, '127.0.0.1');
    try {
      const answers = new RedisAnswers(client, new RedisKeys('race-test', 'http://x'));
      const decide = (runId: string) => (row: ClaimView | undefined) =>
        decideClaim(row && { state: row.state, run: row.run, holder: row.holder, reusable: false }, {
          runId,
          nowMs: Date.now(),
          host: 'h',
          isAlive: () => true,
        });
      await Promise.all(['r1', 'r2'].map((run) => answers.heartbeat(run, 'h', 1)));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          answers.claim('crm', 'contact', `r${(i % 2) + 1}`, decide(`r${(i % 2) + 1}`)),
        ),
      );
      // Calls 0, 2, 4... are r1's; 1, 3, 5... r2's. Whichever run claimed first holds it: all its
      // calls ask (its own claim), all the other's wait.
      const winner = results[0]!.decision.kind === 'ask' ? 'r1' : 'r2';
      const other = winner === 'r1' ? 'r2' : 'r1';
      for (const [i, r] of results.entries())
        expect(r.decision.kind, `call ${i}`).toBe(`r${(i % 2) + 1}` === winner ? 'ask' : 'wait');
      // A holder whose heartbeat is gone is dead: the other run takes the claim over. A claim is
      // made as its request leaves and says "started" in the same write, so the dead run may have
      // sent it: the takeover is uncertain (it may have been charged).
      await answers.endRun(winner);
      expect((await answers.claim('crm', 'contact', other, decide(other))).decision).toEqual({
        kind: 'ask',
        uncertain: true,
      });
    } finally {
      client.disconnect();
    }
  });

  it("a row waiting for another run's answer wakes when the answer is written, not at its next look", async () => {
    const clients = [new Redis(redis.port, '127.0.0.1'), new Redis(redis.port, '127.0.0.1')];
    const keys = new RedisKeys('wake-test', 'http://x');
    // The fallback look an hour away: only the published answer can end the wait in time.
    const waiting = new RedisAnswers(clients[0]!, keys, { fallbackPollMs: 3_600_000 });
    const holder = new RedisAnswers(clients[1]!, keys);
    const run = (runId: string) => (row: ClaimView | undefined) =>
      decideClaim(row && { state: row.state, run: row.run, holder: row.holder, reusable: true }, {
        runId,
        nowMs: Date.now(),
        host: hostname(),
        isAlive: () => true,
      });
    try {
      await holder.heartbeat('r1', hostname(), process.pid);
      expect((await holder.claim('crm', 'contact', 'r1', run('r1'))).decision.kind).toBe('ask');
      // Told when the waiting run has looked (the answer must land after that look, not before).
      let looked!: () => void;
      const lookedOnce = new Promise<void>((resolve) => (looked = resolve));
      let looks = 0;
      const store: ClaimStore = {
        heartbeat: (id, host, pid) => waiting.heartbeat(id, host, pid),
        claim: (endpoint, contact, id, decide) => waiting.claim(endpoint, contact, id, decide),
        peek: async (endpoint, contact) => {
          const view = await waiting.peek(endpoint, contact);
          looks += 1;
          looked();
          return view;
        },
        changed: (endpoint, contact, signal) => waiting.changed(endpoint, contact, signal),
        endRun: (id) => waiting.endRun(id),
      };
      const claims = new Claims(store, { runId: 'r2', endpoint: 'crm', reusable: () => true });
      await claims.start();
      const woken = claims.waitFor('contact', new AbortController().signal);
      await Promise.all([lookedOnce, waiting.listening()]);
      // Time enough for a row that polls to look again a few times (it would show in `looks`).
      await sleep(600);
      holder.saveFinal('crm', 'contact', { status: 'ok', httpStatus: 200, credits: 1, error: '', analise: '{}' }, 'r1');
      expect(await woken).toBe(true);
      // One look before the wait, one after the answer woke it: none in between.
      expect(looks).toBe(2);
      await claims.stop();
    } finally {
      for (const client of clients) client.disconnect();
    }
  });

  it('three runs at once, overlapping files: one bucket within the plan, every contact paid once, outputs as lone runs write them', {
    timeout: 90_000,
  }, async () => {
    const dir = await workdir();
    const files = [
      await contactsFile(dir, range(0, 600), 'a.csv'),
      await contactsFile(dir, range(300, 600), 'b.csv'),
      await contactsFile(dir, range(150, 600), 'c.csv'),
    ];
    const alone: Array<Array<Record<string, string>>> = [];
    await withSandbox({ keys: [plan] }, async (sandbox) => {
      for (const file of files) alone.push((await enrich(sandbox, file, await workdir(), [], plan.key)).rows);
    });
    await withSandbox({ keys: [plan], faults: { latencyMs: [100, 600] }, recordArrivals: true }, async (sandbox) => {
      const dirs = await Promise.all(files.map(() => workdir()));
      const results = await Promise.all(
        files.map((file, i) =>
          finished(startEnrich(sandbox, file, dirs[i]!, ['--redis', redis.url, '--redis-prefix', 'three'], plan.key)),
        ),
      );
      for (const [i, result] of results.entries()) {
        expect(result.code, result.stderr).toBe(0);
        expect(stable(readOutput(dirs[i]!))).toEqual(stable(alone[i]!));
      }
      // a: 0-599, b: 300-899, c: 150-749
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      expect(sandbox.ledger.contactsCharged).toBe(900);
      // The server never received more than its bucket allows, counting every request the three sent.
      expect(sandbox.ledger.peakOverRate(plan.rate!)).toBeLessThanOrEqual(plan.burst!);
      expect(sandbox.ledger.rateLimited).toBe(0);
      const summaries = dirs.map((d) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')));
      expect(summaries.reduce((n, s) => n + s.requests, 0)).toBe(900);
      // Each row not asked was served by another run's answer: bought while this run was going
      // (fromOtherRuns), or just before it started (fromRedis: the three start a few ms apart).
      expect(summaries.reduce((n, s) => n + s.fromOtherRuns + s.fromRedis + s.duplicates, 0)).toBe(900);
      for (const s of summaries)
        expect(s.redis).toEqual({ at: redis.url, prefix: 'three', writesLost: 0, cameBackEmpty: false });
    });
    // Names never appear in key names.
    const client = new Redis(redis.port, '127.0.0.1');
    const names = await client.keys('*');
    client.disconnect();
    expect(names.length).toBeGreaterThan(900);
    expect(names.filter((n) => /pessoa|silva|teste/i.test(n))).toEqual([]);
  });

  it('a lone run fills the plan through the shared bucket; a nightly run elsewhere pays only for new contacts', {
    timeout: 60_000,
  }, async () => {
    await withSandbox({ keys: [plan], faults: { latencyMs: [50, 200] }, recordArrivals: true }, async (sandbox) => {
      const dir = await workdir();
      const first = await enrich(
        sandbox,
        await contactsFile(dir, range(5000, 2000), 'night1.csv'),
        await workdir(),
        ['--redis', redis.url, '--redis-prefix', 'lone'],
        plan.key,
      );
      expect(first.code, first.stderr).toBe(0);
      const at = sandbox.ledger.arrivals!.at;
      // After the first burst (the bucket's depth), requests came at the plan's rate.
      const steady = (at.length - plan.burst!) / ((at[at.length - 1]! - at[0]!) / 1000);
      expect(steady).toBeGreaterThan(plan.rate! * 0.8);
      expect(sandbox.ledger.peakOverRate(plan.rate!)).toBeLessThanOrEqual(plan.burst!);
      // Tomorrow's export on another machine (no checkpoint of its own): 500 new contacts.
      const second = await enrich(
        sandbox,
        await contactsFile(dir, range(5500, 2000), 'night2.csv'),
        await workdir(),
        ['--redis', redis.url, '--redis-prefix', 'lone'],
        plan.key,
      );
      expect(second.code, second.stderr).toBe(0);
      expect(second.summary).toMatchObject({ requests: 500, fromRedis: 1500, creditsSaved: 1500 });
      expect(sandbox.ledger.paidMoreThanOnce()).toEqual([]);
      // --max-age: answers older than the limit are bought again.
      await sleep(1100);
      const third = await enrich(
        sandbox,
        await contactsFile(dir, range(5500, 10), 'night3.csv'),
        await workdir(),
        ['--redis', redis.url, '--redis-prefix', 'lone', '--max-age', '1s'],
        plan.key,
      );
      expect(third.summary).toMatchObject({ requests: 10, fromRedis: 0 });
    });
  });

  it('Redis lost mid-run and back empty: nothing leaves meanwhile, the run finishes, its own checkpoint still answers', {
    timeout: 90_000,
  }, async () => {
    const lost = await RedisServer.start();
    try {
      await withSandbox({ keys: [plan], faults: { latencyMs: [100, 300] }, recordArrivals: true }, async (sandbox) => {
        const dir = await workdir();
        const file = await contactsFile(dir, range(0, 1500), 'in.csv');
        const out = await workdir();
        const run = startEnrich(sandbox, file, out, ['--redis', lost.url, '--log-level', 'debug'], plan.key);
        const done = finished(run);
        while (sandbox.ledger.arrivals!.at.length < 500) await sleep(20);
        await lost.crash();
        const downAt = Date.now();
        await sleep(2500);
        const sentWhileDown = sandbox.ledger.arrivals!.at.filter((t) => t > downAt + 500).length;
        await lost.resume();
        const result = await done;
        expect(result.code, result.stderr).toBe(0);
        // Requests already released when Redis died land within moments; none after that.
        expect(sentWhileDown).toBe(0);
        expect(result.stderr).toMatch(/lost Redis at redis:\/\/127\.0\.0\.1:\d+/);
        expect(result.stderr).toMatch(/is back: requests resume/);
        // Its JSON line names the message (msgKey, the same in every language) and keeps the facts as fields.
        const lostLine = result.stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.msgKey === 'cli.redis.lost');
        expect(lostLine).toMatchObject({ level: 40, redis: lost.url, seconds: expect.any(Number) });
        expect(readOutput(out).filter((r) => r.fluence_status === 'pending')).toEqual([]);
        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
        const uncertain = summary.uncertain;
        // The summary says so too: answers only Redis had are bought again by other machines.
        expect(summary.redis.cameBackEmpty).toBe(true);
        expect(sandbox.ledger.repeatCharges).toBeLessThanOrEqual(uncertain);
        expect(sandbox.ledger.peakOverRate(plan.rate!)).toBeLessThanOrEqual(plan.burst!);
        // Redis forgot the answers bought before the crash; this run's checkpoint did not.
        const rerun = await enrich(sandbox, file, out, ['--redis', lost.url], plan.key);
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(rerun.summary).toMatchObject({ requests: 0, fromCheckpoint: 1500 });
      });
    } finally {
      await lost.stop();
    }
  });

  it('Redis gone for longer than --redis-wait: a clean stop, the rest pending (exit 2), and the rerun finishes without paying twice', {
    timeout: 90_000,
  }, async () => {
    const lost = await RedisServer.start();
    try {
      await withSandbox({ keys: [plan], faults: { latencyMs: [100, 300] } }, async (sandbox) => {
        const dir = await workdir();
        const file = await contactsFile(dir, range(0, 1500), 'in.csv');
        const out = await workdir();
        const done = finished(startEnrich(sandbox, file, out, ['--redis', lost.url, '--redis-wait', '1'], plan.key));
        while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 300) await sleep(20);
        await lost.crash();
        const result = await done;
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(
          /stopped \(Redis\): Redis at redis:\/\/127\.0\.0\.1:\d+ has been unreachable for 1 s/,
        );
        const rows = readOutput(out);
        expect(rows).toHaveLength(1500);
        expect(rows.filter((r) => r.fluence_status === 'pending').length).toBeGreaterThan(0);
        await lost.resume();
        const rerun = await enrich(sandbox, file, out, ['--redis', lost.url], plan.key);
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(sandbox.ledger.contactsCharged).toBe(1500);
        expect(sandbox.ledger.repeatCharges).toBeLessThanOrEqual(rerun.summary!.uncertainAllRuns);
      });
    } finally {
      await lost.stop();
    }
  });

  it('Redis unreachable or refusing the password at the start: a coded error, nothing spent, the password never shown', {
    timeout: 60_000,
  }, async () => {
    const locked = await RedisServer.start(['--requirepass', 'Sup3rSecretPw']);
    try {
      await withSandbox({ keys: [plan] }, async (sandbox) => {
        const dir = await workdir();
        const file = await contactsFile(dir, range(0, 20));
        const down = await enrich(
          sandbox,
          file,
          await workdir(),
          ['--redis', 'redis://:Sup3rSecretPw@127.0.0.1:1'],
          plan.key,
        );
        expect(down.code).toBe(1);
        expect(down.stderr).toMatch(
          /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 .*Nothing was spent \[REDIS_UNREACHABLE\]/,
        );
        const refused = await enrich(
          sandbox,
          file,
          await workdir(),
          ['--redis', `redis://:wrong@127.0.0.1:${locked.port}`],
          plan.key,
        );
        expect(refused.stderr).toMatch(/refused the credentials.*\[REDIS_AUTH\]/);
        expect(sandbox.ledger.requests['/crm_basico']).toBeUndefined();
        const out = await workdir();
        // A run with the password from the environment, as a secret should come, at the most talkative log level.
        const viaEnv = await runCli(
          [
            'enrich',
            file,
            '-o',
            join(out, 'env.csv'),
            '--base-url',
            sandbox.url,
            '--summary',
            join(out, 'env.json'),
            '--log-level',
            'debug',
            '--log-format',
            'json',
          ],
          {
            env: { FLUENCE_API_KEY: plan.key, FLUENCE_REDIS_URL: `redis://:Sup3rSecretPw@127.0.0.1:${locked.port}/0` },
          },
        );
        expect(viaEnv.code, viaEnv.stderr).toBe(0);
        expect(viaEnv.stderr).toContain('redis://:***@127.0.0.1');
        // On the command line (not advised, but typed): the report's rerun command (shown for the rows a budget left pending) masks it too.
        const fresh = await contactsFile(await workdir(), range(500, 520));
        const onFlag = await runCli(
          [
            'enrich',
            fresh,
            '-o',
            join(out, 'flag.csv'),
            '--base-url',
            sandbox.url,
            '--report',
            join(out, 'flag.html'),
            '--progress',
            'off',
            '--max-credits',
            '0',
            '--redis',
            `redis://:Sup3rSecretPw@127.0.0.1:${locked.port}/0`,
          ],
          { env: { FLUENCE_API_KEY: plan.key } },
        );
        expect(onFlag.code, onFlag.stderr).toBe(3);
        expect(readFileSync(join(out, 'flag.html'), 'utf8')).toMatch(
          /--redis &#39;redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0&#39;/,
        );
        const texts = [
          down.stderr,
          down.stdout,
          refused.stderr,
          viaEnv.stderr,
          viaEnv.stdout,
          onFlag.stderr,
          onFlag.stdout,
          ...readdirSync(out).map((f) => readFileSync(join(out, f)).toString('latin1')),
        ];
        for (const text of texts) expect(text).not.toContain('Sup3rSecretPw');
        expect(existsSync(join(out, 'env.json'))).toBe(true);
      });
    } finally {
      await locked.stop();
    }
  });
});

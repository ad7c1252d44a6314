import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { evictionRisk } from '../src/redis/health.js';
import { finished } from './helpers/cli.js';
import { contactsFile, enrich, readOutput, startEnrich, workdir } from './helpers/enrich.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';
import { key, withSandbox } from './helpers/sandbox.js';

const range = (from: number, n: number): Array<[string, string, string]> =>
  Array.from({ length: n }, (_, i) => [`Pessoa${from + i}`, 'Silva', 'Teste 200']);
const plan = key('RedisHealth', { plan: 'crm_enterprise', credits: 1_000_000, rate: 200, burst: 400 });

const EVICTS =
  /Redis at redis:\/\/127\.0\.0\.1:\d+ may evict keys \(maxmemory-policy allkeys-lru with maxmemory 50 MB\).*Set maxmemory-policy noeviction, or no maxmemory/;
const COULD_NOT_CHECK =
  /could not check whether Redis at redis:\/\/(limited:\*\*\*@)?127\.0\.0\.1:\d+ may evict keys \(NOPERM/;
const CAME_BACK_EMPTY =
  /Redis at redis:\/\/127\.0\.0\.1:\d+ came back without its keys under the prefix back-test .*answers stored there were lost/;

/** A stderr's JSON log lines (the runs here log JSON: their stderr is not a terminal). */
const logLines = (stderr: string): Array<Record<string, unknown>> =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** A short run through a Redis started with `args` (as `user`, when given; `extra`: the run's own flags): its stderr, after checking it finished. */
async function runThrough(args: string[], user = '', extra: string[] = []): Promise<string> {
  const redis = await RedisServer.start(args);
  try {
    return await withSandbox({ keys: [plan] }, async (sandbox) => {
      const dir = await workdir();
      const result = await enrich(
        sandbox,
        await contactsFile(dir, range(0, 20)),
        await workdir(),
        ['--redis', redis.url.replace('//', `//${user}`), ...extra],
        plan.key,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.summary).toMatchObject({ requests: 20 });
      return result.stderr;
    });
  } finally {
    await redis.stop();
  }
}

describe('what a Redis may evict (pure)', () => {
  it('no maxmemory or noeviction: nothing; allkeys-*: the answers; volatile-*: only what expires (the heartbeats, never the answers)', () => {
    expect(evictionRisk(0, 'allkeys-lru')).toBeUndefined();
    expect(evictionRisk(50 << 20, 'noeviction')).toBeUndefined();
    expect(evictionRisk(50 << 20, 'allkeys-lru')).toBe('answers');
    expect(evictionRisk(50 << 20, 'allkeys-random')).toBe('answers');
    expect(evictionRisk(50 << 20, 'volatile-ttl')).toBe('heartbeats');
  });
});

describe.skipIf(!HAVE_REDIS)('Redis settings that lose shared answers, with a real redis-server', () => {
  it('maxmemory with allkeys-lru: a warning before the first request naming the setting and the fix', async () => {
    const stderr = await runThrough(['--maxmemory', '50mb', '--maxmemory-policy', 'allkeys-lru']);
    expect(stderr).toMatch(EVICTS);
    // Logged before the line that announces the spending (no request leaves before it).
    expect(stderr.search(EVICTS)).toBeLessThan(stderr.search(/credits left/));
    expect(stderr).not.toMatch(COULD_NOT_CHECK);
  });

  it('in Portuguese (--lang pt-BR): the warnings in its words; the JSON lines keep their fields and msgKey', async () => {
    const stderr = await runThrough(['--maxmemory', '50mb', '--maxmemory-policy', 'allkeys-lru'], '', [
      '--lang',
      'pt-BR',
    ]);
    const lines = logLines(stderr);
    const evicts = lines.find((line) => line.msgKey === 'cli.redis.evictsAnswers');
    expect(evicts, stderr).toMatchObject({
      level: 40,
      redis: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/),
      maxmemoryPolicy: 'allkeys-lru',
      maxmemory: 50 * 1024 * 1024,
    });
    expect(evicts?.msg).toMatch(
      /^o Redis em redis:\/\/127\.0\.0\.1:\d+ pode descartar chaves \(maxmemory-policy allkeys-lru com maxmemory 50 MB\).*Configure maxmemory-policy noeviction/,
    );
    const noAppendOnly = lines.find((line) => line.msgKey === 'cli.redis.noAppendOnly');
    expect(noAppendOnly?.msg).toMatch(
      /^o Redis em redis:\/\/127\.0\.0\.1:\d+ não grava um arquivo append-only.*appendonly yes/,
    );
    expect(stderr).not.toMatch(EVICTS);
    expect(stderr).not.toMatch(/keeps no append-only file/);
  });

  it('maxmemory with noeviction: no eviction warning', async () => {
    const stderr = await runThrough(['--maxmemory', '50mb', '--maxmemory-policy', 'noeviction']);
    expect(stderr).not.toMatch(/may evict/);
    expect(stderr).not.toMatch(COULD_NOT_CHECK);
  });

  it('CONFIG blocked (as managed Redis does): still checked through INFO; INFO refused too: "could not check", and the run goes on', async () => {
    const noConfig = await runThrough([
      '--maxmemory',
      '50mb',
      '--maxmemory-policy',
      'allkeys-lru',
      '--rename-command',
      'CONFIG',
      '',
    ]);
    expect(noConfig).toMatch(EVICTS);
    // An ACL user without INFO (or CONFIG). A renamed INFO cannot be tested: ioredis's ready check needs it.
    const noInfo = await runThrough(
      [
        '--maxmemory',
        '50mb',
        '--maxmemory-policy',
        'allkeys-lru',
        '--user',
        'limited',
        'on',
        '>pw',
        '~*',
        '&*',
        '+@all',
        '-info',
        '-config',
      ],
      'limited:pw@',
    );
    expect(noInfo).toMatch(COULD_NOT_CHECK);
    expect(noInfo).not.toMatch(/may evict keys \(maxmemory/);
  });
});

describe.skipIf(!HAVE_REDIS)('Redis restarted mid-run', () => {
  /** A 1,500-row run whose Redis is killed after 300 requests and started again 1.5 s later: its stderr. */
  async function restartedMidRun(args: string[], extra: string[] = []): Promise<string> {
    const redis = await RedisServer.start(args);
    try {
      return await withSandbox({ keys: [plan], faults: { latencyMs: [100, 300] } }, async (sandbox) => {
        const dir = await workdir();
        const out = await workdir();
        const done = finished(
          startEnrich(
            sandbox,
            await contactsFile(dir, range(0, 1500)),
            out,
            ['--redis', redis.url, '--redis-prefix', 'back-test', ...extra],
            plan.key,
          ),
        );
        while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 300) await sleep(20);
        await redis.crash();
        await sleep(1500);
        await redis.resume();
        const result = await done;
        expect(result.code, result.stderr).toBe(0);
        expect(logLines(result.stderr).map((line) => line.msgKey)).toContain('cli.redis.back');
        expect(readOutput(out).filter((r) => r.fluence_status === 'pending')).toEqual([]);
        return result.stderr;
      });
    } finally {
      await redis.stop();
    }
  }

  it("back empty (no persistence): a warning that it came back without the run's keys and the answers there were lost", {
    timeout: 90_000,
  }, async () => {
    const stderr = await restartedMidRun([]);
    expect(stderr).toMatch(CAME_BACK_EMPTY);
    expect(stderr).toMatch(/is back: requests resume/);
  });

  it('back with its data (append-only file): no such warning; in Portuguese, the loss and the return said in its words', {
    timeout: 90_000,
  }, async () => {
    const stderr = await restartedMidRun(['--appendonly', 'yes', '--appendfsync', 'always'], ['--lang', 'pt-BR']);
    const lines = logLines(stderr);
    const keys = lines.map((line) => line.msgKey);
    expect(keys).not.toContain('cli.redis.backEmpty');
    expect(keys).not.toContain('cli.redis.noAppendOnly');
    const lost = lines.find((line) => line.msgKey === 'cli.redis.lost');
    expect(lost, stderr).toMatchObject({ level: 40, redis: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/) });
    expect(lost?.msg).toMatch(/^a conexão com o Redis em redis:\/\/127\.0\.0\.1:\d+ caiu .*--redis-wait/);
    const back = lines.find((line) => line.msgKey === 'cli.redis.back');
    expect(back?.msg).toMatch(/^o Redis em redis:\/\/127\.0\.0\.1:\d+ voltou: as consultas continuam$/);
    expect(stderr).not.toMatch(/lost Redis|is back/);
  });
});
